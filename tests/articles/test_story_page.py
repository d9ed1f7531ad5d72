"""The story page: what a reader sees of one story, and the addresses that lead to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import StoryByline
from tests.articles.pages import iso, parse, teaser_headlines, text
from tests.factories import css, make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db

Role = StoryByline.Role


# --- Story pages -----------------------------------------------------------------------


@pytest.fixture
def full_story():
    news = make_section(name="News", slug="news")
    people = make_section(name="People in the News", slug="people-in-the-news", parent=news)
    ana = make_byline(name="Ana Reyes")
    ben = make_byline(name="Ben Okafor")
    cy = make_byline(name="Cy Lindqvist")
    published = timezone.now() - timedelta(days=2)
    return make_story(
        section=people,
        headline="Ferry captain retires after 40 years",
        dek="She carried a million passengers.",
        body='<p>First paragraph.</p><p>Second <a href="https://example.org/">link</a>.</p>',
        bylines=[(ana, Role.BY), (ben, Role.REPORTING), (cy, Role.PHOTOS)],
        tags=["Ferries", "Retirement"],
        published_at=published,
        source_name="Newswise",
        source_url="https://newswise.example/ferry",
        lead_image=make_image_file(1600, 1000),
        lead_image_alt="A woman at a ship's wheel",
        lead_image_caption="Captain Mara Holt on her last crossing.",
        lead_image_credit="Cy Lindqvist/Ledger",
    )


def test_story_page_shows_headline_dek_bylines_and_date(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    (h1,) = css(doc, "h1")
    assert text(h1) == "Ferry captain retires after 40 years"
    assert text(css(doc, ".story__dek")[0]) == "She carried a million passengers."
    credits = [text(span) for span in css(doc, ".story__bylines .byline")]
    assert credits == ["By Ana Reyes", "Reporting by Ben Okafor", "Photos by Cy Lindqvist"]
    links = [(a.get("href"), text(a)) for a in css(doc, ".story__bylines a")]
    assert links == [
        (credit.byline.get_absolute_url(), credit.byline.name)
        for credit in full_story.credited_bylines
    ]
    (time,) = css(doc, ".story__meta time")
    assert time.get("datetime") == iso(full_story.published_at)
    assert "Published" in text(css(doc, ".story__meta .meta")[0])
    assert "Updated" not in text(css(doc, ".story__meta")[0])


def test_byline_links_lead_to_byline_pages_listing_the_story(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    for href in [a.get("href") for a in css(doc, ".story__bylines a")]:
        byline_page = parse(client.get(href))
        assert full_story.headline in teaser_headlines(byline_page)


@pytest.mark.parametrize(
    ("offset", "shown"),
    [
        (None, False),
        (timedelta(hours=-1), False),
        (timedelta(0), False),
        (timedelta(hours=3), True),
    ],
)
def test_updated_is_shown_only_after_publication(client, offset, shown):
    """Readers see "Updated" only when the material update came after publication."""
    published = timezone.now() - timedelta(days=1)
    story = make_story(
        published_at=published,
        materially_updated_at=None if offset is None else published + offset,
    )
    doc = parse(client.get(story.get_absolute_url()))
    meta = text(css(doc, ".story__meta .meta")[0])
    assert ("Updated" in meta) is shown
    if shown:
        times = [t.get("datetime") for t in css(doc, ".story__meta time")]
        assert times == [iso(story.published_at), iso(story.materially_updated_at)]


def test_story_page_shows_source_credit_with_link(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    (credit,) = css(doc, ".source-credit")
    assert text(credit) == "Source: Newswise"
    assert css(credit, "a")[0].get("href") == "https://newswise.example/ferry"


def test_source_credit_without_link_is_plain_text(client):
    story = make_story(source_name="City press office")
    doc = parse(client.get(story.get_absolute_url()))
    (credit,) = css(doc, ".source-credit")
    assert text(credit) == "Source: City press office"
    assert not css(credit, "a")


def test_story_without_source_has_no_credit_line(client):
    story = make_story()
    assert not css(parse(client.get(story.get_absolute_url())), ".source-credit")


def test_story_page_lead_image(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    (figure,) = css(doc, "figure.lead-image")
    img = css(figure, "img")[0]
    assert img.get("alt") == "A woman at a ship's wheel"
    assert (img.get("width"), img.get("height")) == ("1200", "750")
    srcset = [entry.strip().rsplit(" ", 1) for entry in img.get("srcset").split(",")]
    assert [width for _, width in srcset] == ["480w", "800w", "1200w"]
    assert [url for url, _ in srcset] == [
        full_story.lead_image.rendition_url("w480"),
        full_story.lead_image.rendition_url("w800"),
        full_story.lead_image.rendition_url("w1200"),
    ]
    assert img.get("sizes")
    caption = text(css(figure, "figcaption")[0])
    assert caption == "Captain Mara Holt on her last crossing. Cy Lindqvist/Ledger"
    assert text(css(figure, ".credit")[0]) == "Cy Lindqvist/Ledger"


def test_story_without_lead_image_has_no_figure(client):
    story = make_story()
    assert not css(parse(client.get(story.get_absolute_url())), "figure.lead-image")


def test_story_page_body_is_rendered_sanitised(client):
    story = make_story(
        body='<p onclick="steal()">Safe <em>text</em></p><script>alert("x")</script>'
    )
    html = client.get(story.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(html)
    body = css(doc, ".story__body")[0]
    assert lxml.html.tostring(css(body, "p")[0], encoding="unicode").startswith(
        "<p>Safe <em>text</em></p>"
    )
    # The only script allowed is JSON-LD, whose JSON escapes every "<".
    assert "<script" not in re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
    assert "steal()" not in html


def test_story_page_lists_tags_linking_to_tag_pages(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    tags = [(a.get("href"), text(a)) for a in css(doc, ".tag-list a")]
    assert sorted(tags) == sorted(
        (reverse("articles:tag", kwargs={"slug": tag.slug}), tag.name)
        for tag in full_story.tags.all()
    )
    assert {name for _, name in tags} == {"Ferries", "Retirement"}
    for href, _ in tags:
        assert full_story.headline in teaser_headlines(parse(client.get(href)))


def test_story_page_breadcrumb_follows_section_parents(client, full_story):
    doc = parse(client.get(full_story.get_absolute_url()))
    crumbs = [(text(a), a.get("href")) for a in css(doc, ".breadcrumbs a")]
    news = full_story.section.parent
    assert crumbs == [
        ("Home", reverse("articles:home")),
        ("News", news.get_absolute_url()),
        ("People in the News", full_story.section.get_absolute_url()),
    ]


def test_story_page_lists_secondary_sections(client):
    also = make_section(name="Schools")
    story = make_story(secondary_sections=[also])
    doc = parse(client.get(story.get_absolute_url()))
    assert [a.get("href") for a in css(doc, ".also-in a")] == [also.get_absolute_url()]


def test_related_stories_are_the_newest_three_from_the_section(client):
    section = make_section(name="Metro")
    now = timezone.now()
    story = make_story(section=section, headline="The story", published_at=now - timedelta(days=9))
    for number in range(5):
        make_story(
            section=section,
            headline=f"Related {number}",
            published_at=now - timedelta(hours=number + 1),
        )
    make_story(headline="Another section")

    doc = parse(client.get(story.get_absolute_url()))
    related = [text(a) for a in css(doc, ".related .teaser__headline a")]
    assert related == ["Related 0", "Related 1", "Related 2"]
    assert text(css(doc, "#related-heading")[0]) == "More from Metro"


def test_story_alone_in_its_section_has_no_related_block(client):
    story = make_story()
    assert not css(parse(client.get(story.get_absolute_url())), ".related")


def test_story_url_uses_local_publication_date():
    """03:00 UTC on 10 March is still 9 March in the newsroom's time zone (Chicago)."""
    story = make_story(published_at=datetime(2024, 3, 10, 3, 0, tzinfo=UTC))
    assert story.get_absolute_url() == f"/{story.section.slug}/2024/03/09/{story.slug}/"


@pytest.mark.parametrize(
    "wrong",
    [
        {"section": "elsewhere"},
        {"year": 2023},
        {"month": 4},
        {"day": 10},
    ],
)
def test_wrong_section_or_date_redirects_permanently_to_canonical(client, wrong):
    make_section(slug="elsewhere")
    story = make_story(published_at=datetime(2024, 3, 10, 3, 0, tzinfo=UTC))
    kwargs = {
        "section": story.section.slug,
        "year": 2024,
        "month": 3,
        "day": 9,
        "slug": story.slug,
    } | wrong
    response = client.get(reverse("articles:story", kwargs=kwargs))
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_redirect_keeps_the_query_string(client):
    story = make_story(published_at=datetime(2024, 3, 10, 3, 0, tzinfo=UTC))
    url = reverse(
        "articles:story",
        kwargs={"section": "old", "year": 2024, "month": 3, "day": 10, "slug": story.slug},
    )
    response = client.get(url, {"utm_source": "mail"})
    assert response.status_code == 301
    assert response["Location"] == f"{story.get_absolute_url()}?utm_source=mail"


def test_canonical_story_url_answers_200(client):
    story = make_story(published_at=datetime(2024, 3, 10, 3, 0, tzinfo=UTC))
    assert client.get(story.get_absolute_url()).status_code == 200


def test_unknown_story_slug_is_404(client):
    section = make_section()
    url = reverse(
        "articles:story",
        kwargs={"section": section.slug, "year": 2024, "month": 1, "day": 1, "slug": "missing"},
    )
    assert client.get(url).status_code == 404


def test_404_page_uses_the_site_template(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html
    doc = lxml.html.fromstring(html)
    assert reverse("articles:home") in [a.get("href") for a in css(doc, "main a")]
