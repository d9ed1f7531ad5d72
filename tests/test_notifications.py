"""Desk notifications: who hears about what, in the inbox and by e-mail, and how to stop it.

One test sends through a real SMTP server started here (aiosmtpd); the others read
Django's locmem outbox. Steps notify after their transaction commits, so the tests
run the commit callbacks.
"""

from __future__ import annotations

import socket
import time

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from articles.models import Story, StoryByline
from articles.roles import CONTRIBUTOR, EDITOR
from comments.models import Comment
from notifications.models import Kind, MutedKind, Notification
from tests.factories import make_byline, make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    """A reporter (credited on a draft they wrote) and two editors."""
    reporter = make_user(username="rita", email="rita@desk.example", is_staff=True)
    reporter.groups.add(Group.objects.get(name=CONTRIBUTOR))
    editors = []
    for name in ("eddie", "erin"):
        editor = make_user(username=name, email=f"{name}@desk.example", is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITOR))
        editors.append(editor)
    story = make_story(
        headline="Ferry fares rise",
        status=Story.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        bylines=[make_byline(user=reporter)],
    )
    return {"reporter": reporter, "editors": editors, "story": story}


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def mailed_to() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_submitting_tells_the_editors(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].submit(by=desk["reporter"], note="Photos to follow.")
    assert recipients(Kind.SUBMITTED) == {"eddie", "erin"}
    assert mailed_to() == {"eddie@desk.example", "erin@desk.example"}
    message = mail.outbox[0]
    assert "Ferry fares rise" in message.subject
    assert "Photos to follow." in message.body
    assert reverse("admin:articles_story_change", args=[desk["story"].pk]) in message.body
    assert reverse("notifications:settings") in message.body


def test_sending_back_tells_the_authors_with_the_note(desk, django_capture_on_commit_callbacks):
    story, (eddie, _) = desk["story"], desk["editors"]
    story.submit(by=desk["reporter"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.request_changes(by=eddie, note="Check the fare table.")
    (entry,) = Notification.objects.filter(kind=Kind.SENT_BACK)
    assert entry.recipient == desk["reporter"]
    assert entry.text == "Check the fare table."
    assert mailed_to() == {"rita@desk.example"}


@pytest.mark.parametrize("scheduled", [False, True])
def test_publishing_or_scheduling_tells_the_authors(
    desk, django_capture_on_commit_callbacks, scheduled
):
    from datetime import timedelta

    from django.utils import timezone

    at = timezone.now() + timedelta(days=1) if scheduled else None
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].publish(by=desk["editors"][0], at=at)
    (entry,) = Notification.objects.filter(kind=Kind.PUBLISHED)
    assert entry.recipient == desk["reporter"]
    assert entry.title.startswith("Scheduled" if scheduled else "Published")


def test_the_person_who_took_the_step_is_not_told(desk, django_capture_on_commit_callbacks):
    story, eddie = desk["story"], desk["editors"][0]
    StoryByline.objects.create(story=story, byline=make_byline(user=eddie), position=1)
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=eddie)
    assert recipients(Kind.PUBLISHED) == {"rita"}


def test_a_comment_awaiting_moderation_tells_the_moderators(
    desk, django_capture_on_commit_callbacks
):
    story = make_story(headline="Library hours")
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(story=story, author_name="Lee", text="When does it open?")
        Comment.objects.create(
            story=story, author_name="Bot", text="spam", status=Comment.Status.SPAM
        )
    assert recipients(Kind.COMMENT) == {"eddie", "erin"}  # editors moderate; reporters do not
    (entry, _) = Notification.objects.filter(kind=Kind.COMMENT)
    assert "When does it open?" in entry.text


def test_a_muted_kind_sends_nothing(desk, django_capture_on_commit_callbacks):
    MutedKind.objects.create(user=desk["editors"][1], kind=Kind.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].submit(by=desk["reporter"])
    assert recipients(Kind.SUBMITTED) == {"eddie"}
    assert mailed_to() == {"eddie@desk.example"}


def test_settings_page_turns_kinds_off_and_on(client, desk):
    erin = desk["editors"][1]
    client.force_login(erin)
    url = reverse("notifications:settings")
    page = client.get(url).content.decode()
    assert "A story is submitted for review" in page

    def ticked() -> set[str]:
        doc = lxml.html.fromstring(client.get(url).content.decode())
        return set(doc.xpath("//input[@name='kinds'][@checked]/@value"))

    assert ticked() == set(Kind.values)  # everything is on until turned off
    wanted = [Kind.PUBLISHED, Kind.COMMENT]
    assert client.post(url, {"kinds": wanted}).status_code == 302
    assert set(MutedKind.objects.filter(user=erin).values_list("kind", flat=True)) == {
        Kind.SUBMITTED,
        Kind.SENT_BACK,
    }
    assert ticked() == set(wanted)
    client.post(url, {"kinds": Kind.values})
    assert not MutedKind.objects.filter(user=erin).exists()


def test_the_inbox_lists_opens_and_marks_read(client, desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].submit(by=desk["reporter"])
    eddie = desk["editors"][0]
    client.force_login(eddie)
    newsdesk = client.get(reverse("articles:newsdesk")).content.decode()
    assert "(1 new)" in newsdesk
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Submitted for review: “Ferry fares rise”" in inbox
    entry = Notification.objects.get(recipient=eddie)
    response = client.post(reverse("notifications:open", args=[entry.pk]))
    assert response["Location"] == reverse("admin:articles_story_change", args=[desk["story"].pk])
    entry.refresh_from_db()
    assert entry.read_at is not None
    assert "(1 new)" not in client.get(reverse("articles:newsdesk")).content.decode()


def test_nobody_opens_someone_elses_entry(client, desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].submit(by=desk["reporter"])
    entry = Notification.objects.filter(recipient=desk["editors"][0]).get()
    client.force_login(desk["editors"][1])
    assert client.post(reverse("notifications:open", args=[entry.pk])).status_code == 404


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_notification_goes_through_a_real_smtp_server(desk, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    class Recorder(Sink):
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's name
            self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
        ):
            with django_capture_on_commit_callbacks(execute=True):
                desk["story"].submit(by=desk["reporter"], note="Ready when you are.")
        deadline = time.monotonic() + 5
        while len(recorder.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert sorted(to for to, _ in recorder.messages) == [
        ["eddie@desk.example"],
        ["erin@desk.example"],
    ]
    assert all("Ready when you are." in content for _, content in recorder.messages)
