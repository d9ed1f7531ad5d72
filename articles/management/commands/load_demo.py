"""`manage.py load_demo [--reset]`: build The Riverside Ledger, an original demo newsroom.

The content lives in YAML files under `articles/demo/data/`, read and checked by
`articles.demo.content`; `articles.demo.builder` turns it into sections, bylines,
stories and tags, with pictures drawn by `articles.demo.pictures` (nothing is
downloaded), and, with DEBUG on only, demo logins with published passwords.

Running it again changes nothing. `--reset` deletes what the demo created (found by the
slugs and usernames in the content) and builds it afresh. Either way the work happens
in one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.demo.builder import DemoBuilder, demo_accounts, demo_is_loaded
from articles.demo.content import DemoContent, DemoContentError, demo_content
from articles.signals import demo_built, demo_removing

SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Build The Riverside Ledger, an original demo newsroom: sections, bylines, "
        "stories with generated pictures, and (with DEBUG on) demo logins. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo's stories, sections, bylines, tags and accounts, then rebuild.",
        )
        parser.add_argument(
            "--site-url",
            default=SITE_URL,
            help=f"The address printed for the site (default: {SITE_URL}).",
        )

    def handle(self, *args, reset: bool, site_url: str, **options) -> None:
        self.verbosity = options["verbosity"]
        try:
            content = demo_content()
        except DemoContentError as error:
            raise CommandError(f"The demo's data files need fixing: {error}") from error
        if not reset and demo_is_loaded(content):
            self.stdout.write(
                "Demo newsroom already loaded; nothing changed. "
                "Run with --reset to delete it and build it again."
            )
            self.print_logins(content, site_url)
            return

        builder = DemoBuilder(content, log=self.progress)
        with_accounts = settings.DEBUG
        try:
            with transaction.atomic():
                if reset:
                    self.progress("Removing the demo newsroom...")
                    demo_removing.send(sender=DemoBuilder, content=content)
                    builder.remove()
                builder.check_slugs_are_free()
                self.progress(f"Building the demo newsroom for {settings.NEWSROOM_SITE_NAME}...")
                now = timezone.now()
                counts = builder.build(now=now, with_accounts=with_accounts)
                demo_built.send(sender=DemoBuilder, content=content, now=now, log=self.progress)
        except BaseException:
            builder.discard_new_files()
            raise

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom loaded: {counts['stories']} stories in {counts['sections']} "
                f"sections by {counts['bylines']} bylines."
            )
        )
        self.print_logins(content, site_url)

    def progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def print_logins(self, content: DemoContent, site_url: str) -> None:
        """A boxed summary of where to look and how to log in."""
        site_url = site_url.rstrip("/") + "/"
        lines = [
            "Demo logins",
            "",
            f"Site:  {site_url}",
            f"Desk:  {site_url}admin/",
            "",
        ]
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            lines += ["E-mail (newsletter sign-ups, editions) is printed here.", ""]
        existing = {user.username for user in demo_accounts(content)}
        shown = [account for account in content.accounts if account.username in existing]
        if shown:
            lines += [
                f"{account.username:<8}  {account.password:<18}  {account.label}"
                for account in shown
            ]
            lines += ["", "Local demo only: these passwords are public."]
            if not settings.DEBUG:
                lines += ["DEBUG is off: delete these accounts before the site goes public."]
        else:
            lines += [
                "No demo accounts: they are created only with DEBUG on,",
                "because their passwords are published.",
                "Create your own: python manage.py createsuperuser",
            ]
        width = max(len(line) for line in lines)
        border = "+" + "-" * (width + 2) + "+"
        self.stdout.write("")
        self.stdout.write(border)
        for line in lines:
            self.stdout.write(f"| {line:<{width}} |")
        self.stdout.write(border)
