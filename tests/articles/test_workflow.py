"""The editorial workflow: roles, transitions, the timeline and bulk actions."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import (
    Story,
    StoryLogEntry,
    WorkflowPermissionError,
    WorkflowStateError,
)
from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from tests.comments.factories import member
from tests.factories import make_byline, make_section, make_story

pytestmark = pytest.mark.django_db


def draft_by(user, **overrides) -> Story:
    fields = {"status": Story.Status.DRAFT, "published_at": None, "created_by": user}
    fields.update(overrides)
    return make_story(**fields)


def workflow_url(story: Story, action: str) -> str:
    return reverse("admin:articles_story_workflow", args=[story.pk, action])


# Roles ---------------------------------------------------------------------------------


def test_roles_are_groups_with_descriptions():
    for name in (CONTRIBUTOR, EDITOR, ADMINISTRATOR):
        group = Group.objects.get(name=name)
        assert len(group.role.description) > 40
        assert group.permissions.exists()


def test_contributor_cannot_publish_but_editor_and_administrator_can(
    contributor, desk_editor, administrator
):
    assert contributor.has_perm("articles.submit_story")
    assert not contributor.has_perm("articles.publish_story")
    assert desk_editor.has_perm("articles.publish_story")
    assert not desk_editor.has_perm("users.change_user")
    assert administrator.has_perm("users.change_user")
    assert administrator.has_perm("auth.change_group")


# The permission matrix, through the model methods --------------------------------------

ACTIONS = {
    "submit": lambda story, user: story.submit(by=user),
    "request_changes": lambda story, user: story.request_changes(by=user, note="Tighten it"),
    "publish": lambda story, user: story.publish(by=user),
    "schedule": lambda story, user: story.publish(by=user, at=timezone.now() + timedelta(days=1)),
    "unpublish": lambda story, user: story.unpublish(by=user, note="Legal asked"),
    "correct": lambda story, user: story.correct(by=user, kind="correction", note="Fixed."),
    "untrash": lambda story, user: story.restore_from_trash(by=user),
}
# The status each action starts from.
START = {
    "submit": Story.Status.DRAFT,
    "request_changes": Story.Status.REVIEW,
    "publish": Story.Status.REVIEW,
    "schedule": Story.Status.REVIEW,
    "unpublish": Story.Status.PUBLISHED,
    "correct": Story.Status.PUBLISHED,
    "untrash": Story.Status.TRASHED,
}
ALLOWED = {
    CONTRIBUTOR: {"submit"},
    EDITOR: set(ACTIONS),
    ADMINISTRATOR: set(ACTIONS),
}


def story_in(status, owner) -> Story:
    published_at = timezone.now() - timedelta(hours=2) if status == "published" else None
    return make_story(status=status, published_at=published_at, created_by=owner)


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR, ADMINISTRATOR])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix_through_model_methods(role, action):
    user = member(role)
    story = story_in(START[action], owner=user)
    log_before = story.log_entries.count()
    if action in ALLOWED[role]:
        ACTIONS[action](story, user)
        assert story.log_entries.count() == log_before + 1
    else:
        with pytest.raises(WorkflowPermissionError):
            ACTIONS[action](story, user)
        story.refresh_from_db()
        assert story.status == START[action]
        assert story.log_entries.count() == log_before


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR, ADMINISTRATOR])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix_through_admin_urls(client, role, action):
    user = member(role)
    story = story_in(START[action], owner=user)
    client.force_login(user)
    data = {"note": "A note for the desk", "kind": "correction"}
    if action == "schedule":
        data["at"] = timezone.localtime(timezone.now() + timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    response = client.post(workflow_url(story, action), data)
    story.refresh_from_db()
    if action in ALLOWED[role]:
        assert response.status_code == 302
        assert story.log_entries.filter(by=user).exists()
    else:
        assert response.status_code == 403
        assert story.status == START[action]
        assert not story.log_entries.exists()


def test_contributor_may_not_submit_someone_elses_draft(contributor, other_contributor):
    story = draft_by(other_contributor)
    with pytest.raises(WorkflowPermissionError):
        story.submit(by=contributor)


def test_contributor_edits_only_own_drafts(client, contributor, other_contributor):
    own = draft_by(contributor)
    others = draft_by(other_contributor)
    own_in_review = draft_by(contributor, status=Story.Status.REVIEW)
    client.force_login(contributor)
    assert own.can_edit(contributor) is True
    assert others.can_edit(contributor) is False
    assert own_in_review.can_edit(contributor) is False
    change = reverse("admin:articles_story_change", args=[others.pk])
    page = client.get(change)
    assert page.status_code == 200  # read-only view
    assert b'name="_save"' not in page.content
    response = client.post(change, {"headline": "Hijacked"})
    assert response.status_code == 403
    others.refresh_from_db()
    assert others.headline != "Hijacked"


def offered_steps(page: str) -> set[str]:
    """The steps a change page offers: buttons of the change form, or forms of their own."""
    doc = lxml.html.fromstring(page)
    return {
        *doc.xpath("//button[@form='story_form'][@name='_step']/@value"),
        *doc.xpath("//div[contains(@class, 'desk-action')]//button[@name='do']/@value"),
    }


def test_admin_offers_only_the_actions_a_user_may_take(client, contributor, desk_editor):
    story = draft_by(contributor, status=Story.Status.REVIEW)
    client.force_login(contributor)
    page = client.get(reverse("admin:articles_story_change", args=[story.pk])).content.decode()
    assert offered_steps(page) == set()
    client.force_login(desk_editor)
    page = client.get(reverse("admin:articles_story_change", args=[story.pk])).content.decode()
    assert offered_steps(page) == {"request_changes", "publish", "schedule"}


# States --------------------------------------------------------------------------------


def test_full_cycle_is_recorded_on_the_timeline(contributor, desk_editor):
    story = draft_by(contributor)
    story.submit(by=contributor, note="Ready")
    story.request_changes(by=desk_editor, note="Add a quote from the mayor")
    story.submit(by=contributor)
    story.publish(by=desk_editor)
    story.unpublish(by=desk_editor, note="Wrong photo")
    story.publish(by=desk_editor)
    entries = list(story.log_entries.order_by("at", "pk"))
    assert [entry.action for entry in entries] == [
        "submit",
        "request_changes",
        "submit",
        "publish",
        "unpublish",
        "republish",
    ]
    sent_back = entries[1]
    assert (sent_back.from_status, sent_back.to_status) == ("review", "draft")
    assert sent_back.by == desk_editor
    assert sent_back.note == "Add a quote from the mayor"
    assert entries[4].note == "Wrong photo"
    assert story.is_public is True


def test_steps_refused_from_the_wrong_state(contributor, desk_editor):
    story = draft_by(contributor)
    with pytest.raises(WorkflowStateError):
        story.request_changes(by=desk_editor, note="Nothing to send back")
    with pytest.raises(WorkflowStateError):
        story.unpublish(by=desk_editor, note="Not published")
    story.submit(by=contributor)
    with pytest.raises(WorkflowStateError):
        story.submit(by=desk_editor)
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW


def test_notes_and_reasons_are_required(desk_editor):
    story = make_story(status=Story.Status.REVIEW, published_at=None)
    with pytest.raises(WorkflowStateError):
        story.request_changes(by=desk_editor, note="  ")
    story.publish(by=desk_editor)
    with pytest.raises(WorkflowStateError):
        story.unpublish(by=desk_editor, note="")
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


def test_refused_step_in_admin_shows_message_and_changes_nothing(client, desk_editor):
    story = make_story()
    client.force_login(desk_editor)
    response = client.post(workflow_url(story, "unpublish"), {"note": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


def test_unpublished_story_leaves_public_pages(client, desk_editor):
    story = make_story(tags=["Harbor"])
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200
    story.unpublish(by=desk_editor, note="Retracted")
    assert client.get(url).status_code == 404
    for page in [
        reverse("articles:home"),
        story.section.get_absolute_url(),
        reverse("articles:tag", args=["harbor"]),
    ]:
        assert story.headline not in client.get(page).content.decode()


def test_internal_notes_never_appear_publicly(client, desk_editor):
    story = make_story()
    admin = reverse("admin:articles_story_note", args=[story.pk])
    client.force_login(desk_editor)
    client.post(admin, {"note": "Source wants anonymity; check with legal"})
    assert story.log_entries.get(action=StoryLogEntry.Action.NOTE).by == desk_editor
    page = client.get(reverse("admin:articles_story_change", args=[story.pk]))
    assert "Source wants anonymity" in page.content.decode()
    client.logout()
    public = client.get(story.get_absolute_url()).content.decode()
    assert "Source wants anonymity" not in public


# Bulk actions --------------------------------------------------------------------------


def test_bulk_publish_goes_through_the_model_method(client, desk_editor):
    section = make_section()
    stories = [
        make_story(section=section, status=Story.Status.REVIEW, published_at=None) for _ in range(3)
    ]
    embargoed = make_story(
        section=section,
        status=Story.Status.REVIEW,
        published_at=None,
        embargo_until=timezone.now() + timedelta(days=1),
    )
    client.force_login(desk_editor)
    response = client.post(
        reverse("admin:articles_story_changelist"),
        {"action": "publish_selected", "_selected_action": [s.pk for s in [*stories, embargoed]]},
        follow=True,
    )
    assert "3 stories published" in response.content.decode()
    assert "embargoed" in response.content.decode()
    for story in stories:
        story.refresh_from_db()
        assert story.is_public is True
        assert story.log_entries.get().action == "publish"
    embargoed.refresh_from_db()
    assert embargoed.status == Story.Status.REVIEW


def test_bulk_unpublish_asks_for_a_reason(client, desk_editor):
    stories = [make_story() for _ in range(2)]
    client.force_login(desk_editor)
    url = reverse("admin:articles_story_changelist")
    selected = [s.pk for s in stories]
    page = client.post(url, {"action": "unpublish_selected", "_selected_action": selected})
    assert page.status_code == 200
    assert "Reason (required)" in page.content.decode()
    assert Story.objects.published().count() == 2
    client.post(
        url,
        {
            "action": "unpublish_selected",
            "_selected_action": selected,
            "apply": "1",
            "reason": "Duplicate of wire copy",
        },
    )
    assert Story.objects.published().count() == 0
    assert all(s.log_entries.get().note == "Duplicate of wire copy" for s in stories)


def test_contributor_cannot_run_bulk_publish(client, contributor):
    story = draft_by(contributor, status=Story.Status.REVIEW)
    client.force_login(contributor)
    url = reverse("admin:articles_story_changelist")
    page = client.get(url).content.decode()
    assert "publish_selected" not in page
    client.post(url, {"action": "publish_selected", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW


# Scheduling and embargo ----------------------------------------------------------------


def test_scheduled_story_appears_on_every_surface_at_its_time(client, desk_editor):
    go_live = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    byline = make_byline()
    story = make_story(
        status=Story.Status.REVIEW, published_at=None, bylines=[byline], tags=["Levee"]
    )
    story.publish(by=desk_editor, at=go_live)
    surfaces = [
        reverse("articles:home"),
        story.section.get_absolute_url(),
        byline.get_absolute_url(),
        reverse("articles:tag", args=["levee"]),
    ]
    with freeze_time(go_live - timedelta(seconds=1)):
        assert client.get(story.get_absolute_url()).status_code == 404
        for url in surfaces:
            assert story.headline not in client.get(url).content.decode(), url
    with freeze_time(go_live):
        assert client.get(story.get_absolute_url()).status_code == 200
        for url in surfaces:
            assert story.headline in client.get(url).content.decode(), url


def test_admin_list_shows_scheduled_stories_apart(client, desk_editor):
    story = make_story(published_at=timezone.now() + timedelta(days=2), headline="Tomorrow")
    client.force_login(desk_editor)
    page = client.get(reverse("admin:articles_story_changelist")).content.decode()
    assert "status-scheduled" in page
    filtered = client.get(reverse("admin:articles_story_changelist") + "?desk=scheduled")
    assert story.headline in filtered.content.decode()


def test_embargo_forbids_publishing_before_its_time(desk_editor):
    embargo = timezone.now() + timedelta(hours=5)
    story = make_story(status=Story.Status.REVIEW, published_at=None, embargo_until=embargo)
    with pytest.raises(WorkflowStateError, match="embargoed"):
        story.publish(by=desk_editor)
    with pytest.raises(WorkflowStateError):
        story.publish(by=desk_editor, at=embargo - timedelta(minutes=1))
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW
    story.publish(by=desk_editor, at=embargo)
    assert story.is_scheduled is True


def test_embargoed_story_is_not_public_even_if_marked_published(client):
    embargo = timezone.now() + timedelta(hours=5)
    story = make_story(embargo_until=embargo, tags=["Dam"])
    assert story.is_public is False
    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.headline not in client.get(story.section.get_absolute_url()).content.decode()
    with freeze_time(embargo + timedelta(seconds=1)):
        assert client.get(story.get_absolute_url()).status_code == 200
