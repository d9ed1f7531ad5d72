"""Faults survived: the site under load while its database and its cache restart.

Each test runs the demo newsroom on gunicorn (two workers, production settings) against
a PostgreSQL and a Redis of its own, puts a bounded load on it from four threads (a
reader's pages, search, and a logged-in editor's newsdesk), stops one service, starts
it again, and checks what readers got:

- Redis down: every answer is still a 200 (pages uncached), the outage is logged once
  per process, and pages come from the cache again within seconds of Redis returning.
- PostgreSQL down: every answer is a 200 (cached pages) or a 503 with Retry-After, and
  every page works again within seconds of the database returning.

The figures are printed (run with `-s`) and recorded in docs/security.md.
"""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .services import Gunicorn, Load, PostgreSQL, Redis, find_tool, manage, production_env

pytestmark = pytest.mark.faults

PHASE_SECONDS = 6
RECOVERY_LIMIT_SECONDS = 5
EDITOR = ("fault-editor", "fault-editor-password-2026")

URLS_SCRIPT = """
from articles.models import Story, Section
story = Story.objects.listed().order_by("-published_at").first()
section = Section.objects.active().filter(parent=None).first()
print("URLS", story.get_absolute_url(), section.get_absolute_url())
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.filter(username="{0}").delete()
User.objects.create_superuser("{0}", "editor@example.org", "{1}")
""".format(*EDITOR)


@pytest.fixture(scope="module")
def site():
    """A migrated demo newsroom on its own PostgreSQL and Redis, static files collected."""
    missing = [t for t in ("initdb", "pg_ctl", "redis-server") if not find_tool(t)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    database, cache = PostgreSQL(), Redis()
    try:
        database.init()
        database.start()
        cache.start()
        env = production_env(database.url(), cache.url(), folder)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", timeout=600)
        manage(env, "collectstatic", "--noinput", "-v0")
        printed = manage(env, "shell", "-c", URLS_SCRIPT)
        story_url, section_url = re.search(r"^URLS (\S+) (\S+)$", printed, re.M).groups()
        yield {
            "env": env,
            "folder": folder,
            "database": database,
            "cache": cache,
            "reader_paths": ["/", section_url, story_url, "/feed/", "/search/?q=river"],
        }
    finally:
        cache.stop()
        database.remove()
        shutil.rmtree(folder, ignore_errors=True)


def editor_cookie(base: str) -> str:
    """Log the editor in through the login form; the session cookie for the load."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/admin/login/", timeout=10) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    data = urllib.parse.urlencode(
        {"username": EDITOR[0], "password": EDITOR[1], "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 -- our own server
        f"{base}/admin/login/?next=/admin/", data=data, headers={"Referer": f"{base}/"}
    )
    with opener.open(request, timeout=10):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "the editor could not log in"
    return f"sessionid={cookies['sessionid']}"


def summary(name: str, phases: dict[str, list]) -> str:
    lines = [f"{name}:"]
    for phase, results in phases.items():
        bad = [r for r in results if not 200 <= r.status < 300]
        lines.append(f"  {phase}: {len(results)} requests, {len(bad)} non-2xx")
    return "\n".join(lines)


def run_outage(site, name: str, stop, start) -> tuple[dict[str, list], float, float, str]:
    """Load the site, stop a service for a phase, start it, load it a phase more.

    Returns the answers by phase ("before": answered before the stop; "down": answered
    after the stop began and sent before the service was back; "after"), when the service
    had stopped and when it was back, and the server's log.
    """
    with Gunicorn(site["env"], site["folder"]) as server:
        cookie = editor_cookie(server.base)
        reader = Load(server.base, site["reader_paths"], threads=3)
        editor = Load(server.base, ["/newsdesk/"], threads=1, headers={"Cookie": cookie})
        with reader, editor:
            time.sleep(PHASE_SECONDS)
            stopping_at = time.monotonic()
            stop()
            stopped_at = time.monotonic()
            time.sleep(PHASE_SECONDS)
            starting_at = time.monotonic()
            start()
            back_at = time.monotonic()
            time.sleep(PHASE_SECONDS)
        log = server.log.read_text()
    results = sorted(reader.results + editor.results, key=lambda r: r.started)
    # A request still being answered when the service stopped belongs to the outage.
    phases = {
        "before": [r for r in results if r.finished < stopping_at],
        "down": [r for r in results if r.finished >= stopping_at and r.started < back_at],
        "after": [r for r in results if r.started >= back_at],
        # Sent after the service had stopped and answered before it was started again:
        # nothing of the service can be in these answers.
        "surely_down": [r for r in results if r.started > stopped_at and r.finished < starting_at],
    }
    print(summary(name, phases))
    return phases, stopped_at, back_at, log


def test_the_site_serves_every_page_uncached_while_redis_is_down(site):
    cache = site["cache"]
    phases, stopped_at, back_at, log = run_outage(site, "Redis stopped", cache.stop, cache.start)
    before, down, after = phases["before"], phases["down"], phases["after"]

    assert before and down and after
    assert [r for r in before + down + after if r.status != 200] == []
    # Pages came from the cache before, could not while it was down, and do again after.
    assert any(r.cache == "HIT" for r in before)
    # (A request sent while Redis was shutting down may have read it just before, and
    # one still queued when it came back may read it again: neither counts.)
    surely_down = phases["surely_down"]
    assert surely_down
    assert not any(r.cache == "HIT" for r in surely_down)
    first_hit = min(r.finished for r in after if r.cache == "HIT")
    recovery = first_hit - back_at
    print(f"  cache used again {recovery:.1f} s after Redis was back")
    assert recovery < RECOVERY_LIMIT_SECONDS
    # Logged once per worker process when it went and once when it came back.
    assert 1 <= log.count("The cache (Redis) cannot be reached") <= 2
    assert 1 <= log.count("The cache (Redis) is back") <= 2
    assert len(log) < 20_000, "the error log grew with the outage"


def test_a_database_restart_answers_503_and_recovers_by_itself(site):
    database = site["database"]
    phases, _, back_at, log = run_outage(site, "PostgreSQL stopped", database.stop, database.start)
    before, down, after = phases["before"], phases["down"], phases["after"]
    results = before + down + after

    assert [r for r in before if r.status != 200] == []
    # On failure, the server's log says which error escaped as a 500.
    assert [r for r in results if r.status not in (200, 503)] == [], log[-6000:]
    unavailable = [r for r in results if r.status == 503]
    assert unavailable, "the outage was not noticed: did the load reach the database?"
    assert all(r.retry_after for r in unavailable)
    # Cached pages kept being served while the database was down.
    print(f"  while down: {sum(r.status == 200 for r in down)} answered from the cache")
    last_503 = max(r.finished for r in unavailable)
    recovery = max(0.0, last_503 - back_at)
    print(f"  {len(unavailable)} answered 503; last one {recovery:.1f} s after it was back")
    assert recovery < RECOVERY_LIMIT_SECONDS
    assert after and after[-1].status == 200
    assert "Traceback" not in log.split("The database cannot be reached")[0]
