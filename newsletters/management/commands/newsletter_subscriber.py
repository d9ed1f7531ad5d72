"""`manage.py newsletter_subscriber export|delete EMAIL`: a reader's data, for operators.

`export` prints everything stored about the address as JSON (a subject access request);
`delete` removes the subscriber, what was sent to it and its sign-up requests.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from newsletters.subscriptions import delete_data, export_json


class Command(BaseCommand):
    help = "Export or delete everything stored about a newsletter subscriber's address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument("email")

    def handle(self, *args, action: str, email: str, **options) -> None:
        if action == "export":
            self.stdout.write(export_json(email))
        else:
            deleted = delete_data(email)
            self.stdout.write(f"Deleted {deleted} row(s) for that address.")
