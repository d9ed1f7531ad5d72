"""Take the screenshots in docs/screenshots/ from a running demo site.

Usage (with the demo running, e.g. `make run` in another terminal):
    .venv/bin/python docs/take_screenshots.py [BASE_URL]

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser
download is not needed.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright
from screenshot_kit import OUT, launch


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/")
        page.screenshot(path=OUT / "home.png")
        page.goto(f"{base}/people-in-the-news/")
        page.screenshot(path=OUT / "section-people-in-the-news.png")
        story_link = page.locator(".teaser__headline a").first
        story_link.click()
        page.wait_for_load_state()
        page.screenshot(path=OUT / "story.png", full_page=True)
        mobile = browser.new_page(viewport={"width": 390, "height": 844})
        mobile.goto(f"{base}/people-in-the-news/")
        mobile.screenshot(path=OUT / "section-mobile.png")
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
