"""The search page: what it finds, what it never shows, and how it copes with odd input.

Everything here runs on SQLite and on PostgreSQL; tests of PostgreSQL-only behaviour
(stemming, the GIN index) say so and are skipped on SQLite.
"""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Story, StoryByline
from articles.search import (
    SEARCH_CONFIG,
    SnippetPart,
    snippet_around_first_match,
    snippet_from_markers,
    story_search_vector,
)
from tests.articles.searching import (
    SEARCH_URL,
    local,
    postgres_only,
    result_headlines,
    search,
    text,
)
from tests.factories import css, make_byline, make_section, make_story

pytestmark = pytest.mark.django_db

# --- The empty page --------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"page": "1"}])
def test_empty_search_shows_a_hint_and_the_latest_stories(client, params):
    make_story(headline="Latest news")
    make_story(headline="Hidden draft", status=Story.Status.DRAFT)

    doc = search(client, **params)

    assert "Type a word" in text(css(doc, ".search-hint")[0])
    assert [text(a) for a in css(doc, ".teaser__headline a")] == ["Latest news"]
    assert not css(doc, ".search-results")
    assert not css(doc, ".alert-danger")


def test_search_page_is_not_indexed_by_robots(client):
    doc = search(client, q="anything")
    (robots,) = css(doc, 'meta[name="robots"]')
    assert robots.get("content") == "noindex"


def test_search_form_is_a_get_form_without_csrf_token(client):
    doc = search(client)
    (form,) = css(doc, "form#search-form")
    assert form.get("method").lower() == "get"
    assert form.get("action") == SEARCH_URL
    assert not css(form, 'input[name="csrfmiddlewaretoken"]')
    assert {field.get("name") for field in css(form, "[name]")} == {
        "q", "section", "byline", "date_from", "date_to",
    }  # fmt: skip
    assert css(form, 'input[name="date_from"]')[0].get("type") == "date"


def test_every_page_has_a_labelled_search_box_in_the_masthead(client):
    make_story()
    doc = lxml.html.fromstring(client.get(reverse("articles:home")).content.decode())
    (form,) = css(doc, '.masthead form[role="search"]')
    assert form.get("action") == SEARCH_URL
    assert form.get("method").lower() == "get"
    (field,) = css(form, 'input[name="q"]')
    (label,) = css(form, "label")
    assert label.get("for") == field.get("id")
    assert text(label)


# --- What it finds ---------------------------------------------------------------------


def test_search_finds_a_word_in_headline_dek_or_body(client):
    make_story(headline="Harbour reopens")
    make_story(headline="Boats are back", dek="The harbour was closed for a year.")
    make_story(headline="Monday", body="<p>Boats returned to the <em>harbour</em>.</p>")
    make_story(headline="Library budget", dek="Nothing about boats.")

    doc = search(client, q="harbour")

    assert sorted(result_headlines(doc)) == ["Boats are back", "Harbour reopens", "Monday"]
    assert text(css(doc, "#results-heading")[0]) == "3 stories match “harbour”"


def test_every_word_must_match(client):
    make_story(headline="Harbour budget approved")
    make_story(headline="Harbour reopens")
    make_story(headline="School budget")

    assert result_headlines(search(client, q="harbour budget")) == ["Harbour budget approved"]


def test_search_matches_regardless_of_case(client):
    make_story(headline="Riverside harbour")
    assert result_headlines(search(client, q="RIVERSIDE")) == ["Riverside harbour"]


def test_headline_match_outranks_dek_match_outranks_body_match(client):
    """Weights rank the headline first, then the dek, then the body, whatever the date."""
    now = timezone.now()
    make_story(
        headline="Council meets", dek="Agenda published.",
        body="<p>The lighthouse repairs were discussed.</p>",
        published_at=now - timedelta(minutes=5),
    )  # fmt: skip
    make_story(
        headline="Town notes", dek="Lighthouse keeper honoured.", body="<p>Nothing else.</p>",
        published_at=now - timedelta(minutes=10),
    )  # fmt: skip
    make_story(
        headline="Lighthouse to be restored", dek="Work starts in May.",
        body="<p>Scaffolding goes up.</p>", published_at=now - timedelta(days=30),
    )  # fmt: skip

    assert result_headlines(search(client, q="lighthouse")) == [
        "Lighthouse to be restored",
        "Town notes",
        "Council meets",
    ]


@postgres_only
def test_postgresql_search_understands_word_forms(client):
    """English stemming: "bridges" finds "bridge", "closing" finds "closed"."""
    make_story(headline="Bridge closed for repairs")

    assert result_headlines(search(client, q="bridges closing")) == ["Bridge closed for repairs"]


@postgres_only
def test_postgresql_search_understands_quotes_and_exclusions(client):
    make_story(headline="Water main break on Elm Street")
    make_story(headline="Main street water festival")

    assert result_headlines(search(client, q='"water main"')) == ["Water main break on Elm Street"]
    assert result_headlines(search(client, q="water -festival")) == [
        "Water main break on Elm Street"
    ]


def test_search_never_shows_stories_readers_cannot_see(client):
    """Drafts, stories in review, scheduled, embargoed and unpublished stories never appear."""
    now = timezone.now()
    make_story(headline="Otter sighting: public")
    make_story(headline="Otter sighting: draft", status=Story.Status.DRAFT, published_at=None)
    make_story(headline="Otter sighting: in review", status=Story.Status.REVIEW)
    make_story(headline="Otter sighting: scheduled", published_at=now + timedelta(hours=1))
    make_story(headline="Otter sighting: embargoed", embargo_until=now + timedelta(hours=1))
    make_story(headline="Otter sighting: unpublished", status=Story.Status.UNPUBLISHED)
    make_story(headline="Otter sighting: inactive section", section=make_section(is_active=False))

    assert result_headlines(search(client, q="otter")) == ["Otter sighting: public"]
    # Filters alone (no words) go through the same rule.
    since = (now - timedelta(days=1)).date().isoformat()
    assert result_headlines(search(client, date_from=since)) == ["Otter sighting: public"]
    # And so do the latest stories on the empty page.
    assert [text(a) for a in css(search(client), ".teaser__headline a")] == [
        "Otter sighting: public"
    ]


def test_no_results_page_suggests_what_to_try(client):
    make_story(headline="Harbour reopens")
    doc = search(client, q="zeppelin")
    assert text(css(doc, "#results-heading")[0]) == "No stories match “zeppelin”"
    assert "Try fewer or different words" in text(doc)


# --- Snippets --------------------------------------------------------------------------


def test_result_shows_the_body_around_the_match_with_the_match_highlighted(client):
    make_story(
        headline="Council report",
        body=(
            "<p>The council &amp; the <strong>mayor</strong> met on Tuesday.</p>"
            "<p>They agreed to extend the ferry timetable into the winter months.</p>"
        ),
    )

    doc = search(client, q="ferry")

    (snippet,) = css(doc, ".search-result__snippet")
    assert [text(mark) for mark in css(snippet, "mark")] == ["ferry"]
    assert "extend the ferry timetable" in text(snippet)
    assert "<strong>" not in lxml.html.tostring(snippet, encoding="unicode")


def test_snippet_escapes_the_story_text(client):
    """Text that looks like HTML in the body is shown as text, never run as markup."""
    make_story(
        headline="Security notes",
        body="<p>The ferry site showed &lt;script&gt;alert(1)&lt;/script&gt; to visitors.</p>",
    )

    response = client.get(SEARCH_URL, {"q": "ferry"})
    html = response.content.decode()

    assert "<script>alert(1)" not in html
    doc = lxml.html.fromstring(html)
    (snippet,) = css(doc, ".search-result__snippet")
    assert "<script>alert(1)</script>" in text(snippet)
    assert [element.tag for element in snippet.iterdescendants()] == ["mark"]


def test_headline_only_match_shows_no_body_snippet(client):
    make_story(headline="Ferry fares rise", body="<p>Tickets cost more from June.</p>")
    doc = search(client, q="ferry")
    assert result_headlines(doc) == ["Ferry fares rise"]
    assert not css(doc, ".search-result__snippet")


def test_snippet_from_markers_splits_matches_and_keeps_the_text():
    # ts_headline reads the body's text (no markup, entities already decoded).
    parts = snippet_from_markers("Fish & \x01chips\x02 on   the \x01pier\x02")
    assert parts == [
        SnippetPart("Fish & "),
        SnippetPart("chips", is_match=True),
        SnippetPart(" on the "),
        SnippetPart("pier", is_match=True),
    ]
    assert snippet_from_markers("no match here") == []
    assert snippet_from_markers(None) == []


def test_snippet_around_first_match_keeps_a_window_of_words():
    body = "<p>" + " ".join(f"w{n}" for n in range(100)) + " ferry " + "after " * 50 + "</p>"
    parts = snippet_around_first_match(body, ["Ferry"])
    assert parts[0] == SnippetPart("… ")
    assert parts[-1] == SnippetPart(" …")
    assert SnippetPart("ferry", is_match=True) in parts
    words = "".join(part.text for part in parts).split()
    assert len(words) <= 2 * 15 + 1 + 2  # the window, plus the two ellipses
    assert snippet_around_first_match("<p>nothing</p>", ["ferry"]) == []


# --- Filters ---------------------------------------------------------------------------


def test_filter_by_section_includes_secondary_sections(client):
    news = make_section(name="News")
    schools = make_section(name="Schools")
    make_story(headline="Budget in news", section=news)
    make_story(headline="Budget in schools", section=schools)
    make_story(headline="Budget also in news", section=schools, secondary_sections=[news])

    doc = search(client, q="budget", section=news.pk)

    assert sorted(result_headlines(doc)) == ["Budget also in news", "Budget in news"]


def test_filter_by_byline(client):
    ana = make_byline(name="Ana Reyes")
    ben = make_byline(name="Ben Okafor")
    make_story(headline="Budget by Ana", bylines=[ana])
    make_story(headline="Budget by both", bylines=[ben, (ana, StoryByline.Role.PHOTOS)])
    make_story(headline="Budget by Ben", bylines=[ben])

    doc = search(client, q="budget", byline=ana.pk)

    assert sorted(result_headlines(doc)) == ["Budget by Ana", "Budget by both"]


def test_byline_choices_are_only_bylines_with_public_stories(client):
    make_story(bylines=[make_byline(name="Published Writer")])
    make_story(bylines=[make_byline(name="Draft Writer")], status=Story.Status.DRAFT)
    make_byline(name="Idle Writer")

    doc = search(client)

    options = [text(o) for o in css(doc, 'select[name="byline"] option')]
    assert options == ["Anyone", "Published Writer"]


def test_date_range_uses_local_days_and_includes_both_ends(client):
    """A story at 23:30 local time on the 1st belongs to the 1st, whatever UTC says."""
    make_story(headline="Tide report early", published_at=local(2024, 2, 29, 23, 59))
    make_story(headline="Tide report first", published_at=local(2024, 3, 1, 0, 0))
    make_story(headline="Tide report late", published_at=local(2024, 3, 1, 23, 30))
    make_story(headline="Tide report next", published_at=local(2024, 3, 2, 0, 0))

    doc = search(client, q="tide", date_from="2024-03-01", date_to="2024-03-01")

    assert result_headlines(doc) == ["Tide report late", "Tide report first"]
    assert result_headlines(search(client, q="tide", date_to="2024-02-29")) == ["Tide report early"]
    assert result_headlines(search(client, q="tide", date_from="2024-03-02")) == [
        "Tide report next"
    ]


def test_filters_without_words_list_matching_stories_newest_first(client):
    news = make_section()
    now = timezone.now()
    make_story(headline="Older", section=news, published_at=now - timedelta(days=2))
    make_story(headline="Newer", section=news, published_at=now - timedelta(days=1))
    make_story(headline="Elsewhere")

    doc = search(client, section=news.pk)

    assert result_headlines(doc) == ["Newer", "Older"]
    assert "2 stories match these filters" in text(css(doc, "#results-heading")[0])


def test_extreme_dates_are_accepted_and_match_nothing_odd(client):
    make_story(headline="Tide report")
    doc = search(client, q="tide", date_from="0001-01-01", date_to="9999-12-31")
    assert result_headlines(doc) == ["Tide report"]


# --- Pages -----------------------------------------------------------------------------


def test_results_paginate_20_per_page_and_links_keep_the_search(client):
    news = make_section()
    now = timezone.now()
    for number in range(25):
        make_story(
            headline=f"Harbour {number:02d}", section=news,
            published_at=now - timedelta(hours=number + 1),
        )  # fmt: skip

    first = search(client, q="harbour", section=news.pk)
    assert len(result_headlines(first)) == 20
    (next_link,) = css(first, '.pagination a[rel="next"]')
    assert next_link.get("href") == f"?q=harbour&section={news.pk}&page=2"

    second = search(client, q="harbour", section=news.pk, page=2)
    assert len(result_headlines(second)) == 5
    assert set(result_headlines(first)).isdisjoint(result_headlines(second))


@pytest.mark.parametrize("page", ["3", "0", "abc", "99999999999999999999"])
def test_page_past_the_end_or_not_a_number_is_404(client, page):
    for _ in range(25):
        make_story(headline="Harbour news")
    assert client.get(SEARCH_URL, {"q": "harbour", "page": page}).status_code == 404


# The chosen section (form validation), section choices, byline choices, navigation,
# count, stories, their bylines; on PostgreSQL also the page's snippets (ts_headline).
SEARCH_QUERIES = 8 if connection.vendor == "postgresql" else 7


@pytest.mark.parametrize("matches", [3, 25])
def test_search_query_count_is_constant(client, django_assert_num_queries, matches):
    section = make_section()
    writers = [make_byline() for _ in range(3)]
    for number in range(matches):
        make_story(
            headline=f"Harbour story {number}", section=section,
            bylines=[writers[0], (writers[number % 3], StoryByline.Role.PHOTOS)],
        )  # fmt: skip
    make_story(headline="Harbour draft", status=Story.Status.DRAFT)

    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(SEARCH_URL, {"q": "harbour", "section": section.pk})

    assert response.status_code == 200
    assert response.content.decode().count('class="teaser__headline"') == min(matches, 20)


# --- The index (PostgreSQL) --------------------------------------------------------------


@postgres_only
def test_postgresql_answers_the_match_from_the_gin_index():
    """The query's document is the indexed expression, so the planner can use the index.

    With sequential and plain index scans off, the only way to find matches is a
    bitmap scan of an index; if the expressions drifted apart it would not be ours.
    """
    make_story(headline="Harbour reopens")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    query = SearchQuery("harbour", search_type="websearch", config=SEARCH_CONFIG)
    plan = Story.objects.alias(document=story_search_vector()).filter(document=query).explain()
    assert "Bitmap Index Scan on story_search_document" in plan, plan


def test_search_reads_text_never_markup(client):
    """Attribute values are not words: a link's rel or an image's file name never match."""
    make_story(
        headline="Harbour works",
        body='<p>See <a href="https://example.org/tidal">the plan</a>.</p>'
        '<figure><img src="/media/stories/gull-photo.jpg" alt="Gulls"></figure>',
    )
    for query in ("noopener", "gull-photo", "tidal"):
        assert result_headlines(search(client, q=query)) == [], query
    assert result_headlines(search(client, q="plan")) == ["Harbour works"]
