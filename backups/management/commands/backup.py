"""`manage.py backup ARCHIVE`: the database and the media files, in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from backups.archive import write_archive


class Command(BaseCommand):
    help = "Write the database and every media file to one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="Where to write, e.g. newsroom.tar.gz")

    def handle(self, *args, archive: Path, **options) -> None:
        manifest = write_archive(archive, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest['rows']} rows and {len(manifest['media'])} media files."
            )
        )
