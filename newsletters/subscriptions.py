"""Signing up, confirming, choosing and leaving: the readers' side of newsletters.

Nothing here is sent without a confirmed address, except the confirmation e-mail
itself; and whether an address is already subscribed is never revealed to whoever
types it in (the answer to a sign-up is always "check your inbox").
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from comments.limits import RateLimit, parse_rate

from .models import Delivery, Newsletter, SignupRequest, Subscriber
from .tokens import Unsubscription, confirm_token, manage_token

logger = logging.getLogger(__name__)

# One address gets at most this many confirmation e-mails a day, whoever asks.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3


def signup_rate_limit() -> RateLimit:
    return parse_rate(settings.NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT)


def is_rate_limited(ip_address: str | None, email: str) -> bool:
    """True when this address (IP) or this e-mail address has asked too often lately."""
    now = timezone.now()
    limit = signup_rate_limit()
    if limit.is_on and ip_address:
        since = now - limit.window
        recent = SignupRequest.objects.filter(ip_address=ip_address, requested_at__gte=since)
        if recent.count() >= limit.count:
            return True
    day_ago = now - timezone.timedelta(days=1)
    same_address = SignupRequest.objects.filter(email__iexact=email, requested_at__gte=day_ago)
    return same_address.count() >= CONFIRMATIONS_PER_ADDRESS_PER_DAY


@transaction.atomic
def request_signup(
    email: str, newsletters: list[Newsletter], *, ip_address: str | None, base_url: str
) -> SignupRequest:
    """Record the request and queue the confirmation e-mail (sent after commit)."""
    signup = SignupRequest.objects.create(email=email.strip(), ip_address=ip_address)
    signup.newsletters.set(newsletters)
    from .tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.delay(signup.pk, base_url))
    return signup


def confirmation_message(signup: SignupRequest, base_url: str) -> EmailMultiAlternatives:
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "confirm_url": base_url + f"/newsletters/confirm/{confirm_token(signup)}/",
        "newsletters": list(signup.newsletters.all()),
        "days": settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS,
    }
    text = render_to_string("newsletters/email/confirm.txt", context)
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {settings.NEWSROOM_SITE_NAME}",
        body=text,
        from_email=sender_address(),
        to=[signup.email],
    )
    message.attach_alternative(
        render_to_string("newsletters/email/confirm.html", context), "text/html"
    )
    return message


def sender_address() -> str:
    address = settings.NEWSROOM_NEWSLETTER_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL
    return f"{settings.NEWSROOM_SITE_NAME} <{address}>" if "<" not in address else address


@transaction.atomic
def confirm(signup: SignupRequest) -> Subscriber | None:
    """Follow a confirmation link: the address is now a subscriber to what it chose.

    A link works once. Used again (a second tab, a forwarded e-mail), it changes
    nothing: not the newsletters the reader has dropped since, nor a suppression after a
    complaint; it returns the subscriber, or None if the reader has deleted their address.
    """
    signup = SignupRequest.objects.select_for_update().get(pk=signup.pk)
    subscriber = Subscriber.objects.for_email(signup.email).select_for_update().first()
    if signup.confirmed_at is not None:
        return subscriber
    now = timezone.now()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=signup.email, confirmed_at=now)
        except IntegrityError:  # confirmed at the same moment by another request
            subscriber = Subscriber.objects.for_email(signup.email).select_for_update().get()
    else:
        # A reader who signs up again after a bounce asks to receive mail again.
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.suppressed_at, subscriber.suppression = None, ""
        subscriber.save(update_fields=["confirmed_at", "suppressed_at", "suppression"])
    subscriber.newsletters.add(*signup.newsletters.filter(is_active=True))
    signup.confirmed_at = now
    signup.save(update_fields=["confirmed_at"])
    return subscriber


def set_preferences(subscriber: Subscriber, newsletters: list[Newsletter]) -> None:
    subscriber.newsletters.set(newsletters)


@transaction.atomic
def unsubscribe(unsubscription: Unsubscription) -> Newsletter | None:
    """One click (or one POST from the mail client, RFC 8058): that newsletter stops."""
    subscriber = unsubscription.subscriber
    newsletter = Newsletter.objects.filter(pk=unsubscription.newsletter_id).first()
    if newsletter is not None:
        subscriber.newsletters.remove(newsletter)
    if unsubscription.delivery_id is not None:
        Delivery.objects.filter(
            pk=unsubscription.delivery_id, subscriber=subscriber, unsubscribed_at__isnull=True
        ).update(unsubscribed_at=timezone.now())
    return newsletter


def manage_url(subscriber: Subscriber, base_url: str) -> str:
    return base_url + f"/newsletters/manage/{manage_token(subscriber)}/"


# Operators: a subscriber's data, exported or deleted (GDPR articles 15 and 17) -------------


def export_data(email: str) -> dict:
    """Everything stored about an address, as JSON-ready data."""
    subscriber = Subscriber.objects.for_email(email).first()
    requests = SignupRequest.objects.filter(email__iexact=email.strip())
    data: dict = {"email": email.strip(), "subscriber": None, "signup_requests": []}
    if subscriber is not None:
        data["subscriber"] = {
            "email": subscriber.email,
            "created_at": subscriber.created_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
            "suppressed_at": subscriber.suppressed_at and subscriber.suppressed_at.isoformat(),
            "suppression": subscriber.suppression,
            "newsletters": [n.name for n in subscriber.newsletters.all()],
            "deliveries": [
                {
                    "edition": d.edition.subject,
                    "status": d.status,
                    "sent_at": d.sent_at and d.sent_at.isoformat(),
                    "unsubscribed_at": d.unsubscribed_at and d.unsubscribed_at.isoformat(),
                }
                for d in subscriber.deliveries.select_related("edition")
            ],
        }
    for signup in requests.prefetch_related("newsletters"):
        data["signup_requests"].append(
            {
                "requested_at": signup.requested_at.isoformat(),
                "ip_address": signup.ip_address,
                "confirmed_at": signup.confirmed_at and signup.confirmed_at.isoformat(),
                "newsletters": [n.name for n in signup.newsletters.all()],
            }
        )
    return data


def export_json(email: str) -> str:
    return json.dumps(export_data(email), indent=2, ensure_ascii=False)


@transaction.atomic
def delete_data(email: str) -> int:
    """Delete the subscriber, its deliveries and its sign-up requests; returns rows deleted."""
    deleted, _ = Subscriber.objects.for_email(email).delete()
    more, _ = SignupRequest.objects.filter(email__iexact=email.strip()).delete()
    return deleted + more
