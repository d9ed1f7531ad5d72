"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import make_editor, make_superuser, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and image renditions go to a fresh directory for every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # imagekit remembers which renditions exist in the cache; forget the last test's.
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


QUERY_COUNTING_FIXTURES = {"django_assert_num_queries", "django_assert_max_num_queries"}


@pytest.fixture(autouse=True)
def page_cache_off_when_counting_queries(request, settings):
    """Query counts measure what a page costs to build, so they bypass the page cache.

    Every other test runs with the page cache on, so a change that a test makes and then
    reads back through a page also proves that the change purged the cached page.
    """
    if QUERY_COUNTING_FIXTURES & set(request.fixturenames):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def reader(db):
    """A logged-in account with no staff rights."""
    return make_user(username="reader")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def editor(db):
    """Staff with every permission of the articles app."""
    return make_editor(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db):
    return make_superuser(username="chief")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
