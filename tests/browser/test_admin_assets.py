"""The story change form loads its rich-text editor: static files served, no script errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.models import Story
from articles.roles import EDITOR
from tests.factories import TEST_PASSWORD, make_story, make_user

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_form_loads_the_body_editor_without_errors(live_server, roles, new_page, log_in):
    editor = make_user(username="eddie", is_staff=True)
    editor.groups.add(roles[EDITOR])
    story = make_story(
        status=Story.Status.DRAFT, published_at=None, body="<p>Existing <strong>text</strong>.</p>"
    )
    page = new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        # The admin has no favicon of its own; the browser's request for one is not ours.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )

    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert problems == []

    body = page.locator(".field-body .ProseMirror[contenteditable=true]")
    body.wait_for()
    assert "Existing text." in body.inner_text()
    assert body.locator("strong", has_text="text").count() == 1
    # The toolbar is drawn by the editor's script and styled by its CSS and icon font.
    assert page.locator(".field-body .prose-menubar button").count() > 5
    assert page.locator("textarea#id_body").is_hidden()
    assert problems == []
