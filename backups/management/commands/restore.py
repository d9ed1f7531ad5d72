"""`manage.py restore ARCHIVE`: a backup, into a new installation (migrated, empty)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import RestoreError, restore_archive


class Command(BaseCommand):
    help = "Restore a backup archive into this installation (run migrate first; it must be empty)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="An archive written by manage.py backup")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            manifest = restore_archive(archive, progress=self.stdout.write)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {manifest['rows']} rows and {len(manifest['media'])} media files "
                f"from the backup of {manifest['created_at']}."
            )
        )
