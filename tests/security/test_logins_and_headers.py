"""Logins and headers: a login limit per username and address, the client's address
behind a proxy, a Content-Security-Policy on every page, idle staff sessions that
expire, and an admin that can move."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from newsroom.clients import client_address
from tests.comments.factories import make_comment
from tests.factories import TEST_PASSWORD, make_story, make_superuser

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def try_login(client, username, password, address="203.0.113.5", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# The login limit ------------------------------------------------------------------------


def test_five_failures_lock_that_username_from_that_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, "editor", "wrong").status_code == 200
    locked = try_login(client, "editor", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    assert try_login(client, "editor", TEST_PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_the_lock_holds_one_pair_only(client, editor, settings):
    """Another address may still log in as the editor: a stranger cannot lock them out."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "editor", "wrong")
    response = try_login(client, "editor", TEST_PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "editor", "wrong")
    with freeze_time(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert try_login(client, "editor", TEST_PASSWORD).status_code == 302


def test_a_superuser_unlocks_from_the_admin(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "editor", "wrong")
    attempt = AccessAttempt.objects.get(username="editor")
    chief = make_superuser(username="unlocker")
    desk = type(client)()
    desk.force_login(chief)
    listing = desk.get(reverse("admin:axes_accessattempt_changelist"))
    assert "editor" in listing.content.decode()
    desk.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert try_login(client, "editor", TEST_PASSWORD).status_code == 302


def test_a_spoofed_forwarded_header_is_ignored_without_a_trusted_proxy(client, editor, settings):
    """Changing X-Forwarded-For does not reset the count when no proxy is configured."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert try_login(client, "editor", TEST_PASSWORD).status_code == 429


# The client's address -------------------------------------------------------------------

factory = RequestFactory()


def test_without_a_trusted_proxy_the_peer_is_the_client(settings):
    settings.NEWSROOM_TRUSTED_PROXY_HEADER = ""
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_address(request) == "10.0.0.2"


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("192.0.2.1", 1, "192.0.2.1"),
        # A client's own X-Forwarded-For is kept at the left; the proxy's entry wins.
        ("6.6.6.6, 192.0.2.1", 1, "192.0.2.1"),
        ("6.6.6.6, 192.0.2.1, 10.0.0.9", 2, "192.0.2.1"),
        ("", 1, "10.0.0.2"),  # not through the proxy: the peer
        ("not-an-address", 1, "10.0.0.2"),
    ],
)
def test_behind_a_trusted_proxy_its_entry_is_the_client(settings, header, count, expected):
    settings.NEWSROOM_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = count
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


def test_the_comment_limit_counts_the_same_address_behind_a_proxy(client, settings):
    settings.NEWSROOM_TRUSTED_PROXY_HEADER = "X-Real-IP"
    settings.NEWSROOM_COMMENT_RATE_LIMIT = "1/10m"
    story = make_story()
    make_comment(story, ip_address="192.0.2.44")
    data = {"author_name": "Ann", "author_email": "ann@example.org", "text": "Hello again"}
    url = reverse("comments:post", args=[story.pk])
    limited = client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="192.0.2.44")
    assert limited.status_code == 429
    other = client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="192.0.2.45")
    assert other.status_code == 302
    assert story.comments.get(text="Hello again").ip_address == "192.0.2.45"


# Content-Security-Policy ----------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/feed/", "/search/?q=x", "/no-such-page/"])
def test_every_public_page_has_a_policy_without_inline_script_or_style(client, path):
    make_story()
    policy = directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_cached_pages_carry_the_policy_too(client):
    story = make_story()
    client.get(story.get_absolute_url())
    hit = client.get(story.get_absolute_url())
    assert hit["X-Cache"] == "HIT"
    assert "script-src 'self'" in hit["Content-Security-Policy"]


def test_the_admin_has_the_policy(superuser_client):
    response = superuser_client.get(reverse("admin:articles_story_add"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_public_templates_hold_no_inline_script_but_json_ld(client):
    """The story page's only inline <script> is its JSON-LD data block."""
    import lxml.html

    story = make_story()
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    inline = [s for s in page.iter("script") if not s.get("src")]
    assert inline and all(s.get("type") == "application/ld+json" for s in inline)
    assert not page.xpath("//style | //*[@style]")


# Idle staff sessions --------------------------------------------------------------------


def test_a_staff_session_idle_for_longer_than_the_limit_has_expired(client, editor, settings):
    assert settings.SESSION_COOKIE_AGE == settings.NEWSROOM_SESSION_IDLE_MINUTES * 60
    start = timezone.now()
    with freeze_time(start):
        client.force_login(editor)
        assert client.get("/admin/?all=1").status_code == 200
    idle = timedelta(minutes=settings.NEWSROOM_SESSION_IDLE_MINUTES, seconds=1)
    with freeze_time(start + idle):
        response = client.get("/admin/?all=1")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_working_editor_stays_logged_in(client, editor, settings):
    start = timezone.now()
    step = timedelta(minutes=settings.NEWSROOM_SESSION_IDLE_MINUTES - 5)
    with freeze_time(start):
        client.force_login(editor)
    for n in range(1, 4):
        with freeze_time(start + step * n):
            assert client.get("/admin/?all=1").status_code == 200


# A movable admin ------------------------------------------------------------------------

MOVED = """
import json, django
django.setup()
from django.test import Client
from django.urls import reverse
from articles.caching.middleware import UNCACHED_PREFIXES
from articles.models import RESERVED_SECTION_SLUGS
print(json.dumps({
    "index": reverse("admin:index"),
    "uncached": list(UNCACHED_PREFIXES),
    "reserved": "desk-7f3a" in RESERVED_SECTION_SLUGS,
}))
"""


def test_the_admin_moves_with_its_setting_and_everything_follows():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "NEWSROOM_ADMIN_URL": "desk-7f3a/", "NEWSROOM_TESTING": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MOVED], cwd=root, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    moved = json.loads(result.stdout.strip().splitlines()[-1])
    assert moved["index"] == "/desk-7f3a/"
    assert "/desk-7f3a/" in moved["uncached"]
    assert moved["reserved"] is True


def test_robots_txt_names_a_moved_admin_nowhere(client, settings):
    settings.NEWSROOM_ADMIN_URL = "desk-7f3a/"
    body = client.get("/robots.txt").content.decode()
    assert "desk-7f3a" not in body and "admin" not in body
