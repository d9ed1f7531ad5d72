"""Take the screenshots of docs/editors-guide.md (docs/screenshots/editors-*.png).

Usage, from the project folder:
    .venv/bin/python docs/take_editor_screenshots.py

Everything happens on a throwaway site: the script makes a fresh SQLite database and media
folder in a temporary directory, migrates it, adds a contributor ("casey"), an editor
("eddie") and stories in every state, starts `manage.py runserver` on 127.0.0.1:8765
(PORT to change it), walks through the workflow in Debian's Chromium (/usr/bin/chromium)
with Playwright, stops the server and deletes the site. Nothing else is touched.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta

from screenshot_kit import VIEWPORT, Camera, ThrowawaySite, around, launch, region

PORT = int(os.environ.get("PORT", "8765"))
PASSWORD = "guide-demo-password-2026"  # noqa: S105 -- a throwaway database's account
SITE = ThrowawaySite("editors-guide-", PORT)
BASE = SITE.base


# The site's data -----------------------------------------------------------------------


def build_site() -> dict:
    """Migrate the throwaway database and fill it; return what the walk-through needs.

    Each step is done at a time of its own in the past (freezegun), so timelines,
    revisions and lists read like a real desk's day.
    """
    SITE.manage("migrate", "--noinput", "-v", "0")
    os.environ.update(SITE.env)
    import django

    django.setup()

    import reversion
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django.utils.text import slugify
    from freezegun import freeze_time

    from articles.models import Byline, Correction, Section, Story, StoryByline
    from articles.roles import CONTRIBUTOR, EDITOR

    user_model = get_user_model()
    now = timezone.localtime()

    def ago(hours: float = 0, *, days: int = 0):
        """Freeze the clock at that long ago."""
        return freeze_time(now - timedelta(days=days, hours=hours))

    def person(username: str, first: str, last: str, role: str):
        user = user_model.objects.create_user(
            username, f"{username}@example.org", PASSWORD, is_staff=True,
            first_name=first, last_name=last,
        )  # fmt: skip
        user.groups.add(Group.objects.get(name=role))
        return user

    casey = person("casey", "Casey", "Jones", CONTRIBUTOR)
    eddie = person("eddie", "Eddie", "Park", EDITOR)
    robin = person("robin", "Robin", "Diaz", CONTRIBUTOR)

    news = Section.objects.create(name="News", slug="news", position=1)
    city = Section.objects.create(name="City Hall", slug="city-hall", position=2, parent=news)
    schools = Section.objects.create(name="Schools", slug="schools", position=3)
    sports = Section.objects.create(name="Sports", slug="sports", position=4)
    bylines = {
        "casey": Byline.objects.create(name="Casey Jones", slug="casey-jones", user=casey,
                                       role_line="Staff Writer"),
        "robin": Byline.objects.create(name="Robin Diaz", slug="robin-diaz", user=robin,
                                       role_line="Education Reporter"),
        "eddie": Byline.objects.create(name="Eddie Park", slug="eddie-park", user=eddie,
                                       role_line="City Editor"),
        "staff": Byline.objects.create(name="Ledger Staff", slug="ledger-staff",
                                       kind=Byline.Kind.DESK),
    }  # fmt: skip

    def story(headline, section, author, *, by_line=None, **fields):
        body = fields.pop(
            "body",
            f"<p>{headline}. This is the opening paragraph of the story.</p>"
            "<p>A second paragraph gives the details, with quotes from the people involved.</p>",
        )
        with reversion.create_revision():
            reversion.set_user(author)
            reversion.set_comment("Saved in the admin")
            item = Story.objects.create(
                headline=headline, slug=slugify(headline)[:80], section=section,
                created_by=author, body=body,
                dek=fields.pop("dek", f"What readers need to know: {headline.lower()}."),
                **fields,
            )  # fmt: skip
            StoryByline.objects.create(story=item, byline=bylines[by_line or author.username])
        return item

    def edit(item, by, **fields):
        item.refresh_from_db()
        for name, value in fields.items():
            setattr(item, name, value)
        with reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment("Saved in the admin")
            item.save()
        return item

    # Published stories from the last few days, for a full list and section pages.
    older = [
        ("Riverside library extends weekend hours", city, casey, 4),
        ("Tigers clinch the conference title in overtime", sports, robin, 3),
        ("Water main break closes Elm Street overnight", city, casey, 2),
        ("Parents pack the meeting on bus routes", schools, robin, 1),
    ]
    for headline, section, author, days in older:
        with ago(9, days=days):
            item = story(headline, section, author)
        with ago(8, days=days):
            item.submit(by=author)
        with ago(7, days=days):
            item.publish(by=eddie)

    # A published story with several revisions and a clarification.
    with ago(9):
        budget = story(
            "Council approves a $48 million budget", city, casey,
            dek="The plan adds two firefighters and repaves 11 miles of road.",
            body=(
                "<p>The city council approved a $48 million budget on Tuesday, 6 votes to 1.</p>"
                "<p>The plan adds two firefighters and repaves 11 miles of road.</p>"
            ),
        )  # fmt: skip
    with ago(8.6):
        budget.submit(by=casey)
    with ago(8.2):
        edit(
            budget, eddie, headline="Council approves $48 million budget",
            dek="The plan adds two firefighters and repaves 11 miles of road next summer.",
        )  # fmt: skip
    with ago(8):
        budget.publish(by=eddie)
    with ago(6.5):
        edit(budget, eddie, body=budget.body.replace(
            "</p><p>The plan",
            " Council member Ortiz cast the only vote against it.</p><p>The plan",
        ))  # fmt: skip
    with ago(6.4):
        budget.correct(
            by=eddie, kind=Correction.Kind.CLARIFICATION,
            text="An earlier version did not say who voted against the budget.",
        )  # fmt: skip

    # A story in review, assigned to the editor.
    with ago(5):
        start_times = story(
            "School board weighs later start times", schools, robin, assigned_to=eddie
        )
    with ago(3.2):
        start_times.submit(by=robin, note="Ready for a read; the quotes are checked.")

    # A draft that was sent back with a note.
    with ago(4.5):
        bridge = story("Bridge repairs will close Main Street for two weeks", city, casey)
    with ago(3):
        bridge.submit(by=casey)
    with ago(2.5):
        bridge.request_changes(
            by=eddie, note="Add the detour route and the dates the closure starts and ends."
        )

    # A draft of the contributor's, to show the "being edited by" warning.
    with ago(2):
        market = story("Farmers market moves to the riverfront", city, casey)

    # A scheduled story and an embargoed one.
    with ago(6):
        title = story("Riverside High honors its state champions", sports, robin)
    with ago(5.5):
        title.submit(by=robin)
    tomorrow_morning = (now + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    with ago(1.5):
        title.publish(by=eddie, at=tomorrow_morning)
    with ago(7):
        hospital = story(
            "Hospital to add a 40-bed wing", news, casey, assigned_to=eddie,
            embargo_until=(now + timedelta(days=2)).replace(hour=9, minute=0, second=0,
                                                            microsecond=0),
        )  # fmt: skip
    with ago(6.8):
        hospital.submit(by=casey, note="Embargoed until the hospital's announcement.")

    # A published story to unpublish, and one that already was.
    with ago(10, days=2):
        fair = story("County fair adds a second weekend", news, casey)
    with ago(9, days=2):
        fair.submit(by=casey)
    with ago(8, days=2):
        fair.publish(by=eddie)
    with ago(9, days=5):
        closures = story("Weekend road closures", city, robin, by_line="staff")
    with ago(8, days=5):
        closures.publish(by=eddie)
    with ago(4, days=1):
        closures.unpublish(by=eddie, note="Out of date: the closures were cancelled.")

    return {
        "budget": budget.pk,
        "start_times": start_times.pk,
        "bridge": bridge.pk,
        "market": market.pk,
        "title": title.pk,
        "hospital": hospital.pk,
        "fair": fair.pk,
        "budget_url": Story.objects.get(pk=budget.pk).get_absolute_url(),
        "tomorrow_evening": (now + timedelta(days=1))
        .replace(hour=18, minute=30)
        .strftime("%Y-%m-%dT%H:%M"),
    }


# The walk-through ----------------------------------------------------------------------


def log_in(page, username: str) -> None:
    page.goto(f"{BASE}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def open_story(page, pk: int) -> None:
    page.goto(f"{BASE}/admin/articles/story/{pk}/change/")


def choose(page, select_id: str, text: str) -> None:
    """Pick `text` in a select2 autocomplete: open it, type, wait for the answer, Enter."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    search.press("Enter")


def done(page) -> None:
    """Wait for the green message a successful workflow step leaves."""
    page.locator(".messagelist .success").wait_for()


def walk_through(browser, ids: dict, camera: Camera) -> None:
    def new_page(*, staff: bool = True):
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        if staff:
            # Fold the admin's navigation column away: more room for the story list.
            context.add_init_script(
                "localStorage.setItem('django.admin.navSidebarIsOpen', 'false')"
            )
        return context.new_page()

    casey = new_page()
    eddie = new_page()
    reader = new_page(staff=False)
    log_in(casey, "casey")
    log_in(eddie, "eddie")

    # Contributor: writing a draft.
    casey.goto(f"{BASE}/admin/articles/story/add/")
    casey.locator("#id_headline").press_sequentially("Ferry service returns on Saturday")
    casey.fill("#id_dek", "The river ferry runs every 30 minutes from 7 a.m. to 9 p.m.")
    casey.locator(".field-body .ProseMirror[contenteditable=true]").click()
    casey.keyboard.type(
        "The Riverside ferry returns to service on Saturday after a winter of repairs."
    )
    choose(casey, "id_section", "City Hall")
    choose(casey, "id_story_bylines-0-byline", "Casey Jones")
    casey.evaluate("window.scrollTo(0, 0)")
    camera.shot(casey, "write-draft")
    casey.locator("input[name=_continue]").first.click()
    casey.locator(".messagelist").wait_for()
    camera.shot(casey, "submit", clip=region(casey, ".messagelist", ".desk-actions"))
    new_story_url = casey.url
    casey.fill(".desk-action--submit textarea", "First draft; photos to follow.")
    casey.click(".desk-action--submit button")
    done(casey)
    camera.shot(casey, "submitted", clip=region(casey, ".messagelist", ".desk-status"))

    # Contributor: a story that came back with a note.
    open_story(casey, ids["bridge"])
    camera.shot(casey, "sent-back-note", clip=region(casey, ".desk-status", ".timeline"))

    # Contributor: the list, filtered to Mine.
    casey.goto(f"{BASE}/admin/articles/story/?desk=mine")
    camera.shot(casey, "list-mine")

    # Editor: the review queue.
    eddie.goto(f"{BASE}/admin/articles/story/?desk=review")
    camera.shot(eddie, "list-in-review", clip=region(eddie, "#content h1", "#result_list"))

    # Editor: reviewing, and sending back with a note.
    eddie.goto(new_story_url)
    eddie.fill(
        ".desk-action--request_changes textarea",
        "Good start. Add the fare and say where the ferry docks on each side.",
    )
    camera.shot(eddie, "review-panel", clip=region(eddie, "#content h1", ".desk-actions"))
    eddie.click(".desk-action--request_changes button")
    done(eddie)
    camera.shot(eddie, "sent-back", clip=region(eddie, ".messagelist", ".desk-status"))

    # Editor: scheduling.
    open_story(eddie, ids["start_times"])
    eddie.fill("#step-schedule-at", ids["tomorrow_evening"])
    eddie.fill(".desk-action--schedule textarea", "Runs with the board meeting.")
    camera.shot(eddie, "schedule", clip=around(eddie, ".desk-action--schedule"))
    eddie.click(".desk-action--schedule button")
    done(eddie)
    camera.shot(eddie, "scheduled", clip=region(eddie, ".messagelist", ".desk-status"))
    eddie.goto(f"{BASE}/admin/articles/story/?desk=scheduled")
    camera.shot(eddie, "list-scheduled", clip=region(eddie, "#content h1", "#result_list"))

    # Editor: an embargoed story refuses to go out early.
    open_story(eddie, ids["hospital"])
    eddie.click(".desk-action--publish button")
    eddie.locator(".messagelist .error").wait_for()
    camera.shot(eddie, "embargo", clip=region(eddie, ".messagelist", ".desk-status"))
    camera.shot(
        eddie, "embargo-field",
        clip=region(eddie, "fieldset:has(.field-embargo_until) h2", ".field-embargo_until"),
    )  # fmt: skip

    # Editor: unpublishing with a reason.
    open_story(eddie, ids["fair"])
    eddie.fill(
        ".desk-action--unpublish textarea",
        "The fair board has not confirmed the second weekend yet.",
    )
    camera.shot(eddie, "unpublish", clip=around(eddie, ".desk-action--unpublish"))
    eddie.click(".desk-action--unpublish button")
    done(eddie)
    camera.shot(eddie, "unpublished", clip=region(eddie, ".messagelist", ".timeline li"))

    # Editor: a correction on a live story.
    open_story(eddie, ids["budget"])
    eddie.select_option("#step-correct-kind", "correction")
    eddie.check(".desk-action--correct input[name=material]")
    eddie.fill(
        ".desk-action--correct textarea",
        "An earlier version misstated the vote. It was 5 to 2, not 6 to 1.",
    )
    camera.shot(eddie, "correction", clip=around(eddie, ".desk-action--correct"))
    eddie.click(".desk-action--correct button")
    done(eddie)
    reader.goto(f"{BASE}{ids['budget_url']}")
    camera.shot(reader, "correction-public", clip=region(reader, ".story__header", ".corrections"))

    # Editor: revisions, compared.
    eddie.goto(f"{BASE}/admin/articles/story/{ids['budget']}/revisions/")
    camera.shot(eddie, "revisions", clip=region(eddie, "#content h1", "form:has(.revision-list)"))
    rows = eddie.locator(".revision-list tbody tr")
    rows.nth(rows.count() - 1).locator("input[name=a]").check()
    rows.nth(0).locator("input[name=b]").check()
    eddie.click("text=Compare selected revisions")
    eddie.locator(".revision-diff").wait_for()
    camera.shot(eddie, "revisions-compare", clip=region(eddie, "#content h1", ".revision-diff"))

    # Two people on one story: the warning, and a refused second save.
    open_story(casey, ids["market"])
    open_story(eddie, ids["market"])
    camera.shot(eddie, "being-edited", clip=region(eddie, ".messagelist", ".desk-status"))
    casey.fill("#id_dek", "The market opens at its new spot by the boat ramp on May 3.")
    eddie.fill("#id_headline", "Farmers market moves to the riverfront in May")
    casey.locator("input[name=_continue]").first.click()
    done(casey)
    eddie.locator("input[name=_continue]").first.click()
    eddie.locator(".errornote").wait_for()
    camera.shot(eddie, "edit-conflict", clip=region(eddie, ".errornote", ".errorlist.nonfield"))

    # Preview and share-preview links.
    open_story(eddie, ids["title"])
    camera.shot(eddie, "preview-button", clip=region(eddie, "#content h1", ".desk-status"))
    eddie.click("text=Make a share link")
    done(eddie)
    share_url = eddie.locator(".messagelist .success a").first.get_attribute("href")
    eddie.locator(".desk-share").scroll_into_view_if_needed()
    camera.shot(eddie, "share-link", clip=region(eddie, ".messagelist", ".desk-status"))
    camera.shot(eddie, "share-list", clip=around(eddie, ".desk-share"))
    reader.goto(share_url)
    camera.shot(reader, "shared-preview", clip={"x": 0, "y": 0, "width": 1280, "height": 560})
    eddie.locator(".desk-share button:text-is('Revoke')").first.click()
    done(eddie)
    camera.shot(eddie, "share-revoked", clip=around(eddie, ".desk-share"))
    assert reader.goto(share_url).status == 404

    # The newsdesk and its quick draft.
    eddie.goto(f"{BASE}/newsdesk/")
    eddie.fill("#id_headline", "Power outage hits the east side")
    eddie.select_option("#id_section", label="News")
    camera.shot(eddie, "newsdesk", clip=region(eddie, ".page-header", ".desk-columns"))

    # The list's filters.
    eddie.goto(f"{BASE}/admin/articles/story/?desk=assigned")
    camera.shot(eddie, "list-assigned", clip=region(eddie, "#content h1", "#result_list"))
    camera.shot(eddie, "list-filters", clip=around(eddie, "#changelist-filter"))


def main() -> None:
    print(f"Building the site in {SITE.workdir} …")
    ids = build_site()
    SITE.start()
    camera = Camera()
    try:
        # Imported late: Playwright's sync API runs an event loop, and the ORM work is done.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            walk_through(browser, ids, camera)
            browser.close()
    finally:
        SITE.stop()
    camera.report()
    shutil.rmtree(SITE.workdir)  # kept when something failed, for a look at server.log


if __name__ == "__main__":
    main()
