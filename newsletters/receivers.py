"""Bounces and complaints from the e-mail service (django-anymail's tracking webhooks)
stop mail to the address, so the service keeps trusting the sender."""

from __future__ import annotations

import logging

from anymail.signals import tracking
from django.dispatch import receiver

from articles.signals import demo_built, demo_removing

logger = logging.getLogger(__name__)

SUPPRESSING_EVENTS = {"bounced": "bounced", "rejected": "bounced", "complained": "complained"}


@receiver(tracking)
def suppress_bounced_address(sender, event, esp_name, **kwargs) -> None:
    from .models import Subscriber

    reason = SUPPRESSING_EVENTS.get(getattr(event, "event_type", ""))
    recipient = getattr(event, "recipient", "") or ""
    if reason is None or not recipient:
        return
    for subscriber in Subscriber.objects.for_email(recipient):
        logger.info("Subscriber %s suppressed: %s (%s)", subscriber.pk, reason, esp_name)
        subscriber.suppress(reason)


@receiver(demo_built)
def build_demo_newsletters(sender, **kwargs) -> None:
    from .demo import build_demo

    build_demo(**kwargs)


@receiver(demo_removing)
def remove_demo_newsletters(sender, **kwargs) -> None:
    from .demo import remove_demo

    remove_demo(**kwargs)
