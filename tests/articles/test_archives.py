"""Date archives by year, month and day, counted in the site's local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story, StoryByline
from tests.factories import css, make_byline, make_section, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_time_zone(settings):
    """A zone west of UTC, so a late-evening story falls on the next day in UTC."""
    settings.TIME_ZONE = "America/Chicago"


def local(*args) -> datetime:
    """An aware datetime from wall-clock parts in the site's time zone."""
    return timezone.make_aware(datetime(*args))


def year_url(year: int) -> str:
    return reverse("articles:archive_year", args=[year])


def month_url(year: int, month: int) -> str:
    return reverse("articles:archive_month", args=[year, month])


def day_url(year: int, month: int, day: int) -> str:
    return reverse("articles:archive_day", args=[year, month, day])


def parse(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def headlines(doc) -> list[str]:
    return [text(a) for a in css(doc, ".story-list .teaser__headline a")]


def test_urls_have_zero_padded_months_and_days():
    assert year_url(2024) == "/archive/2024/"
    assert month_url(2024, 3) == "/archive/2024/03/"
    assert day_url(2024, 3, 1) == "/archive/2024/03/01/"


# --- Local days ------------------------------------------------------------------------


def test_late_evening_story_is_in_its_local_day(client):
    """23:30 on March 1 in Chicago is 05:30 on March 2 in UTC; readers call it March 1."""
    story = make_story(headline="Late council vote", published_at=local(2024, 3, 1, 23, 30))
    assert story.published_at.astimezone(UTC).day == 2

    assert headlines(parse(client.get(day_url(2024, 3, 1)))) == ["Late council vote"]
    assert client.get(day_url(2024, 3, 2)).status_code == 404


def test_last_evening_of_a_month_stays_in_that_month(client):
    make_story(headline="New Year's Eve fireworks", published_at=local(2023, 12, 31, 23, 30))
    make_story(headline="First baby of the year", published_at=local(2024, 1, 1, 0, 15))

    assert headlines(parse(client.get(month_url(2023, 12)))) == ["New Year's Eve fireworks"]
    assert headlines(parse(client.get(month_url(2024, 1)))) == ["First baby of the year"]
    assert headlines(parse(client.get(day_url(2023, 12, 31)))) == ["New Year's Eve fireworks"]


# --- Year pages ------------------------------------------------------------------------


def test_year_page_lists_months_with_counts_and_links(client):
    make_story(published_at=local(2024, 1, 31, 23, 30))  # February 1 in UTC
    make_story(published_at=local(2024, 3, 5, 9, 0))
    make_story(published_at=local(2024, 3, 6, 9, 0))
    make_story(published_at=local(2023, 7, 1, 9, 0))  # another year
    make_story(published_at=local(2024, 4, 1, 9, 0), status=Story.Status.DRAFT)

    doc = parse(client.get(year_url(2024)))

    assert text(css(doc, "h1")[0]) == "Stories from 2024"
    months = [
        (text(a), a.get("href"), text(li))
        for li in css(doc, ".archive-months li")
        for a in css(li, "a")
    ]
    assert months == [
        ("January", month_url(2024, 1), "January 1 story"),
        ("March", month_url(2024, 3), "March 2 stories"),
    ]


def test_year_page_links_to_the_neighbouring_years_that_have_stories(client):
    make_story(published_at=local(2021, 6, 1, 9, 0))
    make_story(published_at=local(2023, 6, 1, 9, 0))
    make_story(published_at=local(2024, 6, 1, 9, 0))

    doc = parse(client.get(year_url(2023)))

    links = [(text(a), a.get("href")) for a in css(doc, ".archive-nav a")]
    assert links == [("← 2021", year_url(2021)), ("2024 →", year_url(2024))]


def test_year_without_public_stories_is_404(client):
    make_story(published_at=local(2022, 6, 1, 9, 0), status=Story.Status.DRAFT)
    assert client.get(year_url(2022)).status_code == 404
    assert client.get(year_url(1999)).status_code == 404


# --- Month pages -----------------------------------------------------------------------


def test_month_page_lists_public_stories_newest_first_with_days(client):
    make_story(headline="Early", published_at=local(2024, 3, 2, 8, 0))
    make_story(headline="Late", published_at=local(2024, 3, 20, 18, 0))
    make_story(headline="April", published_at=local(2024, 4, 1, 0, 1))

    doc = parse(client.get(month_url(2024, 3)))

    assert text(css(doc, "h1")[0]) == "Stories from March 2024"
    assert headlines(doc) == ["Late", "Early"]
    days = [(text(a), a.get("href")) for a in css(doc, ".subsections a")]
    assert days == [("Mar 2", day_url(2024, 3, 2)), ("Mar 20", day_url(2024, 3, 20))]


def test_month_page_links_to_neighbouring_months_with_stories(client):
    make_story(published_at=local(2024, 1, 10, 9, 0))
    make_story(published_at=local(2024, 3, 10, 9, 0))  # February has nothing
    make_story(published_at=local(2024, 4, 10, 9, 0))

    doc = parse(client.get(month_url(2024, 3)))

    links = [(text(a), a.get("href")) for a in css(doc, ".archive-nav a")]
    assert links == [
        ("← January 2024", month_url(2024, 1)),
        ("April 2024 →", month_url(2024, 4)),
    ]


def test_empty_month_is_404(client):
    make_story(published_at=local(2024, 1, 10, 9, 0))
    assert client.get(month_url(2024, 2)).status_code == 404


@pytest.mark.parametrize(
    "path", ["/archive/2024/13/", "/archive/2024/00/", "/archive/2024/02/30/", "/archive/0000/"]
)
def test_impossible_dates_are_404(client, path):
    make_story(published_at=local(2024, 2, 10, 9, 0))
    assert client.get(path).status_code == 404


# --- What never appears ----------------------------------------------------------------


def test_archives_never_show_stories_readers_cannot_see(client):
    now = timezone.now()
    today = timezone.localtime(now)
    make_story(headline="Public", published_at=now - timedelta(minutes=5))
    make_story(headline="Draft", status=Story.Status.DRAFT, published_at=None)
    make_story(headline="In review", status=Story.Status.REVIEW)
    make_story(headline="Unpublished", status=Story.Status.UNPUBLISHED)
    make_story(headline="Embargoed", embargo_until=now + timedelta(hours=1))
    make_story(headline="Inactive section", section=make_section(is_active=False))
    # Later today, or tomorrow: either way, not yet.
    make_story(headline="Scheduled", published_at=now + timedelta(minutes=5))

    for url in (
        day_url(today.year, today.month, today.day),
        month_url(today.year, today.month),
    ):
        assert headlines(parse(client.get(url))) == ["Public"]
    months = css(parse(client.get(year_url(today.year))), ".archive-months li")
    current = [text(li) for li in months if text(li).startswith(f"{today:%B} ")]
    assert current == [f"{today:%B} 1 story"]


def test_future_day_is_404_even_with_a_scheduled_story(client):
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    make_story(headline="Scheduled", published_at=later)

    assert client.get(day_url(later.year, later.month, later.day)).status_code == 404


def test_no_link_to_a_month_in_the_future(client):
    now = timezone.now()
    make_story(published_at=now - timedelta(minutes=5))
    make_story(published_at=now + timedelta(days=40))  # scheduled

    today = timezone.localtime(now)
    doc = parse(client.get(month_url(today.year, today.month)))

    assert not [a for a in css(doc, ".archive-nav a") if "→" in text(a)]


# --- Pages and queries -----------------------------------------------------------------


def test_day_archive_paginates_20_per_page(client):
    for minute in range(25):
        make_story(published_at=local(2024, 3, 1, 12, minute))
    url = day_url(2024, 3, 1)

    assert len(headlines(parse(client.get(url)))) == 20
    assert len(headlines(parse(client.get(url, {"page": 2})))) == 5
    assert client.get(url, {"page": 3}).status_code == 404


# Year: months with counts, previous and next year, navigation.
# Month: any stories?, days with stories, previous and next month, count, navigation,
# stories, bylines. Day: any stories?, previous and next day, previous and next month
# (Django's DayArchiveView offers both), count, navigation, stories, bylines.
ARCHIVE_QUERIES = {"year": 4, "month": 8, "day": 9}


@pytest.mark.parametrize("size", [3, 25])
@pytest.mark.parametrize("page", ["year", "month", "day"])
def test_archive_query_count_is_constant(client, django_assert_num_queries, page, size):
    section = make_section()
    writers = [make_byline() for _ in range(3)]
    for minute in range(size):
        make_story(
            section=section, published_at=local(2024, 3, 1, 12, minute),
            bylines=[writers[0], (writers[minute % 3], StoryByline.Role.PHOTOS)],
        )  # fmt: skip
    make_story(section=section, published_at=local(2024, 2, 1, 12, 0))  # a previous month
    make_story(section=section, published_at=local(2024, 3, 1, 12, 30), status="draft")
    url = {"year": year_url(2024), "month": month_url(2024, 3), "day": day_url(2024, 3, 1)}

    with django_assert_num_queries(ARCHIVE_QUERIES[page]):
        response = client.get(url[page])

    assert response.status_code == 200
    shown = response.content.decode().count('class="teaser__headline"')
    assert shown == (0 if page == "year" else min(size, 20))


# --- Story dates link to their day ---------------------------------------------------


def test_teaser_date_links_to_the_local_day_archive(client):
    section = make_section()
    make_story(section=section, published_at=local(2024, 3, 1, 23, 30))

    doc = parse(client.get(section.get_absolute_url()))

    (time,) = css(doc, ".teaser time")
    link = time.getparent()
    assert link.tag == "a"
    assert link.get("href") == day_url(2024, 3, 1)


def test_story_page_date_links_to_the_local_day_archive(client):
    story = make_story(published_at=local(2024, 3, 1, 23, 30))

    doc = parse(client.get(story.get_absolute_url()))

    (time,) = css(doc, ".story__meta time")
    assert time.getparent().get("href") == day_url(2024, 3, 1)
    assert headlines(parse(client.get(day_url(2024, 3, 1)))) == [story.headline]
