"""Library images, galleries, audio and video placed in a story's body.

An editor places one with the body editor's "Insert image" button (which writes the
line), or by typing or pasting, from its page on the desk, a line of its own:
`[image 7]`, `[gallery 12]`, `[audio 3]` or `[video 4]`. The body stores exactly that
text in a paragraph, so an inline image always shows the library image's current
renditions, alt text, caption and credit. Why text and not a link to the desk page, or markup:

- The body editor (Tiptap) round-trips a plain paragraph unharmed, the sanitiser
  (articles/html.py) has nothing to strip, and no one can smuggle a <video> or a
  <track> into the body: the markup is made here, from the library's rows.
- A desk address would leak the admin's URL into feeds and newsletters, where readers
  would meet a login page; `[gallery 12]` says plainly what belongs there.

Only the story page (and its previews) swap the line for the rendered markup. The
references are collected from the body first and loaded in a fixed number of queries
(`load`): one for images, one for galleries, one for their pictures, one for audio and
video files, and none when the body places nothing, whatever the number of placements.

A reference to a gallery or file that does not exist (or no longer does) renders
nothing. Only ASCII digits count (`[gallery ١٢]` stays text), and numbers are capped,
so no reference can reach the database as an out-of-range integer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.html import replace_matches, top_level_paragraphs, top_level_pattern
from articles.images import PAGE_IMAGE_WIDTH

# Paragraphs at the top level of the body only (as embeds: articles/embeds.py), so a
# reference quoted inside a list or a quotation is left as text.
_PARAGRAPH = top_level_pattern(
    r"<p>[ \t\n]*\[[ \t]*(?P<kind>image|gallery|audio|video)[ \t]+(?P<number>[0-9]{1,18})"
    r"[ \t]*\][ \t\n]*</p>",
    re.IGNORECASE | re.ASCII,
)
# The largest id a BigAutoField holds: a larger number is no row's.
MAX_ID = 2**63 - 1

# The widths a gallery picture is shown at in the grid (CSS: static/css/site.css).
GRID_IMAGE_WIDTH = 480
GRID_SIZES = "(min-width: 48rem) 20rem, 50vw"
# An inline image is shown as the lead image is: the text column's width and sizes.
INLINE_IMAGE_WIDTH = PAGE_IMAGE_WIDTH


def _references(body: str):
    """(match, kind, id) of each top-level paragraph that is only a reference."""
    for token in top_level_paragraphs(_PARAGRAPH, body):
        number = int(token["number"])
        yield token, token["kind"].lower(), (number if 0 < number <= MAX_ID else None)


def without_placements(body: str) -> str:
    """`body` without its reference paragraphs: the words a reader reads, for the plain
    text that search and teasers' excerpts are made from ("[gallery 12]" is neither)."""
    if not body or "[" not in body:
        return body
    return replace_matches(body, [(token, "") for token, _, _ in _references(body)])


def referenced_ids(body: str) -> dict[str, set[int]]:
    """The ids `body` places, by kind: {"image": {...}, "gallery": {...}, "media": {...}}
    (audio and video are both library media files)."""
    found: dict[str, set[int]] = {"image": set(), "gallery": set(), "media": set()}
    if "[" not in (body or ""):
        return found
    for _, kind, number in _references(body):
        if number is not None:
            found[kind if kind in found else "media"].add(number)
    return found


def referenced_image_ids(body: str) -> set[int]:
    """The library images placed inline in `body` (what Story.save records as used)."""
    return referenced_ids(body)["image"]


def stories_placing(kind: str, pk: int):
    """Stories (any status, drafts too) whose body places `[kind pk]`: a search of the
    bodies, for the desk and for purges, never for a public page."""
    from articles.models import Story

    # The same shape library/placements.py reads: spaces allowed, any letter case
    # (\s means the same to PostgreSQL's regular expressions and to Python's, SQLite's).
    pattern = rf"\[\s*{kind}\s+0*{int(pk)}\s*\]"
    return Story._base_manager.filter(body__iregex=pattern).only("pk", "headline")


@dataclass
class Placements:
    """The galleries and files a body places, loaded: what `render` needs."""

    images: dict[int, object] = field(default_factory=dict)
    galleries: dict[int, object] = field(default_factory=dict)
    media: dict[int, object] = field(default_factory=dict)


def load(body: str) -> Placements:
    """Load what `body` places: no query without a reference; with some, one for the
    images, one for the galleries, one for their pictures (with the images), one for
    audio and video."""
    from library.media import Gallery, GalleryImage, MediaFile
    from library.models import Image

    ids = referenced_ids(body)
    image_ids, gallery_ids, media_ids = ids["image"], ids["gallery"], ids["media"]
    placements = Placements()
    if image_ids:
        placements.images = {image.pk: image for image in Image.objects.filter(pk__in=image_ids)}
    if gallery_ids:
        items = GalleryImage.objects.select_related("image").order_by("position", "pk")
        placements.galleries = {
            gallery.pk: gallery
            for gallery in Gallery.objects.filter(pk__in=gallery_ids).prefetch_related(
                Prefetch("items", queryset=items)
            )
        }
    if media_ids:
        placements.media = {f.pk: f for f in MediaFile.objects.filter(pk__in=media_ids)}
    return placements


def render(body: str, placements: Placements | None = None) -> str:
    """`body` (sanitised HTML) with each reference replaced by its markup; a reference
    to nothing that exists is removed."""
    if not body or "[" not in body:
        return body
    found = list(_references(body))
    if not found:
        return body
    if placements is None:
        placements = load(body)
    shown: dict[int, int] = {}  # times each gallery is shown: its heading's id is unique

    def markup(kind: str, number: int | None) -> str:
        if kind == "image":
            image = placements.images.get(number)
            return render_image(image) if image is not None else ""
        if kind == "gallery":
            gallery = placements.galleries.get(number)
            if gallery is None:
                return ""
            shown[number] = shown.get(number, 0) + 1
            return render_gallery(gallery, occurrence=shown[number])
        media = placements.media.get(number)
        # `[audio 4]` places file 4 only if it is audio: a typo shows nothing.
        ok = media is not None and media.kind == kind and media.file
        return render_media(media) if ok else ""

    replaced = replace_matches(body, [(token, markup(k, n)) for token, k, n in found])
    return mark_safe(replaced)  # noqa: S308 - sanitised body, markup by format_html


# Markup -----------------------------------------------------------------------------


def _picture(item) -> str:
    image = item.image
    width, height = image.display_size(GRID_IMAGE_WIDTH)
    pairs = image.srcset()
    src = image.rendition_url(f"w{GRID_IMAGE_WIDTH}") or (image.file.url if image.file else "")
    if not src:
        return ""
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((mime, srcset, GRID_SIZES) for mime, srcset in image.picture_sources()),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        ' loading="lazy" decoding="async"></picture>',
        sources,
        src,
        ", ".join(f"{url} {w}w" for url, w in pairs),
        GRID_SIZES,
        width or "",
        height or "",
        image.alt_text,
    )


def render_image(image) -> str:
    """An inline image: a <figure> with the library image's renditions (AVIF and WebP
    sources, a JPEG/PNG fallback with srcset, width and height), its alt text, and its
    caption and credit as they are in the library now; the lead image's markup."""
    from articles.markup import picture_figure  # it reads articles.models, which read us

    if not image.file:
        return ""
    return picture_figure(
        "inline-image",
        url=image.rendition_url(f"w{INLINE_IMAGE_WIDTH}") or image.file.url,
        sources=image.picture_sources(),
        srcset=image.srcset(),
        size=image.display_size(INLINE_IMAGE_WIDTH),
        alt=image.alt_text,
        caption=image.caption,
        credit=image.credit,
        eager=False,
    )


def render_gallery(gallery, occurrence: int = 1) -> str:
    """An accessible grid: a list of figures, each with its caption and credit. It
    needs no JavaScript; each picture links to its largest rendition."""
    items = [item for item in gallery.items.all() if item.image.file]
    if not items:
        return ""
    figures = []
    for item in items:
        picture = _picture(item)
        if not picture:
            continue
        image = item.image
        largest = image.srcset()[-1][0] if image.srcset() else image.file.url
        caption = item.shown_caption
        credit = (
            format_html(' <small class="gallery__credit">{}</small>', image.credit)
            if image.credit
            else ""
        )
        figcaption = (
            format_html('<figcaption class="gallery__caption">{}{}</figcaption>', caption, credit)
            if caption or credit
            else ""
        )
        figures.append(
            format_html(
                '<li class="gallery__item"><figure><a href="{}">{}</a>{}</figure></li>',
                largest,
                picture,
                figcaption,
            )
        )
    if not figures:
        return ""
    heading_id = f"gallery-{gallery.pk}-title" + (f"-{occurrence}" if occurrence > 1 else "")
    caption = (
        format_html('<p class="gallery__summary">{}</p>', gallery.caption)
        if gallery.caption
        else ""
    )
    return format_html(
        '<section class="gallery" aria-labelledby="{}">'
        '<h2 class="gallery__title" id="{}">{}</h2>'
        '<ul class="gallery__grid" role="list">{}</ul>{}</section>',
        heading_id,
        heading_id,
        gallery.title,
        mark_safe("".join(figures)),  # noqa: S308 - each made by format_html
        caption,
    )


def _cross_origin() -> bool:
    # A captions track from another origin loads only with CORS (docs/editors-guide.md).
    return str(settings.MEDIA_URL).startswith(("http://", "https://"))


def render_media(media) -> str:
    """<figure> with a native player; the captions track, if any, is on by default."""
    track = ""
    if media.captions:
        track = format_html(
            '<track kind="captions" srclang="en" label="English" src="{}" default>',
            media.captions.url,
        )
    crossorigin = mark_safe(' crossorigin="anonymous"') if track and _cross_origin() else ""
    source = format_html('<source src="{}" type="{}">', media.file.url, media.mime_type)
    fallback = format_html('<a href="{}">Download “{}”</a>', media.file.url, media.title)
    if media.kind == "audio":
        player = format_html(
            '<audio controls preload="none"{}>{}{}{}</audio>', crossorigin, source, track, fallback
        )
    else:
        player = format_html(
            '<video controls preload="metadata" playsinline{}>{}{}{}</video>',
            crossorigin,
            source,
            track,
            fallback,
        )
    credit = (
        format_html(' <small class="media__credit">{}</small>', media.credit)
        if media.credit
        else ""
    )
    words = media.caption or media.title
    figcaption = format_html("<figcaption>{}{}</figcaption>", words, credit) if words else ""
    return format_html(
        '<figure class="media media--{}">{}{}</figure>', media.kind, player, figcaption
    )
