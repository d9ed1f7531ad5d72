"""Turn WordPress post content into the clean HTML a story body stores.

WordPress stores content half-finished and completes it on display: blank lines in the
classic editor's text become paragraphs (`wpautop`), shortcodes are expanded by
plugins, and the block editor keeps its structure in HTML comments. This module does
what WordPress would have done on display, as far as that makes sense without
WordPress: block comments removed, paragraphs made, [caption] as a figure, [gallery]
as a list of its images, embed blocks, [embed] shortcodes, iframes and bare URLs as a
link on a line of its own (nothing is fetched), unknown shortcodes removed and counted.

Given a `Library` (the import gives one: wordpress/importer/library.py), pictures,
galleries, audio and video whose files are in the uploads copy become the media
library's rows instead, placed as a paragraph of their own: image blocks and [caption]
→ `[image N]`, gallery blocks and [gallery] → `[gallery N]`, video and audio blocks
and [video]/[audio] → `[video N]`/`[audio N]`. What the library cannot take keeps the
HTML it would have had without one (a figure, a list of images, a link), and the
library counts it.
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
from typing import Protocol

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.embeds import find_embed
from articles.html import clean_html
from articles.text import html_to_line

from .summary import Tally

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
    # What the media library made, reused, or could not take (see `Library`).
    library: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class Placed:
    """A row of the media library a body places, and the caption it shows by itself."""

    pk: int
    caption: str = ""


class Library(Protocol):
    """Where the converter finds (or makes) the library rows for a body's media.

    Each method returns None when the file cannot be used (not an upload, not in the
    uploads copy, refused): the converter then keeps the HTML it had. Each counts what
    it did in `report.library`.
    """

    def image(
        self, url: str, *, alt: str, caption: str, report: BodyReport, title: str = ""
    ) -> Placed | None:
        """The library image of the upload at `url`; `alt` and `caption` fill its empty
        ones, and a new one is called `title` (the attachment's title)."""

    def gallery(
        self, title: str, caption: str, pictures: list[tuple[Placed, str]], report: BodyReport
    ) -> Placed:
        """A gallery of `pictures` ((image, caption shown under it) in order), made once."""

    def media(self, url: str, kind: str, *, caption: str, report: BodyReport) -> Placed | None:
        """The library audio or video file (`kind`) of the upload at `url`."""


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
# The blocks that become library rows. A gallery's nested image blocks are inside it:
# the backreference makes the gallery end at its own closing comment.
_MEDIA_BLOCK = re.compile(
    r"<!--\s*wp:(gallery|image|video|audio)(\s+\{(?:(?!-->).)*?\})?\s*-->"
    r"(.*?)<!--\s*/wp:\1\s*-->",
    re.DOTALL,
)
# One picture of a gallery or an image block: a figure that starts with its image
# (a gallery's own figure starts with its list or its blocks, so it never matches).
_PICTURE = re.compile(
    r"<figure\b[^>]*>\s*(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*<img\b", re.IGNORECASE)
_TAG_ATTRIBUTE = re.compile(
    r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-([0-9]{1,18})\b", re.ASCII)
_ATTACHMENT_ID = re.compile(r"^attachment_([0-9]{1,18})$", re.ASCII)
_PLAYER = re.compile(r"<(video|audio)\b", re.IGNORECASE)
_MEDIA_SOURCE = re.compile(r"<(?:video|audio|source)\b[^>]*>", re.IGNORECASE)
_GALLERY_CAPTION = re.compile(
    r"<figcaption\b[^>]*\bblocks-gallery-caption\b[^>]*>(.*?)</figcaption>",
    re.DOTALL | re.IGNORECASE,
)
# A library placement is written as a token the later steps leave alone (a shortcode
# step would read "[gallery 12]" as WordPress's [gallery]), then as its text at the end.
# The token's characters are removed from the post first, so no post can forge one.
_TOKEN_START, _TOKEN_END = "\ue000", "\ue001"
_TOKEN = re.compile("\ue000(gallery|image|audio|video) ([0-9]{1,18})\ue001")
# Our own placements in the text of a body (for the dek, which must not show them).
PLACEMENT_PARAGRAPH = re.compile(r"<p>\[(?:gallery|image|audio|video) [0-9]{1,18}\]</p>", re.ASCII)
# What library/placements.py would read as a placement, typed in the post itself: only
# the import places library rows, so these are removed (and counted).
_TYPED_PLACEMENT = re.compile(
    r"\[[ \t]*(gallery|image|audio|video)[ \t]+[0-9]+[ \t]*\]", re.IGNORECASE | re.ASCII
)
LINK_DROPPED = "the library's figure links nowhere (dropped)"
# An ID from a post is a WordPress ID only if it is ASCII digits and fits a bigint.
_ASCII_NUMBER = re.compile(r"[0-9]+", re.ASCII)
MAX_WP_ID = 2**63 - 1
AUDIO_EXTENSIONS = (".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav")
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".webm", ".ogv", ".mov")
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


def wp_ids(text: str) -> list[int]:
    """The IDs listed in a shortcode attribute ("12, 7"), in order: ASCII digits only,
    and no number too large to be an ID (not "١٢", not a thousand digits)."""
    return [
        int(number)
        for number in _ASCII_NUMBER.findall(text or "")
        if len(number) <= 19 and 0 < int(number) <= MAX_WP_ID
    ]


def _block_id(value) -> int | None:
    """An ID from a block's JSON attributes (a number, or a string of digits), if valid."""
    if isinstance(value, str):
        found = wp_ids(value) if value.strip().isascii() and value.strip().isdigit() else []
        return found[0] if found else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_WP_ID:
        return value
    return None


def _block_attributes(text: str | None) -> dict:
    try:
        attributes = json.loads(text or "{}")
    except ValueError:
        return {}
    return attributes if isinstance(attributes, dict) else {}


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one HTML start tag, unescaped ("" for a bare attribute's value)."""
    found = {}
    for match in _TAG_ATTRIBUTE.finditer(tag):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def _placement(kind: str, pk: int) -> str:
    return f"\n\n<p>{_TOKEN_START}{kind} {pk}{_TOKEN_END}</p>\n\n"


def _caption_paragraph(caption_html: str, placed: Placed) -> str:
    """The post's caption as a paragraph under a placement, when the library row shows
    another one (or none): the words are kept where the reader saw them."""
    if not html_to_line(caption_html) or html_to_line(caption_html) == placed.caption:
        return ""
    return format_html("<p>{}</p>\n\n", mark_safe(caption_html))  # noqa: S308


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
    returns None to keep the old address. `library`, if given, takes the body's
    pictures, galleries, audio and video into the media library (see `Library`).
    """

    def __init__(
        self,
        *,
        attachments: Mapping[int, Attachment],
        children: Mapping[int, list[int]],
        media_url: Callable[[str], str | None],
        library: Library | None = None,
    ) -> None:
        self.attachments = attachments
        self.children = children
        self.media_url = media_url
        self.library = library

    def convert(self, raw: str, *, post_id: int, report: BodyReport, title: str = "") -> str:
        """Clean, sanitised HTML for the body of the story that post `post_id` (titled
        `title`, the name its galleries get) becomes."""
        text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace(_TOKEN_START, "").replace(_TOKEN_END, "")
        uses_blocks = "<!-- wp:" in text
        self._title = title or f"WordPress post {post_id}"

        def drop_block_comment(match: re.Match) -> str:
            if match.group(4):  # a self-closing block is rendered by PHP: nothing to keep
                report.blocks_removed[match.group(2)] += 1
            return ""

        text = self._embed_blocks(text, report)
        if self.library is not None:
            text = self._media_blocks(text, report=report)
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
        body = _tidy(clean_html(text))
        if "[" in body:

            def drop_typed(match: re.Match) -> str:
                report.shortcodes_removed[f"{match[1].lower()} N (a library placement)"] += 1
                return ""

            body = _tidy(_TYPED_PLACEMENT.sub(drop_typed, body))
        return _TOKEN.sub(r"[\1 \2]", body)

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

    def _media_blocks(self, text: str, *, report: BodyReport) -> str:
        """Gallery, image, video and audio blocks as library placements, where the
        library can take their files; the others are left as they were saved."""

        def replace(match: re.Match) -> str:
            name, attributes, saved = match.group(1), _block_attributes(match.group(2)), match[3]
            if name == "gallery":
                placed = self._gallery_block(attributes, saved, report=report)
            elif name == "image":
                placed = self._image_block(attributes, saved, report=report)
            else:
                placed = self._media_block(name, attributes, saved, report=report)
            return saved if placed is None else placed

        text = _MEDIA_BLOCK.sub(replace, text)
        # A player elsewhere (a media-and-text or cover block) is not allowed in a body:
        # the sanitiser removes it, so say so.
        for tag in _PLAYER.findall(text):
            report.library.skip(tag.lower(), "a player outside a video or audio block (removed)")
        return text

    def _picture(
        self, img: str, *, wp_id: int | None, caption_html: str, report: BodyReport
    ) -> Placed | None:
        """The library image for one picture of the post (its <img> tag, its attachment)."""
        found = tag_attributes(img)
        if wp_id is None:
            numbered = _WP_IMAGE_CLASS.search(found.get("class", ""))
            wp_id = _block_id(found.get("data-id", "")) or (
                int(numbered.group(1)) if numbered else None
            )
        attachment = self.attachments.get(wp_id or 0)
        # The attachment's own file, not the resized copy the post shows.
        url = attachment.url if attachment and attachment.is_image else found.get("src", "")
        alt = found.get("alt", "") or (attachment.alt if attachment else "")
        caption = html_to_line(caption_html) or (attachment.caption if attachment else "")
        title = attachment.title if attachment else ""
        return self.library.image(url, alt=alt, caption=caption, report=report, title=title)

    def _image_block(self, attributes: dict, saved: str, *, report: BodyReport) -> str | None:
        img = _IMG.search(saved)
        if img is None:
            return None
        caption = _FIGCAPTION.search(saved)
        caption_html = caption.group(1) if caption else ""
        placed = self._picture(
            img.group(0), wp_id=_block_id(attributes.get("id")), caption_html=caption_html,
            report=report,
        )  # fmt: skip
        if placed is None:
            return None
        if _LINKED_IMG.search(saved):
            report.library.skip("image link", LINK_DROPPED)
        return _placement("image", placed.pk) + _caption_paragraph(caption_html, placed)

    def _gallery_block(self, attributes: dict, saved: str, *, report: BodyReport) -> str | None:
        pictures = []
        for figure in _PICTURE.finditer(saved):
            caption = _FIGCAPTION.search(figure.group(2))
            caption_html = caption.group(1) if caption else ""
            placed = self._picture(figure.group(1), wp_id=None, caption_html=caption_html,
                                   report=report)  # fmt: skip
            if placed is not None:
                pictures.append((placed, html_to_line(caption_html)))
        if not pictures and not _PICTURE.search(saved):
            # Saved with its IDs only (an old block): the attachments' own captions.
            ids = attributes.get("ids") if isinstance(attributes.get("ids"), list) else []
            for wp_id in filter(None, map(_block_id, ids)):
                attachment = self.attachments.get(wp_id)
                placed = self._attachment_picture(attachment, report=report)
                if placed is not None:
                    pictures.append((placed, placed.caption))
        if not pictures:
            return None
        caption = _GALLERY_CAPTION.search(saved)
        return self._place_gallery(pictures, caption.group(1) if caption else "", report=report)

    def _attachment_picture(
        self, attachment: Attachment | None, *, report: BodyReport
    ) -> Placed | None:
        if attachment is None or not attachment.is_image:
            report.gallery_images_missing += 1
            return None
        return self.library.image(
            attachment.url, alt=attachment.alt, caption=attachment.caption, report=report,
            title=attachment.title,
        )  # fmt: skip

    def _place_gallery(
        self, pictures: list[tuple[Placed, str]], caption_html: str, *, report: BodyReport
    ) -> str:
        # Readers see the title above the pictures: every gallery of a post is named after
        # it (a post that shows the same gallery twice places one gallery twice).
        placed = self.library.gallery(
            Truncator(self._title).chars(255), Truncator(html_to_line(caption_html)).chars(500),
            pictures, report,
        )  # fmt: skip
        return _placement("gallery", placed.pk)

    def _media_block(self, kind: str, attributes: dict, saved: str, *, report: BodyReport) -> str:
        attachment = self.attachments.get(_block_id(attributes.get("id")) or 0)
        url = attachment.url if attachment else ""
        if not url:
            url = next(
                (tag_attributes(tag).get("src", "") for tag in _MEDIA_SOURCE.findall(saved)
                 if tag_attributes(tag).get("src")),
                "",
            )  # fmt: skip
        caption = _FIGCAPTION.search(saved)
        return self._place_media(kind, url, caption.group(1) if caption else "", report=report)

    def _place_media(self, kind: str, url: str, caption_html: str, *, report: BodyReport) -> str:
        """`[audio N]`/`[video N]` for a file the library takes, else a link to it."""
        url = html.unescape(url.strip())
        if not url:
            report.library.skip(kind, "no file address (dropped)")
            return ""
        placed = self.library.media(url, kind, caption=html_to_line(caption_html), report=report)
        if placed is None:
            paragraph = _link_paragraph(url)
            if not paragraph:
                report.library.skip(kind, "no file address (dropped)")
            return paragraph + (
                format_html("<p>{}</p>\n\n", mark_safe(caption_html))  # noqa: S308
                if paragraph and html_to_line(caption_html) else ""
            )  # fmt: skip
        return _placement(kind, placed.pk) + _caption_paragraph(caption_html, placed)

    def _first_child(self, post_id: int, kind: str) -> str:
        """What WordPress plays for an [audio] or [video] without a file: the post's first
        attached file of that kind."""
        extensions = AUDIO_EXTENSIONS if kind == "audio" else VIDEO_EXTENSIONS
        children = [self.attachments[i] for i in self.children.get(post_id, [])]
        children.sort(key=lambda a: (a.menu_order, a.wp_id))
        for child in children:
            if child.url.split("?", 1)[0].lower().endswith(extensions):
                return child.url
        return ""

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
                if name in {"audio", "video"} and self.library is not None:
                    if not url and not positional:
                        url = self._first_child(post_id, name)
                    return self._place_media(name, url, "", report=report)
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
        if self.library is not None:
            numbered = _ATTACHMENT_ID.match(named.get("id", "").strip())
            placed = self._picture(
                _IMG.search(media).group(0),
                wp_id=_block_id(numbered.group(1)) if numbered else None,
                caption_html=caption, report=report,
            )  # fmt: skip
            if placed is not None:
                if _LINKED_IMG.search(media):
                    report.library.skip("image link", LINK_DROPPED)
                return _placement("image", placed.pk) + _caption_paragraph(caption, placed)
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
            ids = wp_ids(listed)
        else:
            children = [self.attachments[i] for i in self.children.get(post_id, [])]
            children.sort(key=lambda a: (a.menu_order, a.wp_id))
            ids = [a.wp_id for a in children if a.is_image]
        excluded = set(wp_ids(named.get("exclude", "")))
        if self.library is not None:
            pictures = []
            for wp_id in ids:
                if wp_id not in excluded:
                    placed = self._attachment_picture(self.attachments.get(wp_id), report=report)
                    if placed is not None:
                        pictures.append((placed, placed.caption))
            if pictures:
                return self._place_gallery(pictures, "", report=report)
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
        opening = _FIGURE.sub(" ", PLACEMENT_PARAGRAPH.sub(" ", body_html[: limit * 8]))
        opening = opening[: opening.rfind(">") + 1] if len(body_html) > limit * 8 else opening
        text = Truncator(plain_text(opening)).words(words, truncate="…")
    return Truncator(text).chars(limit, truncate="…")
