"""The other public pages' SQL queries, pinned like tests/articles/test_queries.py's:
feeds, the corrections page, the sitemaps, the search page, a story with comments.

Each is measured with a few stories and with many; the count must be the same.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Correction
from tests.articles.test_queries import build_newsroom
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db

# With the navigation already in the cache (a second request).
EXPECTED_QUERIES = {
    # stories, their bylines, their tags
    "feed": 3,
    "feed (Atom)": 3,
    # the section, byline or tag, then as the site feed
    "section feed": 4,
    "byline feed": 4,
    "tag feed": 4,
    # the count, the page of corrections with their stories
    "corrections": 2,
    # one list per kind of page (stories, sections, bylines, tags)
    "sitemap": 4,
    "news sitemap": 1,
    # the section and writer choices, the latest stories and their bylines
    "search form": 4,
    # the story page's five, its corrections, its comments
    "story with comments": 7,
}


def pages(story_count: int) -> dict[str, str]:
    built = build_newsroom(story_count)
    story = built["story"]
    return {
        "feed": reverse("articles:feed"),
        "feed (Atom)": reverse("articles:feed_atom"),
        "section feed": built["section"] + "feed/",
        "byline feed": built["byline"] + "feed/",
        "tag feed": built["tag"] + "feed/",
        "corrections": reverse("articles:corrections"),
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "search form": reverse("articles:search"),
        "story with comments": story,
    }


def with_comments_and_corrections(urls: dict[str, str]) -> None:
    from articles.models import Story

    for story in Story.objects.listed():
        Correction.objects.create(story=story, text="A name was misspelled.")
        for _ in range(2):
            make_comment(story)


@pytest.mark.parametrize("size", [3, 25])
@pytest.mark.parametrize("page", list(EXPECTED_QUERIES))
def test_other_public_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, page, size
):
    urls = pages(size)
    with_comments_and_corrections(urls)
    client.get(urls[page])  # the navigation and the site's settings come from the cache
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        response = client.get(urls[page])
    assert response.status_code == 200
