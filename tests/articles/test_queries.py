"""Each public page runs a fixed number of SQL queries, however many stories it shows.

The counts are pinned exactly: a new query per teaser (an N+1) or an extra query per
page both fail here. Each page is measured with a few stories and with many, each
story carrying several bylines and tags and sitting in several sections.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, Section, Story, StoryByline
from tests.factories import make_byline, make_section, make_story

pytestmark = pytest.mark.django_db

Role = StoryByline.Role

# Pinned query counts (the same on SQLite and PostgreSQL).
EXPECTED_QUERIES = {
    # the home page layout (none here: fronts), the latest stories with the featured
    # lead, per-section blocks, the bylines of the lead and the latest, navigation (with a
    # layout, the pinned stories come with the latest: also 5, tests/fronts/test_fronts.py)
    "home": 5,
    # section + its active children, count, stories, bylines, navigation
    "section": 6,
    "section page 2": 6,
    # story (with whether it has corrections: none here), tags, secondary sections,
    # navigation, related stories, the bylines of the story and its related stories
    "story": 6,
    # byline, count, stories, bylines, navigation
    "byline": 5,
    # tag, count, stories, bylines, navigation
    "tag": 5,
}


def build_newsroom(story_count: int) -> dict:
    """`story_count` public stories spread over three sections (most in the first).

    Each has three bylines with different roles, three tags and a secondary section.
    Hidden stories are mixed in so the counts cover the filtering too.
    """
    now = timezone.now()
    news = make_section(name="News", slug="news")
    courts = make_section(name="Courts", slug="courts", parent=news)
    sports = make_section(name="Sports", slug="sports")
    opinion = make_section(name="Opinion", slug="opinion")
    sections = [courts, courts, courts, sports, opinion]
    bylines = [make_byline() for _ in range(5)]
    reporter = bylines[0]
    stories = []
    for number in range(story_count):
        section = sections[number % len(sections)]
        stories.append(
            make_story(
                section=section,
                published_at=now - timedelta(hours=number + 1),
                is_featured=number == 3,
                bylines=[
                    (reporter, Role.BY),
                    (bylines[1 + number % 4], Role.BY),
                    (bylines[1 + (number + 1) % 4], Role.PHOTOS),
                ],
                tags=["Courthouse", f"Topic {number % 7}", f"Week {number % 3}"],
                secondary_sections=[news] if section is courts else [courts],
            )
        )
    make_story(section=courts, status="draft", bylines=[reporter], tags=["Courthouse"])
    make_story(section=courts, published_at=now + timedelta(days=1), bylines=[reporter])
    story = stories[0]
    return {
        "home": reverse("articles:home"),
        "section": courts.get_absolute_url(),
        "section page 2": courts.get_absolute_url() + "?page=2",
        "story": story.get_absolute_url(),
        "byline": reporter.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": story.tags.get(name="Courthouse").slug}),
    }


# Section page 2 needs more than one page of stories in the section.
SIZES = {"small": 3, "large": 25}
PAGE_2_SIZES = {"small": 35, "large": 70}


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("page", ["home", "section", "story", "byline", "tag", "section page 2"])
def test_public_page_query_count_is_constant(client, django_assert_num_queries, page, size):
    count = (PAGE_2_SIZES if page == "section page 2" else SIZES)[size]
    urls = build_newsroom(count)
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        response = client.get(urls[page])
    assert response.status_code == 200


@pytest.mark.parametrize("oembed", [False, True])
def test_a_story_with_embeds_runs_the_same_queries(
    client, django_assert_num_queries, settings, oembed
):
    # Embeds are made as the body renders (articles/embeds.py), their titles read from the
    # cache: no query, however many there are.
    settings.NEWSROOM_OEMBED = oembed
    urls = build_newsroom(SIZES["small"])
    story = Story.objects.get(pk=Story.objects.published().order_by("-published_at")[0].pk)
    body = "".join(f"<p>https://youtu.be/dQw4w9WgXc{letter}</p>" for letter in "ABCDEFGH")
    Story.objects.filter(pk=story.pk).update(body=body)
    assert story.get_absolute_url() == urls["story"]
    with django_assert_num_queries(EXPECTED_QUERIES["story"]):
        response = client.get(urls["story"])
    assert response.content.decode().count("data-embed-src=") == 8


def test_large_pages_really_list_many_stories(client):
    """Guard for the test above: the large case renders full pages of teasers."""
    urls = build_newsroom(PAGE_2_SIZES["large"])
    html = client.get(urls["section page 2"]).content.decode()
    assert html.count('class="teaser__headline"') == 20
    html = client.get(urls["byline"]).content.decode()
    assert html.count('class="teaser__headline"') == 20
    assert html.count('class="byline"') >= 40


@pytest.mark.parametrize("page", ["home", "section", "story", "byline", "tag"])
def test_the_navigation_comes_from_the_cache_after_the_first_page(
    client, django_assert_num_queries, page
):
    urls = build_newsroom(SIZES["small"])
    client.get(urls[page])
    with django_assert_num_queries(EXPECTED_QUERIES[page] - 1):
        assert client.get(urls[page]).status_code == 200


def test_the_cached_navigation_follows_a_section_change_at_once(client):
    make_story(section=make_section(name="Sports", slug="sports"))
    assert ">Sports</a>" in client.get("/").content.decode()
    section = Section.objects.get(slug="sports")
    section.name = "Sport and Leisure"
    section.save()
    page = client.get("/").content.decode()
    assert ">Sport and Leisure</a>" in page and ">Sports</a>" not in page
    section.is_active = False
    section.save()
    assert "Sport and Leisure" not in client.get("/about-nothing/").content.decode()


def test_a_story_with_corrections_shows_them_for_one_query_more(client, django_assert_num_queries):
    urls = build_newsroom(SIZES["small"])
    story = Story.objects.get(slug=urls["story"].rstrip("/").rsplit("/", 1)[1])
    Correction.objects.create(
        story=story, kind="correction", text="An earlier version misnamed the judge."
    )
    with django_assert_num_queries(EXPECTED_QUERIES["story"] + 1):
        response = client.get(urls["story"])
    assert "An earlier version misnamed the judge." in response.content.decode()
