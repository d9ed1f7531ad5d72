"""Arranging the home page in Chromium: an editor pins an older story as the lead, drags
the top stories into order, previews the layout, publishes it, and a logged-out reader
sees the new front at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.roles import EDITOR
from tests.browser.test_editorial_flow import choose_in_autocomplete, expect_message, member
from tests.factories import TEST_PASSWORD, make_section, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_arranges_previews_and_publishes_the_front(live_server, roles, new_page, log_in):
    base = live_server.url
    member(roles[EDITOR], "eddie")
    news = make_section(name="News", slug="news")
    now = timezone.now()
    for hours, headline in enumerate(["Newest budget story", "Bridge reopens",
                                      "School board race", "Old but important story"]):  # fmt: skip
        make_story(headline=headline, section=news, published_at=now - timedelta(hours=hours + 1))

    page = new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{base}/admin/fronts/front/add/")
    page.fill("#id_note", "Election week")
    # The lead: an older story.
    page.select_option("#id_pins-0-slot", "lead")
    choose_in_autocomplete(page, "id_pins-0-story", "Old but important")
    # Two top stories; saved as a draft, then put into the other order.
    page.click("#pins-group .add-row a")
    choose_in_autocomplete(page, "id_pins-1-story", "School board race")
    page.click("#pins-group .add-row a")
    choose_in_autocomplete(page, "id_pins-2-story", "Bridge reopens")
    page.click("input[name=_continue]")
    expect_message(page, "was added successfully")
    bridge = page.locator("#pins-group tbody tr.has_original").filter(has_text="Bridge reopens")
    bridge.locator(".move-begin").click()
    page.click("input[name=_continue]")
    expect_message(page, "was changed successfully")

    # The preview shows the layout as readers will see it; readers do not see it yet.
    with page.expect_popup() as popup:
        page.click("text=Preview as readers will see it")
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator(".lead__headline").inner_text() == "Old but important story"
    reader = new_page()
    reader.goto(f"{base}/")
    assert reader.locator(".lead__headline").inner_text() == "Newest budget story"

    # Publish; the reader reloads and sees the new front.
    page.click("input[name=_publish_now]")
    expect_message(page, "is the home page now")
    reader.reload()
    assert reader.locator(".lead__headline").inner_text() == "Old but important story"
    latest = reader.locator(".latest .teaser__headline").all_inner_texts()
    assert [text.strip() for text in latest[:3]] == [
        "Bridge reopens",
        "School board race",
        "Newest budget story",
    ]  # the top stories in the order set, then the newest
