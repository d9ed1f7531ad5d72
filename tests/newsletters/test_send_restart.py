"""2,000 readers, a real SMTP server, and a worker killed mid-send: one copy each.

The send runs as `manage.py send_edition` in a subprocess against a SQLite file database,
talking SMTP to an aiosmtpd server started here. The first run is killed with SIGKILL
part way (no chance to clean up); a second run finishes the job. Every address must
have received exactly one message (newsletters/mail.py explains why that holds).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections import Counter

from tests.newsletters.servers import READERS_OF_A_STORY, manage

READERS = 2000

SETUP = (
    READERS_OF_A_STORY
    + """
edition = Edition.objects.create(newsletter=daily, subject="Tonight", status="sending",
    site_url="http://news.example.org")
EditionStory.objects.create(edition=edition, story=story)
print(edition.pk)
"""
)


def test_every_reader_gets_exactly_one_copy_when_the_worker_is_killed_mid_send(tmp_path, mailbox):
    database = tmp_path / "send.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSROOM_", "DATABASE", "EMAIL", "CELERY", "REDIS"))
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}",
        NEWSROOM_NEWSLETTER_BATCH_SIZE="250",
        LOG_LEVEL="WARNING",
    )
    migrate = manage(env, "migrate", "--noinput", "-v0")
    assert migrate.wait(timeout=120) == 0, migrate.stderr.read()
    setup = manage(env, "shell", "-c", SETUP.replace("{count}", str(READERS)))
    out, err = setup.communicate(timeout=120)
    assert setup.returncode == 0, err
    edition_id = out.strip().splitlines()[-1]

    first = manage(env, "send_edition", edition_id)
    deadline = time.monotonic() + 60
    while len(mailbox.recipients) < READERS // 3:
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the send is too slow"
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    received_before_restart = len(mailbox.recipients)
    assert first.returncode == -signal.SIGKILL
    assert received_before_restart < READERS  # it really stopped part way

    second = manage(env, "send_edition", edition_id)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    time.sleep(0.2)  # the server's last "250"

    copies = Counter(mailbox.recipients)
    assert len(copies) == READERS
    assert set(copies.values()) == {1}, [a for a, n in copies.items() if n > 1][:5]
    with sqlite3.connect(database) as db:
        statuses = dict(
            db.execute("SELECT status, COUNT(*) FROM newsletters_delivery GROUP BY status")
        )
        (status,) = db.execute(
            "SELECT status FROM newsletters_edition WHERE id = ?", [edition_id]
        ).fetchone()
    assert statuses == {"sent": READERS} and status == "sent"
