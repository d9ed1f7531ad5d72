"""Stories, their queryset, their bylines and their tags.

A story is public when its status is Published, its publication time has passed and no
embargo holds it: `StoryQuerySet.published()`, the one definition. A story is *listed*
when it is public and its section is active: `listed()`, composed from `published()`,
is where every list, feed, sitemap, archive, search and redirect starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Q, Subquery
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles import workflow
from articles.html import BODY_EDITOR_EXTENSIONS, clean_html
from articles.text import html_to_text
from library.placements import without_placements

from .addresses import AddressHistory, quick_reverse
from .lead_image import BodyImage, LeadImage
from .sections import Byline, Section
from .workflow import Workflow

# What other apps add to every teaser, by name: the comments app adds the approved-comment
# count. They register here (in their AppConfig.ready()), so this app imports none of them.
TEASER_ANNOTATIONS: dict[str, Callable[[], models.Expression]] = {}


def add_teaser_annotation(name: str, expression: Callable[[], models.Expression]) -> None:
    TEASER_ANNOTATIONS[name] = expression


def credits_prefetch() -> Prefetch:
    """Bylines in order with their roles: one query for any number of stories."""
    return Prefetch(
        "story_bylines",
        queryset=StoryByline.objects.select_related("byline").order_by("position", "pk"),
    )


def attach_credits(stories, credits) -> None:
    """Give `stories` their `credits` (StoryBylines with their bylines, in order) as
    `prefetch_related_objects(stories, credits_prefetch())` would, when the credits were
    read another way (the home page reads them in SQL compiled once)."""
    by_story: dict[int, list] = {}
    for credit in credits:
        by_story.setdefault(credit.story_id, []).append(credit)
    ordered = credits_prefetch().queryset
    for story in stories:
        # What Django's prefetch stores: the relation's queryset, already evaluated.
        queryset = story.story_bylines._apply_rel_filters(ordered)
        queryset._result_cache = by_story.get(story.pk, [])
        queryset._prefetch_done = True
        for credit in queryset._result_cache:
            StoryByline.story.field.set_cached_value(credit, story)
        if not hasattr(story, "_prefetched_objects_cache"):
            story._prefetched_objects_cache = {}
        story._prefetched_objects_cache["story_bylines"] = queryset


# Enough text for the 40 words a teaser shows when a story has no dek.
TEASER_START_CHARACTERS = 600


def story_url(section_slug: str, local_date, slug: str, *, reverser=quick_reverse) -> str:
    """A story's address from its section's slug, its local date and its slug (for lists
    that read rows rather than stories: `Story.get_absolute_url` is this). `reverser`:
    a `quick_reverser()` for many in a row."""
    return reverser(
        "articles:story",
        section=section_slug,
        year=f"{local_date.year:04d}",
        month=f"{local_date.month:02d}",
        day=f"{local_date.day:02d}",
        slug=slug,
    )


def archive_day_url(local_date) -> str:
    """The archive page of a (local) day: `Story.archive_day_url` is this."""
    return quick_reverse(
        "articles:archive_day",
        year=f"{local_date.year:04d}",
        month=f"{local_date.month:02d}",
        day=f"{local_date.day:02d}",
    )


class AmongSubquery(In):
    """`pk IN (subquery)`, which PostgreSQL is asked as `pk = ANY(ARRAY(subquery))`.

    For a small sliced subquery (the newest few stories) that makes it read the
    subquery's ids first and look each up by primary key; as `IN`, or beside an OR, it
    may instead hash the ids and scan the whole table for them.
    """

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class StoryQuerySet(models.QuerySet):
    def published(self, now=None):
        """Stories a reader may see: status Published, publication time and embargo passed
        (at `now`, the present unless given)."""
        now = now or timezone.now()
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=now).exclude(
            embargo_until__gt=now
        )

    def listed(self, now=None):
        """Public stories in an active section: what lists, feeds and redirects may show.

        A story in an inactive section answers 404, so nothing may link to it.
        """
        return self.published(now).filter(section__is_active=True)

    def in_trash(self):
        return self.filter(status=Story.Status.TRASHED)

    def outside_trash(self):
        return self.exclude(status=Story.Status.TRASHED)

    def trash_expired(self):
        """Stories in the trash longer than NEWSROOM_TRASH_DAYS: `empty_trash` deletes them."""
        kept_since = timezone.now() - timedelta(days=settings.NEWSROOM_TRASH_DAYS)
        return self.in_trash().filter(trashed_at__lt=kept_since)

    def scheduled(self):
        """Published stories whose publication time is still ahead."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_teaser_fields(self):
        """The section, and what other apps add to teasers, in the same query."""
        extra = {name: make() for name, make in TEASER_ANNOTATIONS.items()}
        return self.annotate(**extra).select_related("section", "lead_image")

    def for_teasers(self):
        """Everything a teaser shows, in a fixed number of queries, and not the body.

        A teaser shows the dek, or the start of the body's text when there is none: only
        that start is read (`teaser_start`), not the ~5 KB of every story's body.
        """
        return self.without_body().with_teaser_fields().prefetch_related(credits_prefetch())

    def without_body(self):
        """Leaves out the body and its text; `teaser_text()` makes do with their start."""
        return self.defer("body", "body_text").annotate(
            teaser_start=Substr("body_text", 1, TEASER_START_CHARACTERS)
        )

    def in_section(self, section):
        """Stories whose home is `section`, or that list it as a secondary section."""
        # One join through SectionListing, which holds both kinds: the database walks
        # the newest stories and looks each up, or reads a small section's rows, as
        # suits the section's size. (An OR of the home section and the secondary ones
        # made it hash every secondary row of the section on every page.)
        return self.filter(listings__section=section)

    def by_byline(self, byline):
        return self.filter(pk__in=StoryByline.objects.filter(byline=byline).values("story_id"))

    def tagged(self, tag):
        return self.filter(pk__in=StoryTag.objects.filter(tag=tag).values("content_object_id"))

    def tags_in_use(self):
        """The tags these stories carry: on `listed()`, the tags whose page may be shown.

        A tag only drafts use is as unknown to readers as a tag that does not exist.
        """
        return Tag.objects.filter(
            pk__in=StoryTag.objects.filter(content_object__in=self).values("tag_id")
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def newest_and_featured(self, count: int) -> tuple[list, Story | None]:
        """The newest `count` of these stories, and the newest featured one however old,
        in one query (both read from the newest end of an index, whatever the size of
        the archive): (newest first, featured or None)."""
        return split_newest_and_featured(list(self.newest_or_featured(count)), count)

    def newest_or_featured(self, count: int):
        """The newest `count` of these stories and the newest featured one, newest first
        (`newest_and_featured` tells them apart)."""
        ids = self.order_by().values("pk")
        newest = ids.order_by("-published_at", "-pk")[:count]
        featured = ids.filter(is_featured=True).order_by("-published_at", "-pk")[:1]
        return self.filter(
            Q(AmongSubquery(F("pk"), newest)) | Q(pk=Subquery(featured))
        ).newest_first()

    def pinned_first(self, story_ids: list[int]):
        """`story_ids` first, in that order (those that are among these stories), then
        the rest newest first: what the desk pinned on a front, in one query."""
        if not story_ids:
            return self.newest_first()
        rank = models.Case(
            *(models.When(pk=pk, then=models.Value(place)) for place, pk in enumerate(story_ids)),
            default=models.Value(len(story_ids)),
            output_field=models.IntegerField(),
        )
        return self.alias(pin_rank=rank).order_by("pin_rank", "-published_at", "-pk")


def split_newest_and_featured(rows: list, count: int) -> tuple[list, Story | None]:
    """`newest_or_featured(count)`'s stories as (the newest `count`, the featured one)."""
    # The newest featured story comes first of the featured ones it is read with (any
    # newer one would be featured too), and after the newest if it is older.
    lead = next((story for story in rows if story.is_featured), None)
    return rows[:count], lead


class SectionListing(models.Model):
    """A section whose pages list a story: its home section and each secondary one.

    Derived from `Story.section` and `Story.secondary_sections`, and kept in step with
    them by `refresh_listings()` (on every save and change of secondary sections, and
    after bulk writes: imports, restores); never edited by hand.
    """

    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="listings")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="listings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "section"], name="unique_section_listing")
        ]
        indexes = [models.Index(fields=["section", "story"], name="listing_section_story")]

    def __str__(self) -> str:
        return f"{self.story_id} in {self.section_id}"


def refresh_listings(story_ids) -> None:
    """Make SectionListing say where these stories are listed, from their sections."""
    story_ids = list(story_ids)
    for start in range(0, len(story_ids), 1000):
        batch = story_ids[start : start + 1000]
        wanted = set(Story.objects.filter(pk__in=batch).values_list("pk", "section_id"))
        wanted |= set(
            Story.secondary_sections.through.objects.filter(story_id__in=batch).values_list(
                "story_id", "section_id"
            )
        )
        present = set(
            SectionListing.objects.filter(story_id__in=batch).values_list("story_id", "section_id")
        )
        stale = Q()
        for story_id, section_id in present - wanted:
            stale |= Q(story_id=story_id, section_id=section_id)
        if stale:
            SectionListing.objects.filter(stale).delete()
        SectionListing.objects.bulk_create(
            [
                SectionListing(story_id=story, section_id=section)
                for story, section in wanted - present
            ],
            ignore_conflicts=True,
        )


class StoryTag(TaggedItemBase):
    """Links a story to a tag (django-taggit's Tag; case-insensitive, see settings)."""

    content_object = models.ForeignKey(
        "Story", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_story_tag")
        ]


class Story(AddressHistory, Workflow, LeadImage):
    Status = workflow.Status

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
    body_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The body's text (articles.text.html_to_text), made on save: for teasers, "
        "feeds, diffs and search, which must never read markup.",
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
    # Set while the story is in the trash (status "In the trash"): when, and by whom.
    trashed_at = models.DateTimeField("moved to the trash", null=True, blank=True, editable=False)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
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
            ("empty_trash", "Can delete stories in the trash for good"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_status_published"),
            models.Index(fields=["section", "-published_at"], name="story_section_published"),
            # The desk's story list, newest first whatever the status: fifty rows read
            # from the top instead of a sort of the whole archive.
            models.Index(fields=["-published_at", "-id"], name="story_newest_first"),
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
        ]

    def __str__(self) -> str:
        return self.headline

    @staticmethod
    def text_of(body: str) -> str:
        """The words of a (sanitised) body, as `body_text` stores them: no markup, and no
        library placement ("[image 7]" is nobody's words)."""
        return html_to_text(without_placements(body))

    def save(self, *args, **kwargs) -> None:
        # Sanitise here so every path (admin, shell, import) stores clean HTML.
        self.body = clean_html(self.body)
        self.body_text = self.text_of(self.body)
        # Publication times are kept to the second: that is what readers and schedules
        # see, and HTML's datetime attribute allows at most three decimals anyway.
        for field in ("published_at", "materially_updated_at", "embargo_until"):
            moment = getattr(self, field)
            if moment is not None:
                setattr(self, field, moment.replace(microsecond=0))
        self.edit_version = (self.edit_version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "edit_version", "updated_at", "body_text"}
        with transaction.atomic():
            self._remember_old_address()
            super().save(*args, **kwargs)
            if update_fields is None or "body" in update_fields:
                BodyImage.record([self])
        self._note_address()

    def get_absolute_url(self) -> str:
        return story_url(self.section.slug, timezone.localtime(self.url_date), self.slug)

    @property
    def archive_day_url(self) -> str:
        """The archive page of the day it was published (local time), as teasers link it."""
        return archive_day_url(timezone.localtime(self.url_date))

    @classmethod
    def from_db(cls, db, field_names, values):
        story = super().from_db(db, field_names, values)
        story._note_address()
        return story

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._note_address()

    def clean(self) -> None:
        errors = {}
        if self.lead_image_id and not self.image_alt:
            errors["lead_image_alt"] = (
                "Describe the image for readers who cannot see it (here, or as the "
                "library image's alt text)."
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            errors["published_at"] = "A published story needs a publication time."
        if self.source_url and not self.source_name:
            errors["source_name"] = "Name the source that the link points to."
        for name in ("published_at", "embargo_until"):
            try:
                workflow.validate_within_horizon(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
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
    def last_modified(self):
        """When the story last changed for readers: its material update, else publication."""
        return self.materially_updated_at if self.shows_update else self.published_at

    @property
    def credited_bylines(self) -> list[StoryByline]:
        """Bylines in their order; uses the prefetch from `for_teasers()` when present."""
        return list(self.story_bylines.all())

    def byline_groups(self) -> list[tuple[str, list[Byline]]]:
        """Credits grouped by role in order: [("By", [a, b]), ("Photos by", [c])]."""
        groups: dict[str, list[Byline]] = {}
        for credit in self.credited_bylines:
            # get_role_display(), without hashing every choice on each call.
            label = ROLE_LABELS.get(credit.role, credit.role)
            groups.setdefault(label, []).append(credit.byline)
        return list(groups.items())

    def teaser_text(self, words: int = 40) -> str:
        """The dek, or the start of the body when there is none."""
        if self.dek:
            return self.dek
        # A list's rows carry only the start of the text (StoryQuerySet.without_body).
        text = getattr(self, "teaser_start", None)
        if text is None or "body_text" in self.__dict__:  # loaded after all
            text = self.body_text
        elif len(text) >= TEASER_START_CHARACTERS:
            text = text.rsplit(None, 1)[0] + "…"  # the last word may have been cut
        return Truncator(" ".join(text.split())).words(words, truncate="…")


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


# What a credit's role is called ("Photos by"), by its value.
ROLE_LABELS: dict[str, str] = dict(StoryByline.Role.choices)


# Revisions keep the whole story: its fields (sections included), bylines in order and tags.
reversion.register(StoryByline)
reversion.register(StoryTag)
reversion.register(Story, follow=["story_bylines", "tagged_items"])
