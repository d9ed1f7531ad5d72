"""The newsletters' tasks on the queue (newsroom/celery.py). Each may run more than once
(a retry, a restarted worker): they only do what is still undone."""

from __future__ import annotations

from celery import shared_task

from . import sending

RETRY = {
    "autoretry_for": sending.RETRYABLE,
    "max_retries": 5,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
}


@shared_task(name="newsletters.send_confirmation", **RETRY)
def send_confirmation(signup_id: int, base_url: str) -> None:
    from .models import SignupRequest
    from .subscriptions import confirmation_message

    signup = SignupRequest.objects.filter(pk=signup_id, confirmed_at__isnull=True).first()
    if signup is not None:
        confirmation_message(signup, base_url).send()


@shared_task(name="newsletters.send_edition", **RETRY)
def send_edition(edition_id: int) -> None:
    """Make the deliveries, then queue a task per batch."""
    from .models import Edition

    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    sending.prepare_deliveries(edition)
    for first, last in sending.pending_batches(edition):
        send_batch.delay(edition_id, first, last)
    sending.finish_if_done(edition_id)


@shared_task(name="newsletters.send_batch", **RETRY)
def send_batch(edition_id: int, first_pk: int, last_pk: int) -> int:
    return sending.send_batch(edition_id, first_pk, last_pk)


@shared_task(name="newsletters.send_due_editions")
def send_due_editions() -> int:
    """Run by the scheduler every minute (CELERY_BEAT_SCHEDULE), and by the middleware."""
    return sending.start_due_editions()
