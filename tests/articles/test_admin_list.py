"""The story list at scale: constant queries, and search through the full-text index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_byline, make_section, make_story

pytestmark = pytest.mark.django_db


def changelist(client, query: str = ""):
    return client.get(reverse("admin:articles_story_changelist") + query)


@pytest.mark.parametrize("count", [3, 30])
def test_story_list_runs_a_constant_number_of_queries(superuser_client, count):
    section, byline = make_section(), make_byline()
    for _ in range(count):
        make_story(section=section, bylines=[byline, make_byline()], tags=["Budget"])
    changelist(superuser_client)  # warm the session and content types
    with CaptureQueriesContext(connection) as queries:
        assert changelist(superuser_client).status_code == 200
    # Pinned: the same for 3 and 30 stories (sessions, user, counts, list, bylines,
    # the filters' choices and the date hierarchy).
    assert len(queries) == EXPECTED_LIST_QUERIES, [q["sql"] for q in queries]


EXPECTED_LIST_QUERIES = 9


def test_search_finds_body_words_and_headline_fragments(superuser_client):
    body = make_story(headline="Budget vote", body="<p>The levees were inspected twice.</p>")
    headline = make_story(headline="Riverside marathon returns")
    other = make_story(headline="Nothing here", body="<p>Quiet week.</p>")
    page = changelist(superuser_client, "?q=levee").content.decode()
    assert body.headline in page and other.headline not in page
    page = changelist(superuser_client, "?q=marath").content.decode()
    assert headline.headline in page and other.headline not in page


def test_search_uses_the_full_text_index_on_postgresql(superuser_client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite searches with LIKE")
    make_story(body="<p>The levees were inspected.</p>")
    with CaptureQueriesContext(connection) as queries:
        changelist(superuser_client, "?q=levee")
    sql = "\n".join(q["sql"] for q in queries if "articles_story" in q["sql"])
    assert "@@" in sql
    assert '"articles_story"."body"::text LIKE' not in sql
    assert 'UPPER("articles_story"."body"' not in sql
