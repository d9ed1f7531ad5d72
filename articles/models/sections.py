"""Sections and bylines: where a story is filed, and who is credited with it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.functional import cached_property
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFill

from articles.images import (
    IMAGE_EXTENSIONS,
    PORTRAIT_SIZE,
    spec_rendition_url,
    validate_image_file,
)

from .addresses import quick_reverse, validate_section_slug


def section_url(slug: str, *, reverser=quick_reverse) -> str:
    """A section's address from its slug (`Section.get_absolute_url` is this). `reverser`:
    a `quick_reverser()` for many in a row."""
    return reverser("articles:section", slug=slug)


class SectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Section(models.Model):
    """A section of the site, with its page at /SLUG/ and, optionally, pinned stories."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section's address: /SLUG/. Changing it changes every story URL in it.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order, lowest first."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Optional: the section this one sits under, e.g. News.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive sections disappear from navigation and their page gives 404.",
    )
    # The section front's pins (SectionPin) as [[story id, until or None], ...] in order,
    # written when they change, so the section page reads them with the section itself.
    pinned = models.JSONField(default=list, blank=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return section_url(self.slug)

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A section cannot sit under itself."})
            ancestor = ancestor.parent

    def ancestors(self) -> list[Section]:
        """Parents from the top down, for breadcrumbs (sections are at most a few deep)."""
        chain: list[Section] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain


class Byline(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Staff desk"
        WIRE = "wire", "Wire or press-release service"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    role_line = models.CharField(
        "role", max_length=150, blank=True, help_text="Shown under the name, e.g. Staff Writer."
    )
    bio = models.TextField(blank=True, help_text="A short biography, plain text.")
    photo = models.ImageField(
        upload_to="bylines/%Y/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_file],
    )
    photo_thumbnail = ImageSpecField(
        source="photo",
        processors=[ResizeToFill(PORTRAIT_SIZE, PORTRAIT_SIZE)],
        format="JPEG",
        options={"quality": 85},
    )
    email = models.EmailField(blank=True, help_text="For the desk only; never shown publicly.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="byline",
        help_text="The staff account this byline belongs to, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return quick_reverse("articles:byline", slug=self.slug)

    @cached_property
    def photo_url(self) -> str:
        return spec_rendition_url(self, "photo_thumbnail") if self.photo else ""

    @property
    def is_organization(self) -> bool:
        return self.kind != self.Kind.PERSON


class SectionPin(models.Model):
    """A story pinned above a section's newest-first list, until a time or for good."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="pins")
    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(
        "pinned until", null=True, blank=True,
        help_text="Empty: until unpinned. Then the story takes its place by date again.",
    )  # fmt: skip
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "pinned story"
        constraints = [
            models.UniqueConstraint(fields=["section", "story"], name="unique_section_pin")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.story}"


def remember_pins(section: Section) -> None:
    """Write `section.pinned` from its pins (after the desk changed them)."""
    section.pinned = [
        [pin.story_id, pin.until.isoformat() if pin.until else None]
        for pin in section.pins.order_by("position", "pk")
    ]
    section.save(update_fields=["pinned"])
