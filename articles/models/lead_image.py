"""A story's lead image: a picture from the media library, and the story's own words
for it (alt text, caption, credit), each of which overrides the library's when filled.

Renditions belong to the library image (library.renditions): made by a task queued when
it is uploaded or changed (background/renditions.py), never on a page view. Pages read
their URLs, worked out without storage; the image comes in the story's own query
(select_related), whatever the page.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property

from articles.images import PAGE_IMAGE_WIDTH, SOCIAL_IMAGE_WIDTH, TEASER_SIZE


class LeadImage(models.Model):
    """The lead-image fields of `Story` (an abstract base: the columns are the story's)."""

    lead_image = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        # An image a story shows cannot be deleted from the library.
        on_delete=models.PROTECT,
        related_name="lead_image_stories",
        help_text="Choose a picture from the media library, or upload a new one below.",
    )
    lead_image_alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Leave empty to "
        "use the library's alt text.",
    )
    lead_image_caption = models.CharField(
        "caption", max_length=500, blank=True, help_text="Leave empty to use the library's."
    )
    lead_image_credit = models.CharField(
        "credit", max_length=200, blank=True, help_text="Leave empty to use the library's."
    )

    class Meta:
        abstract = True

    # Width and height of the teaser's picture, for the img element's attributes.
    teaser_image_size = TEASER_SIZE

    # The words shown: the story's own, else the library's.

    @property
    def image_alt(self) -> str:
        image = self.lead_image
        return self.lead_image_alt.strip() or (image.alt_text if image else "")

    @property
    def image_caption(self) -> str:
        image = self.lead_image
        return self.lead_image_caption or (image.caption if image else "")

    @property
    def image_credit(self) -> str:
        image = self.lead_image
        return self.lead_image_credit or (image.credit if image else "")

    # Renditions.

    def _url(self, size: str, kind: str = "fallback") -> str:
        return self.lead_image.rendition_url(size, kind) if self.lead_image_id else ""

    @cached_property
    def teaser_image_url(self) -> str:
        return self._url("teaser")

    def teaser_image_sources(self) -> list[tuple[str, str]]:
        """(MIME type, URL) of the teaser crop in each modern format, for <source>."""
        if not self.lead_image_id:
            return []
        from library.renditions import KINDS, MIME_TYPES

        sources = []
        for kind in reversed(KINDS[1:]):
            url = self._url("teaser", kind)
            if url:
                sources.append((MIME_TYPES[kind], url))
        return sources

    @cached_property
    def lead_image_url(self) -> str:
        return self._url(f"w{PAGE_IMAGE_WIDTH}")

    @cached_property
    def social_image_url(self) -> str:
        return self._url(f"w{SOCIAL_IMAGE_WIDTH}")

    def lead_image_srcset(self) -> list[tuple[str, int]]:
        """(url, width) pairs for a responsive srcset, never wider than the original."""
        return self.lead_image.srcset() if self.lead_image_id else []

    def lead_image_sources(self) -> list[tuple[str, str]]:
        """(MIME type, srcset) of each modern format, for the <picture>'s <source>s."""
        return self.lead_image.picture_sources() if self.lead_image_id else []

    def lead_rendition(self, width: int):
        """The JPEG/PNG rendition `width` pixels wide (one of LEAD_IMAGE_WIDTHS), an
        imagekit cache file; None without an image."""
        if not self.lead_image_id:
            return None
        from library.renditions import field_name

        return getattr(self.lead_image, field_name(f"w{width}", "fallback"))

    @property
    def lead_image_mime_type(self) -> str:
        """The MIME type of the JPEG/PNG renditions (a feed's enclosure type)."""
        from library.renditions import fallback_format

        name = self.lead_image.file.name if self.lead_image_id else ""
        return f"image/{fallback_format(name).lower()}"

    def lead_image_display_size(self, width: int = SOCIAL_IMAGE_WIDTH) -> tuple[int, int]:
        """Width and height of the largest rendition, for the img element's attributes."""
        return self.lead_image.display_size(width) if self.lead_image_id else (0, 0)


class BodyImage(models.Model):
    """A library image that a story's body places inline (`[image 7]`).

    Kept by Story.save from the body, so the library knows what uses an image the way it
    knows lead images and gallery pictures: its page lists the story, the "Unused" filter
    leaves it out, and PROTECT refuses to delete it while a body shows it. (The body
    itself is the source of truth; these rows are an index of it.)
    """

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(
        "library.Image", on_delete=models.PROTECT, related_name="body_placements"
    )

    class Meta:
        verbose_name = "inline image"
        constraints = [
            models.UniqueConstraint(fields=["story", "image"], name="body_image_once_per_story")
        ]

    def __str__(self) -> str:
        # What an image's "Used in" list names.
        return f"the body of “{self.story}”"

    @property
    def used_by(self):
        """The story: what an image's "Used in" list links to."""
        return self.story

    @classmethod
    def record(cls, stories) -> None:
        """Make the rows of `stories` match the images their bodies place now (ids of no
        image are ignored: the page shows nothing for them). Story.save() records its
        story; the WordPress importer, which inserts stories in bulk, records them all:
        one query for the rows, one for the images, at most one delete and one insert,
        for any number of stories."""
        from library.models import Image
        from library.placements import referenced_image_ids

        placed = {story.pk: referenced_image_ids(story.body) for story in stories}
        named = set().union(*placed.values())
        existing = (
            set(Image.objects.filter(pk__in=named).values_list("pk", flat=True)) if named else set()
        )
        have: dict[int, set[int]] = {}
        stale: list[int] = []
        rows = cls.objects.filter(story_id__in=placed).values_list("pk", "story_id", "image_id")
        for pk, story_id, image_id in rows:
            if image_id in placed[story_id] & existing:
                have.setdefault(story_id, set()).add(image_id)
            else:
                stale.append(pk)
        if stale:
            cls.objects.filter(pk__in=stale).delete()
        cls.objects.bulk_create(
            [
                cls(story_id=story_id, image_id=image_id)
                for story_id, ids in placed.items()
                for image_id in sorted((ids & existing) - have.get(story_id, set()))
            ],
            ignore_conflicts=True,
        )
