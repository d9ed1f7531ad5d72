"""A real SMTP server for the send tests (aiosmtpd), and manage.py in a subprocess."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


class Mailbox:
    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def manage(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


class SMTPServer:
    """aiosmtpd on a free port of 127.0.0.1, collecting every recipient it accepts."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        with socket.socket() as probe:  # a free port (aiosmtpd cannot start on port 0)
            probe.bind(("127.0.0.1", 0))
            self.mailbox.port = probe.getsockname()[1]
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.mailbox.port)

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self.mailbox

    def __exit__(self, *exc) -> None:
        self.controller.stop()


# Run in `manage.py shell -c`: a published story and {count} confirmed readers of the
# daily digest (replace "{count}"); the send tests add their edition after it.
READERS_OF_A_STORY = """
from django.utils import timezone
from articles.models import Section, Story
from newsletters.models import Edition, EditionStory, Newsletter, Subscriber
section = Section.objects.create(name="News", slug="news")
story = Story.objects.create(headline="Flood gates open", slug="flood-gates-open",
    section=section, status="published", published_at=timezone.now(), body="<p>Water.</p>")
daily = Newsletter.objects.get(kind="daily")
now = timezone.now()
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{n}@example.org", confirmed_at=now) for n in range({count})
)
daily.subscribers.add(*Subscriber.objects.all())
"""
