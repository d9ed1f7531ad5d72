"""Newsroom's benchmark, from one command.

    python bench/throughput.py --stories 10000          # or 100000
    python bench/throughput.py --stories 10000 --rounds 3 --duration 8

It (1) creates and fills a PostgreSQL database `newsroom_bench_<N>` (bench/seed.py; skipped
when it is already filled), (2) serves the site with gunicorn and production settings,
(3) drives a bounded load with wrk from a second process on 127.0.0.1, and (4) prints,
for each page, requests/s, p50/p99 latency, errors and SQL queries, uncached, from the
app's Redis cache, and behind Varnish, next to two baselines measured in the same run: a
bare Django view returning as many bytes (the framework's floor) and nginx serving the
same bytes as a static file (the machine's ceiling). Results also go to bench/results/.

Needs: PostgreSQL and Redis on 127.0.0.1 (as in CI), and Debian's wrk, nginx and varnish
with varnish-modules (`apt-get install wrk nginx-light varnish varnish-modules`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/1"
WORKERS = 4


def sh(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, **kwargs)  # noqa: S603


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 -- our own server
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


# Database ----------------------------------------------------------------------------------


def prepare_database(stories: int, env: dict) -> None:
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    exists = subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",  # noqa: S607
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 -- our int
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists:
        count = subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-tAc",  # noqa: S607
             "SELECT count(*) FROM articles_story"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        if count == str(stories):
            print(f"Database {name} already holds {stories:,} stories.")
            sh(PYTHON, "manage.py", "migrate", "-v0", cwd=ROOT, env=env)
            return
        sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", name)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", name)
    sh(PYTHON, "manage.py", "migrate", "-v0", cwd=ROOT, env=env)
    sh(PYTHON, "bench/seed.py", "--stories", str(stories), cwd=ROOT, env=env)


def server_env(stories: int, workdir: Path, **extra: str) -> dict:
    """The environment the benchmarked site runs in: production settings, the bench
    database of `stories` stories, and nothing of the test settings."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_TESTING"}
    env.update(
        DATABASE_URL=f"{PG}/newsroom_bench_{stories}",
        DEBUG="false",
        SECRET_KEY="benchmark-only-" + "s" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(workdir / "static"),
        # Kept between runs, like the database the images belong to.
        MEDIA_ROOT=str(Path(tempfile.gettempdir()) / f"newsroom-bench-media-{stories}"),
        NEWSROOM_BENCHMARK_BASELINE="true",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


# Servers -----------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{port}/robots.txt")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Nginx:
    def __init__(self, workdir: Path, files: dict[str, bytes]) -> None:
        self.port = free_port()
        self.prefix = workdir / "nginx"
        (self.prefix / "www").mkdir(parents=True, exist_ok=True)
        (self.prefix / "logs").mkdir(exist_ok=True)
        for name, content in files.items():
            (self.prefix / "www" / name).write_bytes(content)
        os.chmod(workdir, 0o755)  # noqa: S103 -- nginx's workers (nobody) read the page
        (self.prefix / "nginx.conf").write_text(
            f"""worker_processes {WORKERS};
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    server {{ listen 127.0.0.1:{self.port}; root {self.prefix}/www; }}
}}
"""
        )
        sh("nginx", "-c", str(self.prefix / "nginx.conf"), "-p", str(self.prefix))
        wait_for(f"http://127.0.0.1:{self.port}/{next(iter(files))}")

    def stop(self) -> None:
        sh("nginx", "-c", str(self.prefix / "nginx.conf"), "-p", str(self.prefix), "-s", "quit")


class Varnish:
    def __init__(self, workdir: Path, backend_port: int) -> None:
        self.port = free_port()
        vcl = (ROOT / "deploy/varnish/default.vcl").read_text()
        vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
        self.dir = workdir / "varnish"
        self.dir.mkdir(exist_ok=True)
        (self.dir / "bench.vcl").write_text(vcl)
        work, pidfile = str(self.dir / "work"), str(self.dir / "pid")
        vcl_file = str(self.dir / "bench.vcl")
        address = f"127.0.0.1:{self.port}"
        sh(
            "varnishd",
            "-a",
            address,
            "-f",
            vcl_file,
            "-n",
            work,
            "-s",
            "malloc,256m",
            "-P",
            pidfile,
        )
        wait_for(f"http://127.0.0.1:{self.port}/robots.txt")

    def stop(self) -> None:
        pid = int((self.dir / "pid").read_text())
        os.kill(pid, signal.SIGTERM)
        time.sleep(1)


# Load --------------------------------------------------------------------------------------

ROTATE_LUA = """
local urls = {}
for line in io.lines(os.getenv("BENCH_URLS")) do urls[#urls + 1] = line end
local i = 0
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
"""


def wrk(url: str, *, duration: int, connections: int, headers=(), rotate: Path | None = None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    env = dict(os.environ)
    if rotate is not None:
        args += ["-s", str(rotate.with_suffix(".lua"))]
        env["BENCH_URLS"] = str(rotate)
    output = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True, env=env
    ).stdout

    def number(pattern: str) -> float:
        match = re.search(pattern, output)
        return float(match[1]) if match else 0.0

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return 0.0
        scale = {"us": 0.001, "ms": 1, "s": 1000}[match[2]]
        return float(match[1]) * scale

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(number(r"Non-2xx or 3xx responses: (\d+)"))
    if socket_errors:
        errors += sum(int(value) for value in socket_errors.groups())
    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
    }


# In-process measurements -------------------------------------------------------------------


def django_measurements(env: dict, workdir: Path) -> dict:
    """Page URLs, SQL queries per page and admin timings, measured with Django's client."""
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from articles.models import Byline, Section, Story
    from users.models import User

    setup_test_environment()
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.SECURE_SSL_REDIRECT = False
    news = Section.objects.get(slug="news")
    news_pages = -(-Story.objects.published().in_section(news).count() // 20)
    byline = Byline.objects.order_by("slug").first()
    story_urls = [
        story.get_absolute_url()
        for story in Story.objects.published().select_related("section").order_by("?")[:1000]
    ]
    (workdir / "stories.txt").write_text("\n".join(story_urls) + "\n")
    (workdir / "stories.lua").write_text(ROTATE_LUA)
    pages = {
        "home": "/",
        "section page 1": news.get_absolute_url(),
        # Page 50 (or the last page, for a small archive).
        "section page 50": news.get_absolute_url() + f"?page={min(50, news_pages)}",
        "story (1,000 rotating)": story_urls[0],
        "byline": byline.get_absolute_url(),
        "tag": "/tag/topic-0042/",
        "search": "/search/?q=harbor+ferry",
        "feed": "/feed/",
        "admin story list": "/admin/articles/story/",
        "admin search": "/admin/articles/story/?q=harbor",
    }
    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    reader = Client()
    queries, sizes, admin_ms = {}, {}, {}
    for name, url in pages.items():
        client = staff if name.startswith("admin") else reader
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[name] = len(captured)
        sizes[name] = len(response.content)
        if name.startswith("admin"):
            timings = []
            for _ in range(7):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            admin_ms[name] = statistics.median(timings)
    section_html = reader.get(news.get_absolute_url()).content
    return {
        "pages": pages,
        "queries": queries,
        "sizes": sizes,
        "admin_ms": admin_ms,
        "session": staff.cookies[settings.SESSION_COOKIE_NAME].value,
        "section_html": section_html,
        "stories": Story.objects.count(),
    }


# The run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd", "psql"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: apt-get install wrk nginx-light varnish varnish-modules")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = server_env(options.stories, workdir)
    prepare_database(options.stories, env)
    sh(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", cwd=ROOT, env=env)
    measured = django_measurements(env, workdir)
    pages = measured["pages"]
    load = {"duration": options.duration, "connections": options.connections}
    runs: dict[str, dict[str, list[dict]]] = {}

    def record(mode: str, name: str, result: dict) -> None:
        runs.setdefault(mode, {}).setdefault(name, []).append(result)

    size = len(measured["section_html"])
    nginx = Nginx(workdir, {"page.html": measured["section_html"]})
    cookie = f"Cookie: sessionid={measured['session']}"
    try:
        for round_number in range(1, options.rounds + 1):
            print(f"Round {round_number}/{options.rounds}")
            record("baseline", "nginx static file",
                   wrk(f"http://127.0.0.1:{nginx.port}/page.html", **load))  # fmt: skip
            for mode, extra in (
                ("uncached", {"NEWSROOM_PAGE_CACHE_SECONDS": "0"}),
                ("app cache (Redis)", {"REDIS_URL": REDIS_URL,
                                       "CACHE_KEY_PREFIX": f"bench-{time.time_ns()}"}),
            ):  # fmt: skip
                server = Gunicorn({**env, **extra}, free_port())
                base = f"http://127.0.0.1:{server.port}"
                try:
                    if mode == "uncached":
                        record("baseline", "bare Django view",
                               wrk(f"{base}/bench/baseline/?bytes={size}", **load))  # fmt: skip
                    for name, url in pages.items():
                        admin = name.startswith("admin")
                        if admin and mode != "uncached":
                            continue
                        rotate = workdir / "stories.txt" if name.startswith("story") else None
                        urllib.request.urlopen(base + url, timeout=30).read()  # noqa: S310
                        headers = [cookie] if admin else []
                        result = wrk(base + url, rotate=rotate, headers=headers, **load)
                        record(mode, name, result)
                    if mode != "uncached":
                        varnish = Varnish(workdir, server.port)
                        try:
                            vbase = f"http://127.0.0.1:{varnish.port}"
                            for name, url in pages.items():
                                if name.startswith(("admin", "search")):
                                    continue
                                rotate = (
                                    workdir / "stories.txt" if name.startswith("story") else None
                                )
                                urllib.request.urlopen(vbase + url, timeout=30).read()  # noqa: S310
                                record("Varnish", name, wrk(vbase + url, rotate=rotate, **load))
                        finally:
                            varnish.stop()
                finally:
                    server.stop()
    finally:
        nginx.stop()

    report(options, measured, runs, size)
    shutil.rmtree(workdir, ignore_errors=True)


def median_of(results: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def report(options, measured: dict, runs: dict, size: int) -> None:
    medians = {mode: {name: median_of(rs) for name, rs in by.items()} for mode, by in runs.items()}
    floor = medians["baseline"]["bare Django view"]["rps"]
    ceiling = medians["baseline"]["nginx static file"]["rps"]
    print()
    print(f"Newsroom benchmark: {measured['stories']:,} stories, {options.rounds} rounds of "
          f"{options.duration}s, {options.connections} connections, {WORKERS} gunicorn workers; "
          f"medians.")  # fmt: skip
    print(f"Baselines ({size:,} bytes): bare Django view {floor:,.0f} req/s, "
          f"nginx static {ceiling:,.0f} req/s")  # fmt: skip
    header = f"{'mode':<18} {'page':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} " \
             f"{'SQL':>4} {'/Django':>8} {'/nginx':>7}"  # fmt: skip
    print(header)
    print("-" * len(header))
    for mode in ("uncached", "app cache (Redis)", "Varnish"):
        for name, result in medians.get(mode, {}).items():
            print(f"{mode:<18} {name:<24} {result['rps']:>9,.0f} {result['p50_ms']:>8.1f} "
                  f"{result['p99_ms']:>8.1f} {result['errors']:>6.0f} "
                  f"{measured['queries'][name]:>4} {result['rps'] / floor:>7.0%} "
                  f"{result['rps'] / ceiling:>7.0%}")  # fmt: skip
    for name, ms in measured["admin_ms"].items():
        print(f"{name}: {ms:.0f} ms per request (median of 7, in-process)")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    out = results_dir / f"{datetime.now():%Y%m%d-%H%M}-{measured['stories']}.json"
    out.write_text(json.dumps({
        "stories": measured["stories"], "rounds": options.rounds, "duration": options.duration,
        "connections": options.connections, "workers": WORKERS, "bytes": size,
        "queries": measured["queries"], "admin_ms": measured["admin_ms"], "medians": medians,
        "runs": runs,
    }, indent=2))  # fmt: skip
    print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
