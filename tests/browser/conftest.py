"""Browser fixtures: Debian's Chromium driven by Playwright's sync API.

The tests in this folder are marked `browser` and skip themselves when /usr/bin/chromium
(or Playwright) is missing. They run against pytest-django's `live_server`.
"""

from __future__ import annotations

import os
import time

import pytest

from .chromium import CHROMIUM, launch

VIEWPORT = {"width": 1280, "height": 900}
# Playwright waits this long (ms) for an element or a navigation before failing.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def chromium(django_db_setup, django_db_blocker):
    """One headless Chromium for the module's tests.

    Playwright's sync API keeps an asyncio loop marked as running in this thread while
    the test runs. Django then takes the thread for an async context: it refuses ORM
    calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and opens database connections of
    their own, closed here at the end.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    try:
        browser = launch(playwright)
        yield browser
        browser.close()
    finally:
        # Close the connections opened while Playwright ran, so the test database can go.
        with django_db_blocker.unblock():
            connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def roles(transactional_db):
    """The role groups (Contributor, Editor, Administrator), as their migrations make them.

    Every transactional test ends by emptying the tables; post_migrate then makes the
    roles again (articles.roles.ensure_roles), and this makes sure of them.
    """
    from articles.roles import ROLES, ensure_role

    return {name: ensure_role(name) for name in ROLES}


@pytest.fixture
def new_page(chromium, transactional_db):
    """Open a page in a fresh browser context (its own cookies): `new_page()`.

    Its pages are closed before the test database is emptied: a page that leaves sends
    a last request (the desk releases its edit lock), which must not meet the flush.
    """
    contexts = []

    def open_page():
        context = chromium.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    time.sleep(0.3)  # let the server answer what the closing pages sent


@pytest.fixture
def log_in(live_server):
    """Log in through the admin's login form: `log_in(page, username, password)`."""

    def do_log_in(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#login-form input[type=submit]")
        # Administrators land on the admin index, reporters and editors on the newsdesk.
        page.wait_for_url(lambda url: "/login/" not in url)

    return do_log_in


@pytest.fixture
def log_out():
    """Log out with the admin header's button (a POST, as Django requires): `log_out(page)`."""

    def do_log_out(page) -> None:
        page.click("#logout-form button")
        page.wait_for_selector("text=Thanks for spending some quality time")

    return do_log_out
