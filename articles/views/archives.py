"""Date archives: every public story by year, month and day of publication.

Django's generic date views do the date arithmetic in the site's time zone (USE_TZ and
TIME_ZONE), so a story published at 23:30 local time on the 1st is in the 1st's archive,
whatever the date in UTC. Like every list, they start from `Story.objects.listed()`;
`allow_future = False` adds nothing to that rule, but keeps "next" links from pointing
at days that have not happened yet.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles.caching import keys
from articles.models import Story

from .public import SurrogateKeysMixin


class StoryArchiveMixin(SurrogateKeysMixin):
    date_field = "published_at"
    allow_future = False
    # An empty period is a 404: there is nothing to show, and nothing for robots to index.
    allow_empty = False
    month_format = "%m"
    paginate_by = settings.NEWSROOM_STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        # Previous/next links only need dates, so teaser data is added for the listing
        # alone (get_dated_queryset), not for each of those one-row lookups.
        return Story.objects.listed().newest_first()

    def get_dated_queryset(self, **lookup):
        return super().get_dated_queryset(**lookup).for_teasers()

    def get_surrogate_keys(self, context) -> set[str]:
        # Any story change purges "archive"; teasers add their bylines' and sections' keys.
        shown = context.get("stories") or []
        teasers = keys.teaser_keys(shown) if shown and hasattr(shown[0], "pk") else ()
        return {keys.ARCHIVE, *teasers}


class YearArchive(StoryArchiveMixin, YearArchiveView):
    """The months of a year that have stories, each with its count."""

    template_name = "articles/archive_year.html"
    # The year page lists months, not stories, so there is nothing to paginate.
    paginate_by = None

    def get_dated_queryset(self, **lookup):
        # The generic view would load every story of the year to learn whether there is
        # one (nothing is paginated here); get_date_list() answers 404 for an empty year
        # instead, in its one query. published() already excludes the future.
        return self.get_queryset().filter(**lookup)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # One query gives both the months and their counts; TruncMonth truncates in the
        # current (site) time zone, the same days the month pages use.
        self.month_counts = list(
            queryset.order_by()
            .annotate(month=TruncMonth(self.date_field))
            .values("month")
            .annotate(story_count=Count("pk"))
            .order_by("month")
        )
        if not self.month_counts:
            raise Http404(f"No stories were published in {self.get_year()}.")
        return [row["month"] for row in self.month_counts]

    def get_context_data(self, **kwargs):
        year = kwargs["year"]
        return super().get_context_data(
            month_counts=self.month_counts, page_title=f"Stories from {year:%Y}", **kwargs
        )


class MonthArchive(StoryArchiveMixin, MonthArchiveView):
    """The stories of one month, newest first, with the days that have stories."""

    template_name = "articles/archive_month.html"

    def get_context_data(self, **kwargs):
        month = kwargs["month"]
        return super().get_context_data(page_title=f"Stories from {month:%B %Y}", **kwargs)


class DayArchive(StoryArchiveMixin, DayArchiveView):
    """The stories of one day, newest first."""

    template_name = "articles/archive_day.html"

    def get_dated_items(self):
        # The generic view looks up the day after, for the period's end and the "next"
        # link; the last day of the calendar (9999-12-31) has none.
        try:
            return super().get_dated_items()
        except OverflowError:
            raise Http404("That day is outside the calendar.") from None

    def get_context_data(self, **kwargs):
        day = kwargs["day"]
        return super().get_context_data(
            page_title=f"Stories from {day:%B} {day.day}, {day:%Y}", **kwargs
        )
