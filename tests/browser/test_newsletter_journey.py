"""Newsletters in Chromium: a reader subscribes and confirms from the confirmation e-mail;
an editor builds an edition on the desk, previews it and sends it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from articles.roles import EDITOR
from newsletters.models import Newsletter, Subscriber
from tests.a11y_pages import NODE_MODULES
from tests.browser.test_editorial_flow import expect_message, member
from tests.factories import TEST_PASSWORD, make_section, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def general_newsletters():
    # A transactional test starts from empty tables: the migration's rows are gone.
    for kind, name in [
        ("daily", "Daily digest"),
        ("weekly", "Weekly digest"),
        ("breaking", "Breaking news"),
    ]:
        Newsletter.objects.get_or_create(kind=kind, defaults={"name": name, "slug": kind})


def axe_violations(page) -> list:
    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]


@pytest.fixture
def axe_page(chromium, transactional_db):
    """A page axe-core can be put in (as an inline script, which the site's CSP refuses;
    the policy itself is tested in test_content_security_policy.py)."""
    from tests.browser.conftest import TIMEOUT_MS, VIEWPORT

    contexts = []

    def open_page():
        context = chromium.new_context(viewport=VIEWPORT, bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_reader_subscribes_and_an_editor_sends_them_an_edition(
    live_server, roles, axe_page, log_in
):
    base = live_server.url
    general_newsletters()
    section = make_section(name="Harbour", slug="harbour")
    story = make_story(section=section, headline="Ferry fares rise in June")
    make_story(section=section, headline="New pier opens")
    mail.outbox.clear()

    # The reader signs up from the story page.
    page = axe_page()
    page.goto(base + story.get_absolute_url())
    page.fill("#id_newsletter-email", "ana@example.org")
    page.check("input[name='newsletter-kinds'][value='daily']")
    page.click("#newsletter-signup input[type=submit], #newsletter-signup button[type=submit]")
    page.locator("h1", has_text="Check your inbox").wait_for()
    assert Subscriber.objects.count() == 0
    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/newsletters/confirm/\S+/", confirmation.body).group(0)
    page.goto(link)
    assert not axe_violations(page)
    page.click("#confirm-subscription")
    page.locator("text=your subscription is confirmed").wait_for()
    assert not axe_violations(page)
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at and [n.kind for n in subscriber.newsletters.all()] == ["daily"]

    # The editor builds the edition: prefilled with the newest stories; previews; sends.
    member(roles[EDITOR], "eddie")
    desk = axe_page()
    log_in(desk, "eddie", TEST_PASSWORD)
    desk.goto(f"{base}/admin/newsletters/edition/add/")
    desk.select_option("#id_newsletter", label="Daily digest")
    desk.fill("#id_subject", "Tonight on the harbour")
    desk.fill("#id_intro", "Good evening.\n\nTwo stories from the waterfront.")
    desk.locator("input[name=_continue]").first.click()
    expect_message(desk, "was added successfully")
    # Prefilled with the newest stories, which the editor can reorder or remove.
    assert "New pier opens" in desk.content() and "Ferry fares rise in June" in desk.content()
    # Each story is named once, by its chooser, and its headline is not cut short.
    named = desk.locator("#items-group td.original p", has_text="New pier opens")
    assert named.count() == 1 and named.is_hidden()
    chooser = desk.locator("#items-group .select2-selection__rendered").first
    assert chooser.evaluate("e => e.scrollWidth <= e.clientWidth")
    with desk.expect_popup() as preview:
        desk.click("#preview-email")
    email_page = preview.value
    email_page.locator("text=Ferry fares rise in June").first.wait_for()
    assert not axe_violations(email_page)
    desk.click("#send-now")
    expect_message(desk, "is being sent")
    desk.locator("text=1 sent · 0 failed").first.wait_for()
    edition_mail = mail.outbox[-1]
    assert edition_mail.to == ["ana@example.org"]
    assert edition_mail.subject == "Tonight on the harbour"
    assert edition_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
