"""Take the media-library screenshots of docs/editors-guide.md
(docs/screenshots/library-*.png) on the demo newsroom that `make run` loads, as its
reporter and its editor use it.

Usage, from the project folder:
    .venv/bin/python docs/take_library_screenshots.py

A throwaway site, as docs/take_desk_screenshots.py makes (127.0.0.1:8767, PORT to
change it); it is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from screenshot_kit import VIEWPORT, Camera, ThrowawaySite, around, launch, log_in_demo, region

PORT = int(os.environ.get("PORT", "8767"))
SITE = ThrowawaySite("library-guide-", PORT)
BASE = SITE.base


def log_in(browser, username: str):
    return log_in_demo(browser, BASE, username)


def drawn_photo(folder: Path) -> Path:
    """A wide picture with its subject (a lighthouse) near the left edge."""
    picture = Image.new("RGB", (1500, 700), (120, 170, 210))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 480, 1500, 700), fill=(40, 90, 140))  # the sea
    draw.rectangle((170, 180, 250, 480), fill=(245, 245, 240))  # the tower
    draw.rectangle((170, 260, 250, 300), fill=(200, 40, 40))
    draw.polygon([(160, 180), (260, 180), (210, 120)], fill=(60, 60, 60))
    path = folder / "point-light.jpg"
    picture.save(path, "JPEG", quality=90)
    return path


def reporter_inserts_an_image(browser, camera: Camera, folder: Path) -> str:
    reporter = log_in(browser, "reporter")
    reporter.goto(f"{BASE}/admin/articles/story/add/")
    reporter.fill("#id_headline", "Point light gets a new lamp")
    editor = reporter.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    reporter.keyboard.type("The lighthouse on the point was lit again on Friday.")
    with reporter.expect_popup() as opened:
        reporter.click(".body-images__upload")
    popup = opened.value
    popup.set_viewport_size({"width": 1000, "height": 760})
    popup.wait_for_load_state()
    popup.set_input_files("#id_file", str(drawn_photo(folder)))
    popup.fill("#id_title", "Point light at noon")
    popup.fill("#id_alt_text", "The white lighthouse on the point, with the sea below")
    popup.fill("#id_caption", "The lamp was replaced for the first time since 1988.")
    popup.fill("#id_credit", "Staff")
    camera.shot(popup, "upload-popup")
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    reporter.locator(".body-images__card", has_text="Point light at noon").wait_for()
    camera.shot(reporter, "inline-inserted", clip=region(reporter, ".field-body", ".body-images"))
    with reporter.expect_popup() as opened:
        reporter.click(".body-images__choose")
    chooser = opened.value
    chooser.set_viewport_size({"width": 1000, "height": 760})
    chooser.wait_for_load_state()
    camera.shot(chooser, "choose-popup")
    chooser.close()
    placement = reporter.locator(".body-images__card code").first.inner_text()
    return placement.strip("[]").split()[-1]


def editor_sets_the_focal_point(browser, camera: Camera, image_id: str) -> None:
    editor = log_in(browser, "editor")
    editor.goto(f"{BASE}/admin/library/image/")
    camera.shot(editor, "list")
    editor.goto(f"{BASE}/admin/library/image/{image_id}/change/")
    picture = editor.locator("[data-focal-picker] img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.14, "y": box["height"] * 0.45})
    camera.shot(editor, "focal-point", clip=region(editor, "#content h1", ".field-focal_point_y"))
    editor.click("input[name=_save]")
    editor.goto(f"{BASE}/admin/library/image/?q=river+trail")
    editor.locator("#result_list a", has_text="The Calder from the river trail").first.click()
    editor.wait_for_load_state()
    camera.shot(editor, "used-in", clip=around(editor, ".field-used_in"))


def readers_see_it(browser, camera: Camera) -> None:
    reader = browser.new_page(viewport=VIEWPORT)
    reader.goto(f"{BASE}/people-in-the-news/")
    reader.locator(".teaser__headline a", has_text="bird boxes").first.click()
    reader.wait_for_load_state()
    figure = reader.locator(".story__body figure.inline-image")
    figure.scroll_into_view_if_needed()
    camera.shot(reader, "inline-public", clip=around(reader, ".story__body figure.inline-image"))
    reader.goto(f"{BASE}/")
    reader.locator("a", has_text="footbridge reopens").first.click()
    reader.wait_for_load_state()
    camera.shot(reader, "gallery-public", clip=around(reader, ".story__body .gallery"))


def main() -> None:
    print(f"Building the demo newsroom in {SITE.workdir} …")
    SITE.manage("migrate", "--noinput", "-v", "0")
    SITE.manage("load_demo", "--site-url", BASE)
    SITE.start()
    camera = Camera(prefix="library-")
    folder = Path(tempfile.mkdtemp(prefix="library-shots-"))
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            image_id = reporter_inserts_an_image(browser, camera, folder)
            editor_sets_the_focal_point(browser, camera, image_id)
            readers_see_it(browser, camera)
            browser.close()
    finally:
        SITE.stop()
        shutil.rmtree(folder)
    camera.report()
    shutil.rmtree(SITE.workdir)


if __name__ == "__main__":
    main()
