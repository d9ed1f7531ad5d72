"""`manage.py send_edition ID`: send (or finish sending) an edition in this process.

For an operator without a queue, or to finish a send whose worker died: it sends only
the deliveries still pending, so running it again, or beside a worker, sends no one a
second copy.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from newsletters.models import Edition
from newsletters.sending import send_all_now


class Command(BaseCommand):
    help = "Send the pending deliveries of a newsletter edition that is being sent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("edition", type=int)

    def handle(self, *args, edition: int, **options) -> None:
        found = Edition.objects.select_related("newsletter").filter(pk=edition).first()
        if found is None:
            raise CommandError(f"No edition {edition}.")
        if found.status != Edition.Status.SENDING:
            raise CommandError(
                f"Edition {edition} is {found.get_status_display().lower()}; start it from "
                "the desk (Send now) first."
            )
        sent = send_all_now(found)
        found.refresh_from_db()
        self.stdout.write(f"Sent {sent}; the edition is {found.get_status_display().lower()}.")
