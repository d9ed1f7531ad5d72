"""What the docs' screenshot scripts share: a throwaway site, Chromium, and a camera.

The scripts run from the project folder (`.venv/bin/python docs/take_….py`); each makes
its site in a temporary folder and deletes it afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
MAX_BYTES = 300_000

sys.path.insert(0, str(ROOT))  # the project's own modules, for the browser launch below

from tests.browser.chromium import launch  # noqa: E402

__all__ = [
    "OUT", "ROOT", "VIEWPORT", "Camera", "ThrowawaySite", "around", "launch", "log_in_demo",
    "region",
]  # fmt: skip

# The demo newsroom's accounts (`manage.py load_demo` prints them too).
DEMO_PASSWORDS = {"reporter": "reporter-demo-2026", "editor": "editor-demo-2026"}  # noqa: S105


def log_in_demo(browser, base: str, username: str):
    """A page of a new browser context, logged in as one of the demo's accounts."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORDS[username])
    page.click("#login-form input[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


class ThrowawaySite:
    """A fresh SQLite database and media folder in a temporary folder, served by runserver."""

    def __init__(self, prefix: str, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{self.workdir / 'site.sqlite3'}",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_TESTING": "false",
        }
        self.server: subprocess.Popen | None = None

    def manage(self, *arguments: str) -> None:
        subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=self.env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"Port {self.port} is taken; choose another with PORT=…")
        self.server = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "server.log", "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/admin/login/", timeout=2):  # noqa: S310
                    return
            except OSError:
                if self.server.poll() is not None:
                    break
                time.sleep(0.3)
        self.server.terminate()
        raise SystemExit(f"The server did not start; see {self.workdir / 'server.log'}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)


class Camera:
    def __init__(self, prefix: str = "editors-") -> None:
        self.prefix = prefix
        self.taken: list[tuple[str, int]] = []

    def shot(self, page, name: str, *, clip: dict | None = None) -> None:
        """Save PREFIX-NAME.png: the viewport, or a `clip` rectangle of the whole page."""
        OUT.mkdir(exist_ok=True)
        path = OUT / f"{self.prefix}{name}.png"
        page.wait_for_timeout(200)
        if clip is None:
            page.screenshot(path=path, animations="disabled")
        else:
            page.screenshot(path=path, clip=clip, full_page=True, animations="disabled")
        size = path.stat().st_size
        self.taken.append((path.name, size))
        if size > MAX_BYTES:
            print(f"warning: {path.name} is {size // 1000} KB", file=sys.stderr)

    def report(self) -> None:
        for name, size in self.taken:
            print(f"{name:40} {size // 1000:4} KB")
        print(f"{len(self.taken)} screenshots in {OUT}.")


def region(page, top: str, bottom: str | None = None, *, pad: int = 12, full_width=True):
    """A rectangle of the page from the top of one element to the bottom of another.

    Full width by default (the admin's columns stay in view); otherwise just the elements.
    """
    scroll_y = page.evaluate("window.scrollY")
    first = page.locator(top).first.bounding_box()
    last = page.locator(bottom).first.bounding_box() if bottom else first
    y = max(first["y"] + scroll_y - pad, 0)
    height = last["y"] + scroll_y + last["height"] - y + pad
    if full_width:
        return {"x": 0, "y": y, "width": VIEWPORT["width"], "height": height}
    x = max(min(first["x"], last["x"]) - pad, 0)
    right = max(first["x"] + first["width"], last["x"] + last["width"]) + pad
    return {"x": x, "y": y, "width": min(right, VIEWPORT["width"]) - x, "height": height}


def around(page, selector: str, *, pad: int = 12) -> dict:
    """A rectangle just around one element."""
    return region(page, selector, pad=pad, full_width=False)
