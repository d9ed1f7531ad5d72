"""Public pages: addresses, what each page shows, and pagination."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story, StoryByline
from tests.articles.pages import iso, parse, teaser_headlines, text
from tests.factories import css, make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db

Role = StoryByline.Role


# --- Section pages ---------------------------------------------------------------------


def test_section_page_lists_stories_newest_first(client):
    section = make_section()
    now = timezone.now()
    make_story(section=section, headline="Middle", published_at=now - timedelta(hours=2))
    make_story(section=section, headline="Newest", published_at=now - timedelta(minutes=1))
    make_story(section=section, headline="Oldest", published_at=now - timedelta(days=3))
    make_story(headline="Elsewhere")  # another section

    doc = parse(client.get(section.get_absolute_url()))

    assert teaser_headlines(doc) == ["Newest", "Middle", "Oldest"]
    assert text(css(doc, "h1")[0]) == section.name


def test_section_teaser_shows_link_date_section_bylines_and_dek(client):
    """A teaser links its headline, dates it, names its section and credits everyone."""
    section = make_section(name="Metro")
    ana = make_byline(name="Ana Reyes")
    ben = make_byline(name="Ben Okafor")
    cy = make_byline(name="Cy Lindqvist")
    story = make_story(
        section=section,
        headline="Bridge reopens",
        dek="Traffic returns after two years.",
        bylines=[(ben, Role.BY), (ana, Role.BY), (cy, Role.PHOTOS)],
    )

    doc = parse(client.get(section.get_absolute_url()))
    (teaser,) = css(doc, ".story-list .teaser")

    link = css(teaser, ".teaser__headline a")[0]
    assert link.get("href") == story.get_absolute_url()
    assert text(link) == "Bridge reopens"
    time = css(teaser, "time")[0]
    assert time.get("datetime") == iso(story.published_at)
    assert css(teaser, "a.meta__section")[0].get("href") == section.get_absolute_url()
    assert text(css(teaser, "a.meta__section")[0]) == "Metro"
    credits = [text(span) for span in css(teaser, ".byline")]
    assert credits == ["By Ben Okafor and Ana Reyes", "Photos by Cy Lindqvist"]
    byline_links = [a.get("href") for a in css(teaser, ".byline a")]
    assert byline_links == [b.get_absolute_url() for b in (ben, ana, cy)]
    assert text(css(teaser, ".teaser__dek")[0]) == "Traffic returns after two years."
    assert not css(teaser, "img"), "no image without a lead image"


def test_teaser_without_dek_shows_start_of_body(client):
    section = make_section()
    make_story(section=section, dek="", body="<p>First words of the <strong>body</strong>.</p>")
    doc = parse(client.get(section.get_absolute_url()))
    assert text(css(doc, ".teaser__dek")[0]) == "First words of the body."


def test_teaser_shows_thumbnail_when_story_has_lead_image(client):
    section = make_section()
    story = make_story(
        section=section, lead_image=make_image_file(900, 600), lead_image_alt="A bridge"
    )
    doc = parse(client.get(section.get_absolute_url()))
    (img,) = css(doc, ".teaser img")
    assert img.get("src") == story.lead_image.rendition_url("teaser")
    assert (img.get("width"), img.get("height")) == ("400", "267")
    # The thumbnail is decorative next to the linked headline.
    assert img.get("alt") == ""


def test_teaser_shows_kind_label_for_opinion(client):
    section = make_section()
    make_story(section=section, kind=Story.Kind.OPINION)
    doc = parse(client.get(section.get_absolute_url()))
    assert text(css(doc, ".kind-label")[0]) == "Opinion"


def test_section_page_paginates_20_per_page(client, settings):
    section = make_section()
    now = timezone.now()
    for number in range(25):
        make_story(
            section=section,
            headline=f"Headline {number:02d}",
            published_at=now - timedelta(hours=number + 1),
        )
    url = section.get_absolute_url()

    first = parse(client.get(url))
    assert teaser_headlines(first) == [f"Headline {n:02d}" for n in range(20)]
    pages = {a.get("href"): text(a) for a in css(first, ".pagination a")}
    assert pages["?page=2"] in {"2", "Older →"}
    assert css(first, '.pagination a[rel="next"]')[0].get("href") == "?page=2"
    assert not css(first, '.pagination a[rel="prev"]')

    second = parse(client.get(url, {"page": 2}))
    assert teaser_headlines(second) == [f"Headline {n:02d}" for n in range(20, 25)]
    assert css(second, '.pagination a[rel="prev"]')[0].get("href") == "?page=1"
    assert not css(second, '.pagination a[rel="next"]')
    current = css(second, '.pagination a[aria-current="page"]')
    assert [text(a) for a in current] == ["2"]


def test_single_page_has_no_pagination(client):
    section = make_section()
    make_story(section=section)
    doc = parse(client.get(section.get_absolute_url()))
    assert not css(doc, ".pagination")


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "99999999999999999999"])
def test_page_past_the_end_or_not_a_number_is_404(client, page):
    section = make_section()
    for _ in range(25):
        make_story(section=section)
    response = client.get(section.get_absolute_url(), {"page": page})
    assert response.status_code == 404


def test_secondary_section_page_lists_the_story(client):
    home = make_section(name="News")
    also = make_section(name="Schools")
    story = make_story(section=home, headline="Budget vote", secondary_sections=[also])

    doc = parse(client.get(also.get_absolute_url()))
    assert teaser_headlines(doc) == ["Budget vote"]
    # The teaser still names and links the story's home section and canonical address.
    assert css(doc, ".teaser a.meta__section")[0].get("href") == home.get_absolute_url()
    assert css(doc, ".teaser__headline a")[0].get("href") == story.get_absolute_url()


def test_story_in_home_and_secondary_section_is_listed_once(client):
    section = make_section()
    story = make_story(section=section, secondary_sections=[section])
    doc = parse(client.get(section.get_absolute_url()))
    assert teaser_headlines(doc) == [story.headline]


def test_inactive_section_is_404(client):
    section = make_section(is_active=False)
    make_story(section=section)
    assert client.get(section.get_absolute_url()).status_code == 404


def test_unknown_section_is_404(client):
    assert client.get(reverse("articles:section", kwargs={"slug": "nope"})).status_code == 404


def test_section_page_shows_description_and_active_subsections(client):
    news = make_section(name="News", description="What happened today.")
    make_section(name="Courts", parent=news)
    make_section(name="Retired desk", parent=news, is_active=False)
    doc = parse(client.get(news.get_absolute_url()))
    assert text(css(doc, ".page-header__description")[0]) == "What happened today."
    assert [text(a) for a in css(doc, ".subsections a")] == ["Courts"]


def test_empty_section_says_so(client):
    section = make_section()
    doc = parse(client.get(section.get_absolute_url()))
    assert "No stories here yet." in text(doc)


# --- Byline and tag pages --------------------------------------------------------------


def test_byline_page_shows_person_and_their_public_stories(client):
    byline = make_byline(name="Ana Reyes", role_line="Staff Writer", bio="Covers the river.")
    other = make_byline()
    make_story(headline="Hers", bylines=[(byline, Role.PHOTOS)])
    make_story(headline="Shared", bylines=[(other, Role.BY), (byline, Role.BY)])
    make_story(headline="Not hers", bylines=[other])

    doc = parse(client.get(byline.get_absolute_url()))
    assert text(css(doc, "h1")[0]) == "Ana Reyes"
    assert text(css(doc, ".byline-header__role")[0]) == "Staff Writer"
    assert "Covers the river." in text(doc)
    assert sorted(teaser_headlines(doc)) == ["Hers", "Shared"]


def test_byline_credited_twice_on_a_story_lists_it_once(client):
    byline = make_byline()
    make_story(headline="Twice", bylines=[(byline, Role.BY), (byline, Role.PHOTOS)])
    doc = parse(client.get(byline.get_absolute_url()))
    assert teaser_headlines(doc) == ["Twice"]


def test_tag_page_shows_tagged_public_stories(client):
    tagged = make_story(headline="Tagged", tags=["Floods"])
    make_story(headline="Untagged", tags=["Drought"])
    tag = tagged.tags.get()
    doc = parse(client.get(reverse("articles:tag", kwargs={"slug": tag.slug})))
    assert text(css(doc, "h1")[0]) == "Floods"
    assert teaser_headlines(doc) == ["Tagged"]


@pytest.mark.parametrize("name", ["byline", "tag"])
def test_unknown_byline_or_tag_is_404(client, name):
    assert client.get(reverse(f"articles:{name}", kwargs={"slug": "nobody"})).status_code == 404


# --- Home page -------------------------------------------------------------------------


def test_home_page_lead_is_the_featured_story(client):
    now = timezone.now()
    make_story(headline="Newer", published_at=now - timedelta(minutes=5))
    featured = make_story(
        headline="Featured", is_featured=True, published_at=now - timedelta(days=2)
    )
    doc = parse(client.get(reverse("articles:home")))
    lead = css(doc, ".lead .lead__headline a")[0]
    assert (text(lead), lead.get("href")) == ("Featured", featured.get_absolute_url())
    latest = [text(a) for a in css(doc, ".latest .teaser__headline a")]
    assert latest == ["Newer"]


@pytest.mark.parametrize("featured_among_newest", [False, True])
def test_home_page_lead_is_the_newest_featured_story_however_old(client, featured_among_newest):
    """The newest stories and the featured lead come from one query: the lead is the
    newest featured story whether or not it is among the newest, and never shown twice."""
    now = timezone.now()
    for number in range(14):
        make_story(
            headline=f"Item {number:02d}",
            published_at=now - timedelta(hours=number + 1),
            is_featured=featured_among_newest and number in (4, 6),
        )
    make_story(headline="Old featured", is_featured=True, published_at=now - timedelta(days=9))
    make_story(headline="Hidden featured", is_featured=True, status="draft")
    doc = parse(client.get(reverse("articles:home")))
    lead = text(css(doc, ".lead__headline a")[0])
    latest = [text(a) for a in css(doc, ".latest .teaser__headline a")]
    if featured_among_newest:
        assert lead == "Item 04"
        assert latest == [f"Item {n:02d}" for n in range(11) if n != 4]
    else:
        assert lead == "Old featured"
        assert latest == [f"Item {n:02d}" for n in range(10)]


def test_home_page_lead_is_the_newest_without_a_featured_story(client):
    now = timezone.now()
    make_story(headline="Older", published_at=now - timedelta(days=1))
    make_story(headline="Newest", published_at=now - timedelta(minutes=1))
    doc = parse(client.get(reverse("articles:home")))
    assert text(css(doc, ".lead__headline a")[0]) == "Newest"
    assert [text(a) for a in css(doc, ".latest .teaser__headline a")] == ["Older"]


def test_home_page_latest_is_newest_first_and_capped(client):
    now = timezone.now()
    section = make_section()
    for number in range(13):
        make_story(
            section=section,
            headline=f"Item {number:02d}",
            published_at=now - timedelta(hours=number),
        )
    doc = parse(client.get(reverse("articles:home")))
    assert text(css(doc, ".lead__headline a")[0]) == "Item 00"
    latest = [text(a) for a in css(doc, ".latest .teaser__headline a")]
    assert latest == [f"Item {n:02d}" for n in range(1, 11)]


def test_home_page_has_one_block_per_section_in_section_order(client):
    now = timezone.now()
    sports = make_section(name="Sports", position=2)
    news = make_section(name="News", position=1)
    make_section(name="Empty", position=3)
    for number in range(6):
        make_story(
            section=news, headline=f"News {number}", published_at=now - timedelta(hours=number)
        )
    make_story(section=sports, headline="Sports 0")

    doc = parse(client.get(reverse("articles:home")))
    blocks = css(doc, ".section-block")
    assert [text(css(block, "h2")[0]) for block in blocks] == ["News", "Sports"]
    assert css(blocks[0], "h2 a")[0].get("href") == news.get_absolute_url()
    news_items = [text(a) for a in css(blocks[0], ".headline-list a")]
    assert news_items == ["News 0", "News 1", "News 2", "News 3"]
    assert [text(a) for a in css(blocks[1], ".headline-list a")] == ["Sports 0"]


def test_home_page_lead_shows_lead_image_and_bylines(client):
    byline = make_byline(name="Ana Reyes")
    make_story(
        bylines=[byline],
        is_featured=True,
        lead_image=make_image_file(800, 500),
        lead_image_alt="Floodwater on Main Street",
    )
    doc = parse(client.get(reverse("articles:home")))
    assert css(doc, ".lead img")[0].get("alt") == "Floodwater on Main Street"
    assert text(css(doc, ".lead .byline")[0]) == "By Ana Reyes"


def test_empty_home_page(client):
    doc = parse(client.get(reverse("articles:home")))
    assert "No stories yet" in text(doc)


def test_navigation_lists_active_top_level_sections(client):
    news = make_section(name="News", position=1)
    make_section(name="Courts", parent=news)
    make_section(name="Hidden", is_active=False)
    sports = make_section(name="Sports", position=2)
    doc = parse(client.get(reverse("articles:home")))
    nav = [(text(a), a.get("href")) for a in css(doc, ".site-nav a")]
    assert nav == [
        ("Home", reverse("articles:home")),
        ("News", news.get_absolute_url()),
        ("Sports", sports.get_absolute_url()),
    ]


# --- Every public page -----------------------------------------------------------------


@pytest.fixture
def public_pages():
    news = make_section(name="News")
    byline = make_byline()
    story = make_story(section=news, bylines=[byline], tags=["Weather"])
    make_story(section=news)
    return {
        "home": reverse("articles:home"),
        "section": news.get_absolute_url(),
        "story": story.get_absolute_url(),
        "byline": byline.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": story.tags.get().slug}),
        "404": "/missing-page/",
    }


@pytest.mark.parametrize("page", ["home", "section", "story", "byline", "tag", "404"])
def test_each_public_page_has_exactly_one_h1(client, public_pages, page):
    response = client.get(public_pages[page])
    assert response.status_code == (404 if page == "404" else 200)
    doc = lxml.html.fromstring(response.content.decode())
    assert len(css(doc, "h1")) == 1


@pytest.mark.parametrize("page", ["home", "section", "story", "byline", "tag", "404"])
def test_each_public_page_has_skip_link_to_main(client, public_pages, page):
    doc = lxml.html.fromstring(client.get(public_pages[page]).content.decode())
    first_link = css(doc, "body a")[0]
    assert first_link.get("href") == "#main"
    assert "skip" in first_link.get("class")
    assert len(css(doc, "main#main")) == 1
    assert doc.get("lang")
