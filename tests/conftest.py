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
