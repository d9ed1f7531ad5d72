"""Moderation: approve, mark as spam or delete, through the model and the admin, with checks."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from comments.models import Comment, ModerationPermissionError
from tests.comments.factories import make_comment, make_contributor, make_moderator
from tests.factories import make_story, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def story(db):
    return make_story()


@pytest.fixture
def moderator(db):
    return make_moderator(username="mo")


def pending(story, count: int = 1) -> list[Comment]:
    return [make_comment(story, status=Comment.Status.PENDING) for _ in range(count)]


def statuses(comments) -> list[str]:
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def run_action(client, action: str, comments, **extra):
    """Run a list action on `comments`, from the list of all comments (whatever status:
    the list opens on those awaiting moderation)."""
    data = {"action": action, "_selected_action": [str(c.pk) for c in comments], **extra}
    return client.post(reverse(CHANGELIST) + "?moderation=all", data)


# --- Roles -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [EDITOR, ADMINISTRATOR])
def test_editors_and_administrators_may_moderate(role):
    group = Group.objects.get(name=role)
    codenames = set(
        group.permissions.filter(content_type__app_label="comments").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_comment", "change_comment", "delete_comment"}


def test_contributors_may_not_moderate():
    assert not make_contributor().has_perm("comments.change_comment")
    assert not Group.objects.get(name=CONTRIBUTOR).permissions.filter(
        content_type__app_label="comments"
    )


# --- The model methods -----------------------------------------------------------------


def test_approve_records_who_and_when(story, moderator):
    (comment,) = pending(story)
    comment.approve(by=moderator)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert comment.is_approved is True


def test_mark_spam(story, moderator):
    comment = make_comment(story)
    comment.mark_spam(by=moderator)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderated_by == moderator


@pytest.mark.parametrize("method", ["approve", "mark_spam"])
def test_moderation_needs_the_permission(story, method):
    (comment,) = pending(story)
    for user in (make_user(), make_contributor()):
        with pytest.raises(ModerationPermissionError):
            getattr(comment, method)(by=user)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderated_by is None


# --- The admin list --------------------------------------------------------------------


def test_moderation_queue_lists_filters_and_searches(client, story, moderator):
    make_comment(story, author_name="Ola", author_email="ola@example.org", text="Approved one")
    waiting = make_comment(story, author_name="Pat", status=Comment.Status.PENDING)
    client.force_login(moderator)

    # The list opens on what needs a moderator.
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [waiting]
    html = response.content.decode()
    assert "Approved one" not in html and story.headline in html
    assert "Approve selected comments" in html and "Mark selected comments as spam" in html

    response = client.get(reverse(CHANGELIST), {"moderation": "all"})
    assert "Approved one" in response.content.decode()
    response = client.get(reverse(CHANGELIST), {"moderation": "all", "q": "ola@example"})
    assert [c.author_name for c in response.context["cl"].result_list] == ["Ola"]
    response = client.get(reverse(CHANGELIST), {"moderation": "%00"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_comments_are_not_added_in_the_admin(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_bulk_approve(client, story, moderator):
    comments = pending(story, 3)
    untouched = pending(story)
    client.force_login(moderator)

    response = run_action(client, "approve_selected", comments)

    assert response.status_code == 302
    assert statuses(comments) == ["approved"] * 3
    assert statuses(untouched) == ["pending"]
    assert set(Comment.objects.approved().values_list("moderated_by", flat=True)) == {moderator.pk}
    messages = [str(m) for m in client.get(reverse(CHANGELIST)).context["messages"]]
    assert "3 comments approved." in messages
    assert LogEntry.objects.filter(object_id=str(comments[0].pk)).exists()


def test_bulk_mark_as_spam(client, story, moderator):
    comments = pending(story, 2) + [make_comment(story)]
    client.force_login(moderator)
    assert run_action(client, "mark_selected_as_spam", comments).status_code == 302
    assert statuses(comments) == ["spam"] * 3


def test_bulk_delete_keeps_replies(client, story, moderator):
    parent = make_comment(story, status=Comment.Status.SPAM)
    others = pending(story, 2)
    reply = make_comment(story, parent=parent)
    client.force_login(moderator)

    confirm = run_action(client, "delete_selected", [parent, *others])
    assert confirm.status_code == 200  # Django's confirmation page
    response = run_action(client, "delete_selected", [parent, *others], post="yes")

    assert response.status_code == 302
    assert list(Comment.objects.all()) == [reply]
    reply.refresh_from_db()
    assert reply.parent is None


def test_user_without_permission_cannot_moderate(client, story):
    comments = pending(story, 2)
    client.force_login(make_contributor())

    assert client.get(reverse(CHANGELIST)).status_code == 403
    for action in ("approve_selected", "mark_selected_as_spam", "delete_selected"):
        response = run_action(client, action, comments, post="yes")
        assert response.status_code == 403
    assert statuses(comments) == ["pending", "pending"]


def test_view_only_staff_cannot_use_the_actions(client, story):
    comments = pending(story, 2)
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)

    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "Approve selected comments" not in html
    for action in ("approve_selected", "mark_selected_as_spam", "delete_selected"):
        run_action(client, action, comments, post="yes")
    assert statuses(comments) == ["pending", "pending"]


def test_readers_are_sent_to_the_login_page(client, story):
    comments = pending(story)
    client.force_login(make_user())
    response = run_action(client, "approve_selected", comments)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert statuses(comments) == ["pending"]


# --- One comment's page ----------------------------------------------------------------


def change_data(comment: Comment, **extra) -> dict:
    return {
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "text": comment.text,
        **extra,
    }


def test_change_page_approves_and_marks_spam(client, story, moderator):
    (comment,) = pending(story)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    client.force_login(moderator)

    html = client.get(url).content.decode()
    assert 'name="_approve"' in html and 'name="_mark_spam"' in html
    assert comment.author_email in html  # editors see the address

    response = client.post(url, change_data(comment, _approve="Save and approve"))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("approved", moderator)

    client.post(url, change_data(comment, _mark_spam="Save and mark as spam"))
    comment.refresh_from_db()
    assert comment.status == "spam"


def test_status_cannot_be_edited_directly(client, story, moderator):
    (comment,) = pending(story)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    client.force_login(moderator)
    client.post(url, change_data(comment, status="approved", text="Typo fixed."))
    comment.refresh_from_db()
    assert (comment.status, comment.text) == ("pending", "Typo fixed.")
