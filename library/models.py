"""The media library's images: one upload, reused by any number of stories.

An image holds the words a story shows with it by default (alt text, caption, credit;
a story may override each), where it came from, who uploaded it and when, its size,
and the focal point the crops are centred on. Anything that uses an image points at it
with a ForeignKey with on_delete=PROTECT: an image in use cannot be deleted, and
`usages()` lists its users, whatever kind of object they are.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from imagekit.models import ImageSpecField
from imagekit.utils import call_strategy_method
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.images import IMAGE_EXTENSIONS, LEAD_IMAGE_WIDTHS, validate_image_file
from library import renditions

logger = logging.getLogger(__name__)

# A stored name's readable part is cut to this length (the random suffix keeps it unique).
STORED_NAME_LENGTH = 60


def stored_name(instance, filename: str) -> str:
    """library/<year>/<month>/<ascii-slug-of-the-name>-<random>.<ext>: nothing an
    uploader types reaches the storage's path (no dots, slashes, spaces or accents), and
    two uploads of "photo.jpg" never collide (nor can one guess the other's address)."""
    stem, extension = os.path.splitext(os.path.basename(filename))
    extension = extension.lower().lstrip(".")
    if extension not in IMAGE_EXTENSIONS:
        extension = "jpg"
    readable = slugify(stem)[:STORED_NAME_LENGTH].strip("-") or "image"
    return timezone.now().strftime(f"library/%Y/%m/{readable}-{secrets.token_hex(4)}.{extension}")


def title_from_file_name(filename: str) -> str:
    stem = os.path.splitext(os.path.basename(filename))[0]
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:255] or "Untitled image"


def sha256_of(file) -> str:
    """The hex SHA-256 of a file's bytes, "" if it cannot be read (a lost original)."""
    digest = hashlib.sha256()
    try:
        file.open("rb")
        try:
            for chunk in file.chunks():
                digest.update(chunk)
        finally:
            if hasattr(file, "seek"):
                file.seek(0)
    except (OSError, ValueError) as error:
        logger.warning("Could not read %s to hash it: %s", getattr(file, "name", file), error)
        return ""
    return digest.hexdigest()


class ImageTag(TaggedItemBase):
    """Links a library image to a tag (the same tags as stories')."""

    content_object = models.ForeignKey(
        "Image", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_image_tag")
        ]


def _fraction_validators():
    return [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def unused(self):
        """Images nothing uses (no row of any PROTECTing relation points at them)."""
        query = self
        for relation in Image.usage_relations():
            users = relation.related_model._base_manager.filter(
                **{relation.field.name: OuterRef("pk")}
            )
            query = query.filter(~Exists(users))
        return query


class Image(models.Model):
    file = models.ImageField(
        upload_to=stored_name,
        max_length=255,
        width_field="width",
        height_field="height",
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_file],
        help_text="A JPEG, PNG, GIF or WebP image.",
    )
    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="For finding the image in the library; left empty, the file's name.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it (a story may "
        "say it differently).",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    copyright = models.CharField(
        "copyright / source",
        max_length=300,
        blank=True,
        help_text="Who holds the rights, and the terms: e.g. “© Reuters, licensed for web”.",
    )
    tags = TaggableManager(through=ImageTag, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_images",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    focal_point_x = models.FloatField(
        "focal point (across)",
        null=True,
        blank=True,
        validators=_fraction_validators(),
        help_text="0 is the left edge, 1 the right; empty is the centre. Click the picture.",
    )
    focal_point_y = models.FloatField(
        "focal point (down)",
        null=True,
        blank=True,
        validators=_fraction_validators(),
        help_text="0 is the top edge, 1 the bottom; empty is the centre.",
    )
    # The bytes' fingerprint: an import that meets the same picture again reuses it.
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = ImageQuerySet.as_manager()

    # Renditions: one ImageSpecField per size and format (library.renditions),
    # attached below the class as rendition_<size>_<kind>.

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_point_x__isnull=True)
                | models.Q(focal_point_x__gte=0, focal_point_x__lte=1),
                name="image_focal_x_is_a_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(focal_point_y__isnull=True)
                | models.Q(focal_point_y__gte=0, focal_point_y__lte=1),
                name="image_focal_y_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.title or title_from_file_name(self.file.name or "")

    def save(self, *args, **kwargs):
        new_file = bool(self.file) and not getattr(self.file, "_committed", True)
        if not self.title and self.file:
            self.title = title_from_file_name(self.file.name)
        if new_file:
            self.sha256 = sha256_of(self.file)
        focal_moved = self.pk is not None and getattr(
            self, "_loaded_focal_point", (None, None)
        ) != (self.focal_point_x, self.focal_point_y)
        super().save(*args, **kwargs)
        self._loaded_focal_point = (self.focal_point_x, self.focal_point_y)
        # imagekit remakes every rendition when the file changes; a moved focal point
        # changes only the crops, which it does not notice: they go through the same
        # strategy (made now, or queued), under their new names.
        if focal_moved and not new_file and self.file:
            for rendition in self.renditions(focal_point_only=True):
                call_strategy_method(rendition, "on_source_saved")

    @classmethod
    def from_db(cls, db, field_names, values):
        # The focal point as loaded, so save() knows when the crops must be remade.
        instance = super().from_db(db, field_names, values)
        instance._loaded_focal_point = (
            instance.__dict__.get("focal_point_x"),
            instance.__dict__.get("focal_point_y"),
        )
        return instance

    # Renditions.

    def renditions(self, focal_point_only: bool = False) -> list:
        """Every rendition (imagekit cache files), or only the focal-point crops."""
        return [
            getattr(self, renditions.field_name(size, kind))
            for size in renditions.SIZES
            if not focal_point_only or renditions.depends_on_focal_point(size)
            for kind in renditions.KINDS
        ]

    def generate_renditions(self, force: bool = False) -> None:
        """Make every rendition now (a task queue's strategy calls this); a file already
        in storage is kept unless `force`. Storage itself is asked, not imagekit's cached
        record of it, so a lost rendition is made again."""
        for rendition in self.renditions():
            if force or not rendition.storage.exists(rendition.name):
                rendition.generate(force=True)

    def rendition_url(self, size: str, kind: str = "fallback") -> str:
        """The URL of one rendition, without touching storage."""
        return renditions.rendition_url(self, size, kind)

    def srcset(self, kind: str = "fallback") -> list[tuple[str, int]]:
        """(url, width) pairs of the widths a picture is offered in, never wider than
        the original; [] if a rendition's URL cannot be worked out."""
        if not self.file or not self.width:
            return []
        pairs: list[tuple[str, int]] = []
        for width in LEAD_IMAGE_WIDTHS:
            actual = min(width, self.width)
            if pairs and pairs[-1][1] == actual:
                break
            url = self.rendition_url(f"w{width}", kind)
            if not url:
                return []
            pairs.append((url, actual))
        return pairs

    def picture_sources(self) -> list[tuple[str, str]]:
        """(MIME type, srcset) of each modern format, best first, for <source> elements."""
        sources = []
        for kind in reversed(renditions.KINDS[1:]):  # AVIF before WebP: smaller
            pairs = self.srcset(kind)
            if pairs:
                sources.append(
                    (renditions.MIME_TYPES[kind], ", ".join(f"{u} {w}w" for u, w in pairs))
                )
        return sources

    def display_size(self, width: int) -> tuple[int, int]:
        """Width and height of the picture shown at most `width` wide (img attributes)."""
        if not self.width or not self.height:
            return (0, 0)
        shown = min(width, self.width)
        return (shown, round(self.height * shown / self.width))

    @property
    def focal_point(self) -> tuple[float, float]:
        x, y = self.focal_point_x, self.focal_point_y
        return (0.5 if x is None else x, 0.5 if y is None else y)

    # Where it is used.

    @staticmethod
    def usage_relations() -> list:
        """The relations that use images: every ForeignKey to Image that PROTECTs it
        (tags, which CASCADE, are the image's own)."""
        return [
            relation
            for relation in Image._meta.related_objects
            if relation.on_delete is models.PROTECT
        ]

    def usages(self) -> list[models.Model]:
        """Everything that uses this image (one query per kind of user); a row that
        stands for something else (a story body's inline image: `used_by`) is named by
        that, and each user once."""
        found: list[models.Model] = []
        for relation in self.usage_relations():
            rows = relation.related_model._base_manager.filter(**{relation.field.name: self})
            if hasattr(relation.related_model, "used_by"):
                rows = rows.select_related(*_used_by_relations(relation.related_model))
            for row in rows:
                user = getattr(row, "used_by", row)
                if user not in found:
                    found.append(user)
        return found

    def is_in_use(self) -> bool:
        return any(
            relation.related_model._base_manager.filter(**{relation.field.name: self}).exists()
            for relation in self.usage_relations()
        )


def _used_by_relations(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "image"]


for _size in renditions.SIZES:
    for _kind in renditions.KINDS:
        ImageSpecField(source="file", spec=renditions.spec_class(_size, _kind)).contribute_to_class(
            Image, renditions.field_name(_size, _kind)
        )

from library.media import Gallery, GalleryImage, MediaFile  # noqa: E402, F401 -- galleries, audio, video
