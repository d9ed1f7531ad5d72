"""CPU per request of each public page, in-process, and where it goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_10000 \\
        python bench/profile_pages.py [--requests 200] [--profile story] [--warm]

A quick loop for working on page cost, beside `bench/run.py` (which measures the same
thing under load, through gunicorn). For each page it makes `--requests` requests with
Django's test client, page cache off, and prints the process's CPU milliseconds per
request plus those of its PostgreSQL backend (read from /proc, so only when PostgreSQL
runs on this machine). `--profile PAGE` prints the functions that cost the most for that
page (cProfile, sorted by own time). `--warm` keeps the fragment caches between requests
(what a page-cache miss costs in production); without it every cache is cleared before
each request (the cost of a page nothing has seen yet).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "s" * 50)
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Byline, Section, Story  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from run import cpu_ms  # noqa: E402


def backend_cpu_ms() -> float:
    """CPU time so far of this connection's PostgreSQL backend (0 when not readable)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cpu_ms(cursor.fetchone()[0])


def pages() -> dict[str, list[str]]:
    """Each page's URLs (several for the story page, which rotates)."""
    rng = random.Random(1)
    section = (
        Section.objects.filter(slug="people-in-the-news").first()
        or Section.objects.filter(slug="news").first()
    )
    pks = list(Story.objects.listed().values_list("pk", flat=True)[:5000])
    stories = Story.objects.filter(pk__in=rng.sample(pks, min(200, len(pks))))
    stories = [story.get_absolute_url() for story in stories.select_related("section")]
    byline = Byline.objects.order_by("slug").first()
    tag = Story.objects.listed().tags_in_use().order_by("slug").first()
    return {
        "home": ["/"],
        "section page 1": [section.get_absolute_url()],
        "section page 50": [section.get_absolute_url() + "?page=50"],
        "small section": ["/section-05/"],
        "story": stories,
        "byline": [byline.get_absolute_url()],
        "tag": [f"/tag/{tag.slug}/"],
        "feed": ["/feed/"],
        "search": ["/search/?q=harbor+ferry"],
    }


def clear_caches() -> None:
    for alias in caches:
        caches[alias].clear()


def measure(client: Client, urls: list[str], requests: int, warm: bool) -> tuple[float, float]:
    for url in urls[:20]:
        client.get(url)
    backend_before = backend_cpu_ms()
    spent = 0.0
    for number in range(requests):
        if not warm:
            clear_caches()
        start = time.process_time()
        response = client.get(urls[number % len(urls)])
        spent += time.process_time() - start
        assert response.status_code == 200, (urls[number % len(urls)], response.status_code)
    return spent * 1000 / requests, (backend_cpu_ms() - backend_before) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page", action="append", help="only these pages")
    parser.add_argument("--profile", help="print a profile of this page")
    parser.add_argument("--warm", action="store_true", help="keep fragment caches warm")
    options = parser.parse_args()
    client = Client()
    print(f"{Story.objects.count():,} stories on {connection.vendor}; "
          f"{'warm' if options.warm else 'cold'} caches; ms of CPU per request")  # fmt: skip
    print(f"{'page':<16} {'python':>7} {'database':>9} {'total':>7} {'queries':>8}")
    for name, urls in pages().items():
        if options.page and name not in options.page:
            continue
        python_ms, database_ms = measure(client, urls, options.requests, options.warm)
        if not options.warm:
            clear_caches()
        with CaptureQueriesContext(connection) as captured:
            client.get(urls[0])
        print(f"{name:<16} {python_ms:>7.1f} {database_ms:>9.1f} "
              f"{python_ms + database_ms:>7.1f} {len(captured):>8}")  # fmt: skip
    if options.profile:
        urls = pages()[options.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for number in range(options.requests):
            if not options.warm:
                clear_caches()
            client.get(urls[number % len(urls)])
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(30)
        stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
