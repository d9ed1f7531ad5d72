"""Tidying tags in Chromium: an editor finds three spellings of one tag on the tidy page,
merges them after the preview, and a reader's old link still leads to the stories."""

from __future__ import annotations

import pytest
from taggit.models import Tag

from articles.roles import EDITOR
from tests.browser.test_editorial_flow import expect_message, member
from tests.factories import TEST_PASSWORD, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_merges_three_tags_and_an_old_link_still_works(
    live_server, roles, new_page, log_in
):
    base = live_server.url
    member(roles[EDITOR], "eddie")
    make_story(headline="Potholes on Linden St", tags=["Linden St"])
    make_story(headline="Linden Street fair draws crowds", tags=["Linden Street", "Events"])
    make_story(headline="New trees for Lindon Street", tags=["Lindon Street"])
    make_story(headline="Linden Streets plan", tags=["Linden Streets"])
    old_slug = Tag.objects.get(name="Linden St").slug

    page = new_page()
    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{base}/admin/taggit/tag/")
    page.click("text=Tidy tags: duplicates and unused")
    assert "Likely duplicates" in page.content()

    # Choose the three in the list, and merge them with the list's action.
    page.goto(f"{base}/admin/taggit/tag/")
    for name in ["Linden St", "Linden Streets", "Lindon Street"]:
        row = page.locator("#result_list tr").filter(
            has=page.get_by_role("link", name=name, exact=True)
        )
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")
    page.fill("#id_survivor", "Linden Street")
    page.click("button[name=preview]")
    table = page.locator("table.merge-preview").inner_text()
    assert "Potholes on Linden St" in table and "Linden Streets plan" in table
    page.click("button[name=apply]")
    expect_message(page, "Merged into “Linden Street”")

    # A reader follows a link to the old tag page, and its feed.
    reader = new_page()
    reader.goto(f"{base}/tag/{old_slug}/")
    assert reader.url == f"{base}/tag/linden-street/"
    for headline in ["Potholes on Linden St", "Linden Street fair draws crowds",
                     "New trees for Lindon Street", "Linden Streets plan"]:  # fmt: skip
        assert reader.locator("main", has_text=headline).count() == 1
    response = reader.goto(f"{base}/tag/{old_slug}/feed/")
    assert response.status == 200 and reader.url.endswith("/tag/linden-street/feed/")
