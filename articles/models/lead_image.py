"""A story's lead image: the file, its words (alt text, caption, credit) and renditions.

Renditions are made by a task queued when the image is saved (background/renditions.py),
in the sizes set once in `articles.images`; pages read their URLs and never open a file.
"""

from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.functional import cached_property

from articles.images import (
    IMAGE_EXTENSIONS,
    LEAD_IMAGE_WIDTHS,
    PAGE_IMAGE_WIDTH,
    SOCIAL_IMAGE_WIDTH,
    TEASER_SIZE,
    spec_rendition_url,
    validate_image_file,
)


class LeadImage(models.Model):
    """The lead-image fields of `Story` (an abstract base: the columns are the story's).

    The renditions (ImageSpecFields) are declared on `Story` itself: imagekit ties
    a rendition to the concrete model it is declared on: declared here, no rendition
    would be made when a story is saved.
    """

    lead_image = models.ImageField(
        upload_to="stories/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_file],
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Required with an image: what the picture shows, for readers who cannot see it.",
    )
    lead_image_caption = models.CharField("caption", max_length=500, blank=True)
    lead_image_credit = models.CharField("credit", max_length=200, blank=True)

    class Meta:
        abstract = True

    # Width and height of the teaser's picture, for the img element's attributes.
    teaser_image_size = TEASER_SIZE

    @cached_property
    def teaser_image_url(self) -> str:
        return spec_rendition_url(self, "lead_image_thumbnail") if self.lead_image else ""

    @cached_property
    def lead_image_url(self) -> str:
        return self.lead_rendition_url(PAGE_IMAGE_WIDTH) if self.lead_image else ""

    @cached_property
    def social_image_url(self) -> str:
        return self.lead_rendition_url(SOCIAL_IMAGE_WIDTH) if self.lead_image else ""

    def lead_image_srcset(self) -> list[tuple[str, int]]:
        """(url, width) pairs for a responsive srcset, never wider than the original."""
        if not self.lead_image or not self.lead_image_width:
            return []
        pairs: list[tuple[str, int]] = []
        for width in LEAD_IMAGE_WIDTHS:
            actual = min(width, self.lead_image_width)
            if pairs and pairs[-1][1] == actual:
                break
            url = self.lead_rendition_url(width)
            if not url:
                return []
            pairs.append((url, actual))
        return pairs

    def lead_rendition(self, width: int):
        """The rendition of the lead image `width` pixels wide (one of LEAD_IMAGE_WIDTHS)."""
        return getattr(self, f"lead_image_{width}")

    def lead_rendition_url(self, width: int) -> str:
        """The URL of `lead_rendition(width)`, known without making it after the first."""
        return spec_rendition_url(self, f"lead_image_{width}")

    def lead_image_display_size(self, width: int = SOCIAL_IMAGE_WIDTH) -> tuple[int, int]:
        """Width and height of the largest rendition, for the img element's attributes."""
        if not self.lead_image_width or not self.lead_image_height:
            return (0, 0)
        shown = min(width, self.lead_image_width)
        return (shown, round(self.lead_image_height * shown / self.lead_image_width))
