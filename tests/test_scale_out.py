"""Several app machines: stateless processes sharing PostgreSQL and Redis; media storage;
the read-replica router."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import RequestFactory

from articles.models import Story
from newsroom.db_routers import REPLICA, ReplicaMiddleware, ReplicaRouter
from tests.factories import make_section, make_story, make_superuser
from tests.faults.services import free_port
from tests.faults.services import production_env as fault_test_env

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def production_env(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    env = fault_test_env(
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        f"redis://{REDIS[0]}:{REDIS[1]}/0",
        tmp_path,
    )
    env.update(CONN_MAX_AGE="0", CACHE_KEY_PREFIX=f"scale-out-{uuid.uuid4().hex}")
    return env


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own server
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


class Browser:
    """A cookie-keeping HTTP client for one app server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, data=body, timeout=10) as response:
            return response.status, response.read().decode()

    def csrf_from(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_database_and_cache(tmp_path):
    """A story published through the first server is shown by the second at once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two processes cannot share the in-memory test database")
    if not redis_is_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    env = production_env(tmp_path)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    section = make_section(name="Harbor", slug="harbor")
    story = make_story(
        section=section, headline="Ferry returns to the harbor",
        status=Story.Status.REVIEW, published_at=None,
    )  # fmt: skip
    chief = make_superuser(username="chief")
    # Hashed as production hashes it: the app servers do not run with test settings.
    chief.password = make_password("two-servers-password", hasher="pbkdf2_sha256")
    chief.save()

    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/robots.txt", server)
        first, second = (Browser(f"http://127.0.0.1:{port}") for port in ports)

        # The second server caches the section page, without the story.
        _, _, html = second.get("/harbor/")
        assert "Ferry returns to the harbor" not in html
        _, headers, _ = second.get("/harbor/")
        assert headers.get("X-Cache") == "HIT"

        # An editor publishes through the first server.
        _, _, login = first.get("/admin/login/")
        first.post(
            "/admin/login/?next=/admin/",
            {"username": "chief", "password": "two-servers-password",
             "csrfmiddlewaretoken": first.csrf_from(login)},
        )  # fmt: skip
        _, _, change = first.get(f"/admin/articles/story/{story.pk}/change/")
        status, _ = first.post(
            f"/admin/articles/story/{story.pk}/workflow/publish/",
            {"note": "", "csrfmiddlewaretoken": first.csrf_from(change)},
        )
        assert status == 200  # followed the redirect back to the story
        assert Story.objects.get(pk=story.pk).is_public

        # The second server shows it on its next request.
        _, headers, html = second.get("/harbor/")
        assert "Ferry returns to the harbor" in html
        assert headers.get("X-Cache") == "MISS"
        # ... and so does the story's own page, from either server.
        url = Story.objects.get(pk=story.pk).get_absolute_url()
        assert "Ferry returns to the harbor" in second.get(url)[2]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


def test_media_storage_is_s3_when_a_bucket_is_configured():
    pytest.importorskip("storages")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",  # noqa: S105
    )
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["S3Storage", "newsroom-media", "http://127.0.0.1:9000"]


def test_local_media_storage_by_default():
    from django.core.files.storage import storages

    assert type(storages["default"]).__name__ == "FileSystemStorage"


def routed_database(request) -> str:
    middleware = ReplicaMiddleware(lambda request: ReplicaRouter().db_for_read(Story))
    middleware.enabled = True
    return middleware(request)


def test_anonymous_reads_go_to_the_replica():
    factory = RequestFactory()
    assert routed_database(factory.get("/")) == REPLICA
    assert routed_database(factory.head("/harbor/")) == REPLICA


def test_staff_and_writes_use_the_primary():
    factory = RequestFactory()
    staff = factory.get("/admin/")
    staff.COOKIES["sessionid"] = "abc"
    assert routed_database(staff) == "default"
    assert routed_database(factory.post("/comments/1/")) == "default"
    # Outside a request, and for every write, the primary.
    assert ReplicaRouter().db_for_read(Story) == "default"
    assert ReplicaRouter().db_for_write(Story) == "default"
    assert ReplicaRouter().allow_migrate(REPLICA, "articles") is False


def test_replica_setting_adds_the_router():
    env = {**os.environ, "DATABASE_REPLICA_URL": "postgres://reader@127.0.0.1:5432/newsroom"}
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['replica']['USER'], s.DATABASE_ROUTERS[0])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
        "newsroom.settings"}, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["reader", "newsroom.db_routers.ReplicaRouter"]
