"""The curated home page: an editor arranges, previews, publishes or schedules a layout;
readers see it at once, and only ever public stories; expired pins and empty slots fill
themselves with the newest stories; a layout readers had is kept and can come back."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from fronts.arranging import snapshot
from fronts.models import Front, Pin, SectionBlock
from tests.factories import css, form_data, make_section, make_story

pytestmark = pytest.mark.django_db

HOME = "/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(client=None):
    response = (client or Client()).get(HOME)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    lead = [a.text_content().strip() for a in css(doc, ".lead__headline a")]
    latest = [a.text_content().strip() for a in css(doc, ".latest .teaser__headline a")]
    blocks = [h.text_content().strip() for h in css(doc, ".section-block .block-heading")]
    alert = [p.text_content().strip() for p in css(doc, ".alert-banner")]
    return {"lead": lead[0] if lead else None, "latest": latest, "blocks": blocks,
            "alert": alert[0] if alert else None}  # fmt: skip


def stories(count: int, section=None):
    """`count` public stories, newest first: S0 is an hour old, S1 two hours, …"""
    section = section or make_section(name="News", slug="news")
    now = timezone.now()
    return [
        make_story(headline=f"S{n}", section=section, published_at=now - timedelta(hours=n + 1))
        for n in range(count)
    ]


def layout(*, lead=None, top=(), blocks=(), live=True, **fields) -> Front:
    front = Front.objects.create(goes_live_at=timezone.now() if live else None, **fields)
    if lead is not None:
        story, until = lead if isinstance(lead, tuple) else (lead, None)
        Pin.objects.create(front=front, slot=Pin.Slot.LEAD, story=story, until=until)
    for position, item in enumerate(top):
        story, until = item if isinstance(item, tuple) else (item, None)
        Pin.objects.create(front=front, slot="top", story=story, until=until, position=position)
    for position, (section, count) in enumerate(blocks):
        SectionBlock.objects.create(front=front, section=section, stories=count, position=position)
    front.arrangement = snapshot(front)
    front.save()
    return front


# Arranging through the desk ----------------------------------------------------------------


def test_an_editor_pins_an_older_story_as_lead_orders_the_top_stories_and_publishes(
    desk_editor,
):
    s = stories(6)
    editor = logged_in(desk_editor)
    add = reverse("admin:fronts_front_add")
    data = form_data(editor.get(add).content.decode(), "front_form")
    data.update({
        "note": "Council night",
        "pins-TOTAL_FORMS": "3",
        "pins-0-slot": "lead", "pins-0-story": s[5].pk, "pins-0-position": "0",
        "pins-1-slot": "top", "pins-1-story": s[4].pk, "pins-1-position": "1",
        "pins-2-slot": "top", "pins-2-story": s[3].pk, "pins-2-position": "2",
        "_publish_now": "Publish now",
    })  # fmt: skip
    response = editor.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    front = Front.objects.get(note="Council night")
    assert front.published_by == desk_editor and front.status() == Front.Status.LIVE
    page = home()
    assert page["lead"] == "S5"
    # The pinned top stories first, in their order; then the newest, none twice.
    assert page["latest"][:5] == ["S4", "S3", "S0", "S1", "S2"]


def test_a_layout_readers_had_is_kept_read_only_and_can_be_copied_back(desk_editor):
    s = stories(3)
    first = layout(lead=s[2], note="First")
    editor = logged_in(desk_editor)
    change = reverse("admin:fronts_front_change", args=[first.pk])
    page = editor.get(change).content.decode()
    assert "Copy to a new draft" in page
    assert editor.post(change, {"note": "Rewritten"}).status_code == 403
    second = layout(lead=s[1], note="Second")
    assert home()["lead"] == "S1"
    assert first.status() == Front.Status.REPLACED and second.status() == Front.Status.LIVE

    copied = editor.post(reverse("admin:fronts_front_copy", args=[first.pk]))
    copy = Front.objects.get(note="Copy of First")
    assert copied["Location"] == reverse("admin:fronts_front_change", args=[copy.pk])
    assert copy.status() == Front.Status.DRAFT and home()["lead"] == "S1"
    data = form_data(editor.get(copied["Location"]).content.decode(), "front_form")
    data["_publish_now"] = "Publish now"
    assert editor.post(copied["Location"], data).status_code == 302
    assert home()["lead"] == "S2"  # the first layout is back


def test_contributors_cannot_arrange_the_front(contributor):
    stories(1)
    client = logged_in(contributor)
    assert client.get(reverse("admin:fronts_front_add")).status_code == 403
    front = layout(live=False)
    assert client.get(reverse("admin:fronts_front_preview", args=[front.pk])).status_code == 404


def test_two_lead_pins_or_a_story_pinned_twice_are_form_errors(desk_editor):
    s = stories(2)
    editor = logged_in(desk_editor)
    add = reverse("admin:fronts_front_add")
    data = form_data(editor.get(add).content.decode(), "front_form")
    data.update({
        "pins-TOTAL_FORMS": "2",
        "pins-0-slot": "lead", "pins-0-story": s[0].pk, "pins-0-position": "0",
        "pins-1-slot": "lead", "pins-1-story": s[1].pk, "pins-1-position": "1",
    })  # fmt: skip
    response = editor.post(add, data)
    assert response.status_code == 200
    assert "Pin one lead story" in response.content.decode()
    data.update({"pins-1-slot": "top", "pins-1-story": s[0].pk})
    assert "pinned twice" in editor.post(add, data).content.decode()
    data.update(
        {"pins-1-story": s[1].pk, "pins-1-until_0": "9999-12-31", "pins-1-until_1": "23:59"}
    )
    assert "too far ahead" in editor.post(add, data).content.decode()
    assert not Front.objects.exists()


# The rules readers see --------------------------------------------------------------------


def test_an_expired_pin_gives_its_slot_to_the_newest_story():
    s = stories(4)
    layout(
        lead=(s[3], timezone.now() + timedelta(hours=2)),
        top=[(s[2], timezone.now() + timedelta(hours=1))],
    )
    assert home()["lead"] == "S3" and home()["latest"][0] == "S2"
    with freeze_time(timezone.now() + timedelta(hours=1, minutes=1)):
        page = home()
        assert page["lead"] == "S3" and page["latest"][:3] == ["S0", "S1", "S2"]
    with freeze_time(timezone.now() + timedelta(hours=3)):
        assert home()["lead"] == "S0"


def test_a_pinned_story_that_leaves_public_view_leaves_the_front_and_comes_back(desk_editor):
    s = stories(3)
    layout(lead=s[2], top=[s[1]])
    assert home()["lead"] == "S2"
    s[2].unpublish(by=desk_editor, note="Legal review")
    page = home()
    assert page["lead"] == "S0" and "S2" not in page["latest"]
    s[2].publish(by=desk_editor, at=s[2].published_at)
    assert home()["lead"] == "S2"
    embargoed = make_story(headline="Embargoed", embargo_until=timezone.now() + timedelta(days=1))
    draft = make_story(headline="Draft", status="draft", published_at=None)
    layout(lead=embargoed, top=[draft])
    page = home()
    assert page["lead"] == "S0" and "Draft" not in page["latest"]


def test_a_scheduled_layout_takes_over_at_its_time_and_no_cache_outlives_it(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    s = stories(3)
    layout(lead=s[1])
    at = timezone.now() + timedelta(minutes=10)
    Front.objects.filter(pk=layout(lead=s[2], live=False).pk).update(goes_live_at=at)
    response = Client().get(HOME)
    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 600
    assert home()["lead"] == "S1"
    with freeze_time(at + timedelta(seconds=1)):
        assert home()["lead"] == "S2"


def test_the_alert_banner_shows_until_its_time(client):
    stories(1)
    layout(alert_text="Flood warning until 6 p.m.", alert_link="https://example.org/flood",
           alert_until=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert home()["alert"].startswith("Flood warning until 6 p.m.")
    with freeze_time(timezone.now() + timedelta(hours=2)):
        assert home()["alert"] is None


def test_section_blocks_in_the_chosen_order_and_length():
    news, sports, opinion = (
        make_section(name=n, slug=n.lower()) for n in ["News", "Sports", "Opinion"]
    )
    for section in (news, sports, opinion):
        stories(3, section=section)
    layout(blocks=[(opinion, 1), (news, 2)])
    page_html = Client().get(HOME).content.decode()
    doc = lxml.html.fromstring(page_html)
    blocks = css(doc, ".section-block")
    assert [css(b, ".block-heading")[0].text_content().strip() for b in blocks] == [
        "Opinion",
        "News",
    ]
    assert [len(css(b, ".headline-list li")) for b in blocks] == [1, 2]


def test_the_preview_shows_a_draft_exactly_as_readers_will_and_is_never_cached(desk_editor):
    s = stories(3)
    draft = layout(lead=s[2], live=False, note="Tomorrow", alert_text="Polls open at 7")
    assert home()["lead"] == "S0"  # readers: nothing changed
    response = logged_in(desk_editor).get(reverse("admin:fronts_front_preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    preview = response.content.decode()
    assert "Preview of the home page layout “Tomorrow”" in preview
    assert "Polls open at 7" in preview
    doc = lxml.html.fromstring(preview)
    assert css(doc, ".lead__headline a")[0].text_content().strip() == "S2"
    anonymous = Client().get(reverse("admin:fronts_front_preview", args=[draft.pk]))
    assert anonymous.status_code == 302  # to the login page


def test_publishing_a_layout_purges_the_cached_home_page(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    s = stories(3)
    reader = Client()
    assert home(reader)["lead"] == "S0"  # cached now
    layout(lead=s[2])
    assert home(reader)["lead"] == "S2"


def test_the_curated_home_page_runs_a_fixed_number_of_queries(django_assert_num_queries):
    news = make_section(name="News", slug="news")
    sports = make_section(name="Sports", slug="sports")
    s = stories(20, section=news) + stories(5, section=sports)
    layout(lead=s[7], top=s[8:14], blocks=[(sports, 3), (news, 4)])
    # layout, pinned and newest stories, section blocks, bylines, navigation
    with django_assert_num_queries(5):
        assert Client().get(HOME).status_code == 200


def test_the_newsdesk_leads_editors_to_the_home_page_the_trash_and_tidying(
    desk_editor, contributor
):
    page = logged_in(desk_editor).get(reverse("articles:newsdesk")).content.decode()
    for url in [reverse("admin:fronts_front_changelist"), reverse("admin:taggit_tag_tidy"),
                reverse("admin:articles_story_changelist") + "?where=trash"]:  # fmt: skip
        assert f'href="{url}"' in page
    page = logged_in(contributor).get(reverse("articles:newsdesk")).content.decode()
    assert reverse("admin:fronts_front_changelist") not in page


def test_the_list_of_layouts_says_which_is_live(desk_editor):
    s = stories(2)
    layout(lead=s[0], note="First")
    layout(lead=s[1], note="Second")
    layout(live=False, note="Draft")
    page = logged_in(desk_editor).get(reverse("admin:fronts_front_changelist")).content.decode()
    doc = lxml.html.fromstring(page)
    rows = {
        css(row, "th a")[0].text_content(): css(row, "td.field-status_label")[0].text_content()
        for row in css(doc, "#result_list tbody tr")
    }
    assert rows == {"First": "Replaced", "Second": "Live", "Draft": "Draft"}
