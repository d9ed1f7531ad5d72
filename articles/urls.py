from django.urls import path, register_converter

from . import newsdesk, views


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
    path("", views.HomeView.as_view(), name="home"),
    path("byline/<slug:slug>/", views.BylineView.as_view(), name="byline"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/<str:signed>/", views.SharedPreviewView.as_view(), name="shared_preview"),
    path("newsdesk/", newsdesk.NewsdeskView.as_view(), name="newsdesk"),
    # Sections come last: their slugs sit at the top level of the site.
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:section>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.StoryDetailView.as_view(),
        name="story",
    ),
]
