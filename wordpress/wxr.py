"""Read a WordPress export (WXR 1.0 to 1.2) as a stream of small records.

The reader drives expat directly: it keeps only the element being read (one author,
category or item) and hands it over as soon as it is complete, so a file of hundreds
of megabytes needs no more memory than its largest post. Every namespace URL WordPress
has used for `wp:` (http and https, 1.0 to 1.2) reads the same.

Parsing is safe by construction: a document that declares entities is refused before
any are expanded (the "billion laughs" attack), external entities and DTDs are never
fetched, and no network access is possible.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element
from xml.parsers import expat

CHUNK_SIZE = 1 << 16
# The largest ID a database keeps (ImportedItem.wp_id is a PositiveBigIntegerField).
MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]+")

_WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# Control characters are not allowed in XML 1.0, yet WordPress exports them from post
# content now and then. They never occur inside a multi-byte UTF-8 sequence, so they
# can be dropped from the bytes before expat sees them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_UNSET_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """The file cannot be read as a WordPress export; nothing was imported."""


class UnsafeXMLError(WXRError):
    """The file declares entities or external resources, which an export never needs."""


class ItemError(Exception):
    """One item cannot be imported; the import goes on without it."""


# Records --------------------------------------------------------------------------


# ElementPath (Element.find) reads "wp:x" as a namespace prefix; these compare tags as-is.


def _children(element: Element, tag: str) -> Iterator[Element]:
    return (child for child in element if child.tag == tag)


def _text(element: Element, tag: str, default: str = "") -> str:
    for child in element:
        if child.tag == tag:
            return child.text if child.text is not None else default
    return default


def parse_wp_date(value: str) -> datetime | None:
    """A naive datetime from WordPress's "YYYY-MM-DD HH:MM:SS"; None when unset."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError as error:
        raise ItemError(f"the date “{value}” is not a date") from error


def url_path(url: str) -> str:
    """The decoded path of a URL, with repeated slashes collapsed ("" for none)."""
    path = unquote(urlsplit(url.strip()).path)
    return re.sub(r"/{2,}", "/", path)


@dataclass
class Author:
    login: str
    display_name: str
    email: str = ""


@dataclass
class Term:
    """A category, tag or other taxonomy term from the export's header."""

    taxonomy: str
    term_id: int | None
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class WPComment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    raw_date: str
    raw_date_gmt: str
    content: str
    approved: str
    type: str
    parent: int

    # Dates are parsed when used, so a bad one fails only its comment, not the file.
    @property
    def date(self) -> datetime | None:
        return parse_wp_date(self.raw_date)

    @property
    def date_gmt(self) -> datetime | None:
        return parse_wp_date(self.raw_date_gmt)

    @property
    def is_ping(self) -> bool:
        return self.type in {"pingback", "trackback"}


@dataclass
class Post:
    """One <item>: a post, page, attachment, menu item or anything else WordPress stores."""

    wp_id: int
    post_type: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    raw_date: str
    raw_date_gmt: str
    comment_status: str
    name: str
    status: str
    parent: int
    menu_order: int
    password: str
    is_sticky: bool
    attachment_url: str
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)

    @property
    def date(self) -> datetime | None:
        return parse_wp_date(self.raw_date)

    @property
    def date_gmt(self) -> datetime | None:
        return parse_wp_date(self.raw_date_gmt)

    def first_meta(self, key: str) -> str:
        values = self.meta.get(key)
        return values[0] if values else ""

    @property
    def thumbnail_id(self) -> int | None:
        value = _int(self.first_meta("_thumbnail_id"), default=-1)
        return value if 0 <= value <= MAX_ID else None

    @property
    def display_title(self) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]*>", "", self.title)).split())


def _int(value: str, default: int = 0) -> int:
    """A number written in ASCII digits, else `default`.

    Not `str.isdigit()`: it accepts "²", "①" and other digits that int() refuses.
    """
    value = (value or "").strip()
    return int(value) if _INTEGER.fullmatch(value) else default


def _id(element: Element, tag: str, what: str) -> int | None:
    """An ID as WordPress writes it (ASCII digits); None when empty, ItemError when odd."""
    value = _text(element, tag).strip()
    if not value:
        return None
    number = _int(value, default=-1)
    if not 0 <= number <= MAX_ID:
        raise ItemError(f"its {what} “{value}” is not a number")
    return number


def read_post(item: Element) -> Post:
    """Turn an <item> element into a Post; ItemError when it lacks what every item has."""
    wp_id = _id(item, "wp:post_id", "post ID")
    if wp_id is None:
        raise ItemError("it has no post ID")
    meta: dict[str, list[str]] = {}
    for entry in _children(item, "wp:postmeta"):
        meta.setdefault(_text(entry, "wp:meta_key"), []).append(_text(entry, "wp:meta_value"))
    terms = [
        (category.get("domain", "category"), category.get("nicename", ""), category.text or "")
        for category in _children(item, "category")
    ]
    comments = []
    for entry in _children(item, "wp:comment"):
        comment_id = _id(entry, "wp:comment_id", "comment ID")
        if comment_id is None:
            continue  # nothing to know it by again
        comments.append(
            WPComment(
                wp_id=comment_id,
                author=_text(entry, "wp:comment_author"),
                email=_text(entry, "wp:comment_author_email").strip(),
                url=_text(entry, "wp:comment_author_url").strip(),
                ip=_text(entry, "wp:comment_author_IP").strip(),
                raw_date=_text(entry, "wp:comment_date"),
                raw_date_gmt=_text(entry, "wp:comment_date_gmt"),
                content=_text(entry, "wp:comment_content"),
                approved=_text(entry, "wp:comment_approved").strip(),
                type=_text(entry, "wp:comment_type").strip() or "comment",
                parent=_int(_text(entry, "wp:comment_parent")),
            )
        )
    return Post(
        wp_id=wp_id,
        post_type=_text(item, "wp:post_type").strip() or "post",
        title=_text(item, "title"),
        link=_text(item, "link").strip(),
        guid=_text(item, "guid").strip(),
        creator=_text(item, "dc:creator").strip(),
        content=_text(item, "content:encoded"),
        excerpt=_text(item, "excerpt:encoded"),
        raw_date=_text(item, "wp:post_date"),
        raw_date_gmt=_text(item, "wp:post_date_gmt"),
        comment_status=_text(item, "wp:comment_status").strip(),
        name=_text(item, "wp:post_name").strip(),
        status=_text(item, "wp:status").strip(),
        parent=_id(item, "wp:post_parent", "parent") or 0,
        menu_order=_int(_text(item, "wp:menu_order")),
        password=_text(item, "wp:post_password"),
        is_sticky=_text(item, "wp:is_sticky").strip() == "1",
        attachment_url=_text(item, "wp:attachment_url").strip(),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def read_author(element: Element) -> Author:
    login = _text(element, "wp:author_login").strip()
    return Author(
        login=login,
        display_name=_text(element, "wp:author_display_name").strip() or login,
        email=_text(element, "wp:author_email").strip(),
    )


def read_term(element: Element) -> Term | None:
    """A <wp:category>, <wp:tag> or <wp:term> as a Term (None when it has no slug)."""
    tag = element.tag
    term_id = _int(_text(element, "wp:term_id"), default=-1)
    if tag == "wp:category":
        term = Term(
            "category", term_id, _text(element, "wp:category_nicename").strip(),
            _text(element, "wp:cat_name"), _text(element, "wp:category_parent").strip(),
            _text(element, "wp:category_description"),
        )  # fmt: skip
    elif tag == "wp:tag":
        term = Term(
            "post_tag", term_id, _text(element, "wp:tag_slug").strip(),
            _text(element, "wp:tag_name"), "", _text(element, "wp:tag_description"),
        )  # fmt: skip
    else:
        term = Term(
            _text(element, "wp:term_taxonomy").strip(), term_id,
            _text(element, "wp:term_slug").strip(), _text(element, "wp:term_name"),
            _text(element, "wp:term_parent").strip(), _text(element, "wp:term_description"),
        )  # fmt: skip
    if term.term_id == -1:
        term.term_id = None
    term.name = html.unescape(term.name).strip() or term.slug
    return term if term.slug else None


# Streaming ------------------------------------------------------------------------


class _Collector:
    """expat handlers that build one child of <channel> at a time."""

    def __init__(self) -> None:
        self.depth = 0
        self.root = ""
        self.in_channel = False
        self.saw_wordpress = False
        self.stack: list[Element] = []
        self.texts: list[list[str]] = []
        self.ready: list[Element] = []
        self.channel_fields: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def name(self, raw: str) -> str:
        known = self._names.get(raw)
        if known is not None:
            return known
        uri, _, local = raw.rpartition(" ")
        if not uri:
            result = local
        elif _WP.match(uri):
            result = f"wp:{local}"
            self.saw_wordpress = True
        elif _EXCERPT.match(uri):
            result = f"excerpt:{local}"
        elif uri in _PREFIXES:
            result = f"{_PREFIXES[uri]}:{local}"
        else:
            result = f"{{{uri}}}{local}"
        self._names[raw] = result
        return result

    def start(self, raw: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.root = self.name(raw)
            if self.root != "rss":
                raise WXRError(
                    f"This is an XML file, but not a WordPress export (it starts with "
                    f"<{self.root}>, not <rss>). Nothing was imported."
                )
            return
        if self.depth == 2:
            self.in_channel = self.name(raw) == "channel"
            return
        if not self.in_channel:
            return
        element = Element(self.name(raw), {self.name(k): v for k, v in attributes.items()})
        if self.stack:
            self.stack[-1].append(element)
        self.stack.append(element)
        self.texts.append([])

    def end(self, raw: str) -> None:
        self.depth -= 1
        if not self.stack or self.depth < 2:
            return
        element = self.stack.pop()
        parts = self.texts.pop()
        if parts:
            element.text = "".join(parts)
        if not self.stack:
            self.ready.append(element)

    def data(self, text: str) -> None:
        if self.texts:
            self.texts[-1].append(text)


def _refuse_entities(*args) -> None:
    raise UnsafeXMLError(
        "This file declares XML entities, which a WordPress export never does; it was "
        "refused as unsafe (an entity-expansion attack can exhaust the server's memory). "
        "Nothing was imported."
    )


def _refuse_external(*args) -> int:
    raise UnsafeXMLError(
        "This file refers to external XML resources, which a WordPress export never "
        "does; it was refused as unsafe. Nothing was imported."
    )


@dataclass
class ReadStats:
    bytes_read: int = 0
    control_characters_removed: int = 0


def read_export(path: str | Path, stats: ReadStats | None = None) -> Iterator[Element]:
    """Yield each child of <channel> (title, link, authors, terms, items) as it completes.

    Tags read as `wp:post_id`, `content:encoded`, `dc:creator`, `excerpt:encoded`
    whichever namespace URLs the file uses. Raises WXRError for a file that is not a
    complete, safe WordPress export; by then some records may have been yielded, so
    callers that must not write half an import read the file once before importing.
    """
    stats = stats if stats is not None else ReadStats()
    collector = _Collector()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK_SIZE
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.data
    at_end = False
    try:
        with open(path, "rb") as source:
            filter_controls = None
            while chunk := source.read(CHUNK_SIZE):
                stats.bytes_read += len(chunk)
                if filter_controls is None:
                    # Unless the file is UTF-16, control bytes are stray control characters.
                    filter_controls = chunk[:2] not in (b"\xff\xfe", b"\xfe\xff")
                if filter_controls:
                    cleaned = chunk.translate(None, _CONTROL_BYTES)
                    stats.control_characters_removed += len(chunk) - len(cleaned)
                    chunk = cleaned
                parser.Parse(chunk, False)
                if collector.ready:
                    yield from collector.ready
                    collector.ready.clear()
            at_end = True
            parser.Parse(b"", True)
            yield from collector.ready
            collector.ready.clear()
    except expat.ExpatError as error:
        raise WXRError(
            _describe_xml_error(error, started=bool(collector.root), at_end=at_end, stats=stats)
        ) from error
    except OSError as error:
        raise WXRError(f"The export cannot be read: {error}") from error
    if collector.root != "rss" or not collector.saw_wordpress:
        raise WXRError(
            "This is an XML file, but not a WordPress export (no WordPress export "
            "namespace, wordpress.org/export/). Export from Tools → Export in WordPress. "
            "Nothing was imported."
        )


def _describe_xml_error(
    error: expat.ExpatError, *, started: bool, at_end: bool, stats: ReadStats
) -> str:
    reason = expat.errors.messages.get(error.code, str(error))
    where = f"line {error.lineno}, column {error.offset}"
    if stats.bytes_read == 0:
        return "The file is empty, so it is not a WordPress export. Nothing was imported."
    if not started:
        return (
            f"This file is not XML, so it is not a WordPress export ({reason} at {where}). "
            "Nothing was imported."
        )
    if at_end:
        return (
            f"The export ends too early: it looks truncated ({reason} at {where}, after "
            f"{stats.bytes_read:,} bytes). Export it again, or copy the whole file. "
            "Nothing was imported."
        )
    return f"The export is damaged and cannot be read ({reason} at {where}). Nothing was imported."
