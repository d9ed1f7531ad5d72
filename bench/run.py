"""Server CPU per request of each public page, uncached, beside the Wagtail peer's.

    python bench/run.py --stories 10000                  # then --stories 100000
    python bench/run.py --stories 10000 --peer wagtail   # and the peer, interleaved
    python bench/throughput.py --stories 10000           # requests/s, Redis, Varnish

It fills `newsroom_bench_<N>` once (bench/seed.py), serves it with gunicorn (2 sync
workers, production settings, `NEWSROOM_PAGE_CACHE_SECONDS=0`, persistent database
connections), drives each page with `wrk -t1 -c8` from a second process, and reads the
CPU time of the gunicorn workers and of their PostgreSQL backends from /proc before and
after each run: CPU milliseconds per request is the main figure, because requests per
second on a shared 2-core machine swing by 15 %; req/s and p50/p99 are kept beside it.

Each page is measured twice: with every cache off (a dummy cache: a page nothing has
seen, the navigation included) and with warm fragment caches (the process's own
cache: what a page-cache miss costs in production). `--peer wagtail` serves the peer
built by `../shared/peers/wagtail/setup.sh` with the same server shape and measures
its story and section pages in the same rounds.

Needs PostgreSQL on 127.0.0.1 (as in CI) and Debian's wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import (
    PYTHON,
    ROOT,
    ROTATE_LUA,
    free_port,
    prepare_database,
    server_env,
    wait_for,
)

WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")
PEER = Path("/tmp/peers/wagtail")  # noqa: S108 -- where the peer's setup.sh builds it
PEER_SOURCE = ROOT.parent / "shared" / "peers" / "wagtail"
PEER_PORT = 8100
STORY_URLS = 1000


def psql(database: str, sql: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def cpu_ms(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


class Server:
    """A gunicorn serving an app; the CPU of its workers and their database backends."""

    database: str
    port: int

    def processes(self) -> list[int]:
        backends = psql(
            "postgres",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}' "  # noqa: S608
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        ).split()
        return [*children(self.master), *map(int, backends)]

    def snapshot(self) -> dict[int, float]:
        return {pid: cpu_ms(pid) for pid in self.processes()}


class Newsroom(Server):
    def __init__(self, env: dict, *, cached: bool) -> None:
        self.database = env["DATABASE_URL"].rsplit("/", 1)[1]
        self.port = free_port()
        extra = {} if cached else {"NEWSROOM_BENCHMARK_NO_CACHE": "true"}
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT, env={**env, **extra},
        )  # fmt: skip
        self.master = self.process.pid
        wait_for(f"http://127.0.0.1:{self.port}/robots.txt")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Wagtail(Server):
    database = "wagtail_peer"

    def __init__(self) -> None:
        self.port = PEER_PORT
        env = {**os.environ, "PORT": str(PEER_PORT)}
        subprocess.run([str(PEER_SOURCE / "serve.sh"), "start", str(WORKERS)], check=True, env=env)  # noqa: S603
        self.master = int((PEER / "gunicorn.pid").read_text())

    def stop(self) -> None:
        subprocess.run([str(PEER_SOURCE / "serve.sh"), "stop"], check=True)  # noqa: S603


def wrk(url: str, *, duration: int, rotate: Path | None) -> dict:
    args = ["wrk", "-t1", "-c8", f"-d{duration}s", "--latency", "--timeout", "10s"]
    env = dict(os.environ)
    if rotate is not None:
        args += ["-s", str(rotate.with_suffix(".lua"))]
        env["BENCH_URLS"] = str(rotate)
    output = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True, env=env
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(match[1]) * {"us": 0.001, "ms": 1, "s": 1000}[match[2]] if match else 0.0

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors[1]) if errors else 0,
    }


def measure(server: Server, url: str, *, duration: int, rotate: Path | None) -> dict:
    base = f"http://127.0.0.1:{server.port}"
    wrk(base + url, duration=1, rotate=rotate)  # warm: connections, caches, imports
    before = server.snapshot()
    result = wrk(base + url, duration=duration, rotate=rotate)
    after = server.snapshot()
    spent = sum(after[pid] - before.get(pid, 0.0) for pid in after)
    result["cpu_ms"] = spent / max(result["requests"], 1)
    return result


# What is measured ---------------------------------------------------------------------------


def newsroom_pages(env: dict, workdir: Path) -> tuple[dict, dict]:
    """URLs of the pages measured, and their SQL queries (counted in-process, cold)."""
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["NEWSROOM_BENCHMARK_NO_CACHE"] = "true"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Byline, Section, Story
    from users.models import User

    settings.SECURE_SSL_REDIRECT = False
    everyone = Section.objects.get(slug="people-in-the-news")
    stories = Story.objects.listed().select_related("section").order_by("?")[:STORY_URLS]
    story_urls = [story.get_absolute_url() for story in stories]
    (workdir / "stories.txt").write_text("\n".join(story_urls) + "\n")
    (workdir / "stories.lua").write_text(ROTATE_LUA)
    byline = Byline.objects.order_by("slug").first()
    tag = Story.objects.listed().tags_in_use().order_by("slug").first()
    pages = {
        "story (1,000 rotating)": story_urls[0],
        "section page 1": everyone.get_absolute_url(),
        "section page 50": everyone.get_absolute_url() + "?page=50",
        "byline": byline.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "home": "/",
        "feed": "/feed/",
        "search": "/search/?q=harbor+ferry",
    }
    reader = Client()
    queries, sizes = {}, {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = reader.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[name], sizes[name] = len(captured), len(response.content)
    # The admin's story list, one request at a time, with and without a search.
    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    admin_ms = {}
    for name, url in {
        "admin story list": "/admin/articles/story/",
        "admin story search": "/admin/articles/story/?q=harbor",
    }.items():
        staff.get(url)
        timings = []
        for _ in range(7):
            start = time.perf_counter()
            assert staff.get(url).status_code == 200
            timings.append((time.perf_counter() - start) * 1000)
        admin_ms[name] = statistics.median(timings)
    return pages, {"queries": queries, "sizes": sizes, "admin_ms": admin_ms}


PEER_PAGES = {
    "story (1,000 rotating)": "/",  # rotated through the peer's own URL list
    "section page 1": "/people-in-the-news/",
    "section page 50": "/people-in-the-news/?page=50",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6, help="seconds of load per run")
    parser.add_argument("--peer", choices=["wagtail"], help="measure the peer beside us")
    parser.add_argument("--page", action="append", help="only these pages")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    if options.peer and not (PEER / "venv").exists():
        sys.exit(f"Build the peer first: {PEER_SOURCE / 'setup.sh'}")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-cpu-"))
    env = server_env(options.stories, workdir, NEWSROOM_PAGE_CACHE_SECONDS="0", CONN_MAX_AGE="600")
    env.pop("REDIS_URL", None)
    prepare_database(options.stories, env)
    collect = [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603
    pages, counted = newsroom_pages(env, workdir)
    if options.page:
        pages = {name: url for name, url in pages.items() if name in options.page}
    peer_urls = PEER / "detail_urls.txt"
    if options.peer:
        shutil.copy(peer_urls, workdir / "peer.txt")
        (workdir / "peer.lua").write_text(ROTATE_LUA)
    size = counted["sizes"].get("section page 1", 30_000)
    pages_and_baseline = {**pages, "bare Django view": f"/bench/baseline/?bytes={size}"}

    runs: dict[str, dict[str, list[dict]]] = {}
    for round_number in range(1, options.rounds + 1):
        for mode, cached in (("caches off", False), ("fragment caches warm", True)):
            server = Newsroom(env, cached=cached)
            try:
                for name, url in pages_and_baseline.items():
                    if name == "bare Django view" and cached:
                        continue
                    rotate = workdir / "stories.txt" if name.startswith("story") else None
                    result = measure(server, url, duration=options.duration, rotate=rotate)
                    runs.setdefault(mode, {}).setdefault(name, []).append(result)
                    progress(round_number, mode, name, result)
            finally:
                server.stop()
        if options.peer:
            peer = Wagtail()
            try:
                for name, url in PEER_PAGES.items():
                    if name not in pages:
                        continue
                    rotate = workdir / "peer.txt" if name.startswith("story") else None
                    result = measure(peer, url, duration=options.duration, rotate=rotate)
                    runs.setdefault("Wagtail", {}).setdefault(name, []).append(result)
                    progress(round_number, "Wagtail", name, result)
            finally:
                peer.stop()
    report(options, pages, counted, runs)
    shutil.rmtree(workdir, ignore_errors=True)


def progress(round_number: int, mode: str, name: str, result: dict) -> None:
    print(f"round {round_number} {mode:<21} {name:<24} "
          f"{result['cpu_ms']:6.1f} ms CPU {result['rps']:7.1f} req/s", flush=True)  # fmt: skip


def median_of(results: list[dict]) -> dict:
    return {key: statistics.median(result[key] for result in results) for key in results[0]}


def report(options, pages: dict, counted: dict, runs: dict) -> None:
    medians = {
        mode: {name: median_of(results) for name, results in by.items()}
        for mode, by in runs.items()
    }
    cold, warm = medians["caches off"], medians.get("fragment caches warm", {})
    peer = medians.get("Wagtail", {})
    floor = cold.get("bare Django view", {}).get("cpu_ms")
    print()
    print(f"Server CPU ms per request (workers + their PostgreSQL backends), "
          f"{options.stories:,} stories, {WORKERS} gunicorn workers, wrk -t1 -c8, "
          f"medians of {options.rounds} rounds")  # fmt: skip
    header = (f"{'page':<24} {'SQL':>4} {'caches off':>11} {'warm':>7} {'Wagtail':>8} "
              f"{'ratio':>6} {'req/s':>7} {'p50':>6} {'p99':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for name in pages:
        c, w, p = cold[name], warm.get(name), peer.get(name)
        print(f"{name:<24} {counted['queries'][name]:>4} {c['cpu_ms']:>11.1f} "
              f"{w['cpu_ms'] if w else float('nan'):>7.1f} "
              f"{p['cpu_ms'] if p else float('nan'):>8.1f} "
              f"{c['cpu_ms'] / p['cpu_ms'] if p else float('nan'):>6.2f} "
              f"{c['rps']:>7.0f} {c['p50_ms']:>6.1f} {c['p99_ms']:>6.1f}")  # fmt: skip
    if floor:
        print(f"{'bare Django view':<24} {'0':>4} {floor:>11.1f}")
    for name, ms in counted["admin_ms"].items():
        print(f"{name}: {ms:.0f} ms per request (in-process, median of 7)")
    errors = sum(r["errors"] for by in runs.values() for rs in by.values() for r in rs)
    print(f"HTTP errors in all runs: {errors}")
    out = ROOT / "bench" / "results" / f"{datetime.now():%Y%m%d-%H%M}-cpu-{options.stories}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "stories": options.stories, "rounds": options.rounds, "duration": options.duration,
        "workers": WORKERS, "pages": pages, **counted, "medians": medians, "runs": runs,
    }, indent=2))  # fmt: skip
    print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
