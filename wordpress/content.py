"""Turn WordPress post content into the clean HTML a story body stores.

WordPress stores content half-finished and completes it on display: blank lines in the
classic editor's text become paragraphs (`wpautop`), shortcodes are expanded by
plugins, and the block editor keeps its structure in HTML comments. This module does
what WordPress would have done on display, as far as that makes sense without
WordPress: block comments removed, paragraphs made, [caption] as a figure, [gallery]
as a list of its images, embed blocks, [embed] shortcodes, iframes and bare URLs as a
link on a line of its own (nothing is fetched), unknown shortcodes removed and counted.
A link on its own line to an allow-listed provider (articles/embeds.py) is what an editor
makes by pasting the URL, so the story page shows it as an embed; others stay links. The
result then goes through `articles.html.clean_html`, like every body.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.embeds import find_embed
from articles.html import clean_html
from articles.text import html_to_line

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


@dataclass(frozen=True)
class Attachment:
    """What a gallery or a featured image needs to know about an attachment."""

    wp_id: int
    url: str
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent: int = 0
    menu_order: int = 0

    @property
    def is_image(self) -> bool:
        path = self.url.split("?", 1)[0].lower()
        return path.endswith(IMAGE_EXTENSIONS)


@dataclass
class BodyReport:
    """What the conversion had to change or drop, for the import summary."""

    shortcodes_removed: Counter = field(default_factory=Counter)
    blocks_removed: Counter = field(default_factory=Counter)
    embeds_kept: int = 0  # allow-listed providers: the story page shows them as embeds
    embeds_linked: int = 0  # other providers: a plain link
    gallery_images_missing: int = 0


# Block editor ---------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(r"<!--\s*(/?)wp:([a-z0-9_/-]+)(.*?)(/?)\s*-->", re.DOTALL)
# An embed block: the block editor's `wp:embed` (WordPress 5.6 and later) or one of the
# older `wp:core-embed/<provider>` blocks, with the figure it saved.
_EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(embed|core-embed/[a-z0-9_-]+)(\s+\{(?:(?!-->).)*?\})?\s*-->"
    r"(.*?)<!--\s*/wp:\1\s*-->",
    re.DOTALL,
)
_EMBED_FIGURE = re.compile(
    r"<figure\b[^>]*\bclass\s*=\s*[\"'][^\"']*\bwp-block-embed\b[^>]*>(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
_EMBED_URL_ATTRIBUTE = re.compile(r'"url"\s*:\s*"((?:[^"\\]|\\.)*)"')
_EMBED_WRAPPER_URL = re.compile(r"(https?://[^\s<>\"']+)")
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
_SPECIAL_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)

# Shortcodes: the pattern of WordPress's get_shortcode_regex(), for any name.
_SHORTCODE = re.compile(
    r"\[(\[?)"  # 1: an escaped shortcode starts with [[
    r"([a-zA-Z][\w-]*)(?![\w-])"  # 2: the name
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"  # 3: attributes
    r"(?:(/)\]"  # 4: self-closing
    r"|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)"  # 5: enclosed content
    r"(\]?)"  # 6: and ends with ]]
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_CAPTION_MEDIA = re.compile(
    r"\s*((?:<a\s[^>]+>\s*)?<img\s[^>]+>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE
)
_MEDIA_ATTRIBUTES = (
    "src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "url",
)  # fmt: skip

# Paragraphs: a small wpautop.
_BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|p|h[1-6]|hr|fieldset|legend|section|"
    "article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe"
)
_BLOCK_START = re.compile(rf"(<(?:{_BLOCK_TAGS})\b[^>]*>)", re.IGNORECASE)
_BLOCK_END = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
# Text directly inside these gets paragraphs of its own, as in WordPress.
_CONTAINER_START = re.compile(r"(<(?:blockquote|div|section|article|aside)\b[^>]*>)", re.I)
_CONTAINER_END = re.compile(r"(</(?:blockquote|div|section|article|aside)>)", re.I)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
_IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1[^>]*>.*?</iframe>", re.DOTALL | re.IGNORECASE
)
_URL_ATTRIBUTE = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)
_HEADING_ONE = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def parse_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """A shortcode's named and positional attributes (WordPress's shortcode_parse_atts)."""
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        if groups[0]:
            named[groups[0].lower()] = groups[1]
        elif groups[2]:
            named[groups[2].lower()] = groups[3]
        elif groups[4]:
            named[groups[4].lower()] = groups[5]
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            positional.append(value)
    return named, positional


def _link_paragraph(url: str) -> str:
    url = html.unescape(url.strip())
    if not re.match(r"https?://", url, re.IGNORECASE):
        return ""
    return format_html('\n\n<p><a href="{}">{}</a></p>\n\n', url, url)


def _count_embed(url: str, report: BodyReport) -> None:
    if find_embed(url.strip()) is not None:
        report.embeds_kept += 1
    else:
        report.embeds_linked += 1


def _json_string(value: str) -> str:
    """A JSON string's content (block attributes are JSON: \\u0026 is &, \\/ is /)."""
    try:
        return json.loads(f'"{value}"')
    except ValueError:
        return ""


def autop(text: str) -> str:
    """Wrap runs of text separated by blank lines in <p>, and line breaks in <br>."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_START.sub(r"\n\n\1", text)
    text = _BLOCK_END.sub(r"\1\n\n", text)
    text = _CONTAINER_START.sub(r"\1\n\n", text)
    text = _CONTAINER_END.sub(r"\n\n\1", text)
    text = re.sub(r"(<hr\b[^>]*>)", r"\1\n\n", text, flags=re.IGNORECASE)
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00"):
            paragraphs.append(kept[int(chunk.strip("\x00"))])
        elif _STARTS_WITH_BLOCK.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"[ \t]*\n[ \t]*", "<br>\n", chunk) + "</p>")
    return "\n".join(paragraphs)


def looks_like_shortcode(match: re.Match, named: dict[str, str]) -> bool:
    """Tell "[contact-form id=3]" from editorial brackets such as "[sic]".

    WordPress expands only the shortcodes a plugin registered, and the export does not
    say which those were. Brackets with a closing tag, `name=value` attributes or a
    plugin-style name (with - or _) count as shortcodes; "[simple boat]" stays text.
    """
    name = match.group(2)
    return bool(match.group(5) is not None or match.group(4) or named or "-" in name or "_" in name)


class BodyConverter:
    """Converts post content, knowing the export's attachments for galleries.

    `media_url` maps an address on the old site to the address of its stored copy, or
    returns None to keep the old address.
    """

    def __init__(
        self,
        *,
        attachments: Mapping[int, Attachment],
        children: Mapping[int, list[int]],
        media_url: Callable[[str], str | None],
    ) -> None:
        self.attachments = attachments
        self.children = children
        self.media_url = media_url

    def convert(self, raw: str, *, post_id: int, report: BodyReport) -> str:
        """Clean, sanitised HTML for the body of the story that post `post_id` becomes."""
        text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
        uses_blocks = "<!-- wp:" in text

        def drop_block_comment(match: re.Match) -> str:
            if match.group(4):  # a self-closing block is rendered by PHP: nothing to keep
                report.blocks_removed[match.group(2)] += 1
            return ""

        text = self._embed_blocks(text, report)
        text = _BLOCK_COMMENT.sub(drop_block_comment, text)
        text = _SPECIAL_COMMENT.sub("", text)
        text = self._iframes_to_links(text, report)
        text = self._shortcodes(text, post_id=post_id, report=report)
        text = self._bare_urls_to_links(text, report)
        if not uses_blocks:
            # Block content is already in paragraphs; only the classic editor needs them.
            text = autop(text)
        text = _URL_ATTRIBUTE.sub(self._rewrite_url, text)
        text = _HEADING_ONE.sub(r"<\1h2", text)
        return _tidy(clean_html(text))

    # Steps ------------------------------------------------------------------------

    def _embed_blocks(self, text: str, report: BodyReport) -> str:
        """An embed block as its URL on a line of its own, and its caption after it."""

        def replace(match: re.Match) -> str:
            return embed(*match.groups())

        def embed(name: str, attributes: str | None, saved: str) -> str:
            found = _EMBED_URL_ATTRIBUTE.search(attributes or "")
            url = _json_string(found.group(1)) if found else ""
            if not url:
                # Blocks saved before the url attribute existed hold it in their wrapper.
                found = _EMBED_WRAPPER_URL.search(_FIGCAPTION.sub("", saved))
                url = html.unescape(found.group(1)) if found else ""
            paragraph = _link_paragraph(url)
            if not paragraph:
                report.blocks_removed[f"{name} (no address)"] += 1
                return ""
            _count_embed(url, report)
            caption = _FIGCAPTION.search(saved)
            if caption and html_to_line(caption.group(1)):
                # Kept as the paragraph under the embed: the body editor has no embed caption.
                paragraph += format_html("<p>{}</p>\n\n", mark_safe(caption.group(1)))  # noqa: S308
            return paragraph

        text = _EMBED_BLOCK.sub(replace, text)
        # The same figure without its block comments (HTML copied from such a site).
        return _EMBED_FIGURE.sub(lambda m: embed("figure.wp-block-embed", None, m[1]), text)

    def _iframes_to_links(self, text: str, report: BodyReport) -> str:
        def replace(match: re.Match) -> str:
            _count_embed(html.unescape(match.group(2)), report)
            return _link_paragraph(match.group(2))

        return _IFRAME.sub(replace, text)

    def _bare_urls_to_links(self, text: str, report: BodyReport) -> str:
        def replace(match: re.Match) -> str:
            _count_embed(html.unescape(match.group(1)), report)
            return _link_paragraph(match.group(1)).strip()

        return _BARE_URL_LINE.sub(replace, text)

    def _rewrite_url(self, match: re.Match) -> str:
        new = self.media_url(html.unescape(match.group(3)))
        if new is None:
            return match.group(0)
        return format_html('{}"{}"', mark_safe(match.group(1)), new)  # noqa: S308

    def _shortcodes(self, text: str, *, post_id: int, report: BodyReport) -> str:
        def replace(match: re.Match) -> str:
            if match.group(1) == "[" and match.group(6) == "]":
                return match.group(0)[1:-1]  # [[name]] is the literal text [name]
            name = match.group(2).lower()
            named, positional = parse_attributes(match.group(3))
            content = match.group(5)
            if name in {"caption", "wp_caption"}:
                return self._caption(named, content or "", post_id=post_id, report=report)
            if name == "gallery":
                return self._gallery(named, post_id=post_id, report=report)
            if name in {"embed", "audio", "video", "youtube", "vimeo"}:
                url = (content or "").strip() if name == "embed" else ""
                url = url or next((named[k] for k in _MEDIA_ATTRIBUTES if named.get(k)), "")
                url = url or next((p for p in positional if p.startswith("http")), "")
                if url:
                    _count_embed(html.unescape(url), report)
                    return _link_paragraph(url)
                report.shortcodes_removed[name] += 1
                return ""
            if not looks_like_shortcode(match, named):
                return match.group(0)
            report.shortcodes_removed[name] += 1
            if content:
                return self._shortcodes(content, post_id=post_id, report=report)
            return ""

        return _SHORTCODE.sub(replace, text)

    def _caption(self, named: dict, content: str, *, post_id: int, report: BodyReport) -> str:
        content = self._shortcodes(content, post_id=post_id, report=report)
        found = _CAPTION_MEDIA.match(content)
        if not found:
            return content
        media, text = found.groups()
        caption = named.get("caption") or text.strip()
        if not caption:
            return format_html("\n\n<figure>{}</figure>\n\n", mark_safe(media))  # noqa: S308
        # Both parts are the post's own HTML; clean_html sanitises the whole body after.
        return format_html(
            "\n\n<figure>{}<figcaption>{}</figcaption></figure>\n\n",
            mark_safe(media),  # noqa: S308
            mark_safe(caption),  # noqa: S308
        )

    def _gallery(self, named: dict, *, post_id: int, report: BodyReport) -> str:
        listed = named.get("ids") or named.get("include")
        if listed:
            ids = [int(number) for number in re.findall(r"\d+", listed)]
        else:
            children = [self.attachments[i] for i in self.children.get(post_id, [])]
            children.sort(key=lambda a: (a.menu_order, a.wp_id))
            ids = [a.wp_id for a in children]
        excluded = {int(n) for n in re.findall(r"\d+", named.get("exclude", ""))}
        images = []
        for wp_id in ids:
            attachment = self.attachments.get(wp_id)
            if wp_id in excluded:
                continue
            if attachment is None or not attachment.is_image:
                report.gallery_images_missing += 1
                continue
            images.append(attachment)
        if not images:
            report.shortcodes_removed["gallery (no images in the export)"] += 1
            return ""
        items = format_html_join(
            "\n", "<li><figure><img src=\"{}\" alt=\"{}\">{}</figure></li>",
            (
                (
                    self.media_url(image.url) or image.url,
                    image.alt,
                    format_html("<figcaption>{}</figcaption>", image.caption)
                    if image.caption else "",
                )
                for image in images
            ),
        )  # fmt: skip
        return format_html("\n\n<ul>\n{}\n</ul>\n\n", items)


_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_FIGURE = re.compile(r"<figure\b.*?</figure>", re.DOTALL | re.IGNORECASE)


def _tidy(body: str) -> str:
    """Drop empty paragraphs and runs of blank lines (block markup leaves many), not in <pre>."""
    parts = []
    position = 0
    for match in _PRE.finditer(body):
        parts.append(_tidy_text(body[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_tidy_text(body[position:]))
    return "".join(parts).strip()


def _tidy_text(text: str) -> str:
    return _BLANK_LINES.sub("\n", _EMPTY_PARAGRAPH.sub("", text))


def plain_text(value: str) -> str:
    """HTML or shortcode-laden text as one line of plain text."""
    value = _BLOCK_COMMENT.sub("", value or "")
    value = _SHORTCODE.sub(
        lambda m: (
            (m.group(5) or "")
            if looks_like_shortcode(m, parse_attributes(m.group(3))[0])
            else m.group(0)
        ),
        value,
    )
    # The one extractor (articles.text): blocks and table cells stay apart.
    return html_to_line(value)


def make_dek(excerpt: str, body_html: str, *, words: int = 40, limit: int = 600) -> str:
    """The post's excerpt as plain text, or the start of the body when it has none."""
    text = plain_text(excerpt)
    if not text:
        # Like WordPress's generated excerpts, leave out pictures and their captions. The
        # opening of the body is enough for a few dozen words (and much faster to strip).
        opening = _FIGURE.sub(" ", body_html[: limit * 8])
        opening = opening[: opening.rfind(">") + 1] if len(body_html) > limit * 8 else opening
        text = Truncator(plain_text(opening)).words(words, truncate="…")
    return Truncator(text).chars(limit, truncate="…")
