"""Signed links in newsletter e-mails: confirm, manage preferences, unsubscribe.

Links carry the subscriber's id and a short keyed digest of the address, signed with
SECRET_KEY, so no account or stored token is needed and a link stops working when the
subscriber's data is deleted (a reused id has another address). Confirmation links expire
(NEWSROOM_NEWSLETTER_CONFIRM_DAYS); unsubscribe and manage links never do, as the law and
the mail clients expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from .models import SignupRequest, Subscriber

CONFIRM_SALT = "newsletters.confirm"
MANAGE_SALT = "newsletters.manage"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"


def _digest(email: str) -> str:
    return salted_hmac("newsletters.address", email.strip().lower()).hexdigest()[:12]


def confirm_token(signup: SignupRequest) -> str:
    return signing.dumps([signup.pk, _digest(signup.email)], salt=CONFIRM_SALT)


def signup_from_token(token: str) -> SignupRequest | None:
    max_age = timedelta(days=settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS)
    try:
        pk, digest = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        signup = SignupRequest.objects.get(pk=int(pk))
    except (signing.BadSignature, ValueError, TypeError, SignupRequest.DoesNotExist):
        return None
    return signup if _digest(signup.email) == digest else None


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, _digest(subscriber.email)], salt=MANAGE_SALT)


def subscriber_from_token(token: str) -> Subscriber | None:
    try:
        pk, digest = signing.loads(token, salt=MANAGE_SALT)
        subscriber = Subscriber.objects.get(pk=int(pk))
    except (signing.BadSignature, ValueError, TypeError, Subscriber.DoesNotExist):
        return None
    return subscriber if _digest(subscriber.email) == digest else None


@dataclass(frozen=True)
class Unsubscription:
    subscriber: Subscriber
    newsletter_id: int
    delivery_id: int | None


def unsubscribe_token(subscriber: Subscriber, newsletter_id: int, delivery_id: int | None) -> str:
    payload = [subscriber.pk, _digest(subscriber.email), newsletter_id, delivery_id]
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscription_from_token(token: str) -> Unsubscription | None:
    try:
        pk, digest, newsletter_id, delivery_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subscriber = Subscriber.objects.get(pk=int(pk))
        newsletter_id = int(newsletter_id)
        delivery_id = int(delivery_id) if delivery_id is not None else None
    except (signing.BadSignature, ValueError, TypeError, Subscriber.DoesNotExist):
        return None
    if _digest(subscriber.email) != digest:
        return None
    return Unsubscription(subscriber, newsletter_id, delivery_id)
