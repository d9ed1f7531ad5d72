"""Plain text: from stored HTML, once, and free of control characters.

`html_to_text()` is the one way this project turns a story body into text: deks made
from bodies, revision diffs, feed summaries, teaser text and the search document all
read it. It keeps block boundaries (paragraphs, headings and list items end a line;
table cells are apart by a space), so "<td>Cell 1</td><td>Cell 2</td>" reads
"Cell 1 Cell 2", never "Cell 1Cell 2", and it reads text only: attribute values
(`rel="noopener"`, an image's file name) are never text.

`remove_control_characters()` drops what word processors paste by accident (a vertical
tab, a form feed, NUL): they break XML feeds and sitemaps, and mean nothing to readers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# C0 controls and DEL, but tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Elements that end a line of text, and those that are a cell in a row.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol",
    "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul", "caption",
}  # fmt: skip
_CELLS = {"td", "th"}
# Never text, whatever they hold.
_SKIPPED = {"script", "style", "template"}


def remove_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.skipping = 0

    def _break(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._break()
        elif tag == "br":
            self._break()
        elif tag in _CELLS:
            self.lines[-1].append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._break()
        elif tag in _CELLS:
            self.lines[-1].append(" ")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.lines[-1].append(data)

    def text(self) -> str:
        lines = (" ".join("".join(parts).split()) for parts in self.lines)
        return "\n".join(line for line in lines if line)


def html_to_text(html: str | None) -> str:
    """The text of `html`, one line per block (paragraph, heading, list item, row)."""
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return remove_control_characters(collector.text())


class _ImageCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images = 0
        self.without_alt = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.images += 1
            if not (dict(attrs).get("alt") or "").strip():
                self.without_alt += 1

    handle_startendtag = handle_starttag


def images_without_alt(html: str | None) -> int:
    """How many images in `html` have no alt text (each needs one before publication)."""
    counter = _ImageCounter()
    counter.feed(html or "")
    counter.close()
    return counter.without_alt


def html_to_line(html: str | None) -> str:
    """The text of `html` on one line, blocks apart by a space (for deks and summaries)."""
    return " ".join(html_to_text(html).split())


# The apps whose text fields are cleaned on every save (taggit: tag names).
CLEANED_APPS = {"articles", "comments", "wordpress", "users", "taggit"}


def clean_text_fields(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save: drop control characters from every text field of the instance.

    Done on save, not in one form, so the admin, the shell, imports and reader comments
    all store clean text (a pasted vertical tab used to break every feed the story was in).
    """
    if raw or sender._meta.app_label not in CLEANED_APPS:
        return
    for field in sender._meta.concrete_fields:
        if field.get_internal_type() in {"CharField", "TextField", "SlugField", "EmailField"}:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and _CONTROL.search(value):
                setattr(instance, field.attname, remove_control_characters(value))
