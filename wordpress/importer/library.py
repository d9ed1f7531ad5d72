"""The media library's side of a body conversion: the rows a post's pictures, galleries,
audio and video become (`wordpress.content.Library`).

Nothing is made twice, so a second import (or a post updated in WordPress) finds what
the first made:

- an image is the library's image of the same stored file, or of the same bytes
  (sha256, as for featured images), else a new one pointing at the stored copy;
- an audio or video file is the library's file stored under the same name, or one of
  the same size and bytes, else a new one pointing at the stored copy;
- a gallery is an existing gallery of the same title, caption and pictures in the same
  order with the same captions, else a new one.

A new row takes the post's alt text and caption; a row found again gets them only
where its own are empty (an editor's words are never replaced). Every call is counted
in the body's report: created, updated (an empty caption or alt filled), unchanged
(reused), or skipped with the reason (the file is not an upload, not in the uploads
copy, or refused by the library's checks), so the summary accounts for each one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from library.media import MEDIA_TYPES, Gallery, GalleryImage, MediaFile, default_kind, extension_of
from library.models import Image, sha256_of, title_from_file_name

from ..content import BodyReport, Placed
from ..media import MediaLibrary

NOT_AN_UPLOAD = "not an upload of the site (old address kept)"
NOT_FOUND = "not found in the uploads folder (old address kept)"
REFUSED = "refused by the library's checks (see Files refused; old address kept)"
MEDIA_NOT_AN_UPLOAD = "not an upload of the site (kept as a link)"
MEDIA_NOT_FOUND = "not found in the uploads folder (kept as a link)"
MEDIA_REFUSED = "refused by the library's checks (see Files refused; kept as a link)"


def library_image(
    name: str, *, digest: str, width=None, height=None, alt: str = "", caption: str = "",
    title: str = "", uploaded_by=None,
) -> tuple[Image, bool]:  # fmt: skip
    """The library image of stored file `name` (or of the same bytes), and whether it is
    new. A new one is inserted, not saved: the import makes its renditions itself."""
    image = Image.objects.filter(file=name).first()
    if image is None and digest:
        image = Image.objects.filter(sha256=digest).order_by("pk").first()
    if image is not None:
        return image, False
    (image,) = Image.objects.bulk_create(
        [
            Image(
                file=name, title=Truncator(title).chars(255) or title_from_file_name(name),
                width=width, height=height,
                alt_text=Truncator(alt).chars(300), caption=Truncator(caption).chars(500),
                sha256=digest, uploaded_by=uploaded_by,
            )
        ]
    )  # fmt: skip
    return image, True


class LibraryWriter:
    """Finds or makes the library rows one import's bodies place (see the module)."""

    def __init__(self, media: MediaLibrary, *, created_by=None) -> None:
        self.uploads = media
        self.created_by = created_by
        # New images, whose renditions the import makes at its end.
        self.new_image_ids: list[int] = []

    def image(
        self, url: str, *, alt: str, caption: str, report: BodyReport, title: str = ""
    ) -> Placed | None:
        relative = self.uploads.relative_path(url) if url else None
        if relative is None:
            report.library.skip("library_image", NOT_AN_UPLOAD)
            return None
        try:
            stored = self.uploads.image(relative)
        except FileNotFoundError:
            self.uploads.note_missing(relative)
            report.library.skip("library_image", NOT_FOUND)
            return None
        except ValidationError:
            report.library.skip("library_image", REFUSED)
            return None
        alt, caption = _line(alt, 300), _line(caption, 500)
        image, created = library_image(
            stored.name, digest=self.uploads.sha256(relative), width=stored.width,
            height=stored.height, alt=alt, caption=caption, title=_line(title, 255),
            uploaded_by=self.created_by,
        )  # fmt: skip
        if created:
            self.new_image_ids.append(image.pk)
            report.library.add("library_image", "created")
        else:
            filled = _fill(image, alt_text=alt, caption=caption)
            report.library.add("library_image", "updated" if filled else "unchanged")
        return Placed(image.pk, image.caption)

    def gallery(
        self, title: str, caption: str, pictures: list[tuple[Placed, str]], report: BodyReport
    ) -> Placed:
        # A picture's own caption is shown when the gallery's is empty: store only a different one.
        wanted = [(p.pk, "" if shown == p.caption else _line(shown, 500)) for p, shown in pictures]
        for gallery in Gallery.objects.filter(title=title, caption=caption).prefetch_related(
            "items"
        ):
            if [(item.image_id, item.caption) for item in gallery.items.all()] == wanted:
                report.library.add("gallery", "unchanged")
                return Placed(gallery.pk, gallery.caption)
        gallery = Gallery.objects.create(title=title, caption=caption, created_by=self.created_by)
        GalleryImage.objects.bulk_create(
            GalleryImage(gallery=gallery, image_id=image_id, position=position, caption=shown)
            for position, (image_id, shown) in enumerate(wanted)
        )
        report.library.add("gallery", "created")
        return Placed(gallery.pk, gallery.caption)

    def media(self, url: str, kind: str, *, caption: str, report: BodyReport) -> Placed | None:
        relative = self.uploads.relative_path(url)
        if relative is None:
            report.library.skip(kind, MEDIA_NOT_AN_UPLOAD)
            return None
        try:
            stored = self.uploads.media_file(relative)
        except FileNotFoundError:
            self.uploads.note_missing(relative)
            report.library.skip(kind, MEDIA_NOT_FOUND)
            return None
        except ValidationError:
            report.library.skip(kind, MEDIA_REFUSED)
            return None
        caption = _line(caption, 500)
        found = self._same_media(stored.name, stored.size, self.uploads.sha256(relative))
        if found is not None:
            filled = _fill(found, caption=caption)
            report.library.add(kind, "updated" if filled else "unchanged")
            return Placed(found.pk, found.caption)
        kinds = MEDIA_TYPES.get(extension_of(stored.name), ("", {}))[1]
        made = MediaFile(
            file=stored.name,  # the stored copy: no bytes are copied again
            kind=kind if kind in kinds else default_kind(kinds),
            title=title_from_file_name(stored.name),
            caption=caption,
            size=stored.size,
            uploaded_by=self.created_by,
        )
        made.save()
        report.library.add(kind, "created")
        return Placed(made.pk, made.caption)

    @staticmethod
    def _same_media(name: str, size: int, digest: str) -> MediaFile | None:
        """The library's file stored as `name`, or one of the same size and bytes (files
        are large: only those of the same size are read)."""
        found = MediaFile.objects.filter(file=name).first()
        if found is not None or not digest:
            return found
        for candidate in MediaFile.objects.filter(size=size).order_by("pk")[:20]:
            if sha256_of(candidate.file) == digest:
                return candidate
        return None


def _line(text: str, limit: int) -> str:
    return Truncator(" ".join((text or "").split())).chars(limit)


def _fill(row, **words: str) -> bool:
    """Give `row` the words whose fields it has empty; True if any was filled."""
    empty = {name: value for name, value in words.items() if value and not getattr(row, name)}
    if not empty:
        return False
    type(row).objects.filter(pk=row.pk).update(**empty)  # not saved: no renditions remade
    for name, value in empty.items():
        setattr(row, name, value)
    return True
