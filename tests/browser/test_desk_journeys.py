"""The desk as people use it, in Chromium: a reporter's story from draft to correction
and take-down, and the ways copy used to get lost (a workflow button pressed with
unsaved edits, a crashed browser, leaving the page).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from articles.models import Story
from articles.roles import CONTRIBUTOR, EDITOR
from notifications.models import Notification
from tests.browser.test_editorial_flow import choose_in_autocomplete, expect_message, member
from tests.factories import TEST_PASSWORD, make_byline, make_section, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTOSAVE_WAIT_MS = 15_000


def jpeg_file(tmp_path, name="harbour.jpg"):
    path = tmp_path / name
    buffer = BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 140)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def open_story(page, base, story) -> None:
    page.goto(f"{base}/admin/articles/story/{story.pk}/change/")


def test_a_story_from_the_reporter_to_a_correction_and_a_take_down(
    live_server, roles, new_page, log_in, log_out, client, tmp_path
):
    base = live_server.url
    member(roles[CONTRIBUTOR], "rita")
    member(roles[EDITOR], "eddie")
    section = make_section(name="Harbour", slug="harbour")
    rita_byline = make_byline(name="Rita Moreno", slug="rita-moreno")
    photo_byline = make_byline(name="Paz Vega", slug="paz-vega")
    Tag.objects.create(name="Ferries")

    # The reporter writes the story: two bylines, a photo, a tag; then submits it.
    page = new_page()
    log_in(page, "rita", TEST_PASSWORD)
    assert page.url.endswith("/newsdesk/")  # her queue, not the raw admin
    page.goto(f"{base}/admin/articles/story/add/")
    page.fill("#id_headline", "Ferry fares rise in June")
    page.fill("#id_dek", "The harbour board approved a ten percent rise.")
    page.locator(".field-body .ProseMirror[contenteditable=true]").click()
    page.keyboard.type("The new fares start on June 1.")
    choose_in_autocomplete(page, "id_section", section.name)
    page.fill("#id_tags", "Ferries")
    page.set_input_files("#id_lead_image_upload", str(jpeg_file(tmp_path)))
    page.fill("#id_lead_image_alt", "A ferry at the harbour wall")
    choose_in_autocomplete(page, "id_story_bylines-0-byline", rita_byline.name)
    page.click(".add-row a")
    page.select_option("#id_story_bylines-1-role", "photos")
    choose_in_autocomplete(page, "id_story_bylines-1-byline", photo_byline.name)
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was added successfully")
    story = Story.objects.get(headline="Ferry fares rise in June")
    assert [c.byline.name for c in story.credited_bylines] == ["Rita Moreno", "Paz Vega"]
    assert list(story.tags.names()) == ["Ferries"]
    assert story.lead_image
    page.click(".desk-action--submit button")
    expect_message(page, "submitted for review")
    log_out(page)

    # The editor hears of it, and sends it back with a note.
    log_in(page, "eddie", TEST_PASSWORD)
    assert "(1 new)" in page.locator(".desk-links").inner_text()
    assert Notification.objects.filter(recipient__username="eddie", kind="submitted").exists()
    open_story(page, base, story)
    page.fill(".desk-action--request_changes textarea", "Say when the board voted.")
    page.click(".desk-action--request_changes button")
    expect_message(page, "sent back to Draft")
    log_out(page)

    # The reporter reads the note in her inbox, fixes the dek and submits again.
    log_in(page, "rita", TEST_PASSWORD)
    page.goto(f"{base}/newsdesk/inbox/")
    assert "Say when the board voted." in page.content()
    page.click("text=Sent back with a note")
    page.fill("#id_dek", "The harbour board approved a ten percent rise on Monday.")
    page.click(".desk-action--submit button")
    expect_message(page, "submitted for review")
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW
    assert story.dek.endswith("on Monday.")
    log_out(page)

    # The editor schedules it a few seconds ahead; it goes live at its time.
    log_in(page, "eddie", TEST_PASSWORD)
    open_story(page, base, story)
    go_live = timezone.localtime(timezone.now() + timedelta(seconds=6))
    page.locator("#step-schedule-at").evaluate(
        "(input, value) => { input.value = value; }", go_live.strftime("%Y-%m-%dT%H:%M:%S")
    )
    page.click(".desk-action--schedule button")
    expect_message(page, "saved and scheduled")
    story.refresh_from_db()
    url = story.get_absolute_url()
    reader = new_page()
    assert reader.goto(f"{base}{url}").status == 404
    deadline = time.monotonic() + 30
    while reader.goto(f"{base}{url}").status != 200:
        assert time.monotonic() < deadline, "the story did not go live at its time"
        time.sleep(1)
    assert "Ferry fares rise in June" in reader.content()

    # A correction, then a take-down.
    open_story(page, base, story)
    page.fill(".desk-action--correct textarea", "The rise is nine percent, not ten.")
    page.click(".desk-action--correct button")
    expect_message(page, "correction published")
    reader.goto(f"{base}{url}")
    assert "The rise is nine percent, not ten." in reader.content()
    page.fill(".desk-action--unpublish textarea", "The board reversed its vote.")
    page.click(".desk-action--unpublish button")
    expect_message(page, "unpublished")
    assert reader.goto(f"{base}{url}").status == 404


def test_pressing_publish_with_unsaved_edits_publishes_them(live_server, roles, new_page, log_in):
    member(roles[EDITOR], "eddie")
    story = make_story(headline="Pool opens", status=Story.Status.DRAFT, published_at=None)
    page = new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    open_story(page, live_server.url, story)
    page.fill("#id_dek", "Typed a moment before pressing Publish.")
    page.click(".desk-action--publish button")
    expect_message(page, "saved and published")
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.dek == "Typed a moment before pressing Publish."


def test_an_invalid_form_keeps_the_edits_when_a_step_is_pressed(
    live_server, roles, new_page, log_in
):
    member(roles[EDITOR], "eddie")
    story = make_story(headline="Pool opens", status=Story.Status.DRAFT, published_at=None)
    page = new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    open_story(page, live_server.url, story)
    page.fill("#id_headline", "")
    page.fill("#id_dek", "Careful words I must not lose.")
    page.click(".desk-action--publish button")
    expect_message(page, "Not published")
    assert page.input_value("#id_dek") == "Careful words I must not lose."
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_autosave_survives_a_crashed_browser(live_server, roles, chromium, log_in):
    member(roles[EDITOR], "eddie")
    story = make_story(headline="Pool opens", status=Story.Status.DRAFT, published_at=None)
    crashed = chromium.new_context()
    page = crashed.new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    open_story(page, live_server.url, story)
    page.fill("#id_dek", "Words typed just before the crash.")
    page.locator("#autosave-status", has_text="autosaved").wait_for(timeout=AUTOSAVE_WAIT_MS)
    crashed.close()  # no save, no goodbye: the browser is gone

    fresh = chromium.new_context()
    try:
        page = fresh.new_page()
        log_in(page, "eddie", TEST_PASSWORD)
        open_story(page, live_server.url, story)
        page.locator(".desk-autosave-offer").wait_for()
        page.click("text=Restore what I typed")
        assert page.input_value("#id_dek") == "Words typed just before the crash."
        page.locator("input[name=_continue]").first.click()
        expect_message(page, "was changed successfully")
        story.refresh_from_db()
        assert story.dek == "Words typed just before the crash."
    finally:
        fresh.close()
        # As the new_page fixture does: the closing page's last request (the edit lock's
        # release) must be answered before the test database is emptied.
        time.sleep(0.5)


def test_leaving_with_unsaved_changes_asks_first(live_server, roles, new_page, log_in):
    member(roles[EDITOR], "eddie")
    story = make_story(headline="Pool opens", status=Story.Status.DRAFT, published_at=None)
    page = new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    open_story(page, live_server.url, story)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator("#id_dek").press_sequentially("Unsaved words.")
    page.evaluate("() => { window.location.href = '/newsdesk/'; }")
    page.wait_for_timeout(1000)
    assert asked == ["beforeunload"]
    assert re.search(r"/story/\d+/change/", page.url)
    assert "Unsaved words." in page.input_value("#id_dek")
