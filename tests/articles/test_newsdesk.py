"""The desk's views of the work: the story list's filters, the newsdesk, where each role lands."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Story,
)
from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from tests.comments.factories import member
from tests.factories import TEST_PASSWORD, make_section, make_story, make_user

pytestmark = pytest.mark.django_db


def draft_by(user, **overrides) -> Story:
    fields = {"status": Story.Status.DRAFT, "published_at": None, "created_by": user}
    fields.update(overrides)
    return make_story(**fields)


# Assignment and desk filters -----------------------------------------------------------


def test_desk_filters(client, desk_editor, contributor):
    mine = draft_by(desk_editor, headline="Mine only")
    assigned = make_story(headline="Assigned one", assigned_to=desk_editor)
    review = draft_by(contributor, status=Story.Status.REVIEW, headline="Waiting review")
    client.force_login(desk_editor)
    url = reverse("admin:articles_story_changelist")

    def listed(desk):
        return client.get(f"{url}?desk={desk}").content.decode()

    assert mine.headline in listed("mine") and review.headline not in listed("mine")
    assert assigned.headline in listed("assigned") and mine.headline not in listed("assigned")
    assert review.headline in listed("review") and assigned.headline not in listed("review")


# The newsdesk --------------------------------------------------------------------------


def test_newsdesk_shows_the_pipeline(client, desk_editor, contributor):
    draft_by(contributor, headline="A draft in progress")
    draft_by(contributor, status=Story.Status.REVIEW, headline="Needs an editor")
    make_story(published_at=timezone.now() + timedelta(hours=4), headline="Later today")
    make_story(headline="Out this morning", published_at=timezone.now() - timedelta(minutes=5))
    make_story(status=Story.Status.DRAFT, published_at=None, assigned_to=desk_editor,
               headline="Yours to finish")  # fmt: skip
    client.force_login(desk_editor)
    response = client.get(reverse("articles:newsdesk"))
    page = response.content.decode()
    for headline in [
        "A draft in progress",
        "Needs an editor",
        "Later today",
        "Out this morning",
        "Yours to finish",
    ]:
        assert headline in page
    assert "no-cache" in response["Cache-Control"]


def test_the_newsdesk_starts_with_my_stories(client, contributor):
    mine = draft_by(contributor, headline="My own draft")
    sent = draft_by(contributor, status=Story.Status.REVIEW, headline="Mine, in review")
    make_story(status=Story.Status.DRAFT, published_at=None, headline="Someone else's")
    client.force_login(contributor)
    doc = lxml.html.fromstring(client.get(reverse("articles:newsdesk")).content.decode())
    lanes = doc.xpath("//section[starts-with(@id, 'lane-')]/@id")
    assert lanes[0] == "lane-mine"
    listed = [" ".join(a.text_content().split()) for a in doc.xpath("//*[@id='lane-mine']//a")]
    assert listed == [sent.headline, mine.headline]


def test_newsdesk_is_for_staff_only(client):
    assert client.get(reverse("articles:newsdesk")).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("articles:newsdesk")).status_code == 403


def test_quick_draft_starts_a_story(client, contributor):
    section = make_section(name="Schools")
    client.force_login(contributor)
    response = client.post(
        reverse("articles:newsdesk"),
        {"headline": "Board weighs later start times", "section": section.pk, "dek": ""},
    )
    story = Story.objects.get(headline="Board weighs later start times")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_story_change", args=[story.pk])
    assert story.status == Story.Status.DRAFT
    assert story.created_by == contributor
    assert story.slug == "board-weighs-later-start-times"


def test_quick_draft_with_errors_rerenders(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("articles:newsdesk"), {"headline": "", "section": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Story.objects.exists()


# Where each role lands ------------------------------------------------------------------


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR])
def test_reporters_and_editors_land_on_the_newsdesk(client, role):
    user = member(role)
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": user.username, "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("articles:newsdesk")
    assert response.status_code == 200
    # The full index is one link away.
    assert client.get(reverse("admin:index"), {"all": "1"}).status_code == 200


def test_administrators_land_on_the_admin_index(client):
    user = member(ADMINISTRATOR)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_technical_shelves_are_out_of_a_contributors_sight(client):
    client.force_login(member(CONTRIBUTOR))
    index = client.get(reverse("admin:index"), {"all": "1"}).content.decode()
    assert "Stories" in index
    for technical in ("Tags", "Story redirects", "Legacy URLs", "Imported items"):
        assert technical not in index, technical
