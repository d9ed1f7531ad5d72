"""The search page with odd input: too long, no words, hostile characters, odd pages."""

from __future__ import annotations

import pytest

from tests.articles.searching import (
    SEARCH_URL,
    result_headlines,
    search,
    text,
)
from tests.factories import css, make_story

pytestmark = pytest.mark.django_db


# --- Odd input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 10_000}, "That search is too long"),
        ({"q": "!!! ??? ..."}, "at least one word or number"),
        ({"q": "—"}, "at least one word or number"),
        ({"section": "news"}, "Choose a section from the list"),
        ({"section": "99999999999999999999999999"}, "Choose a section from the list"),
        ({"byline": "-1"}, "Choose a name from the list"),
        ({"date_from": "2024-13-45"}, "Enter a date"),
        ({"date_to": "yesterday"}, "Enter a date"),
        ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, "before the first date"),
    ],
)
def test_invalid_search_explains_itself_instead_of_failing(client, params, message):
    make_story(headline="Flood warning")

    doc = search(client, **params)

    assert css(doc, ".alert-danger")
    assert message in text(css(doc, "#search-form")[0])
    assert not css(doc, ".search-results")


@pytest.mark.parametrize(
    "q",
    [
        "x" * 200,
        "'; DROP TABLE articles_story; --",
        '" OR 1=1 --',
        "%_%",
        "flood' OR 'a'='a",
        "<script>alert(1)</script>",
        '"unbalanced quote',
        "- -- ---flood",
        "or and not",
        "the of and",
        "café naïve 東京 Ελλάδα",
        "emoji 🌊 flood",
        "a:* & b | !c",
    ],
)
def test_odd_searches_give_a_normal_page(client, q):
    make_story(headline="Flood warning", body="<p>Water is rising near the dam.</p>")

    response = client.get(SEARCH_URL, {"q": q})

    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize(
    "params",
    [{"q": "flood\x00"}, {"byline": "1\x00"}, {"q": "flood\tbreak\nline"}, {"q": "\x01\x02 flood"}],
)
def test_control_characters_in_a_search_are_refused_with_a_page_that_says_why(client, params):
    """No page takes control characters in its address (newsroom/middleware.py): a 400."""
    make_story(headline="Flood warning")
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 400
    assert b"characters that no page here uses" in response.content


def test_punctuation_inside_a_query_still_finds_the_words(client):
    make_story(headline="Flood warning issued")
    assert result_headlines(search(client, q="flood, warning!")) == ["Flood warning issued"]


def test_sql_wildcards_are_searched_for_literally(client):
    make_story(headline="Turnout hit 50% in ward 3")
    make_story(headline="Turnout was low")

    assert result_headlines(search(client, q="50%")) == ["Turnout hit 50% in ward 3"]
