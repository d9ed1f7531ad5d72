"""Old WordPress addresses with hostile values: never a 500, never a query with them."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http import HttpResponseNotFound

from tests.wordpress.exports import export, item, run_import, write
from wordpress.middleware import LegacyURLMiddleware
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@contextmanager
def hostile_queries():
    """The queries that carry a control character, in their SQL or their parameters."""
    found: list[str] = []

    def inspect(execute, sql, params, many, context):
        values = [sql, *(params or ())] if not many else [sql]
        if any(isinstance(value, str) and CONTROL.search(value) for value in values):
            found.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(inspect):
        yield found


@pytest.fixture
def imported_site(tmp_path):
    run_import(write(tmp_path, export(item(7, "Public"))))
    return ImportedItem.objects.select_related("story__section").get(wp_id=7).story


@pytest.mark.parametrize(
    "query",
    [
        {"p": "²"}, {"page_id": "²"}, {"attachment_id": "①"}, {"p": "٧"},
        {"p": "9" * 40}, {"page_id": "-7"},
    ],
)  # fmt: skip
def test_short_links_that_are_not_ascii_numbers_fall_through(client, imported_site, query):
    """str.isdigit() accepts "²" and "①", which int() refuses: the home page answers."""
    response = client.get("/", query)
    assert response.status_code == 200


def test_a_short_link_with_a_control_character_is_a_bad_request(client, imported_site):
    """Refused before any view runs (newsroom/middleware.py), so never looked up."""
    with hostile_queries() as hostile:
        response = client.get("/", {"p": "7\x00"})
    assert response.status_code == 400
    assert hostile == []


def test_a_short_link_still_redirects(client, imported_site):
    response = client.get("/", {"p": "7"})
    assert response.status_code == 301
    assert response["Location"] == imported_site.get_absolute_url()


@pytest.mark.parametrize(
    "query",
    [{"cat": "\x00"}, {"tag": "city\x00hall"}, {"cat": "4\x1b"}, {"tag": "\x7f"}, {"p": "\x00"}],
)
def test_control_characters_in_archive_links_never_reach_the_database(client, query):
    with hostile_queries() as hostile:
        response = client.get("/", query)
    assert response.status_code == 400
    assert hostile == []


@pytest.mark.parametrize(
    "path", ["/\x00/", "/category/news\x00/", "/tag/a\x1fb/", "/author/\x9b/page/2/"]
)
def test_control_characters_in_paths_never_reach_the_database(rf, path):
    """A path that is not found is looked up among old addresses, unless it is hostile."""
    middleware = LegacyURLMiddleware(lambda request: HttpResponseNotFound())
    with hostile_queries() as hostile:
        response = middleware(rf.get(path))
    assert response.status_code == 404
    assert hostile == []
