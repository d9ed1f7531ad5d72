"""The trash: Delete moves a story there, off every public page; an editor restores it
(as a draft) for NEWSROOM_TRASH_DAYS; only an administrator deletes it for good; the
timeline says who did what when; `manage.py empty_trash` clears what has expired."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import Story, StoryLogEntry, WorkflowPermissionError
from articles.roles import CONTRIBUTOR
from tests.comments.factories import member
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def delete_url(story) -> str:
    return reverse("admin:articles_story_delete", args=[story.pk])


def changelist(client, **query) -> list[Story]:
    response = client.get(reverse("admin:articles_story_changelist"), query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_delete_in_the_admin_moves_the_story_to_the_trash_and_off_every_public_page(
    desk_editor, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    story = make_story(headline="Harbor dredging delayed", tags=["harbor"])
    reader = Client()
    assert reader.get(story.get_absolute_url()).status_code == 200  # now in the page cache
    assert "Harbor dredging delayed" in reader.get("/feed/").content.decode()
    editor = logged_in(desk_editor)

    confirm = editor.get(delete_url(story))
    assert confirm.status_code == 200
    assert "Move to the trash" in confirm.content.decode()
    assert Story.objects.get(pk=story.pk).status == Story.Status.PUBLISHED  # a GET changes nothing

    response = editor.post(delete_url(story), {"note": "Duplicate of the Tuesday story"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.TRASHED
    assert story.trashed_by == desk_editor
    assert reader.get(story.get_absolute_url()).status_code == 404
    for page in ["/", "/feed/", "/tag/harbor/", "/sitemap-stories.xml", "/search/?q=dredging"]:
        assert "Harbor dredging delayed" not in reader.get(page).content.decode(), page
    entry = story.log_entries.latest("pk")
    assert (entry.action, entry.by, entry.note) == (
        "trash",
        desk_editor,
        "Duplicate of the Tuesday story",
    )
    assert entry.get_action_display() == "Moved to the trash"


def test_the_story_list_leaves_the_trash_out_unless_asked(desk_editor):
    kept, trashed = make_story(headline="Kept"), make_story(headline="Thrown away")
    trashed.move_to_trash(by=desk_editor)
    editor = logged_in(desk_editor)
    assert kept in changelist(editor) and trashed not in changelist(editor)
    assert changelist(editor, where="trash") == [trashed]
    assert changelist(editor, status__exact="trashed") == [trashed]
    assert (
        "In the trash since"
        in editor.get(
            reverse("admin:articles_story_changelist"), {"where": "trash"}
        ).content.decode()
    )
    newsdesk = editor.get(reverse("articles:newsdesk")).content.decode()
    assert "Thrown away" not in newsdesk


def test_an_editor_restores_from_the_trash_as_a_draft_and_the_timeline_says_so(desk_editor):
    story = make_story(headline="Budget vote")
    story.move_to_trash(by=desk_editor)
    editor = logged_in(desk_editor)
    form = editor.get(reverse("admin:articles_story_change", args=[story.pk])).content.decode()
    assert "Restore from the trash" in form
    url = reverse("admin:articles_story_workflow", args=[story.pk, "untrash"])
    assert editor.post(url, {"step-untrash-note": ""}).status_code == 302
    story.refresh_from_db()
    assert (story.status, story.trashed_at, story.trashed_by) == (Story.Status.DRAFT, None, None)
    assert story.log_entries.latest("pk").action == "untrash"
    # Not public until an editor publishes it again.
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_only_administrators_delete_for_good(desk_editor, administrator):
    story = make_story()
    story.move_to_trash(by=desk_editor)
    editor = logged_in(desk_editor)
    assert editor.get(delete_url(story)).status_code == 403
    assert editor.post(delete_url(story), {"post": "yes"}).status_code == 403
    refused = editor.post(
        reverse("admin:articles_story_changelist") + "?where=trash",
        {"action": "delete_for_good", "_selected_action": [story.pk], "apply": "1"},
    )
    assert refused.status_code in (200, 302)
    assert Story.objects.filter(pk=story.pk).exists()

    admin = logged_in(administrator)
    confirm = admin.post(
        reverse("admin:articles_story_changelist") + "?where=trash",
        {"action": "delete_for_good", "_selected_action": [story.pk]},
    )
    assert "Delete for good" in confirm.content.decode()
    assert Story.objects.filter(pk=story.pk).exists()
    done = admin.post(
        reverse("admin:articles_story_changelist") + "?where=trash",
        {"action": "delete_for_good", "_selected_action": [story.pk], "apply": "1"},
    )
    assert done.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_deleting_for_good_touches_only_stories_in_the_trash(administrator):
    live = make_story(headline="Still live")
    admin = logged_in(administrator)
    admin.post(
        reverse("admin:articles_story_changelist"),
        {"action": "delete_for_good", "_selected_action": [live.pk], "apply": "1"},
    )
    assert Story.objects.filter(pk=live.pk).exists()


def test_django_bulk_delete_is_not_offered_and_bulk_trash_is(desk_editor):
    stories = [make_story(), make_story()]
    editor = logged_in(desk_editor)
    page = editor.get(reverse("admin:articles_story_changelist")).content.decode()
    assert 'value="delete_selected"' not in page
    assert 'value="delete_for_good"' not in page  # an editor's list
    response = editor.post(
        reverse("admin:articles_story_changelist"),
        {"action": "trash_selected", "_selected_action": [s.pk for s in stories], "apply": "1"},
    )
    assert response.status_code == 302
    assert Story.objects.in_trash().count() == 2
    editor.post(
        reverse("admin:articles_story_changelist") + "?where=trash",
        {"action": "restore_selected", "_selected_action": [s.pk for s in stories]},
    )
    assert set(Story.objects.values_list("status", flat=True)) == {Story.Status.DRAFT}


def test_a_contributor_cannot_move_a_story_to_the_trash():
    contributor = member(CONTRIBUTOR)
    story = make_story(status=Story.Status.DRAFT, published_at=None, created_by=contributor)
    assert logged_in(contributor).post(delete_url(story), {"note": ""}).status_code == 403
    with pytest.raises(WorkflowPermissionError):
        story.move_to_trash(by=contributor)
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT


def test_a_story_in_the_trash_takes_no_other_step(desk_editor):
    story = make_story()
    story.move_to_trash(by=desk_editor)
    assert story.allowed_actions(desk_editor) == ["untrash"]


def test_empty_trash_deletes_only_what_has_been_there_longer_than_the_setting(
    desk_editor, settings
):
    settings.NEWSROOM_TRASH_DAYS = 30
    old, recent, live = make_story(), make_story(), make_story()
    with freeze_time(timezone.now() - timedelta(days=31)):
        old.move_to_trash(by=desk_editor)
    with freeze_time(timezone.now() - timedelta(days=29)):
        recent.move_to_trash(by=desk_editor)

    out = StringIO()
    call_command("empty_trash", "--dry-run", stdout=out)
    assert "Would delete" in out.getvalue() and old.headline in out.getvalue()
    assert Story.objects.filter(pk=old.pk).exists()

    out = StringIO()
    call_command("empty_trash", stdout=out)
    assert "[1/1]" in out.getvalue()
    assert set(Story.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not StoryLogEntry.objects.filter(story_id=old.pk).exists()
