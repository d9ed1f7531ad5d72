"""The curated home page: layouts an editor arranges, previews and publishes.

A `Front` is one layout of the home page: the lead story, an ordered list of top
stories (`Pin`s, each with an optional expiry), which section blocks appear in what order
with how many stories (`SectionBlock`s), and an optional alert banner. Its `goes_live_at`
says when readers get it: empty is a draft; a time ahead is scheduled; the newest layout
whose time has come is live, on its own, with no cron or worker, like a scheduled story.
A layout that has gone live is not edited any more: to change the front an editor copies
it into a new draft, so the list of layouts is the front's history (who arranged it,
who published it, when) and any earlier layout can be copied back.

What readers see is worked out in `fronts.arranging` from `arrangement`, the layout's
pins and blocks as plain data, kept on the row itself so the home page reads one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q, Subquery
from django.utils import timezone

from articles.models import Section, Story


class FrontQuerySet(models.QuerySet):
    def live_and_next(self, now=None) -> tuple[Front | None, Front | None]:
        """The live layout and the next scheduled one, in one query."""
        now = now or timezone.now()
        return split_live_and_next(list(self.live_or_next(now)), now)

    def live_or_next(self, now):
        """The live layout and the next scheduled one (`live_and_next` tells them apart)."""
        timed = self.filter(goes_live_at__isnull=False)
        live = timed.filter(goes_live_at__lte=now).order_by("-goes_live_at", "-pk")
        upcoming = timed.filter(goes_live_at__gt=now).order_by("goes_live_at", "pk")
        return timed.filter(Q(pk__in=live.values("pk")[:1]) | Q(pk__in=upcoming.values("pk")[:1]))

    def with_live_flag(self):
        """Each layout knows whether it is the live one (`is_live`), in the same query."""
        live = (
            Front.objects.filter(goes_live_at__lte=timezone.now()).order_by("-goes_live_at", "-pk")
        ).values("pk")[:1]
        return self.annotate(
            is_live=ExpressionWrapper(Q(pk=Subquery(live)), output_field=models.BooleanField())
        )


def split_live_and_next(rows: list, now) -> tuple[Front | None, Front | None]:
    """`live_or_next(now)`'s layouts as (the live one or None, the next one or None)."""
    current = next((row for row in rows if row.goes_live_at <= now), None)
    coming = next((row for row in rows if row.goes_live_at > now), None)
    return current, coming


class Front(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        REPLACED = "replaced", "Replaced"

    note = models.CharField(
        "what this layout is for", max_length=200, blank=True,
        help_text="For the desk: “Election night”, “Storm coverage”.",
    )  # fmt: skip
    goes_live_at = models.DateTimeField(
        "goes live at", null=True, blank=True,
        help_text="Empty: a draft. A time ahead schedules it; “Publish now” sets it to now.",
    )  # fmt: skip
    alert_text = models.CharField(
        "alert banner", max_length=200, blank=True,
        help_text="Breaking news or weather, shown above the lead. Empty: no banner.",
    )  # fmt: skip
    alert_link = models.URLField("alert link", blank=True)
    alert_until = models.DateTimeField(
        "alert shown until", null=True, blank=True,
        help_text="The banner disappears by itself at this time.",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    # The pins and blocks as plain data (fronts.arranging.snapshot), written on every save.
    arrangement = models.JSONField(default=dict, editable=False)

    objects = FrontQuerySet.as_manager()

    class Meta:
        ordering = ["-goes_live_at", "-pk"]
        verbose_name = "home page layout"
        indexes = [models.Index(fields=["goes_live_at"], name="front_goes_live_at")]

    def __str__(self) -> str:
        return self.note or f"Layout {self.pk}"

    def status(self) -> Status:
        """Draft, scheduled, live or replaced (read from `with_live_flag()` when loaded so)."""
        now = timezone.now()
        if self.goes_live_at is None:
            return self.Status.DRAFT
        if self.goes_live_at > now:
            return self.Status.SCHEDULED
        is_live = getattr(self, "is_live", None)
        if is_live is None:
            live, _ = Front.objects.live_and_next(now)
            is_live = live is not None and live.pk == self.pk
        return self.Status.LIVE if is_live else self.Status.REPLACED

    @property
    def is_editable(self) -> bool:
        """Drafts and scheduled layouts change; what readers have had is kept as it was."""
        return self.goes_live_at is None or self.goes_live_at > timezone.now()


class Pin(models.Model):
    class Slot(models.TextChoices):
        LEAD = "lead", "Lead story"
        TOP = "top", "Top stories"

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="pins")
    slot = models.CharField(max_length=10, choices=Slot.choices, default=Slot.TOP)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(
        "pinned until", null=True, blank=True,
        help_text="Empty: until the layout changes. Then the newest story takes the slot.",
    )  # fmt: skip
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "pinned story"

    def __str__(self) -> str:
        return f"{self.get_slot_display()}: {self.story}"


class SectionBlock(models.Model):
    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="section_blocks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    stories = models.PositiveSmallIntegerField("stories shown", default=4)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "section block"
        constraints = [
            models.CheckConstraint(
                condition=Q(stories__gte=1, stories__lte=12), name="section_block_story_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} ({self.stories})"
