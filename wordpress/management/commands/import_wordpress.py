"""`manage.py import_wordpress EXPORT.xml`: bring a WordPress site's content into the newsroom.

See docs/migrating-from-wordpress.md for the walk-through. The work happens in
`wordpress.importer`; this command parses options, shows progress and prints the summary.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import ImportConfigError, ImportOptions, run_import
from wordpress.wxr import WXRError


class ProgressBar:
    """One line on stderr, redrawn in place: [#####.....] 1,234/10,000 items."""

    WIDTH = 30

    def __init__(self, stream, *, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.shown = False
        self.last_drawn = 0.0

    def __call__(self, done: int, total: int, unit: str = "items") -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last_drawn < 0.1 and done < total):
            return
        self.last_drawn = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done:,}/{total:,} {unit}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r")
            self.stream.flush()
            self.shown = False


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, from Tools → Export) into the newsroom: categories "
        "become sections, tags become tags, authors become bylines, posts become stories "
        "with their comments, and every old address redirects to the new one. Pages are "
        "imported as stories in a section of their own (--pages-section, default “pages”); "
        "--skip-pages leaves them out. Running it again updates what changed and never "
        "duplicates anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--uploads",
            type=Path,
            metavar="DIR",
            help="A copy of the site's wp-content/uploads; featured images and attachments "
            "are read from it (nothing is downloaded). Missing files are reported.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and print the summary, but write nothing.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace stories edited in the newsroom since the last import.",
        )
        parser.add_argument(
            "--section-for",
            action="append",
            default=[],
            metavar="CATEGORY=SECTION",
            help="File a WordPress category (slug or name) under an existing section "
            "instead of creating one; repeat for more categories.",
        )
        parser.add_argument(
            "--skip-pages",
            action="store_true",
            help="Leave WordPress pages out (by default they become stories in the pages section).",
        )
        parser.add_argument(
            "--pages-section",
            default="pages",
            metavar="SLUG",
            help="The section pages go in; created if missing (default: pages).",
        )
        parser.add_argument(
            "--default-section",
            default="uncategorized",
            metavar="SLUG",
            help="The section for posts with no category (default: uncategorized).",
        )
        parser.add_argument(
            "--keep-pingbacks",
            action="store_true",
            help="Import pingbacks and trackbacks as comments (skipped by default).",
        )
        parser.add_argument(
            "--timezone",
            default="",
            metavar="TZ",
            help="The WordPress site's time zone, for the few dates exported without a "
            "GMT time (default: the TIME_ZONE setting).",
        )
        parser.add_argument(
            "--category-base",
            default="category",
            help="The category base of the old permalinks (default: category).",
        )
        parser.add_argument(
            "--tag-base", default="tag", help="The tag base of the old permalinks (default: tag)."
        )
        parser.add_argument(
            "--created-by",
            metavar="USERNAME",
            help="The staff account recorded as creating the stories (default: none).",
        )
        parser.add_argument(
            "--no-renditions",
            action="store_true",
            help="Do not resize lead images for the public pages now; run "
            "`manage.py generateimages` later (the import is faster, images wait).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=250, help="Items per transaction (default: 250)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args, **options):
        options_ = ImportOptions(
            uploads=options["uploads"],
            dry_run=options["dry_run"],
            overwrite=options["overwrite"],
            section_for=self._section_for(options["section_for"]),
            import_pages=not options["skip_pages"],
            pages_section=options["pages_section"],
            default_section=options["default_section"],
            keep_pingbacks=options["keep_pingbacks"],
            time_zone=options["timezone"],
            category_base=options["category_base"],
            tag_base=options["tag_base"],
            created_by=self._user(options["created_by"]),
            batch_size=max(1, options["batch_size"]),
            renditions=not options["no_renditions"],
        )
        if options_.uploads is not None and not options_.uploads.is_dir():
            raise CommandError(f"--uploads: {options_.uploads} is not a directory.")
        stream = self.stderr._out
        show = not options["no_progress"] and options["verbosity"] > 0 and _is_tty(stream)
        progress = ProgressBar(stream, enabled=show)

        def log(line: str) -> None:
            progress.clear()
            self.stderr.write(line)

        started = time.monotonic()
        try:
            summary = run_import(options["export"], options_, progress=progress, log=log)
        except (WXRError, ImportConfigError) as error:
            progress.clear()
            raise CommandError(str(error)) from error
        progress.clear()
        if options["verbosity"] > 0:
            self.stdout.write(summary.as_text())
            self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")
        if options["verbosity"] > 1:
            for problem in summary.warnings:
                self.stdout.write(f"Warning: {problem}")
            for path in summary.missing_files:
                self.stdout.write(f"Missing file: {path}")

    def _section_for(self, pairs: list[str]) -> dict[str, str]:
        mapping = {}
        for pair in pairs:
            category, equals, section = pair.partition("=")
            if not equals or not category.strip() or not section.strip():
                raise CommandError(f"--section-for takes CATEGORY=SECTION, not “{pair}”.")
            mapping[category.strip()] = section.strip()
        return mapping

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--created-by: there is no user “{username}”.")
        return user


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
