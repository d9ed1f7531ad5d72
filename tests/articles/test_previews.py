"""Previews, share links, old-URL redirects and corrections."""

from __future__ import annotations

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import Correction, PreviewLink, Story
from articles.roles import EDITOR
from tests.factories import make_byline, make_section, make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_editor(db):
    user = make_user(username="eddie", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def share_link(client, story: Story) -> PreviewLink:
    response = client.post(reverse("admin:articles_story_share", args=[story.pk]))
    assert response.status_code == 302
    return story.preview_links.latest("created_at")


# Staff preview -------------------------------------------------------------------------


def test_preview_renders_the_draft_like_the_public_page(client, desk_editor):
    byline = make_byline(name="Lee Park")
    story = make_story(
        status=Story.Status.DRAFT, published_at=None, headline="Draft headline",
        bylines=[byline], tags=["Ferry"],
    )  # fmt: skip
    client.force_login(desk_editor)
    response = client.get(reverse("admin:articles_story_preview", args=[story.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="story__headline">Draft headline</h1>' in page
    assert "Lee Park" in page and "Ferry" in page
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Preview." in page


def test_preview_needs_staff(client):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_story_preview", args=[story.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(make_user())
    assert client.get(url).status_code == 302


# Share preview links -------------------------------------------------------------------


def test_share_link_shows_the_revision_it_was_made_for(client, desk_editor):
    story = make_story(status=Story.Status.DRAFT, published_at=None, headline="First take")
    client.force_login(desk_editor)
    link = share_link(client, story)
    with reversion.create_revision():
        story.headline = "Second take"
        story.save()
    reviewer = client.__class__()
    response = reviewer.get(link.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "First take" in page and "Second take" not in page
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")
    # The reviewer got no session and cannot reach the admin.
    assert "sessionid" not in response.cookies
    assert reviewer.get(reverse("admin:index")).status_code == 302


def test_share_link_expires_after_48_hours(client, desk_editor):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    client.force_login(desk_editor)
    link = share_link(client, story)
    assert link.expires_at - link.created_at == timedelta(hours=48)
    reviewer = client.__class__()
    with freeze_time(link.expires_at - timedelta(minutes=1)):
        assert reviewer.get(link.get_absolute_url()).status_code == 200
    with freeze_time(link.expires_at + timedelta(seconds=1)):
        assert reviewer.get(link.get_absolute_url()).status_code == 404


def test_revoked_share_link_is_a_404(client, desk_editor):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    client.force_login(desk_editor)
    link = share_link(client, story)
    url = link.get_absolute_url()
    client.post(reverse("admin:articles_story_revoke", args=[story.pk, link.pk]))
    assert client.__class__().get(url).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda signed: signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"),
        lambda signed: "x" + signed,
        lambda signed: signed.split(":")[0],
        lambda signed: "not-a-token",
    ],
)
def test_tampered_share_link_is_a_404(client, desk_editor, tamper):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    client.force_login(desk_editor)
    link = share_link(client, story)
    url = reverse("articles:shared_preview", args=[tamper(link.signed_token())])
    assert client.__class__().get(url).status_code == 404


def test_share_link_is_a_404_while_embargoed(client, desk_editor):
    embargo = timezone.now() + timedelta(hours=6)
    story = make_story(status=Story.Status.REVIEW, published_at=None, embargo_until=embargo)
    client.force_login(desk_editor)
    link = share_link(client, story)
    reviewer = client.__class__()
    assert reviewer.get(link.get_absolute_url()).status_code == 404
    with freeze_time(embargo + timedelta(minutes=1)):
        assert reviewer.get(link.get_absolute_url()).status_code == 200


# Old URLs ------------------------------------------------------------------------------


def test_changed_slug_redirects_permanently(client):
    story = make_story(slug="old-slug")
    old_url = story.get_absolute_url()
    story.slug = "new-slug"
    story.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_changed_section_and_date_redirect_permanently(client):
    story = make_story()
    old_url = story.get_absolute_url()
    story.section = make_section(slug="elsewhere")
    story.published_at = story.published_at - timedelta(days=3)
    story.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_old_url_of_an_unpublished_story_does_not_redirect(client, desk_editor):
    story = make_story(slug="first")
    old_url = story.get_absolute_url()
    story.slug = "second"
    story.save()
    story.unpublish(by=desk_editor, note="Pulled")
    assert client.get(old_url).status_code == 404


# Corrections ---------------------------------------------------------------------------


def test_correction_shows_on_story_and_corrections_page(client, desk_editor):
    older = make_story(headline="Older story")
    newer = make_story(headline="Newer story")
    with freeze_time(timezone.now() - timedelta(hours=1)):
        older.correct(by=desk_editor, kind=Correction.Kind.CORRECTION, note="Misspelled name.")
    newer.correct(by=desk_editor, kind=Correction.Kind.CLARIFICATION, note="Clarified date.")
    page = client.get(older.get_absolute_url()).content.decode()
    assert "Misspelled name." in page and "Correction" in page
    listing = client.get(reverse("articles:corrections")).content.decode()
    assert listing.index("Clarified date.") < listing.index("Misspelled name.")


def test_corrections_of_unpublished_stories_are_not_listed(client, desk_editor):
    story = make_story()
    story.correct(by=desk_editor, kind=Correction.Kind.CORRECTION, note="Wrong figure.")
    story.unpublish(by=desk_editor, note="Pulled")
    assert "Wrong figure." not in client.get(reverse("articles:corrections")).content.decode()


def test_material_change_moves_updated_time_and_typo_fix_does_not(client, desk_editor):
    story = make_story()
    story.correct(by=desk_editor, kind=Correction.Kind.UPDATE, note="Typo fixed.")
    story.refresh_from_db()
    assert story.materially_updated_at is None
    assert "Updated" not in client.get(story.get_absolute_url()).content.decode()
    story.correct(
        by=desk_editor, kind=Correction.Kind.UPDATE, note="Vote count added.", material=True
    )
    story.refresh_from_db()
    assert story.materially_updated_at is not None
    assert "Updated" in client.get(story.get_absolute_url()).content.decode()


def test_only_live_stories_can_be_corrected(desk_editor):
    from articles.models import WorkflowStateError

    story = make_story(status=Story.Status.DRAFT, published_at=None)
    with pytest.raises(WorkflowStateError):
        story.correct(by=desk_editor, kind=Correction.Kind.CORRECTION, note="x")
    assert not story.corrections.exists()
