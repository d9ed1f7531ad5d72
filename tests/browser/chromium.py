"""How this project launches Debian's Chromium, for the browser tests and the docs' screenshots.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium. The
flags keep a headless Chromium from reaching out to Google's services, which a closed
network refuses many times a start.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    """A headless Chromium, launched the one way."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
