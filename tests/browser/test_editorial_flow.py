"""The editorial workflow end to end, in a real browser.

A contributor writes a story in the admin and submits it; an editor sends it back with a
note; the contributor reads the note, fixes the headline and submits again; the editor
schedules it a few seconds ahead. A reader sees nothing until that time, then the story
and its teaser on the section page.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Story, StoryLogEntry
from articles.roles import CONTRIBUTOR, EDITOR
from tests.factories import TEST_PASSWORD, make_byline, make_section, make_user

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True),
]

FIRST_HEADLINE = "River council delays bridge vote"
SECOND_HEADLINE = "River council delays bridge vote until spring"
DEK = "Members want an independent cost estimate first."
BODY = "The council voted 5 to 2 on Tuesday to wait for the estimate."
NOTE = "Please give the new date of the vote in the headline."
SCHEDULE_AHEAD = timedelta(seconds=8)
WAIT_FOR_PUBLICATION_S = 20


def member(group, username: str):
    user = make_user(username=username, is_staff=True)
    user.groups.add(group)
    return user


def choose_in_autocomplete(page, select_id: str, text: str) -> None:
    """Pick `text` in a select2 autocomplete: open it, type, press Enter."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    # Wait for the answer to the search, not the list shown on opening.
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    search.press("Enter")
    page.locator(f"#{select_id} + .select2 .select2-selection", has_text=text).wait_for()


def expect_message(page, text: str) -> None:
    page.locator(".messagelist li", has_text=text).wait_for()


def test_story_goes_from_draft_through_review_to_scheduled_publication(
    live_server, roles, new_page, log_in, log_out
):
    started = time.monotonic()
    base = live_server.url
    contributor = member(roles[CONTRIBUTOR], "casey")
    editor = member(roles[EDITOR], "eddie")
    section = make_section(name="City Hall", slug="city-hall")
    byline = make_byline(name="Casey Jones", slug="casey-jones")

    page = new_page()

    # The contributor writes the draft in the admin's add form.
    log_in(page, "casey", TEST_PASSWORD)
    page.goto(f"{base}/admin/articles/story/add/")
    page.locator("#id_headline").press_sequentially(FIRST_HEADLINE)
    page.fill("#id_dek", DEK)
    editor_area = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_area.click()
    page.keyboard.type(BODY)
    choose_in_autocomplete(page, "id_section", section.name)
    choose_in_autocomplete(page, "id_story_bylines-0-byline", byline.name)
    assert page.input_value("#id_slug") == "river-council-delays-bridge-vote"
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was added successfully")
    story_id = int(re.search(r"/story/(\d+)/change/", page.url)[1])
    story = Story.objects.get(pk=story_id)
    assert story.status == Story.Status.DRAFT
    assert story.created_by == contributor
    assert story.section == section
    assert BODY in story.body
    assert [credit.byline for credit in story.credited_bylines] == [byline]

    page.click(".desk-action--submit button")
    expect_message(page, "submitted for review")
    assert page.locator(".desk-status strong").first.inner_text() == "In review"
    log_out(page)

    # The editor finds it under "In review" and sends it back with a note.
    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{base}/admin/articles/story/?desk=review")
    page.click(f"#result_list a:text-is('{FIRST_HEADLINE}')")
    page.fill(".desk-action--request_changes textarea", NOTE)
    page.click(".desk-action--request_changes button")
    expect_message(page, "sent back to Draft")
    log_out(page)

    # The contributor reads the note, fixes the headline and submits again.
    log_in(page, "casey", TEST_PASSWORD)
    page.goto(f"{base}/admin/articles/story/{story_id}/change/")
    page.locator(".timeline__entry--request_changes", has_text=NOTE).wait_for()
    page.fill("#id_headline", SECOND_HEADLINE)
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was changed successfully")
    page.click(".desk-action--submit button")
    expect_message(page, "submitted for review")
    log_out(page)

    # The editor schedules it a few seconds ahead, in the site's time zone.
    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{base}/admin/articles/story/{story_id}/change/")
    go_live = timezone.localtime() + SCHEDULE_AHEAD
    at_input = page.locator("#step-schedule-at")
    # The picker works in minutes (step 60); allow seconds, which the server accepts.
    at_input.evaluate("input => { input.step = 1; }")
    at_input.fill(go_live.strftime("%Y-%m-%dT%H:%M:%S"))
    page.click(".desk-action--schedule button")
    expect_message(page, "scheduled.")
    page.locator(".desk-status .status-scheduled").wait_for()
    story.refresh_from_db()
    assert story.headline == SECOND_HEADLINE
    assert story.is_scheduled
    assert story.published_at == go_live.replace(microsecond=0)
    story_url = f"{base}{story.get_absolute_url()}"
    section_url = f"{base}{section.get_absolute_url()}"

    # A reader sees nothing of it before its time.
    reader = new_page()
    assert timezone.now() < story.published_at, "too slow: the story went live already"
    assert reader.goto(story_url).status == 404
    assert reader.goto(section_url).status == 200
    assert reader.locator(".teaser__headline", has_text=SECOND_HEADLINE).count() == 0

    # ...and the story, then its teaser, once the time has passed.
    deadline = time.monotonic() + WAIT_FOR_PUBLICATION_S
    response = reader.goto(story_url)
    while response.status == 404 and time.monotonic() < deadline:
        reader.wait_for_timeout(500)
        response = reader.goto(story_url)
    assert response.status == 200
    assert timezone.now() >= story.published_at
    assert reader.locator("h1.story__headline").inner_text() == SECOND_HEADLINE
    assert reader.goto(section_url).status == 200
    teaser = reader.locator(".teaser", has_text=SECOND_HEADLINE)
    assert teaser.count() == 1
    assert DEK in teaser.inner_text()

    # The timeline recorded every step, by whom.
    entries = list(story.log_entries.order_by("at", "pk"))
    assert [(entry.action, entry.by) for entry in entries] == [
        (StoryLogEntry.Action.SUBMIT, contributor),
        (StoryLogEntry.Action.REQUEST_CHANGES, editor),
        (StoryLogEntry.Action.SUBMIT, contributor),
        (StoryLogEntry.Action.SCHEDULE, editor),
    ]
    assert [(entry.from_status, entry.to_status) for entry in entries] == [
        ("draft", "review"),
        ("review", "draft"),
        ("draft", "review"),
        ("review", "published"),
    ]
    assert entries[1].note == NOTE
    assert time.monotonic() - started < 60
