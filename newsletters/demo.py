"""The demo newsroom's newsletters, built by `manage.py load_demo` (articles' demo_built
signal) from newsletters/demo.yaml; removed before `load_demo --reset` rebuilds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from django.utils import timezone

from articles.models import Section

from .editions import suggested_stories
from .models import Delivery, Edition, EditionStory, Newsletter, Subscriber

DEMO_FILE = Path(__file__).with_name("demo.yaml")


def demo_data() -> dict:
    return yaml.safe_load(DEMO_FILE.read_text())


def remove_demo(**kwargs) -> None:
    data = demo_data()
    emails = [subscriber["email"] for subscriber in data["subscribers"]]
    slugs = [newsletter["slug"] for newsletter in data["section_newsletters"]]
    subjects = [edition["subject"] for edition in data["editions"]]
    Edition.objects.filter(subject__in=subjects).delete()
    Subscriber.objects.filter(email__in=emails).delete()
    Newsletter.objects.filter(slug__in=slugs, editions__isnull=True).delete()


def build_demo(*, now=None, log=None, **kwargs) -> None:
    data = demo_data()
    now = now or timezone.now()
    by_key: dict[str, Newsletter] = {n.kind: n for n in Newsletter.objects.exclude(kind="section")}
    for spec in data["section_newsletters"]:
        newsletter, _ = Newsletter.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": Newsletter.Kind.SECTION,
                "section": Section.objects.get(slug=spec["section"]),
                "description": spec["description"],
                "position": 40,
            },
        )
        by_key[spec["slug"]] = newsletter
    readers = []
    for spec in data["subscribers"]:
        subscriber, _ = Subscriber.objects.get_or_create(
            email=spec["email"], defaults={"confirmed_at": now - timedelta(days=30)}
        )
        subscriber.newsletters.set([by_key[key] for key in spec["newsletters"] if key in by_key])
        readers.append(subscriber)
    for spec in data["editions"]:
        newsletter = by_key.get(spec["newsletter"])
        if newsletter is None or Edition.objects.filter(subject=spec["subject"]).exists():
            continue
        edition = Edition.objects.create(
            newsletter=newsletter, subject=spec["subject"], intro=spec["intro"]
        )
        stories = suggested_stories(newsletter, spec["stories"])
        EditionStory.objects.bulk_create(
            EditionStory(edition=edition, story=story, position=n)
            for n, story in enumerate(stories)
        )
        if "sent_days_ago" in spec:
            # Recorded as sent, not sent: building the demo e-mails nobody.
            sent_at = now - timedelta(days=spec["sent_days_ago"])
            Edition.objects.filter(pk=edition.pk).update(
                status=Edition.Status.SENT, started_at=sent_at, sent_at=sent_at
            )
            Delivery.objects.bulk_create(
                Delivery(edition=edition, subscriber=reader, status="sent", sent_at=sent_at)
                for reader in Subscriber.objects.receiving(newsletter)
            )
    if log:
        log(f"Newsletters: {len(readers)} demo subscribers, {len(data['editions'])} editions.")
