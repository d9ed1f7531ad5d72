"""Under the Content-Security-Policy, Chromium reports no violation: public pages, the
admin's story list and the story change form with its rich-text body editor."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.models import Story
from articles.roles import EDITOR
from tests.comments.factories import make_comment
from tests.factories import TEST_PASSWORD, make_byline, make_image_file, make_story, make_user

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Injected by Playwright (outside the page's CSP): collects every violation the page sees.
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def watched_page(new_page):
    page = new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    problems: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page, problems


def visit(page, problems, url: str) -> None:
    response = page.goto(url)
    assert (
        response is not None
        and "Content-Security-Policy" in response.headers
        or ("content-security-policy" in response.headers)
    )
    page.wait_for_load_state("networkidle")
    problems += [f"{url}: {v}" for v in page.evaluate("window.__violations")]


def test_public_pages_run_under_the_policy(live_server, new_page):
    byline = make_byline(name="Ada Reporter", slug="ada-reporter")
    story = make_story(
        bylines=[byline], tags=["ferries"], lead_image=make_image_file(800, 500),
        lead_image_alt="A ferry at the dock",
    )  # fmt: skip
    make_comment(story)
    page, problems = watched_page(new_page)
    for path in (
        "/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        "/byline/ada-reporter/",
        "/tag/ferries/",
        "/search/?q=story",
        "/corrections/",
        "/no-such-page/",
    ):
        visit(page, problems, live_server.url + path)
    assert problems == []


def test_the_desk_and_the_body_editor_run_under_the_policy(live_server, roles, new_page, log_in):
    editor = make_user(username="cspeditor", is_staff=True)
    editor.groups.add(roles[EDITOR])
    story = make_story(
        status=Story.Status.DRAFT, published_at=None, body="<p>Existing <strong>text</strong>.</p>"
    )
    page, problems = watched_page(new_page)
    log_in(page, "cspeditor", TEST_PASSWORD)
    visit(page, problems, f"{live_server.url}/admin/articles/story/")
    visit(page, problems, f"{live_server.url}/admin/articles/story/{story.pk}/change/")
    body = page.locator(".field-body .ProseMirror[contenteditable=true]")
    body.wait_for()
    body.click()
    page.keyboard.type(" More words.")
    page.locator(".field-body .prose-menubar button").first.wait_for()
    problems += [f"after typing: {v}" for v in page.evaluate("window.__violations")]
    visit(page, problems, f"{live_server.url}/admin/articles/story/add/")
    visit(page, problems, f"{live_server.url}/newsdesk/")
    assert problems == []
