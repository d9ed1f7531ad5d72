"""Rebuild SectionListing (where each story is listed) from the stories' sections."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.models import Story, refresh_listings

BATCH = 2000


class Command(BaseCommand):
    help = "Rebuild the section listings from every story's home and secondary sections."

    def handle(self, *args, **options) -> None:
        ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            refresh_listings(ids[start : start + BATCH])
            done = min(start + BATCH, len(ids))
            self.stdout.write(f"\r  stories: {done:,}/{len(ids):,}", ending="")
            self.stdout.flush()
        self.stdout.write(f"\nListings refreshed for {len(ids):,} stories.")
