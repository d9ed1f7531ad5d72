"""Fixtures shared by the whole suite."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from articles.demo.content import DemoContent, demo_content
from articles.images import forget_renditions
from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from library.renditions import forget_urls
from tests.comments.factories import member
from tests.factories import make_editor, make_superuser, make_user

DEMO_FIXTURE = "demo_newsroom"


@dataclass(frozen=True)
class DemoNewsroom:
    """The module's demo newsroom: what `load_demo` printed, its content and its files."""

    output: str
    content: DemoContent
    media_root: Path


@pytest.fixture(scope="module")
def demo_newsroom(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoNewsroom:
    """The demo newsroom, built once per test module and rolled back after its last test.

    Building it takes seconds, so a module builds it once, inside an outer transaction
    that each test's own transaction nests in (as Django's `setUpTestData` does): every
    test sees the demo as freshly loaded, whatever the test before it changed. It is
    built with DEBUG on, so the demo logins exist. Each test gets a fresh MEDIA_ROOT that
    starts with the demo's pictures (see `media_root`).

    Tests that need an empty database can share a module with it:
    `pytest_collection_modifyitems` runs them before the demo is built.
    """
    media = tmp_path_factory.mktemp("demo-media")
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media, DEBUG=True):
                call_command("load_demo", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield DemoNewsroom(output=out.getvalue(), content=demo_content(), media_root=media)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    cache.clear()


# The slowest modules (a browser, servers of their own, fuzzing): started first, so the
# two workers share out the many quick modules after them instead of waiting on one
# long module at the end.
SLOW_FIRST = (
    "tests/browser/", "tests/faults/", "tests/security/test_fuzz.py",
    "tests/articles/test_admin_roundtrip.py", "tests/backups/",
    "tests/security/test_public_invariants.py",
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow modules first; in each module, the tests that use the shared demo newsroom last.

    The others then see an empty database, because the module's demo is built just
    before its first test and rolled back after its last. Tests that commit (transactional
    tests, the live server) cannot nest in its transaction, so they may not use it.
    """
    modules: dict[str, tuple[bool, int]] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        modules.setdefault(path, (not path.startswith(SLOW_FIRST), len(modules)))
        if DEMO_FIXTURE in item.fixturenames and _commits(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot use {DEMO_FIXTURE}, "
                "whose rows live in a transaction that is rolled back"
            )
    items.sort(
        key=lambda item: (modules[item.nodeid.split("::")[0]], DEMO_FIXTURE in item.fixturenames)
    )


def _commits(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    )
    return transactional or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Uploads and image renditions go to a fresh directory for every test.

    A test that uses the demo newsroom finds the demo's pictures there: hard links to the
    module's files, so copying is instant and nothing a test stores or deletes reaches
    the next test. (Storage never rewrites a file in place, so the links are safe.)
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    if DEMO_FIXTURE in request.fixturenames:
        demo = request.getfixturevalue(DEMO_FIXTURE)
        shutil.copytree(demo.media_root, settings.MEDIA_ROOT, copy_function=os.link)
    # imagekit remembers which renditions exist in the cache, and pages their URLs and
    # sizes in the process: forget the last test's (its files were in another folder).
    cache.clear()
    forget_renditions()
    forget_urls()
    yield settings.MEDIA_ROOT
    cache.clear()
    forget_renditions()
    forget_urls()


QUERY_COUNTING_FIXTURES = {"django_assert_num_queries", "django_assert_max_num_queries"}


@pytest.fixture(autouse=True)
def page_cache_off_when_counting_queries(request, settings):
    """Query counts measure what a page costs to build, so they bypass the page cache.

    Every other test runs with the page cache on, so a change that a test makes and then
    reads back through a page also proves that the change purged the cached page.
    """
    if QUERY_COUNTING_FIXTURES & set(request.fixturenames):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


# Staff in the newsroom's roles (the groups the migrations make), for tests of the desk.


@pytest.fixture
def contributor(db):
    return member(CONTRIBUTOR, username="casey")


@pytest.fixture
def other_contributor(db):
    return member(CONTRIBUTOR, username="robin")


@pytest.fixture
def desk_editor(db):
    return member(EDITOR, username="eddie")


@pytest.fixture
def administrator(db):
    return member(ADMINISTRATOR, username="ada")


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
