"""Delete, for good, the stories that have been in the trash longer than
NEWSROOM_TRASH_DAYS (run it daily: docs/deployment.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Story


class Command(BaseCommand):
    help = (
        "Delete for good the stories in the trash for longer than NEWSROOM_TRASH_DAYS. "
        "Editors can restore a story until then."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        expired = list(Story.objects.trash_expired().order_by("trashed_at", "pk"))
        days = settings.NEWSROOM_TRASH_DAYS
        if not expired:
            self.stdout.write(f"Nothing has been in the trash for more than {days} days.")
            return
        for number, story in enumerate(expired, start=1):
            self.stdout.write(
                f"[{number}/{len(expired)}] {'Would delete' if dry_run else 'Deleting'} "
                f"“{story.headline}” (in the trash since {story.trashed_at:%Y-%m-%d})"
            )
            if not dry_run:
                with transaction.atomic():
                    story.delete()
        verb = "would be deleted" if dry_run else "deleted for good"
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} from the trash {verb}."))
