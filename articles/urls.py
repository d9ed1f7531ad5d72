from django.urls import path, register_converter

from .admin import newsdesk
from .distribution import feeds
from .views import archives, previews, public, search


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "dd")

app_name = "articles"
urlpatterns = [
    path("", public.HomeView.as_view(), name="home"),
    path("feed/", feeds.site_rss, name="feed"),
    path("feed/atom/", feeds.site_atom, name="feed_atom"),
    path("byline/<slug:slug>/", public.BylineView.as_view(), name="byline"),
    path("byline/<slug:slug>/feed/", feeds.byline_rss, name="byline_feed"),
    path("byline/<slug:slug>/feed/atom/", feeds.byline_atom, name="byline_feed_atom"),
    path("tag/<slug:slug>/", public.TagView.as_view(), name="tag"),
    path("tag/<slug:slug>/feed/", feeds.tag_rss, name="tag_feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.tag_atom, name="tag_feed_atom"),
    path("corrections/", public.CorrectionListView.as_view(), name="corrections"),
    path("preview/<str:signed>/", previews.SharedPreviewView.as_view(), name="shared_preview"),
    path("newsdesk/", newsdesk.NewsdeskView.as_view(), name="newsdesk"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("archive/<yyyy:year>/", archives.YearArchive.as_view(), name="archive_year"),
    path("archive/<yyyy:year>/<dd:month>/", archives.MonthArchive.as_view(), name="archive_month"),
    path(
        "archive/<yyyy:year>/<dd:month>/<dd:day>/",
        archives.DayArchive.as_view(),
        name="archive_day",
    ),
    # Sections come last: their slugs sit at the top level of the site.
    path("<slug:slug>/", public.SectionView.as_view(), name="section"),
    path("<slug:slug>/feed/", feeds.section_rss, name="section_feed"),
    path("<slug:slug>/feed/atom/", feeds.section_atom, name="section_feed_atom"),
    path(
        "<slug:section>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        public.StoryDetailView.as_view(),
        name="story",
    ),
]
