"""Editions go out once per reader: batches, retries, failures, schedules, bounces."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from newsletters import sending
from newsletters.models import Delivery, Edition
from tests.factories import make_story
from tests.newsletters.factories import general, make_edition, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    return general("daily")


@pytest.fixture
def readers(daily):
    return [make_subscriber(daily) for _ in range(5)]


def test_send_now_reaches_every_confirmed_reader_once(
    daily, readers, desk_editor, committed, settings
):
    settings.NEWSROOM_NEWSLETTER_BATCH_SIZE = 2  # three batches
    make_subscriber(daily, confirmed=False, email="unconfirmed@example.org")
    make_subscriber(general("weekly"), email="weekly-only@example.org")
    edition = make_edition(daily)
    with committed():
        edition.send_now(by=desk_editor)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_at is not None
    assert Delivery.objects.filter(edition=edition, status="sent").count() == 5


def test_each_message_has_one_click_unsubscribe_headers_and_a_text_part(
    daily, readers, desk_editor, committed
):
    story = make_story(headline="Dam inspection finds cracks")
    edition = make_edition(daily, stories=[story])
    with committed():
        edition.send_now(by=desk_editor)
    message = mail.outbox[0].message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert "/newsletters/unsubscribe/" in unsubscribe
    assert mail.outbox[0].body.count("Dam inspection finds cracks") == 1
    assert story.get_absolute_url() in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    assert "/newsletters/manage/" in html
    # The header's link unsubscribes with one POST, as a mail client sends it.
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    reader = Delivery.objects.get(pk=_delivery_id(message)).subscriber
    Client().post(
        "/" + path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert not reader.newsletters.exists()
    assert Edition.objects.with_counts().get(pk=edition.pk).unsubscribed_count == 1


def _delivery_id(message) -> int:
    return int(message["Message-ID"].split("delivery-")[1].split("@")[0])


def test_a_batch_run_again_sends_nothing_twice(daily, readers, desk_editor, committed):
    edition = make_edition(daily)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENDING)
    edition.refresh_from_db()
    sending.prepare_deliveries(edition)
    ((first, last),) = sending.pending_batches(edition)
    assert sending.send_batch(edition.pk, first, last) == 5
    assert sending.send_batch(edition.pk, first, last) == 0  # a retry, a restarted worker
    sending.prepare_deliveries(edition)  # the send task run again adds no one
    assert len(mail.outbox) == 5
    assert Delivery.objects.filter(edition=edition).count() == 5


def test_a_refused_recipient_is_counted_as_failed_and_the_rest_still_go(
    daily, readers, desk_editor, committed, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == [readers[2].email]:
            raise smtplib.SMTPRecipientsRefused({readers[2].email: (550, b"No such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    edition = make_edition(daily)
    with committed():
        edition.send_now(by=desk_editor)
    assert len(mail.outbox) == 4
    counted = Edition.objects.with_counts().get(pk=edition.pk)
    assert (counted.sent_count, counted.failed_count, counted.status) == (4, 1, "sent")
    assert "No such user" in Delivery.objects.get(status="failed").error


def test_a_server_outage_retries_a_bounded_number_of_times_then_is_reported(
    daily, readers, desk_editor, committed, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    from background.models import FailedTask

    calls = []

    def down(self, messages):
        calls.append(1)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    edition = make_edition(daily)
    with committed():
        edition.send_now(by=desk_editor)
    # The first try and five retries; every delivery is still pending, none is lost.
    assert len(calls) == 6
    assert Delivery.objects.filter(edition=edition, status="pending").count() == 5
    failed = FailedTask.objects.get()
    assert failed.task_name == "newsletters.send_batch" and "SMTPServerDisconnected" in failed.error
    # Once the server is back, "Run again" finishes the send.
    monkeypatch.undo()
    failed.run_again()
    edition.refresh_from_db()
    assert edition.status == "sent" and len(mail.outbox) == 5


def test_only_editors_send(daily, contributor, committed):
    edition = make_edition(daily)
    with pytest.raises(sending.SendPermissionError):
        edition.send_now(by=contributor)
    with pytest.raises(sending.SendPermissionError):
        edition.schedule(by=contributor, at=timezone.now() + timedelta(hours=1))
    edition.refresh_from_db()
    assert edition.status == "draft" and not mail.outbox


def test_a_sent_edition_cannot_be_sent_again(daily, readers, desk_editor, committed):
    edition = make_edition(daily)
    with committed():
        edition.send_now(by=desk_editor)
    with pytest.raises(sending.EditionStateError):
        edition.send_now(by=desk_editor)
    assert len(mail.outbox) == 5


def test_a_scheduled_edition_goes_out_with_the_first_request_after_its_time(
    daily, readers, desk_editor, committed
):
    cache.clear()
    with freeze_time("2026-05-04 06:00", tick=False) as clock:
        edition = make_edition(daily)
        with committed():
            edition.schedule(by=desk_editor, at=timezone.now() + timedelta(hours=1))
        with committed():
            assert Client().get("/").status_code == 200
        assert not mail.outbox
        clock.move_to("2026-05-04 06:59:59")
        with committed():
            Client().get("/")
        assert not mail.outbox
        clock.move_to("2026-05-04 07:00:01")
        with committed():
            Client().get("/")
        assert len(mail.outbox) == 5
        with committed():
            Client().get("/")  # the next request sends nothing more
    assert len(mail.outbox) == 5
    edition.refresh_from_db()
    assert edition.status == "sent"


def test_the_scheduler_task_starts_due_editions_once(daily, readers, desk_editor, committed):
    from newsletters.tasks import send_due_editions

    with freeze_time("2026-05-04 06:00"):
        edition = make_edition(daily)
        with committed():
            edition.schedule(by=desk_editor, at=timezone.now() + timedelta(minutes=5))
    with freeze_time("2026-05-04 06:06"):
        with committed():
            assert send_due_editions() == 1
        with committed():
            assert send_due_editions() == 0
    assert len(mail.outbox) == 5


def test_public_pages_read_the_next_due_time_from_the_cache_without_a_query(
    daily, desk_editor, committed, client, django_assert_num_queries
):
    """The pinned page counts hold (tests/articles/test_queries.py); here, with an
    edition scheduled, a public request costs no more than without."""
    edition = make_edition(daily)
    with committed():
        edition.schedule(by=desk_editor, at=timezone.now() + timedelta(days=1))
    story = make_story()
    client.get(story.get_absolute_url())
    with django_assert_num_queries(5):  # the story page, navigation cached
        client.get(story.get_absolute_url())


@pytest.mark.parametrize("event_type", ["bounced", "complained"])
def test_bounces_and_complaints_from_the_service_stop_mail_to_the_address(daily, event_type):
    reader = make_subscriber(daily, general("weekly"), email="Gone@Example.org")
    event = AnymailTrackingEvent(event_type=event_type, recipient="gone@example.org")
    tracking.send(sender=object, event=event, esp_name="Postmark")
    reader.refresh_from_db()
    assert reader.suppressed_at is not None and reader.suppression == event_type
    assert not reader.newsletters.exists()


def test_other_service_events_change_nothing(daily):
    reader = make_subscriber(daily)
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="delivered", recipient=reader.email),
        esp_name="Postmark",
    )
    reader.refresh_from_db()
    assert reader.suppressed_at is None


def test_only_the_configured_services_tracking_webhook_is_mounted(settings):
    from newsletters.webhooks import tracking_urlpatterns

    settings.NEWSROOM_NEWSLETTER_EMAIL_BACKEND = ""
    assert tracking_urlpatterns() == []
    settings.NEWSROOM_NEWSLETTER_EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {}
    # Without a secret anyone could report any address bounced: nothing is mounted.
    assert tracking_urlpatterns() == []
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:password"}
    assert [str(p.pattern) for p in tracking_urlpatterns()] == ["postmark/tracking/"]


def test_an_edition_without_a_public_story_is_not_sent(daily, readers, desk_editor, committed):
    draft = make_story(status="draft", published_at=None)
    edition = make_edition(daily, stories=[draft])
    with pytest.raises(sending.EditionStateError):
        edition.send_now(by=desk_editor)
    with pytest.raises(sending.EditionStateError):
        edition.schedule(by=desk_editor, at=timezone.now() + timedelta(hours=1))
    assert Edition.objects.get(pk=edition.pk).status == "draft" and not mail.outbox


def test_a_not_now_reply_keeps_the_delivery_for_a_retry(
    daily, readers, desk_editor, committed, monkeypatch
):
    """A 4xx reply (a full mailbox, greylisting, a quota) is not a failure: the batch is
    tried again and every reader gets the edition; a 5xx refusal fails that one reader."""
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    later, never = readers[0].email, readers[1].email
    refusals = {later: 2}

    def picky(self, messages):
        (address,) = messages[0].to
        if address == never:
            raise smtplib.SMTPRecipientsRefused({address: (550, b"no such user")})
        if refusals.get(address, 0) > 0:
            refusals[address] -= 1
            raise smtplib.SMTPRecipientsRefused({address: (452, b"mailbox full, try later")})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", picky)
    edition = make_edition(daily)
    with committed():
        edition.send_now(by=desk_editor)
    statuses = dict(
        Delivery.objects.filter(edition=edition).values_list("subscriber__email", "status")
    )
    assert statuses.pop(never) == "failed"
    assert set(statuses.values()) == {"sent"}
    received = sorted(address for message in mail.outbox for address in message.to)
    assert received == sorted(statuses) and len(received) == len(set(received))


def test_a_not_now_reply_at_the_end_of_the_data_is_sent_again_over_smtp(
    daily, readers, desk_editor, committed, settings
):
    """Through a real SMTP server that answers 451 to the first message's data: that
    reader's copy is sent again, once, and everyone has exactly one copy."""
    from tests.newsletters.servers import SMTPServer

    server = SMTPServer()
    accept = server.mailbox.handle_DATA
    refused = []

    async def handle_data(smtp, session, envelope):
        if not refused:
            refused.append(envelope.rcpt_tos[0])
            return "451 4.3.0 Try again later"
        return await accept(smtp, session, envelope)

    server.mailbox.handle_DATA = handle_data
    with server as mailbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mailbox.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        edition = make_edition(daily)
        with committed():
            edition.send_now(by=desk_editor)
    assert refused
    assert sorted(mailbox.recipients) == sorted(
        Delivery.objects.filter(edition=edition).values_list("subscriber__email", flat=True)
    )
    assert len(set(mailbox.recipients)) == len(mailbox.recipients) == 5
    assert not Delivery.objects.filter(edition=edition).exclude(status="sent").exists()
