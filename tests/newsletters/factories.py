"""Helpers for the newsletter tests."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import timezone

from newsletters.models import Edition, EditionStory, Newsletter, Subscriber
from tests.factories import make_story, next_number


def general(kind: str) -> Newsletter:
    """One of the three newsletters the migration makes (daily, weekly, breaking)."""
    return Newsletter.objects.get(kind=kind)


def make_section_newsletter(section, **overrides) -> Newsletter:
    fields = {
        "name": f"{section.name} newsletter",
        "slug": f"{section.slug}-newsletter",
        "kind": Newsletter.Kind.SECTION,
        "section": section,
    }
    fields.update(overrides)
    return Newsletter.objects.create(**fields)


def make_subscriber(*newsletters: Newsletter, confirmed: bool = True, **overrides) -> Subscriber:
    number = next_number()
    fields = {
        "email": f"reader{number}@example.org",
        "confirmed_at": timezone.now() if confirmed else None,
    }
    fields.update(overrides)
    subscriber = Subscriber.objects.create(**fields)
    subscriber.newsletters.set(newsletters)
    return subscriber


def make_edition(newsletter: Newsletter, stories=None, **overrides) -> Edition:
    fields = {"subject": f"Edition {next_number()}", "intro": "Good evening.\n\nHere is the news."}
    fields.update(overrides)
    edition = Edition.objects.create(newsletter=newsletter, **fields)
    for position, story in enumerate(stories if stories is not None else [make_story()]):
        EditionStory.objects.create(edition=edition, story=story, position=position)
    return edition


def link_in(message, pattern: str) -> str:
    """The first URL path in the e-mail's text matching `pattern`."""
    match = re.search(rf"https?://[^/\s]+(/newsletters/{pattern}/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def last_mail_to(address: str):
    found = [message for message in mail.outbox if address in message.to]
    assert found, f"no e-mail to {address}"
    return found[-1]
