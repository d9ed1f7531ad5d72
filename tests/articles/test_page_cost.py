"""What makes public pages cheap keeps them the same: links, teasers, images, selects.

The costs themselves are measured by bench/run.py (docs/performance.md); these tests
hold that each shortcut gives exactly what the long way gives.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.db.models.signals import post_init
from django.urls import reverse, set_script_prefix

from articles.models import Section, Story, StoryByline
from articles.models.addresses import quick_reverse
from library.models import Image as LibraryImage
from tests.factories import css, make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:story", {"section": "news", "year": "2026", "month": "03", "day": "09",
                            "slug": "a-story"}),
        ("articles:story", {"section": "news", "year": "2026", "month": "11", "day": "22",
                            "slug": "2024"}),  # a slug of digits, as long as a year
        ("articles:archive_day", {"year": "2026", "month": "01", "day": "31"}),
        ("articles:section", {"slug": "people-in-the-news"}),
        ("articles:byline", {"slug": "jane_doe-2"}),
        ("articles:tag", {"slug": "x"}),
    ],
)  # fmt: skip
def test_quick_links_are_the_links_reverse_makes(name, kwargs):
    for _ in range(2):  # once working out the shape, once using it
        assert quick_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_quick_links_follow_the_script_prefix_and_quote_like_reverse():
    set_script_prefix("/paper/")
    try:
        assert quick_reverse("articles:section", slug="news") == "/paper/news/"
    finally:
        set_script_prefix("/")
    assert quick_reverse("articles:section", slug="news") == "/news/"
    # Not a plain slug: reverse() itself, which quotes what it must.
    signed = "a:b c"
    assert quick_reverse("articles:shared_preview", signed=signed) == reverse(
        "articles:shared_preview", kwargs={"signed": signed}
    )


def test_a_story_links_its_page_and_its_day_in_local_time(settings):
    settings.TIME_ZONE = "America/Chicago"
    from datetime import UTC, datetime

    # 03:30 UTC on March 10th is still March 9th in Chicago.
    story = make_story(published_at=datetime(2026, 3, 10, 3, 30, tzinfo=UTC))
    assert story.archive_day_url == "/archive/2026/03/09/"
    assert story.get_absolute_url().endswith(f"/2026/03/09/{story.slug}/")


def test_teasers_show_the_start_of_the_body_when_there_is_no_dek(client):
    section = make_section()
    words = [f"word{n}" for n in range(200)]
    make_story(section=section, dek="", body="<p>" + " ".join(words) + "</p>")
    # Words so long that the start read with the list ends inside one of them.
    long_words = [f"{n:03d}" + "x" * 60 for n in range(30)]
    make_story(section=section, dek="", body="<p>" + " ".join(long_words) + "</p>")
    doc = lxml.html.fromstring(client.get(section.get_absolute_url()).content)
    deks = [p.text_content() for p in css(doc, ".teaser__dek")]
    assert deks[0] == " ".join(long_words[:9]) + "…"  # 600 characters: 9 whole words
    assert deks[1] == " ".join(words[:40]) + "…"  # as the story itself counts them
    story = Story.objects.get(dek="", body__contains="word0")
    assert deks[1] == story.teaser_text()


def test_list_pages_do_not_read_bodies(client, django_assert_max_num_queries):
    section = make_section()
    for _ in range(3):
        make_story(section=section)
    stories = Story.objects.listed().for_teasers()
    assert all({"body", "body_text"} <= story.get_deferred_fields() for story in stories)
    with django_assert_max_num_queries(6):
        assert client.get(section.get_absolute_url()).status_code == 200


def test_imagekit_watches_only_the_models_with_renditions():
    assert not post_init.has_listeners(Section)
    assert not post_init.has_listeners(StoryByline)
    # Renditions belong to library images now; a story (one per teaser) costs nothing.
    assert not post_init.has_listeners(Story)
    assert post_init.has_listeners(LibraryImage)


def test_a_new_lead_image_gets_new_renditions_and_a_new_url(client, media_root):
    story = make_story(lead_image=make_image_file(800, 400), lead_image_alt="Before")
    section_page = story.section.get_absolute_url()
    before = css(lxml.html.fromstring(client.get(section_page).content), ".teaser img")
    story = Story.objects.get(pk=story.pk)
    story.lead_image = LibraryImage.objects.create(file=make_image_file(640, 480))
    story.save()
    after = css(lxml.html.fromstring(client.get(section_page).content), ".teaser img")
    assert before[0].get("src") != after[0].get("src")
    path = media_root / after[0].get("src").removeprefix("/media/")
    assert path.is_file()  # made when the story was saved


def test_search_selects_offer_every_writer_and_keep_the_choice(client):
    writer = make_byline(name="Ana <Ruiz>")
    make_story(bylines=[writer])
    make_story(bylines=[make_byline(name="Bo Lind")])
    response = client.get("/search/", {"q": "story", "byline": writer.pk})
    doc = lxml.html.fromstring(response.content)
    (select,) = css(doc, 'select[name="byline"]')
    options = [(o.get("value"), o.text_content(), o.get("selected")) for o in select]
    assert options[0] == ("", "Anyone", None)
    assert ("" + str(writer.pk), "Ana <Ruiz>", "selected") in options  # escaped in the HTML
    assert b"Ana &lt;Ruiz&gt;" in response.content
    assert select.get("id") == "id_byline"
    assert all(story.bylines.filter(pk=writer.pk) for story in response.context["stories"])


@pytest.mark.parametrize("value", ["٣", "99999999999999999999", "1\x00", "-1", "abc"])
def test_search_selects_refuse_odd_values_with_a_message(client, value):
    make_story()
    response = client.get("/search/", {"q": "story", "byline": value, "section": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "Choose a name from the list." in response.content.decode()
        assert "Choose a section from the list." in response.content.decode()


def test_each_story_has_the_comment_form_crispy_renders_with_its_own_address(client):
    from crispy_forms.utils import render_crispy_form

    from comments.forms import CommentForm

    for story in (make_story(), make_story()):
        html = client.get(story.get_absolute_url()).content.decode()
        assert render_crispy_form(CommentForm(story=story)) in html
        assert html.count(f'action="/comments/{story.pk}/"') == 1


def test_a_cached_teaser_is_the_template_and_changes_with_what_it_shows(client, settings):
    from django.core.cache import cache

    from articles.markup import teaser_html
    from articles.templatetags.teasers import teaser_context
    from comments.models import Comment
    from tests.comments.factories import make_comment

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # only the teasers are remembered
    writer = make_byline(name="Ann Writer")
    story = make_story(bylines=[writer], headline="First words")
    section_page = story.section.get_absolute_url()

    def teasers() -> str:
        return "".join(
            lxml.html.tostring(t, encoding="unicode")
            for t in css(lxml.html.fromstring(client.get(section_page).content), "article")
        )

    first = teasers()
    assert "First words" in first and "Ann Writer" in first
    assert any("newsroom:fragment:teaser:" in key for key in cache._cache)
    listed = Story.objects.listed().for_teasers().get(pk=story.pk)
    html = teaser_html(teaser_context(listed)["teaser"])
    assert html.strip() in client.get(section_page).content.decode()
    writer.name = "Ann Renamed"
    writer.save()
    assert "Ann Renamed" in teasers()
    story.headline = "Second words"
    story.save()
    assert "Second words" in teasers()
    make_comment(story, status=Comment.Status.APPROVED)
    assert "1 comment" in teasers()
    story.section.name = "Renamed section"
    story.section.save()
    assert "Renamed section" in teasers()


def test_home_page_blocks_are_remembered_and_follow_their_headlines(client, settings):
    from django.core.cache import cache

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section(name="Harbour")
    stories = [make_story(section=section, headline=f"Harbour story {n}") for n in range(6)]
    home = client.get("/").content.decode()
    assert "Harbour story 5" in home and 'id="block-' + section.slug + '"' in home
    assert any("newsroom:fragment:section_blocks:" in key for key in cache._cache)
    assert client.get("/").content.decode() == home  # the same page from the fragments

    def block() -> str:
        doc = lxml.html.fromstring(client.get("/").content)
        (found,) = css(doc, f'section[aria-labelledby="block-{section.slug}"]')
        return lxml.html.tostring(found, encoding="unicode")

    assert "Harbour story 2" in block()
    stories[2].headline = "Harbour story renamed"
    stories[2].save()
    assert "Harbour story renamed" in block()
    section.name = "Waterfront"
    section.save()
    assert ">Waterfront</a></h2>" in block()


def test_dates_written_in_python_are_what_the_date_filter_writes(settings):
    """Teasers and the home page's headlines format their dates in Python, once: the
    same text as `|date:"c"`, `|date:"F j, Y"` and `|date:"M j"` in local time."""
    from datetime import UTC, datetime

    from django.template import Context, Template

    from articles.templatetags.teasers import teaser_context
    from articles.views.public import section_blocks

    settings.TIME_ZONE = "America/Chicago"
    # 03:30 UTC on March 1st is still February 28th in Chicago.
    moment = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)
    story = make_story(published_at=moment, dek="")
    filters = Template("{{ d|date:'c' }}|{{ d|date:'F j, Y' }}|{{ d|date:'M j' }}")
    iso, long_date, short_date = filters.render(Context({"d": moment})).split("|")
    listed = Story.objects.listed().for_teasers().get(pk=story.pk)
    teaser = teaser_context(listed)["teaser"]
    assert (
        (teaser["datetime"], teaser["date"])
        == (iso, long_date)
        == ("2026-02-28T21:30:00-06:00", "February 28, 2026")
    )
    (block,) = section_blocks()
    (line,) = block["stories"]
    assert (line["datetime"], line["day"], line["url"]) == (iso, "Feb 28", story.get_absolute_url())
    assert short_date == "Feb 28"


def test_the_home_page_ranks_the_newest_stories_per_section_as_the_orm_would():
    """`newest_per_section` ranks in SQL of its own around the ORM's query: the same
    rows as the ORM's window function over the newest stories, hidden ones left out."""
    from datetime import timedelta

    from django.db.models import F, Window
    from django.db.models.functions import RowNumber
    from django.utils import timezone

    from articles.views.public import HEADLINE_COLUMNS, newest_per_section

    now = timezone.now()
    sections = [make_section(name=name) for name in ("b", "B", "a", "Z")]
    for number in range(23):
        make_story(
            section=sections[number % 3 if number % 5 else 3],
            # Two stories share each time: the id breaks the tie.
            published_at=now - timedelta(hours=number // 2 + 1),
        )
    make_story(section=sections[2], status="draft")
    make_story(section=sections[2], published_at=now + timedelta(hours=1))  # scheduled
    listed = Story.objects.listed()
    rank = Window(
        RowNumber(),
        partition_by=[F("section_id")],
        order_by=[F("published_at").desc(), F("pk").desc()],
    )
    for count in (1, 3, 12):
        expected = (
            listed.filter(pk__in=listed.newest_first().values("pk")[:400])
            .alias(place=rank)
            .filter(place__lte=count)
            .order_by("section__position", "section__name", "section_id", "-published_at", "-pk")
            .values_list(*HEADLINE_COLUMNS, "section__position")
        )
        assert [tuple(row) for row in newest_per_section(count)] == list(expected)
