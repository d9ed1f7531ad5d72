"""Allow-list HTML sanitising for story bodies.

Every path that stores body HTML (the admin's editor, the shell, imports) ends in
`Story.save()`, which runs `clean_html()`. nh3 (Rust's ammonia) parses the HTML like a
browser and keeps only the tags, attributes and URL schemes listed here, so `<script>`,
event-handler attributes, `style` and `javascript:` URLs never survive.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "a", "abbr", "cite", "q", "code", "pre", "blockquote",
    "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd",
    "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "title"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}

ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What the body editor (django-prose-editor) offers: nothing it can make is outside the
# allow-list above.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Apply the URL-scheme allow-list to `cite`, which nh3 checks no scheme on."""
    if attribute == "cite":
        # Browsers ignore whitespace and control characters inside a scheme.
        scheme, colon, _ = "".join(c for c in value if c > " ").lower().partition(":")
        if colon and _SCHEME.fullmatch(scheme) and scheme not in ALLOWED_URL_SCHEMES:
            return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # Drop these together with their content, not just the tag.
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    attribute_filter=_filter_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_html(html: str | None) -> str:
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    # ProseMirror always submits at least one empty paragraph; store that as empty.
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned


# Block elements a paragraph can sit inside. A paragraph inside none of them stands at
# the top level of the body, "on a line of its own": where an embed's URL or a
# gallery's reference counts (one quoted in a list or a quotation stays words).
_CONTAINERS = "blockquote|ul|ol|dl|li|dd|dt|table|figure|td|th|caption"


def top_level_pattern(paragraph: str, flags: int = re.IGNORECASE) -> re.Pattern:
    """The pattern `top_level_paragraphs` reads: `paragraph` (a regex for a whole
    `<p>…</p>`, with named groups), beside the containers' opening and closing tags."""
    return re.compile(
        rf"<(?P<open>{_CONTAINERS})\b[^>]*>|</(?P<close>{_CONTAINERS})>|{paragraph}", flags
    )


def top_level_paragraphs(pattern: re.Pattern, body: str):
    """Each match of `pattern`'s paragraph (`top_level_pattern`) at the top level of
    `body`, which is `clean_html()`'s output: well-formed, so tags can be counted."""
    depth = 0
    for token in pattern.finditer(body):
        if token["open"]:
            depth += 1
        elif token["close"]:
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield token


def replace_matches(body: str, replacements) -> str:
    """`body` with the span of each (match, text) pair, in order, replaced by text."""
    parts, position = [], 0
    for token, text in replacements:
        parts.append(body[position : token.start()])
        parts.append(text)
        position = token.end()
    parts.append(body[position:])
    return "".join(parts)
