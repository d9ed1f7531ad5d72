"""The newsroom's data model: sections, bylines, stories and their tags.

A story is public when its status is Published and its publication time has passed.
That rule lives in exactly one place, `StoryQuerySet.published()`, and every public
surface starts from it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFill, ResizeToFit
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .html import clean_html
from .images import validate_image_file

# Top-level URL paths that belong to other pages, so no section may take them.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "accounts", "api", "archive", "byline", "bylines", "corrections",
        "feed", "feeds", "media", "newsdesk", "preview", "robots.txt", "search",
        "sitemap.xml", "static", "tag", "tags", "news-sitemap.xml",
    }
)  # fmt: skip

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]

# Widths (in pixels) of the lead-image renditions offered in a responsive srcset.
LEAD_IMAGE_WIDTHS = (480, 800, 1200)

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "Table": True,
    "History": True,
}


def validate_section_slug(value: str) -> None:
    if value.lower() in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another part of the site; choose a different slug.",
            code="reserved",
            params={"slug": value},
        )


class SectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Section(models.Model):
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

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})

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
        processors=[ResizeToFill(160, 160)],
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
        return reverse("articles:byline", kwargs={"slug": self.slug})

    @property
    def is_organization(self) -> bool:
        return self.kind != self.Kind.PERSON


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories a reader may see: status Published and publication time reached."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published stories whose publication time is still ahead."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_teasers(self):
        """Everything a teaser shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            Prefetch(
                "story_bylines",
                queryset=StoryByline.objects.select_related("byline").order_by("position", "pk"),
            )
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def latest_per_section(self, per_section: int):
        """The newest `per_section` stories of every section, in one query."""
        return self.alias(
            rank_in_section=models.Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        ).filter(rank_in_section__lte=per_section)


class StoryTag(TaggedItemBase):
    """Links a story to a tag (django-taggit's Tag; case-insensitive, see settings)."""

    content_object = models.ForeignKey(
        "Story", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_story_tag")
        ]


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        OPINION = "opinion", "Opinion"
        PRESS_RELEASE = "press_release", "Press release"
        SPONSORED = "sponsored", "Sponsored"

    headline = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text="The last part of the story's address. Keep it short and readable.",
    )
    dek = models.TextField(
        "dek",
        max_length=600,
        blank=True,
        help_text="The teaser text under the headline on index pages (plain text).",
    )
    body = ProseEditorField(
        blank=True,
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        sanitize=clean_html,
        help_text="The story. Stored through an allow-list sanitiser.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="stories", help_text="The home section."
    )
    secondary_sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="secondary_stories",
        help_text="Other sections that also list this story.",
    )
    bylines = models.ManyToManyField(Byline, through="StoryByline", related_name="stories")
    source_name = models.CharField(
        "source credit",
        max_length=200,
        blank=True,
        help_text="For wire and press-release copy, e.g. Newswise.",
    )
    source_url = models.URLField("source link", blank=True)
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
    lead_image_thumbnail = ImageSpecField(
        source="lead_image",
        processors=[ResizeToFill(400, 267)],
        format="JPEG",
        options={"quality": 80},
    )
    lead_image_480 = ImageSpecField(
        source="lead_image", processors=[ResizeToFit(width=480, upscale=False)],
        format="JPEG", options={"quality": 82},
    )  # fmt: skip
    lead_image_800 = ImageSpecField(
        source="lead_image", processors=[ResizeToFit(width=800, upscale=False)],
        format="JPEG", options={"quality": 82},
    )  # fmt: skip
    lead_image_1200 = ImageSpecField(
        source="lead_image", processors=[ResizeToFit(width=1200, upscale=False)],
        format="JPEG", options={"quality": 82},
    )  # fmt: skip
    tags = TaggableManager(through=StoryTag, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text=(
            "A story is public when it is Published and its publication time has passed. "
            "A future time schedules it: it goes live then, with nothing else to do."
        ),
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured stories lead the home page."
    )
    materially_updated_at = models.DateTimeField(
        "updated (shown to readers)",
        null=True,
        blank=True,
        help_text="The time of the last material change; readers see it as “Updated”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_stories",
        editable=False,
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_status_published"),
            models.Index(fields=["section", "-published_at"], name="story_section_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_story_has_time",
            ),
            models.CheckConstraint(
                condition=Q(lead_image="") | ~Q(lead_image_alt=""),
                name="lead_image_has_alt_text",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        # Sanitise here so every path (admin, shell, import) stores clean HTML.
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        date = timezone.localtime(self.url_date)
        return reverse(
            "articles:story",
            kwargs={
                "section": self.section.slug,
                "year": date.year,
                "month": f"{date.month:02d}",
                "day": f"{date.day:02d}",
                "slug": self.slug,
            },
        )

    def clean(self) -> None:
        errors = {}
        if self.lead_image and not self.lead_image_alt.strip():
            errors["lead_image_alt"] = "Describe the image for readers who cannot see it."
        if self.status == self.Status.PUBLISHED and not self.published_at:
            errors["published_at"] = "A published story needs a publication time."
        if self.source_url and not self.source_name:
            errors["source_name"] = "Name the source that the link points to."
        if errors:
            raise ValidationError(errors)

    @property
    def url_date(self):
        return self.published_at or self.created_at or timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def shows_update(self) -> bool:
        """True when a material update came after publication."""
        return bool(
            self.published_at
            and self.materially_updated_at
            and self.materially_updated_at > self.published_at
        )

    @property
    def credited_bylines(self) -> list[StoryByline]:
        """Bylines in their order; uses the prefetch from `for_teasers()` when present."""
        return list(self.story_bylines.all())

    def byline_groups(self) -> list[tuple[str, list[Byline]]]:
        """Credits grouped by role in order: [("By", [a, b]), ("Photos by", [c])]."""
        groups: dict[str, list[Byline]] = {}
        for credit in self.credited_bylines:
            groups.setdefault(credit.get_role_display(), []).append(credit.byline)
        return list(groups.items())

    def teaser_text(self, words: int = 40) -> str:
        """The dek, or the start of the body when there is none."""
        if self.dek:
            return self.dek
        return Truncator(strip_tags(self.body)).words(words, truncate="…")

    def lead_image_srcset(self) -> list[tuple[str, int]]:
        """(url, width) pairs for a responsive srcset, never wider than the original."""
        if not self.lead_image or not self.lead_image_width:
            return []
        pairs: list[tuple[str, int]] = []
        for width in LEAD_IMAGE_WIDTHS:
            actual = min(width, self.lead_image_width)
            if pairs and pairs[-1][1] == actual:
                break
            pairs.append((getattr(self, f"lead_image_{width}").url, actual))
        return pairs

    def lead_image_display_size(self, width: int = 1200) -> tuple[int, int]:
        """Width and height of the largest rendition, for the img element's attributes."""
        if not self.lead_image_width or not self.lead_image_height:
            return (0, 0)
        shown = min(width, self.lead_image_width)
        return (shown, round(self.lead_image_height * shown / self.lead_image_width))


class StoryByline(models.Model):
    """One credited contributor on a story, in order, with the role they played."""

    class Role(models.TextChoices):
        BY = "by", "By"
        REPORTING = "reporting", "Reporting by"
        ADDITIONAL = "additional", "Additional reporting by"
        PHOTOS = "photos", "Photos by"
        VIDEO = "video", "Video by"
        GRAPHICS = "graphics", "Graphics by"
        COMPILED = "compiled", "Compiled by"
        EDITED = "edited", "Edited by"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="story_bylines")
    byline = models.ForeignKey(Byline, on_delete=models.PROTECT, related_name="story_credits")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "byline"
        constraints = [
            models.UniqueConstraint(
                fields=["story", "byline", "role"], name="unique_story_byline_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.byline}"
