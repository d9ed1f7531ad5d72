"""Public pages: addresses, what each page shows, and pagination."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story, StoryByline
from tests.factories import css, make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db

Role = StoryByline.Role


def parse(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def teaser_headlines(doc) -> list[str]:
    return [text(a) for a in css(doc, ".story-list .teaser__headline a")]


def iso(moment: datetime) -> str:
    """How templates write a time in `datetime=` (`date:'c'` in the current time zone)."""
    return timezone.localtime(moment).isoformat()


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
    assert img.get("src") == story.lead_image_thumbnail.url
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
        full_story.lead_image_480.url,
        full_story.lead_image_800.url,
        full_story.lead_image_1200.url,
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
