"""Never lose copy: workflow steps save what was typed, stale and incomplete forms are
refused with the edits kept, autosave brings typed work back, and the edit lock lasts
only while the page is open. And nothing goes live before it is ready."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import Autosave, EditLock, Story, StoryByline, WorkflowStateError
from tests.factories import form_data, make_byline, make_editor, make_story

pytestmark = pytest.mark.django_db


def change_url(story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


def autosave_url(story) -> str:
    return reverse("admin:articles_story_autosave", args=[story.pk if story else "new"])


def the_form(client, story, **query) -> dict:
    return form_data(client.get(change_url(story), query).content.decode(), "story_form")


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def draft(db):
    return make_story(
        headline="Pool opens", status=Story.Status.DRAFT, published_at=None, dek="Old dek."
    )


# Workflow buttons save the form first -------------------------------------------------


def test_publish_now_saves_what_was_typed_first(editor_client, draft):
    data = the_form(editor_client, draft)
    data.update({"dek": "Typed just before publishing.", "_step": "publish"})
    response = editor_client.post(change_url(draft), data, follow=True)
    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED
    assert draft.dek == "Typed just before publishing."
    assert any("saved and published" in m for m in messages_on(response))


def test_a_step_with_its_note_and_time_from_the_change_form(editor_client, draft):
    go_live = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0)
    data = the_form(editor_client, draft)
    data.update(
        {
            "headline": "Pool opens Saturday",
            "_step": "schedule",
            "step-schedule-at": go_live.strftime("%Y-%m-%dT%H:%M"),
            "step-schedule-note": "Holding for the weekend.",
        }
    )
    editor_client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert draft.is_scheduled
    assert draft.published_at == go_live.replace(microsecond=0)
    assert draft.headline == "Pool opens Saturday"
    assert draft.log_entries.get(action="schedule").note == "Holding for the weekend."


def test_an_invalid_form_takes_no_step_and_keeps_the_edits(editor_client, draft):
    data = the_form(editor_client, draft)
    data.update({"headline": "", "dek": "My careful new dek.", "_step": "publish"})
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "My careful new dek." in response.content.decode()
    assert any("Not published" in m for m in messages_on(response))
    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT
    assert draft.dek == "Old dek."


def test_a_refused_step_keeps_the_saved_edits_and_says_why(editor_client, db):
    story = make_story(status=Story.Status.DRAFT, published_at=None, bylines=[])
    data = the_form(editor_client, story)
    data.update({"dek": "Edits before a refused step.", "_step": "publish"})
    response = editor_client.post(change_url(story), data, follow=True)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert story.dek == "Edits before a refused step."
    assert any("needs at least one byline" in m for m in messages_on(response))


def test_a_stale_form_is_refused_at_the_top_of_the_page(editor_client, draft):
    data = the_form(editor_client, draft)
    Story.objects.get(pk=draft.pk).save()  # someone else saved meanwhile
    data.update({"dek": "My edit on an old copy."})
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert any("after you opened it" in m for m in messages_on(response))
    assert "My edit on an old copy." in response.content.decode()


def test_a_form_without_its_version_is_refused_as_stale(editor_client, draft):
    data = the_form(editor_client, draft)
    del data["loaded_version"]
    data["dek"] = "Overwrite blindly."
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.dek == "Old dek."
    assert any("did not say which version" in m for m in messages_on(response))


# Autosave ----------------------------------------------------------------------------


def test_autosave_keeps_typed_work_and_reopening_offers_it(editor_client, editor, draft):
    data = the_form(editor_client, draft)
    data["dek"] = "Typed, never saved."
    response = editor_client.post(autosave_url(draft), data)
    assert response.status_code == 200 and response.json()["saved_at"]
    draft.refresh_from_db()
    assert draft.dek == "Old dek."  # not a change to the story
    assert Autosave.objects.get(story=draft, user=editor).value("dek") == "Typed, never saved."

    page = editor_client.get(change_url(draft)).content.decode()
    assert "You have unsaved work here" in page
    restored = form_data(
        editor_client.get(change_url(draft), {"restore": "autosave"}).content.decode(),
        "story_form",
    )
    assert restored["dek"].strip() == "Typed, never saved."
    assert restored["loaded_version"] == data["loaded_version"]
    # Saving the restored text saves it, and the autosave is done with.
    assert editor_client.post(change_url(draft), restored).status_code == 302
    draft.refresh_from_db()
    assert draft.dek == "Typed, never saved."
    assert not Autosave.objects.exists()
    assert "You have unsaved work here" not in editor_client.get(change_url(draft)).content.decode()


def test_an_autosave_older_than_the_last_save_is_not_offered(editor_client, editor, draft):
    Autosave.keep(story=draft, user=editor, data={"dek": ["Stale"]})
    draft.save()
    assert "You have unsaved work here" not in editor_client.get(change_url(draft)).content.decode()


def test_discarding_an_autosave(editor_client, editor, draft):
    Autosave.keep(story=draft, user=editor, data={"dek": ["Unwanted"]})
    response = editor_client.post(autosave_url(draft), {"discard": "1"})
    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_a_new_story_is_autosaved_too(editor_client, editor):
    add = reverse("admin:articles_story_add")
    editor_client.post(autosave_url(None), {"headline": "Half-written story"})
    assert "You have unsaved work here" in editor_client.get(add).content.decode()
    page = editor_client.get(add, {"restore": "autosave"}).content.decode()
    (value,) = lxml.html.fromstring(page).xpath("//input[@name='headline']/@value")
    assert value == "Half-written story"


def test_nobody_autosaves_into_a_story_they_may_not_edit(client, draft):
    from articles.roles import CONTRIBUTOR
    from tests.articles.test_workflow import member

    client.force_login(member(CONTRIBUTOR))
    assert client.post(autosave_url(draft), {"dek": "x"}).status_code == 403
    assert not Autosave.objects.exists()


# The edit lock lasts while the page is open -------------------------------------------


def test_the_lock_is_released_when_the_editor_leaves(editor_client, editor, draft):
    editor_client.get(change_url(draft))
    assert EditLock.objects.current().filter(story=draft, user=editor).exists()
    assert editor_client.post(reverse("admin:articles_story_unlock", args=[draft.pk])).json()
    assert not EditLock.objects.filter(story=draft).exists()


def test_the_lock_is_released_by_a_workflow_step(editor_client, editor, draft):
    data = the_form(editor_client, draft)
    data["_step"] = "publish"
    editor_client.post(change_url(draft), data)
    assert not EditLock.objects.filter(story=draft).exists()


def test_the_lock_lives_only_while_the_page_keeps_it_alive(client, editor_client, draft):
    opened = timezone.now()
    with freeze_time(opened):
        editor_client.get(change_url(draft))
    other = make_editor(username="second-editor")
    client.force_login(other)
    with freeze_time(opened + timedelta(seconds=90)):
        assert "Being edited by" in client.get(change_url(draft)).content.decode()
    # The first editor's page closed without a word (a crash): the lock lapses.
    with freeze_time(opened + EditLock.DURATION + timedelta(seconds=1)):
        assert "Being edited by" not in client.get(change_url(draft)).content.decode()


def test_a_heartbeat_keeps_the_lock(editor_client, editor, draft):
    opened = timezone.now()
    with freeze_time(opened):
        editor_client.get(change_url(draft))
    with freeze_time(opened + timedelta(seconds=60)):
        editor_client.post(autosave_url(draft), {"heartbeat": "1"})
    with freeze_time(opened + EditLock.DURATION + timedelta(seconds=30)):
        assert EditLock.objects.current().filter(story=draft, user=editor).exists()
    assert not Autosave.objects.exists()  # a heartbeat is not an autosave


# Ready to publish ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, missing",
    [
        ({"headline": "   "}, "a headline"),
        ({"body": "<p> </p>"}, "a body"),
        ({"bylines": []}, "at least one byline"),
        ({"body": '<p>Text.</p><img src="https://example.org/a.jpg">'}, "alt text on every"),
    ],
    ids=["headline", "body", "byline", "alt text"],
)
def test_a_story_that_is_not_ready_is_not_published(editor, fields, missing):
    story = make_story(status=Story.Status.DRAFT, published_at=None, **fields)
    for attempt in (
        lambda: story.publish(by=editor),
        lambda: story.publish(by=editor, at=timezone.now() + timedelta(hours=1)),
    ):
        with pytest.raises(WorkflowStateError, match=missing):
            attempt()
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_bulk_publish_refuses_what_is_not_ready(editor_client):
    ready = make_story(status=Story.Status.DRAFT, published_at=None)
    unready = make_story(status=Story.Status.DRAFT, published_at=None, bylines=[])
    response = editor_client.post(
        reverse("admin:articles_story_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, unready.pk]},
        follow=True,
    )
    assert Story.objects.get(pk=ready.pk).status == Story.Status.PUBLISHED
    assert Story.objects.get(pk=unready.pk).status == Story.Status.DRAFT
    assert any("needs at least one byline" in m for m in messages_on(response))


def test_the_review_panel_shows_what_is_missing(editor_client):
    story = make_story(status=Story.Status.REVIEW, published_at=None, bylines=[])
    doc = lxml.html.fromstring(editor_client.get(change_url(story)).content.decode())
    missing = [" ".join(li.text_content().split()) for li in doc.xpath(
        "//li[contains(@class, 'desk-check--missing')]"
    )]  # fmt: skip
    assert missing == ["✗ Needs at least one byline"]
    StoryByline.objects.create(story=story, byline=make_byline())
    doc = lxml.html.fromstring(editor_client.get(change_url(story)).content.decode())
    assert not doc.xpath("//li[contains(@class, 'desk-check--missing')]")
