"""The newsroom's data model: sections, bylines, stories and their tags.

A story is public when its status is Published and its publication time has passed.
That rule lives in exactly one place, `StoryQuerySet.published()`, and every public
surface starts from it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFill, ResizeToFit
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .html import clean_html
from .images import rendition_url, validate_image_file
from .signals import story_transitioned


class WorkflowError(Exception):
    """A workflow step that cannot be taken."""


class WorkflowStateError(WorkflowError):
    """The story is not in a state that allows the step, or the step lacks what it needs."""


class WorkflowPermissionError(WorkflowError, PermissionDenied):
    """The user may not take this step. A PermissionDenied, so views answer 403."""

    def __init__(self, user, verb: str, story) -> None:
        super().__init__(f"{user} may not {verb} “{story}”.")


# Top-level URL paths that belong to other pages, so no section may take them.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "accounts", "api", "archive", "byline", "bylines", "comments", "corrections",
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
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
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

    @cached_property
    def photo_url(self) -> str:
        return rendition_url(self.photo_thumbnail) if self.photo else ""

    @property
    def is_organization(self) -> bool:
        return self.kind != self.Kind.PERSON


def credits_prefetch() -> Prefetch:
    """Bylines in order with their roles: one query for any number of stories."""
    return Prefetch(
        "story_bylines",
        queryset=StoryByline.objects.select_related("byline").order_by("position", "pk"),
    )


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories a reader may see: status Published, publication time and embargo passed."""
        now = timezone.now()
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=now).exclude(
            embargo_until__gt=now
        )

    def scheduled(self):
        """Published stories whose publication time is still ahead."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_teaser_fields(self):
        """The section and the approved-comment count, in the same query."""
        # Only approved comments count (comments app). A correlated subquery, not a JOIN
        # with GROUP BY, so the list query keeps using its indexes and its own ordering.
        comment_model = self.model._meta.get_field("comments").related_model
        approved = (
            comment_model.objects.approved()
            .filter(story=OuterRef("pk"))
            .order_by()
            .values("story")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(comment_count=Coalesce(Subquery(approved), 0)).select_related(
            "section"
        )

    def for_teasers(self):
        """Everything a teaser shows, in a fixed number of queries."""
        return self.with_teaser_fields().prefetch_related(credits_prefetch())

    def in_section(self, section):
        """Stories whose home is `section`, or that list it as a secondary section."""
        # Two index lookups OR-ed together; a JOIN through the secondary sections with an
        # OR would read the whole table.
        secondary = Story.secondary_sections.through.objects.filter(section=section)
        return self.filter(Q(section=section) | Q(pk__in=secondary.values("story_id")))

    def by_byline(self, byline):
        return self.filter(pk__in=StoryByline.objects.filter(byline=byline).values("story_id"))

    def tagged(self, tag):
        return self.filter(pk__in=StoryTag.objects.filter(tag=tag).values("content_object_id"))

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
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text=(
            "Nobody can publish the story before this time, and nothing of it is public "
            "until then (page, share links, feeds, sitemaps, search)."
        ),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_stories",
        limit_choices_to={"is_staff": True},
        help_text="The staff member responsible for the story's next step.",
    )
    allow_comments = models.BooleanField(
        "comments open",
        default=True,
        help_text=(
            "Readers may comment while this is on, until comments close by themselves "
            "NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS after publication."
        ),
    )
    edit_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts saves; an edit based on an older count is refused.",
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("submit_story", "Can submit stories for review"),
            ("edit_any_story", "Can edit any story, not only their own drafts"),
            ("publish_story", "Can publish, schedule, unpublish and send back stories"),
            ("correct_story", "Can add public corrections and notes to published stories"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_status_published"),
            models.Index(fields=["section", "-published_at"], name="story_section_published"),
            # The home page's lead: the newest featured story.
            models.Index(
                fields=["-published_at"],
                condition=Q(is_featured=True),
                name="story_featured_published",
            ),
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
        # Publication times are kept to the second: that is what readers and schedules
        # see, and HTML's datetime attribute allows at most three decimals anyway.
        for field in ("published_at", "materially_updated_at", "embargo_until"):
            moment = getattr(self, field)
            if moment is not None:
                setattr(self, field, moment.replace(microsecond=0))
        self.edit_version = (self.edit_version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "edit_version", "updated_at"}
        with transaction.atomic():
            self._remember_old_address()
            super().save(*args, **kwargs)
        self._note_address()

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

    @classmethod
    def from_db(cls, db, field_names, values):
        story = super().from_db(db, field_names, values)
        story._note_address()
        return story

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._note_address()

    def _note_address(self) -> None:
        # Remember where the story lived, so a change of address leaves a redirect.
        self._loaded_address = (
            self.__dict__.get("slug"),
            self.__dict__.get("section_id"),
            self.__dict__.get("published_at"),
            self.__dict__.get("status"),
        )

    def _remember_old_address(self) -> None:
        """Keep a redirect from a published story's old URL when slug, section or date change.

        Done in save() because a URL can change through the admin, the shell or an import,
        and readers' links must keep working whichever it was.
        """
        loaded = getattr(self, "_loaded_address", None)
        if self.pk is None or loaded is None:
            return
        slug, section_id, published_at, status = loaded
        if status != self.Status.PUBLISHED or published_at is None:
            return
        old_local = timezone.localtime(published_at).date() if published_at else None
        new_local = timezone.localtime(self.url_date).date()
        if (slug, section_id, old_local) == (self.slug, self.section_id, new_local):
            return
        old_story = Story(
            pk=self.pk, slug=slug, section=Section.objects.get(pk=section_id),
            published_at=published_at,
        )  # fmt: skip
        StoryRedirect.objects.update_or_create(
            old_path=old_story.get_absolute_url(), defaults={"story_id": self.pk}
        )

    def clean(self) -> None:
        errors = {}
        if self.lead_image and not self.lead_image_alt.strip():
            errors["lead_image_alt"] = "Describe the image for readers who cannot see it."
        if self.status == self.Status.PUBLISHED and not self.published_at:
            errors["published_at"] = "A published story needs a publication time."
        if self.source_url and not self.source_name:
            errors["source_name"] = "Name the source that the link points to."
        if (
            self.embargo_until
            and self.status == self.Status.PUBLISHED
            and self.published_at
            and self.published_at < self.embargo_until
        ):
            errors["embargo_until"] = (
                "This story is already published or scheduled before that time; "
                "unpublish it first, or schedule it for after the embargo."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def url_date(self):
        return self.published_at or self.created_at or timezone.now()

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not (self.embargo_until and self.embargo_until > now)
        )

    @property
    def is_embargoed(self) -> bool:
        return bool(self.embargo_until and self.embargo_until > timezone.now())

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

    @cached_property
    def teaser_image_url(self) -> str:
        return rendition_url(self.lead_image_thumbnail) if self.lead_image else ""

    @cached_property
    def lead_image_url(self) -> str:
        return rendition_url(self.lead_image_800) if self.lead_image else ""

    @cached_property
    def social_image_url(self) -> str:
        return rendition_url(self.lead_image_1200) if self.lead_image else ""

    def lead_image_srcset(self) -> list[tuple[str, int]]:
        """(url, width) pairs for a responsive srcset, never wider than the original."""
        if not self.lead_image or not self.lead_image_width:
            return []
        pairs: list[tuple[str, int]] = []
        for width in LEAD_IMAGE_WIDTHS:
            actual = min(width, self.lead_image_width)
            if pairs and pairs[-1][1] == actual:
                break
            url = rendition_url(getattr(self, f"lead_image_{width}"))
            if not url:
                return []
            pairs.append((url, actual))
        return pairs

    def lead_image_display_size(self, width: int = 1200) -> tuple[int, int]:
        """Width and height of the largest rendition, for the img element's attributes."""
        if not self.lead_image_width or not self.lead_image_height:
            return (0, 0)
        shown = min(width, self.lead_image_width)
        return (shown, round(self.lead_image_height * shown / self.lead_image_width))

    # Workflow. Every change of status goes through one of these methods: each checks
    # the user's permission and the story's current status on the server, changes the
    # status, keeps a revision and records a log entry, all in one transaction.

    def can_edit(self, user) -> bool:
        """Editors may edit any story; contributors only their own drafts."""
        if not user.is_active or not user.has_perm("articles.change_story"):
            return False
        if user.has_perm("articles.edit_any_story"):
            return True
        return self.created_by_id == user.pk and self.status == self.Status.DRAFT

    def allowed_actions(self, user) -> list[str]:
        """The transitions `user` may take now, for the admin to offer."""
        may_publish = user.has_perm("articles.publish_story")
        actions = []
        if self.status == self.Status.DRAFT and self.pk and self.can_edit(user):
            if user.has_perm("articles.submit_story"):
                actions.append("submit")
        if may_publish:
            if self.status == self.Status.REVIEW:
                actions.append("request_changes")
            if self.status in {self.Status.DRAFT, self.Status.REVIEW, self.Status.UNPUBLISHED}:
                actions += ["publish", "schedule"]
            if self.is_scheduled:
                actions += ["publish", "schedule"]
            if self.status == self.Status.PUBLISHED:
                actions.append("unpublish")
        if self.is_public and user.has_perm("articles.correct_story"):
            actions.append("correct")
        return actions

    def submit(self, *, by, note: str = "") -> StoryLogEntry:
        """Send a draft to the editors for review."""
        if not (self.can_edit(by) and by.has_perm("articles.submit_story")):
            raise WorkflowPermissionError(by, "submit", self)
        return self._move(
            by=by, action=StoryLogEntry.Action.SUBMIT, allowed_from={self.Status.DRAFT},
            to=self.Status.REVIEW, note=note,
        )  # fmt: skip

    def request_changes(self, *, by, note: str) -> StoryLogEntry:
        """Send a story in review back to Draft, with a note saying what to change."""
        if not by.has_perm("articles.publish_story"):
            raise WorkflowPermissionError(by, "send back", self)
        if not note.strip():
            raise WorkflowStateError("Say what needs to change: the note is required.")
        return self._move(
            by=by, action=StoryLogEntry.Action.REQUEST_CHANGES,
            allowed_from={self.Status.REVIEW}, to=self.Status.DRAFT, note=note,
        )  # fmt: skip

    def publish(self, *, by, at=None, note: str = "") -> StoryLogEntry:
        """Publish now, or schedule for `at`; never before the embargo."""
        if not by.has_perm("articles.publish_story"):
            raise WorkflowPermissionError(by, "publish", self)
        now = timezone.now()
        when = at or now
        if self.embargo_until and when < self.embargo_until:
            raise WorkflowStateError(
                "This story is embargoed until "
                f"{timezone.localtime(self.embargo_until):%B %-d, %Y, %H:%M}; "
                "it cannot be published or scheduled before then."
            )
        allowed = {self.Status.DRAFT, self.Status.REVIEW, self.Status.UNPUBLISHED}
        if self.is_scheduled:
            allowed.add(self.Status.PUBLISHED)  # rescheduling, or publishing early
        if when > now:
            action = StoryLogEntry.Action.SCHEDULE
        elif self.status == self.Status.UNPUBLISHED:
            action = StoryLogEntry.Action.REPUBLISH
        else:
            action = StoryLogEntry.Action.PUBLISH
        return self._move(
            by=by, action=action, allowed_from=allowed, to=self.Status.PUBLISHED, note=note,
            published_at=when,
        )  # fmt: skip

    def unpublish(self, *, by, reason: str) -> StoryLogEntry:
        """Take a published or scheduled story off every public page, saying why."""
        if not by.has_perm("articles.publish_story"):
            raise WorkflowPermissionError(by, "unpublish", self)
        if not reason.strip():
            raise WorkflowStateError("Give a reason for unpublishing: it is kept in the log.")
        return self._move(
            by=by, action=StoryLogEntry.Action.UNPUBLISH, allowed_from={self.Status.PUBLISHED},
            to=self.Status.UNPUBLISHED, note=reason,
        )  # fmt: skip

    @transaction.atomic
    def correct(self, *, by, kind: str, text: str, material: bool = False) -> Correction:
        """Add a public correction, clarification, update or editor's note to a live story."""
        if not by.has_perm("articles.correct_story"):
            raise WorkflowPermissionError(by, "correct", self)
        if not text.strip():
            raise WorkflowStateError("The correction needs its text.")
        fresh = Story.objects.select_for_update().get(pk=self.pk)
        if not fresh.is_public:
            raise WorkflowStateError("Only a published, live story can be corrected.")
        self.refresh_from_db()
        correction = self.corrections.create(
            kind=kind, text=text.strip(), is_material=material, created_by=by
        )
        if material:
            self.materially_updated_at = correction.created_at
            with reversion.create_revision():
                reversion.set_user(by)
                reversion.set_comment(f"{correction.get_kind_display()} added")
                self.save()
        self.log_entries.create(
            action=StoryLogEntry.Action.CORRECT, from_status=self.status, to_status=self.status,
            by=by, note=f"{correction.get_kind_display()}: {correction.text}",
        )  # fmt: skip
        transaction.on_commit(
            lambda: story_transitioned.send(sender=Story, story=self, action="correct", by=by)
        )
        return correction

    def add_note(self, *, by, text: str) -> StoryLogEntry:
        """Leave an internal note on the story's timeline; readers never see it."""
        if not (by.is_staff and by.has_perm("articles.view_story")):
            raise WorkflowPermissionError(by, "add a note to", self)
        if not text.strip():
            raise WorkflowStateError("The note is empty.")
        return self.log_entries.create(
            action=StoryLogEntry.Action.NOTE, from_status=self.status, to_status=self.status,
            by=by, note=text.strip(),
        )  # fmt: skip

    @transaction.atomic
    def _move(self, *, by, action, allowed_from, to, note="", **changes) -> StoryLogEntry:
        # Lock the row and read the status from the database, so two editors acting at
        # once cannot both move the story from the same state.
        current = Story.objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        if current not in allowed_from:
            raise WorkflowStateError(
                f"This story is {self.Status(current).label.lower()}; "
                f"it cannot be {StoryLogEntry.Action(action).past_tense} now."
            )
        self.refresh_from_db()
        self.status = to
        for field, value in changes.items():
            setattr(self, field, value)
        with reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment(StoryLogEntry.Action(action).label)
            self.save()
        entry = self.log_entries.create(
            action=action, from_status=current, to_status=to, by=by, note=note.strip()
        )
        transaction.on_commit(
            lambda: story_transitioned.send(sender=Story, story=self, action=action, by=by)
        )
        return entry


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


class StoryLogEntry(models.Model):
    """One line of a story's timeline: a transition or an internal note (never public)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        REPUBLISH = "republish", "Republished"
        UNPUBLISH = "unpublish", "Unpublished"
        CORRECT = "correct", "Correction added"
        RESTORE = "restore", "Revision restored"
        ASSIGN = "assign", "Assigned"
        NOTE = "note", "Note"

        @property
        def past_tense(self) -> str:
            return {
                "submit": "submitted", "request_changes": "sent back", "publish": "published",
                "schedule": "scheduled", "republish": "republished", "unpublish": "unpublished",
            }.get(self.value, self.label.lower())  # fmt: skip

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="log_entries")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Story.Status.choices)
    to_status = models.CharField(max_length=20, choices=Story.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "timeline entry"
        verbose_name_plural = "timeline"

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


def now_to_the_second():
    return timezone.now().replace(microsecond=0)


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Notes on public stories only."""
        return self.filter(story__in=Story.objects.published())


class Correction(models.Model):
    """A public note on a published story: correction, clarification, update, editor's note."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor’s note"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="Plain text, shown to readers on the story.")
    is_material = models.BooleanField(
        "material change",
        default=False,
        help_text="Material changes move the story's visible “Updated” time; typo fixes do not.",
    )
    created_at = models.DateTimeField(default=now_to_the_second)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.story}"


class StoryRedirect(models.Model):
    """An old address of a story (a changed slug, section or date; an imported URL)."""

    old_path = models.CharField(max_length=500, unique=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_path} → {self.story}"


class EditLockQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now())


class EditLock(models.Model):
    """A soft lock: who has a story open in the admin. It expires on its own."""

    DURATION = timedelta(minutes=15)

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="edit_lock")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = EditLockQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.story} open by {self.user}"

    @classmethod
    def take(cls, story: Story, user) -> EditLock | None:
        """Open `story` for `user`; return someone else's current lock instead, if any."""
        now = timezone.now()
        with transaction.atomic():
            lock = cls.objects.select_for_update().filter(story=story).first()
            if lock and lock.user_id != user.pk and lock.expires_at > now:
                return lock
            if lock is None or lock.user_id != user.pk or lock.expires_at <= now:
                cls.objects.update_or_create(
                    story=story,
                    defaults={"user": user, "since": now, "expires_at": now + cls.DURATION},
                )
            else:
                cls.objects.filter(pk=lock.pk).update(expires_at=now + cls.DURATION)
        return None

    @classmethod
    def release(cls, story: Story, user) -> None:
        cls.objects.filter(story=story, user=user).delete()


class PreviewLink(models.Model):
    """A signed link that shows one revision of a story to a reviewer without an account."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="preview_links")
    version = models.ForeignKey(
        "reversion.Version", on_delete=models.CASCADE, related_name="+",
        help_text="The revision the link shows.",
    )  # fmt: skip
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        blank=True, help_text="By default NEWSROOM_PREVIEW_LINK_HOURS (48) after creation."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.story} until {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(
                hours=settings.NEWSROOM_PREVIEW_LINK_HOURS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:shared_preview", kwargs={"signed": self.signed_token()})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def signed_token(self) -> str:
        from django.core import signing

        return signing.dumps(str(self.token), salt="articles.preview-link", compress=False)

    @classmethod
    def from_signed(cls, signed: str) -> PreviewLink | None:
        """The link for a signed token, or None when tampered with, expired or revoked."""
        from django.core import signing

        try:
            token = signing.loads(signed, salt="articles.preview-link")
            link = cls.objects.select_related("story", "version").get(token=token)
        except (signing.BadSignature, cls.DoesNotExist, ValidationError, ValueError):
            return None
        return link if link.is_usable else None


# Revisions keep the whole story: its fields (sections included), bylines in order and tags.
reversion.register(StoryByline)
reversion.register(StoryTag)
reversion.register(Story, follow=["story_bylines", "tagged_items"])
