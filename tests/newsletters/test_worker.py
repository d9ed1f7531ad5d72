"""The production path: Redis as the broker, real Celery workers, one killed mid-send.

`celery -A newsroom worker` processes (as docs/deployment.md starts them) send an edition
to 600 readers through a real SMTP server; the first worker is killed with SIGKILL part
way. Its unacknowledged batch goes back to the queue (acks_late, a short visibility
timeout here) and a second worker finishes the send: every reader gets one copy.
Skipped when redis-server is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.faults.services import Redis
from tests.newsletters.servers import READERS_OF_A_STORY, ROOT, manage

READERS = 600

QUEUE = (
    READERS_OF_A_STORY
    + """
from django.db import transaction
from newsletters.sending import _mark_sending
edition = Edition.objects.create(newsletter=daily, subject="Tonight",
    site_url="http://news.example.org")
EditionStory.objects.create(edition=edition, story=story)
with transaction.atomic():
    _mark_sending(edition)  # what Send now does after its checks: queue send_edition
print(edition.pk)
"""
)


def worker(env: dict, name: str, logs) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool", "solo",
         "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(logs / f"{name}.log").open("w"),
    )  # fmt: skip


@pytest.fixture
def redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = Redis()
    server.start()
    yield server
    server.stop()


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_a_worker_killed_mid_send_leaves_its_batch_to_the_next_worker(
    tmp_path,
    mailbox,
    redis,  # noqa: F811
):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSROOM_", "DATABASE", "EMAIL", "CELERY", "REDIS"))
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}",
        CELERY_BROKER_URL=redis.url(),
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(
            {"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
        ),
        NEWSROOM_NEWSLETTER_BATCH_SIZE="100",
        LOG_LEVEL="WARNING",
    )
    migrate = manage(env, "migrate", "--noinput", "-v0")
    assert migrate.wait(timeout=120) == 0, migrate.stderr.read()
    first = worker(env, "first", tmp_path)
    try:
        queue = manage(env, "shell", "-c", QUEUE.replace("{count}", str(READERS)))
        out, err = queue.communicate(timeout=120)
        assert queue.returncode == 0, err
        wait_until(lambda: len(mailbox.recipients) >= 150, 60, "the first worker sent nothing")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert len(mailbox.recipients) < READERS
        second = worker(env, "second", tmp_path)
        try:
            wait_until(
                lambda: len(mailbox.recipients) >= READERS,
                40,
                f"the send never finished: {len(mailbox.recipients)}",
            )
            time.sleep(1)  # anything sent twice would arrive by now
        finally:
            second.terminate()
            second.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=10)
    copies = Counter(mailbox.recipients)
    assert len(copies) == READERS and set(copies.values()) == {1}
