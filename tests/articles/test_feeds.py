"""RSS and Atom feeds, read as feed readers read them (feedparser)."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Byline, Story
from tests.factories import make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.fixture
def newsroom(db):
    section = make_section(name="People in the News", slug="people-in-the-news")
    reporter = make_byline(name="Ana Ruiz", slug="ana-ruiz")
    photographer = make_byline(name="Cy Lindqvist", slug="cy-lindqvist")
    wire = make_byline(name="Marlow Wire", slug="marlow-wire", kind=Byline.Kind.WIRE)
    story = make_story(
        section=section,
        headline="Harbor master retires after 30 years",
        dek="Mara Holt steered the port through two floods.",
        bylines=[(reporter, "by"), (photographer, "photos")],
        tags=["Harbor", "Retirements"],
        lead_image=make_image_file(1600, 1000),
        lead_image_alt="A tugboat at dawn",
        lead_image_credit="Cy Lindqvist",
    )
    release = make_story(
        section=section,
        headline="University study on river birds",
        kind=Story.Kind.PRESS_RELEASE,
        bylines=[(wire, "by")],
        source_name="Marlow State University",
        source_url="https://news.marlow.example/birds",
        published_at=timezone.now() - timedelta(hours=3),
    )
    draft = make_story(
        section=section, headline="Secret draft", status=Story.Status.DRAFT, published_at=None
    )
    scheduled = make_story(
        section=section,
        headline="Tomorrow's news",
        published_at=timezone.now() + timedelta(days=1),
        bylines=[(reporter, "by")],
        tags=["Harbor"],
    )
    return {
        "section": section,
        "reporter": reporter,
        "story": story,
        "release": release,
        "hidden": [draft, scheduled],
    }


FEEDS = [
    ("articles:feed", None),
    ("articles:feed_atom", None),
    ("articles:section_feed", "people-in-the-news"),
    ("articles:section_feed_atom", "people-in-the-news"),
    ("articles:byline_feed", "ana-ruiz"),
    ("articles:byline_feed_atom", "ana-ruiz"),
    ("articles:tag_feed", "harbor"),
    ("articles:tag_feed_atom", "harbor"),
]


def feed_url(name, slug):
    return reverse(name, args=[slug] if slug else [])


@pytest.mark.parametrize("name,slug", FEEDS)
def test_every_feed_parses_and_lists_only_public_stories(client, newsroom, name, slug):
    _, feed = parse(client, feed_url(name, slug))
    titles = [entry.title for entry in feed.entries]
    assert newsroom["story"].headline in titles
    for hidden in newsroom["hidden"]:
        assert hidden.headline not in titles


@pytest.mark.parametrize("name,slug", FEEDS)
def test_feed_items_carry_every_field(client, newsroom, name, slug):
    _, feed = parse(client, feed_url(name, slug))
    story = newsroom["story"]
    (entry,) = [e for e in feed.entries if e.title == story.headline]
    assert entry.link.endswith(story.get_absolute_url())
    assert entry.summary == story.dek
    # Every byline, not just the first.
    assert [author.name for author in entry.authors] == ["Ana Ruiz", "Cy Lindqvist"]
    assert {tag.term for tag in entry.tags} == {"People in the News", "Harbor", "Retirements"}
    assert entry.id == f"tag:newsroom.local,2026:story:{story.pk}"
    assert entry.published_parsed is not None
    assert entry.updated_parsed is not None
    media = entry.media_content[0]
    assert media["medium"] == "image"
    assert (media["width"], media["height"]) == ("800", "500")
    assert media["url"].startswith("http://testserver/")


def test_rss_has_enclosure_and_source_credit(client, newsroom):
    response, feed = parse(client, reverse("articles:feed"))
    entries = {entry.title: entry for entry in feed.entries}
    story = entries[newsroom["story"].headline]
    (enclosure,) = story.enclosures
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    release = entries[newsroom["release"].headline]
    assert release.source.title == "Marlow State University"
    assert release.source.href == "https://news.marlow.example/birds"


def test_atom_has_source_credit(client, newsroom):
    _, feed = parse(client, reverse("articles:feed_atom"))
    release = next(e for e in feed.entries if e.title == newsroom["release"].headline)
    assert release.source.title == "Marlow State University"


def test_guid_survives_a_slug_change(client, newsroom):
    story = newsroom["story"]
    _, before = parse(client, reverse("articles:feed"))
    story.slug = "harbor-master-retires"
    story.save()
    _, after = parse(client, reverse("articles:feed"))

    def guid(feed):
        return next(e.id for e in feed.entries if e.title == story.headline)

    assert guid(before) == guid(after)


def test_updated_time_moves_only_with_material_updates(client, newsroom):
    story = newsroom["story"]
    story.materially_updated_at = story.published_at + timedelta(minutes=30)
    story.save()
    _, feed = parse(client, reverse("articles:feed_atom"))
    entry = next(e for e in feed.entries if e.title == story.headline)
    assert entry.updated_parsed > entry.published_parsed


def test_scheduled_story_enters_feeds_at_its_time(client, newsroom):
    from freezegun import freeze_time

    scheduled = newsroom["hidden"][1]
    with freeze_time(scheduled.published_at + timedelta(seconds=1)):
        _, feed = parse(client, reverse("articles:feed"))
        assert scheduled.headline in [entry.title for entry in feed.entries]


def test_pages_link_their_feeds(client, newsroom):
    pages = {
        reverse("articles:home"): reverse("articles:feed"),
        newsroom["section"].get_absolute_url(): reverse(
            "articles:section_feed", args=["people-in-the-news"]
        ),
        newsroom["reporter"].get_absolute_url(): reverse("articles:byline_feed", args=["ana-ruiz"]),
        reverse("articles:tag", args=["harbor"]): reverse("articles:tag_feed", args=["harbor"]),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert f'href="{feed}"' in html, page


def test_unknown_feed_is_404(client, db):
    assert client.get(reverse("articles:section_feed", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:byline_feed", args=["nope"])).status_code == 404


def test_feed_query_count_is_constant(client, newsroom, django_assert_max_num_queries):
    section = newsroom["section"]
    for _ in range(25):
        make_story(section=section, bylines=[newsroom["reporter"]], tags=["Harbor", "More"])
    with django_assert_max_num_queries(6):
        client.get(reverse("articles:section_feed", args=[section.slug]))
