"""Sending an edition: schedule it, start it, and send it in batches, once per reader.

The shape of a send:

1. `start_sending()` (the desk's "Send now", or `start_due_editions()` for a scheduled
   edition whose time has come) moves the edition from Draft/Scheduled to Sending, once:
   the row is locked and the status checked, so two clicks or two schedulers start it once.
2. The `send_edition` task makes one `Delivery` per confirmed subscriber (the unique
   (edition, subscriber) pair means running it again adds only readers it lacks), then
   queues one `send_batch` task per NEWSROOM_NEWSLETTER_BATCH_SIZE pending deliveries.
3. `send_batch` sends each still-pending delivery of its range, marking it sent exactly
   once (newsletters/mail.py says when). A batch run again, by a retry or a restarted
   worker, skips what is sent; a recipient the server refuses is marked failed, and the
   send goes on.
4. When no delivery is pending, the edition is Sent.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from articles.distribution.seo import site_url

from .mail import AlreadySent, marks_at_end_of_data, newsletter_connection
from .models import Delivery, Edition, Subscriber
from .rendering import RenderedEdition, render_edition
from .subscriptions import sender_address
from .tokens import manage_token, unsubscribe_token

logger = logging.getLogger(__name__)

SEND_PERMISSION = "newsletters.send_edition"
NEXT_DUE_KEY = "newsletters:next-due"


# Errors that mean "the server, not this recipient": the batch is retried later.
class TemporarilyRefused(Exception):
    """The mail server answered "not now" (a 4xx reply: greylisting, a full mailbox, a
    sending quota): the delivery stays pending and the batch is tried again later."""


RETRYABLE = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    TemporarilyRefused,
)


def is_temporary(error: Exception) -> bool:
    """A 4xx SMTP reply (RFC 5321 §4.2.1: "transient negative completion"), for the
    message or for all of its recipients."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and 400 <= error.smtp_code < 500


class SendPermissionError(PermissionDenied):
    def __init__(self, user) -> None:
        super().__init__(f"{user} may not send or schedule newsletter editions.")


class EditionStateError(Exception):
    """The edition is not in a state that allows the step (e.g. it is already sent)."""


def _check_permission(by) -> None:
    if by is None or not by.has_perm(SEND_PERMISSION):
        raise SendPermissionError(by)


def _check_ready(edition: Edition) -> None:
    if not edition.ordered_stories():
        raise EditionStateError(f"“{edition}” has no public story to send; add one first.")


# Scheduling ----------------------------------------------------------------------------


@transaction.atomic
def schedule_edition(edition: Edition, *, by, at: datetime) -> None:
    """Send at `at`, unless it is sent or being sent already."""
    _check_permission(by)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if not locked.is_editable:
        raise EditionStateError(f"“{edition}” is {locked.get_status_display().lower()}.")
    horizon = timezone.now() + timedelta(days=settings.NEWSROOM_SCHEDULE_HORIZON_DAYS)
    if at > horizon:
        raise EditionStateError("That time is too far ahead; check the year.")
    _check_ready(locked)
    edition.status, edition.send_at = Edition.Status.SCHEDULED, at
    edition.site_url = edition.site_url or site_url()
    edition.save(update_fields=["status", "send_at", "site_url", "updated_at"])
    transaction.on_commit(remember_next_due)


@transaction.atomic
def unschedule_edition(edition: Edition, *, by) -> None:
    _check_permission(by)
    updated = Edition.objects.filter(pk=edition.pk, status=Edition.Status.SCHEDULED).update(
        status=Edition.Status.DRAFT, updated_at=timezone.now()
    )
    if not updated:
        raise EditionStateError(f"“{edition}” is not scheduled.")
    edition.status = Edition.Status.DRAFT
    transaction.on_commit(remember_next_due)


def remember_next_due() -> datetime | None:
    """Cache when the next scheduled edition is due ("" for none), for the middleware.

    The entry never expires: it is rewritten whenever an edition is scheduled, started or
    unscheduled, so public pages read it without a query.
    """
    due = Edition.objects.filter(status=Edition.Status.SCHEDULED).aggregate(at=Min("send_at"))["at"]
    cache.set(NEXT_DUE_KEY, due or "", timeout=None)
    return due


# Starting --------------------------------------------------------------------------------


@transaction.atomic
def start_sending(edition: Edition, *, by) -> None:
    """Send now: the edition becomes Sending, and the queue takes it from there."""
    _check_permission(by)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if not locked.is_editable:
        raise EditionStateError(f"“{edition}” is {locked.get_status_display().lower()}.")
    _check_ready(locked)
    _mark_sending(edition)


def _mark_sending(edition: Edition) -> None:
    edition.status, edition.started_at = Edition.Status.SENDING, timezone.now()
    edition.site_url = edition.site_url or site_url()
    edition.save(update_fields=["status", "started_at", "site_url", "updated_at"])
    from .tasks import send_edition

    pk = edition.pk
    transaction.on_commit(lambda: send_edition.delay(pk))
    transaction.on_commit(remember_next_due)


def start_due_editions() -> int:
    """Start every scheduled edition whose time has come; each starts once, whoever asks."""
    started = 0
    for pk in Edition.objects.due().values_list("pk", flat=True):
        with transaction.atomic():
            edition = Edition.objects.select_for_update().filter(pk=pk).due().first()
            if edition is None:
                continue
            if not edition.ordered_stories():
                # Every story in it was unpublished since it was scheduled: readers would
                # get a subject and an intro about stories that are gone. Back to the desk.
                edition.status = Edition.Status.DRAFT
                edition.save(update_fields=["status", "updated_at"])
                logger.warning("Edition %s had no public story left at its time: a draft again", pk)
                continue
            _mark_sending(edition)
            started += 1
    if not started:
        remember_next_due()
    return started


# Sending ---------------------------------------------------------------------------------


def prepare_deliveries(edition: Edition) -> int:
    """One pending Delivery per reader of the newsletter; returns how many were added."""
    if edition.status != Edition.Status.SENDING:
        return 0
    have = set(edition.deliveries.values_list("subscriber_id", flat=True))
    readers = Subscriber.objects.receiving(edition.newsletter).values_list("pk", flat=True)
    new = [Delivery(edition=edition, subscriber_id=pk) for pk in readers if pk not in have]
    Delivery.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def pending_batches(edition: Edition, size: int | None = None) -> list[tuple[int, int]]:
    """The pending deliveries as (first pk, last pk) ranges of at most `size`."""
    size = size or settings.NEWSROOM_NEWSLETTER_BATCH_SIZE
    pks = list(
        edition.deliveries.filter(status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        (chunk[0], chunk[-1]) for chunk in (pks[i : i + size] for i in range(0, len(pks), size))
    ]


def finish_if_done(edition_id: int) -> bool:
    """Sending → Sent once nothing is pending."""
    if Delivery.objects.filter(edition_id=edition_id, status=Delivery.Status.PENDING).exists():
        return False
    return bool(
        Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, sent_at=timezone.now()
        )
    )


def send_batch(edition_id: int, first_pk: int, last_pk: int) -> int:
    """Send the pending deliveries with pk in [first_pk, last_pk]; returns how many went."""
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    if edition.status != Edition.Status.SENDING:
        return 0
    base = (edition.site_url or site_url()).rstrip("/")
    rendered = render_edition(edition, base)
    pending = (
        edition.deliveries.filter(status=Delivery.Status.PENDING, pk__gte=first_pk, pk__lte=last_pk)
        .select_related("subscriber")
        .order_by("pk")
    )
    pending = list(pending)
    # A reader who unsubscribed (or bounced) since the send began is no recipient now.
    still = set(
        Subscriber.objects.receiving(edition.newsletter)
        .filter(pk__in=[delivery.subscriber_id for delivery in pending])
        .values_list("pk", flat=True)
    )
    gone = [delivery.pk for delivery in pending if delivery.subscriber_id not in still]
    Delivery.objects.filter(pk__in=gone, status=Delivery.Status.PENDING).delete()
    pending = [delivery for delivery in pending if delivery.subscriber_id in still]
    backend = newsletter_connection()
    sent = 0
    try:
        for delivery in pending:
            sent += deliver(backend, edition, rendered, delivery, base)
    finally:
        backend.close()
    finish_if_done(edition_id)
    return sent


def build_message(
    edition: Edition, rendered: RenderedEdition, delivery: Delivery, base: str
) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    token = unsubscribe_token(subscriber, edition.newsletter_id, delivery.pk)
    unsubscribe_url = base + reverse("newsletters:unsubscribe", args=[token])
    manage_url = base + reverse("newsletters:manage", args=[manage_token(subscriber)])
    html, text = rendered.personalise(unsubscribe_url=unsubscribe_url, manage_url=manage_url)
    domain = base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    message = EmailMultiAlternatives(
        # A line break in a header would refuse every message (BadHeaderError).
        subject=" ".join(rendered.subject.split()),
        body=text,
        from_email=sender_address(),
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{' '.join(edition.newsletter.name.split())} "
            f"<{edition.newsletter.slug}.{domain}>",
            # The same for every attempt, so a receiving system can tell a repeat.
            "Message-ID": f"<edition-{edition.pk}.delivery-{delivery.pk}@{domain}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(delivery: Delivery) -> None:
    """Pending → sent, for exactly one sender (raises AlreadySent for the others)."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    if not claimed:
        raise AlreadySent(delivery.pk)


def _unclaim(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, sent_at=None)


def _fail(delivery: Delivery, error: Exception) -> None:
    logger.warning("Newsletter delivery %s failed: %s", delivery.pk, error)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
    )


def deliver(backend, edition, rendered, delivery: Delivery, base: str) -> int:
    """Send one delivery if it is still pending; 1 when it went, else 0."""
    message = build_message(edition, rendered, delivery, base)
    if marks_at_end_of_data(backend):
        backend.open()
        claimed = []

        def claim() -> None:
            _claim(delivery)
            claimed.append(True)

        backend.connection.before_end_of_data = claim
        try:
            backend.send_messages([message])
        except AlreadySent:
            backend.abandon()
            return 0
        except RETRYABLE:
            backend.abandon()
            raise
        except smtplib.SMTPException as error:
            if is_temporary(error):
                backend.abandon()
                # Refused at the end of the data (or before, when nothing was claimed):
                # the server has not taken it, so it is still to send.
                if claimed:
                    _unclaim(delivery)
                raise TemporarilyRefused(str(error)) from error
            _fail(delivery, error)
            return 0
        finally:
            if backend.connection is not None:
                backend.connection.before_end_of_data = None
        return 1
    try:
        _claim(delivery)
    except AlreadySent:
        return 0
    try:
        backend.send_messages([message])
    except RETRYABLE:
        _unclaim(delivery)
        raise
    except Exception as error:  # the service refused this recipient: record it, go on
        if is_temporary(error):
            _unclaim(delivery)
            raise TemporarilyRefused(str(error)) from error
        _fail(delivery, error)
        return 0
    return 1


def send_all_now(edition: Edition) -> int:
    """The whole send in this process, batch after batch (`manage.py send_edition`)."""
    prepare_deliveries(edition)
    sent = 0
    for first, last in pending_batches(edition):
        sent += send_batch(edition.pk, first, last)
    finish_if_done(edition.pk)
    return sent
