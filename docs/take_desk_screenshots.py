"""Take the desk screenshots of docs/editors-guide.md (docs/screenshots/desk-*.png), on the
demo newsroom that `make run` loads, as its reporter and its editor use it.

Usage, from the project folder:
    .venv/bin/python docs/take_desk_screenshots.py

A throwaway site: a fresh SQLite database and media folder in a temporary folder,
`manage.py migrate` and `manage.py load_demo`, `runserver` on 127.0.0.1:8766 (PORT to
change it), Debian's Chromium through Playwright. The site is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil

from screenshot_kit import VIEWPORT, Camera, ThrowawaySite, around, launch, log_in_demo, region

PORT = int(os.environ.get("PORT", "8766"))
SITE = ThrowawaySite("desk-guide-", PORT)
BASE = SITE.base


def log_in(browser, username: str):
    return log_in_demo(browser, BASE, username)


def open_draft(page) -> None:
    page.goto(f"{BASE}/newsdesk/")
    page.locator("#lane-mine a", has_text="Draft flood maps").first.click()
    page.wait_for_selector("#story_form")


def choose_story(page, select_id: str, text: str) -> None:
    """Pick a story in a select2 autocomplete: open it, type, press Enter."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    search.press("Enter")


def arrange_the_front(browser, camera: Camera) -> None:
    """The editor pins an older story as lead, orders top stories, previews, publishes."""
    editor = log_in(browser, "editor")
    editor.goto(f"{BASE}/admin/fronts/front/add/")
    editor.fill("#id_note", "Centenarian weekend")
    editor.fill("#id_alert_text", "Linden Street closed Saturday for Mae Okafor's block party")
    editor.select_option("#id_pins-0-slot", "lead")
    choose_story(editor, "id_pins-0-story", "Mae Okafor turns 100")
    editor.click("#pins-group .add-row a")
    choose_story(editor, "id_pins-1-story", "Doris Kemp")
    editor.click("#pins-group .add-row a")
    choose_story(editor, "id_pins-2-story", "Gus Lindqvist")
    editor.click("input[name=_continue]")
    editor.locator(".messagelist .success").first.wait_for()
    camera.shot(editor, "front-layout", clip=region(editor, "#content h1", "#pins-group"))
    with editor.expect_popup() as popup:
        editor.click("text=Preview as readers will see it")
    preview = popup.value
    preview.wait_for_load_state()
    camera.shot(preview, "front-preview")
    preview.close()
    editor.click("input[name=_publish_now]")
    editor.locator(".messagelist .success").first.wait_for()
    reader = browser.new_context(viewport=VIEWPORT).new_page()
    reader.goto(f"{BASE}/")
    camera.shot(reader, "front-published")
    reader.context.close()
    editor.goto(f"{BASE}/admin/fronts/front/")
    camera.shot(editor, "front-history", clip=region(editor, "#content h1", "#result_list"))
    editor.context.close()


def walk_through(browser, camera: Camera) -> None:
    # The reporter lands on her queue, the newsdesk.
    reporter = log_in(browser, "reporter")
    camera.shot(reporter, "newsdesk", clip=region(reporter, ".page-header", ".desk-counts"))

    # Her draft: what it still needs, and the bylines' drag handles.
    open_draft(reporter)
    camera.shot(reporter, "checklist", clip=around(reporter, ".desk-panel"))
    reporter.locator(".inline-group").first.scroll_into_view_if_needed()
    camera.shot(reporter, "bylines", clip=around(reporter, ".inline-group"))

    # She types; the desk autosaves. Then her browser "crashes".
    reporter.locator("#id_dek").fill(
        "About 300 homes east of the rail yard would join the 100-year flood plain."
    )
    reporter.locator("#autosave-status", has_text="autosaved").wait_for()
    camera.shot(reporter, "autosaved", clip=around(reporter, "#autosave-status", pad=24))
    reporter.context.close()

    reporter = log_in(browser, "reporter")
    open_draft(reporter)
    camera.shot(reporter, "autosave-offer", clip=around(reporter, ".desk-autosave-offer"))
    reporter.click("text=Restore what I typed")
    reporter.click(".desk-action--submit button")
    reporter.locator(".messagelist .success").wait_for()

    # A reader comments on a story; the comment waits for a moderator.
    reader = browser.new_context(viewport=VIEWPORT).new_page()
    reader.goto(f"{BASE}/people-in-the-news/")
    reader.click(".teaser__headline a")
    reader.fill("#id_author_name", "Dana Whitfield")
    reader.fill("#id_author_email", "dana@example.org")
    reader.fill("#id_text", "Congratulations! Our whole street is proud of you.")
    reader.click("#comment-form [type=submit]")
    reader.locator(".comments__thanks").wait_for()
    reader.context.close()

    # The editor hears of both in her inbox, and chooses what she hears about.
    editor = log_in(browser, "editor")
    editor.goto(f"{BASE}/newsdesk/inbox/")
    camera.shot(editor, "inbox", clip=region(editor, ".page-header", ".inbox"))
    editor.goto(f"{BASE}/newsdesk/inbox/settings/")
    camera.shot(
        editor,
        "notification-settings",
        clip=region(editor, ".page-header", "#notification-settings"),
    )

    # A workflow step saves the form first: a form that cannot be saved takes no step,
    # says so at the top, and keeps every edit.
    editor.goto(f"{BASE}/newsdesk/inbox/")
    editor.locator(".inbox__title", has_text="Submitted for review").click()
    editor.wait_for_selector("#story_form")
    editor.fill("#id_headline", "")
    editor.fill("#id_dek", "An edit the editor must not lose.")
    editor.click(".desk-action--publish button")
    editor.locator(".messagelist .error").first.wait_for()
    camera.shot(editor, "refused-step", clip=region(editor, ".messagelist", ".desk-status"))

    # Restoring a revision asks first.
    editor.on("dialog", lambda dialog: dialog.accept())  # leave the unsaved page
    editor.click("a[href$='/revisions/']")
    editor.locator("a.button:has-text('Restore')").first.click()
    camera.shot(editor, "restore-confirm", clip=around(editor, ".desk-panel"))

    # Comment moderation opens on what needs a moderator.
    editor.goto(f"{BASE}/admin/comments/comment/")
    camera.shot(editor, "moderation", clip=region(editor, "#content h1", "#changelist-filter"))

    # Tidying tags: the likely duplicates, then a merge's preview before it is done.
    editor.goto(f"{BASE}/admin/taggit/tag/tidy/")
    camera.shot(editor, "tidy-tags", clip=region(editor, "#content h1", "table.tidy-duplicates"))
    editor.locator("tr", has_text="Small Businesses").locator("a.button").click()
    editor.fill("#id_survivor", "small business")
    editor.click("button[name=preview]")
    camera.shot(editor, "merge-preview", clip=region(editor, "#content h1", "table.merge-preview"))
    editor.click("button[name=apply]")
    editor.locator(".messagelist .success").wait_for()

    # Deleting a story moves it to the trash, where an editor can restore it.
    editor.goto(f"{BASE}/admin/articles/story/?q=bird+boxes")
    editor.locator("#result_list tbody th a").first.click()
    editor.click("a.deletelink")
    camera.shot(editor, "trash-confirm", clip=region(editor, "#content h1", "#content form"))
    editor.click("button:has-text('Move to the trash')")
    editor.goto(f"{BASE}/admin/articles/story/?where=trash")
    camera.shot(editor, "trash", clip=region(editor, "#content h1", "#changelist-filter"))


def main() -> None:
    print(f"Building the demo newsroom in {SITE.workdir} …")
    SITE.manage("migrate", "--noinput", "-v", "0")
    SITE.manage("load_demo", "--site-url", BASE)
    SITE.start()
    camera = Camera(prefix="desk-")
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            walk_through(browser, camera)
            arrange_the_front(browser, camera)
            browser.close()
    finally:
        SITE.stop()
    camera.report()
    shutil.rmtree(SITE.workdir)


if __name__ == "__main__":
    main()
