"""Take the screenshots of docs/newsletters.md (docs/screenshots/newsletters-*.png).

Usage, from the project folder:
    .venv/bin/python docs/take_newsletter_screenshots.py

On a throwaway site (a fresh SQLite database in a temporary folder, with the demo
newsroom and its newsletters) served by `manage.py runserver` on 127.0.0.1:8766 (PORT
to change it): the sign-up box, the demo's sent edition as the e-mail (wide and on a
phone) and as plain text, and the edition's page on the desk. Nothing else is touched.
"""

from __future__ import annotations

import os
import shutil

from screenshot_kit import Camera, ThrowawaySite, around, launch

PORT = int(os.environ.get("PORT", "8766"))
SITE = ThrowawaySite("newsletters-guide-", PORT)
BASE = SITE.base
SUBJECT = "Tonight in Riverside: the footbridge reopens"


def edition_id() -> int:
    os.environ.update(SITE.env)
    import django

    django.setup()
    from newsletters.models import Edition

    return Edition.objects.get(subject=SUBJECT).pk


def main() -> None:
    from playwright.sync_api import sync_playwright

    SITE.manage("migrate", "--noinput", "-v", "0")
    SITE.manage("load_demo", "--site-url", BASE + "/")
    pk = edition_id()
    camera = Camera(prefix="newsletters-")
    SITE.start()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(BASE + "/")
            box = page.locator(".newsletter-signup")
            box.scroll_into_view_if_needed()
            camera.shot(page, "signup", clip=around(page, ".newsletter-signup"))

            page.goto(f"{BASE}/admin/login/")
            page.fill("#id_username", "editor")
            page.fill("#id_password", "editor-demo-2026")
            page.click("#login-form input[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
            page.goto(f"{BASE}/admin/newsletters/edition/{pk}/change/")
            camera.shot(page, "edition-desk")

            for name, viewport in [("email", (1280, 900)), ("email-phone", (390, 844))]:
                page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
                page.goto(f"{BASE}/admin/newsletters/edition/{pk}/preview/")
                page.wait_for_load_state("networkidle")
                camera.shot(page, name)
            page.set_viewport_size({"width": 900, "height": 900})
            page.goto(f"{BASE}/admin/newsletters/edition/{pk}/preview-text/")
            camera.shot(page, "text")
            browser.close()
    finally:
        SITE.stop()
        shutil.rmtree(SITE.workdir, ignore_errors=True)
    camera.report()


if __name__ == "__main__":
    main()
