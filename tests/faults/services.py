"""Throw-away PostgreSQL and Redis servers, gunicorn with production settings, and a
bounded load, for tests that stop and start the services under a running site.

Everything listens on 127.0.0.1 on ports picked free at the time, in temporary folders,
and is stopped at the end; nothing touches the developer's own servers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def find_tool(name: str) -> str | None:
    """A program on PATH, or PostgreSQL's (Debian keeps them in a versioned folder)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(PG_BIN.glob(f"*/bin/{name}"), reverse=True)
    return str(candidates[0]) if candidates else None


class PostgreSQL:
    """A PostgreSQL cluster of its own: initdb in a temporary folder, trust auth."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    def _run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)  # noqa: S603

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run(find_tool("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run(
            find_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(find_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """A Redis of its own, without persistence, on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def production_env(database_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSROOM_TESTING", "DEBUG"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="fault-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *arguments: str, timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Gunicorn:
    """gunicorn with two workers and production settings; its error log kept in a file."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.port = free_port()
        self.log = folder / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self._log_file = open(self.log, "w")  # noqa: SIM115 -- closed in __exit__
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "30"],
            cwd=ROOT, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/robots.txt", timeout=2):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self._log_file.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Result:
    started: float
    finished: float
    path: str
    status: int
    cache: str = ""
    retry_after: str = ""


@dataclass
class Load:
    """A bounded load: `threads` loops, each fetching `paths` in turn, until stopped or
    until `max_requests` or `max_seconds` is reached, whichever comes first."""

    base: str
    paths: list[str]
    threads: int = 4
    max_seconds: float = 120
    max_requests: int = 50_000
    headers: dict[str, str] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def _loop(self, offset: int) -> None:
        deadline = time.monotonic() + self.max_seconds
        index = offset
        while not self._stop.is_set() and time.monotonic() < deadline:
            if len(self.results) >= self.max_requests:
                return
            path = self.paths[index % len(self.paths)]
            index += 1
            request = urllib.request.Request(self.base + path, headers=self.headers)  # noqa: S310
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    response.read()
                    result = Result(started, time.monotonic(), path, response.status,
                                    response.headers.get("X-Cache", ""))  # fmt: skip
            except urllib.error.HTTPError as error:
                result = Result(started, time.monotonic(), path, error.code,
                                retry_after=error.headers.get("Retry-After", ""))  # fmt: skip
            except OSError:
                result = Result(started, time.monotonic(), path, 0)  # no answer at all
            with self._lock:
                self.results.append(result)

    def __enter__(self) -> Load:
        self._workers = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)

    def between(self, start: float, end: float) -> list[Result]:
        return [r for r in self.results if start <= r.started < end]
