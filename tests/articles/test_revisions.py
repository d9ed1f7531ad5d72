"""Revisions, restores, edit conflicts and the soft edit lock."""

from __future__ import annotations

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from articles.models import EditLock, Story, StoryByline
from articles.revisions import compare, snapshot, story_versions
from articles.roles import EDITOR
from tests.factories import form_data, make_byline, make_section, make_story, make_user

pytestmark = pytest.mark.django_db


def editor_named(username: str, first_name: str = ""):
    user = make_user(username=username, first_name=first_name, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def change_url(story: Story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


def open_form(client, story: Story) -> dict:
    response = client.get(change_url(story))
    assert response.status_code == 200
    return form_data(response.content.decode(), "story_form")


def save(client, story: Story, data: dict):
    return client.post(change_url(story), data)


@pytest.fixture
def story(db):
    first, second, photographer = make_byline(name="Ana Ruiz"), make_byline(), make_byline()
    return make_story(
        headline="Council passes budget",
        body="<p>The council voted 5-2.</p>",
        bylines=[(first, "by"), (second, "by"), (photographer, "photos")],
        tags=["Budget", "Council"],
        secondary_sections=[make_section(name="Politics")],
    )


def test_every_admin_save_keeps_a_revision_with_author(client, story):
    editor = editor_named("eddie")
    client.force_login(editor)
    data = open_form(client, story)
    data["headline"] = "Council passes leaner budget"
    assert save(client, story, data).status_code == 302
    data = open_form(client, story)
    data["dek"] = "A new dek"
    assert save(client, story, data).status_code == 302
    versions = Version.objects.get_for_object(story)
    # A baseline from when the story was first opened, then one per save.
    assert versions.count() == 3
    assert versions[2].revision.user is None
    assert [version.revision.user for version in versions[:2]] == [editor, editor]
    assert versions[0].field_dict["dek"] == "A new dek"
    assert versions[1].field_dict["headline"] == "Council passes leaner budget"


def test_restore_round_trips_bylines_tags_and_sections(client, story):
    editor = editor_named("eddie")
    client.force_login(editor)
    original_bylines = [(c.byline_id, c.role, c.position) for c in story.story_bylines.all()]
    original_sections = set(story.secondary_sections.values_list("pk", flat=True))

    # Revision 1: the story as it is.
    save(client, story, open_form(client, story))
    first_version = Version.objects.get_for_object(story).first()

    # Revision 2: change text, drop a byline, swap the order, change tags and sections.
    data = open_form(client, story)
    data["headline"] = "Rewritten headline"
    data["tags"] = "Taxes"
    data["secondary_sections"] = [str(make_section(name="Business").pk)]
    data["story_bylines-0-DELETE"] = "on"
    data["story_bylines-1-position"] = "5"
    assert save(client, story, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Rewritten headline"
    assert story.story_bylines.count() == 2
    assert [t.name for t in story.tags.all()] == ["Taxes"]

    status_before = story.status
    versions_before = Version.objects.get_for_object(story).count()
    response = client.post(
        reverse("admin:articles_story_restore", args=[story.pk, first_version.pk])
    )
    assert response.status_code == 302
    story = Story.objects.get(pk=story.pk)
    assert story.headline == "Council passes budget"
    assert [
        (c.byline_id, c.role, c.position) for c in StoryByline.objects.filter(story=story)
    ] == original_bylines
    assert sorted(t.name for t in story.tags.all()) == ["Budget", "Council"]
    assert set(story.secondary_sections.values_list("pk", flat=True)) == original_sections
    assert story.status == status_before
    # Restoring made a new revision: nothing was lost.
    assert Version.objects.get_for_object(story).count() == versions_before + 1
    assert story.log_entries.filter(action="restore").exists()


def test_revisions_page_lists_and_compares(client, story):
    editor = editor_named("eddie", first_name="Eddie")
    client.force_login(editor)
    save(client, story, open_form(client, story))
    data = open_form(client, story)
    data["headline"] = "Council passes leaner budget"
    save(client, story, data)
    newer, older = Version.objects.get_for_object(story)[:2]
    url = reverse("admin:articles_story_revisions", args=[story.pk])
    listing = client.get(url).content.decode()
    assert "Eddie" in listing
    diff = client.get(f"{url}?a={older.pk}&b={newer.pk}").content.decode()
    assert "<ins>leaner</ins>" in diff
    assert client.get(f"{url}?a=999999&b={newer.pk}").status_code == 404


def test_contributor_cannot_restore_a_story_they_may_not_edit(client, story):
    editor = editor_named("eddie")
    client.force_login(editor)
    save(client, story, open_form(client, story))
    version = Version.objects.get_for_object(story).first()
    contributor = make_user(is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributor"))
    client.force_login(contributor)
    response = client.post(reverse("admin:articles_story_restore", args=[story.pk, version.pk]))
    assert response.status_code == 403


def test_stale_save_is_refused_with_what_changed(client, story):
    first = editor_named("first", first_name="Fran")
    second = editor_named("second", first_name="Sam")
    client.force_login(first)
    stale = open_form(client, story)

    other = client.__class__()
    other.force_login(second)
    fresh = open_form(other, story)
    fresh["headline"] = "Sam's better headline"
    assert save(other, story, fresh).status_code == 302

    stale["headline"] = "Fran's headline"
    stale["dek"] = "Fran's dek"
    response = save(client, story, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page
    assert "Sam" in page
    assert "Sam&#x27;s better headline" in page or "Sam's better headline" in page
    story.refresh_from_db()
    assert story.headline == "Sam's better headline"
    assert story.dek != "Fran's dek"


def test_a_fresh_save_after_reloading_succeeds(client, story):
    editor = editor_named("eddie")
    client.force_login(editor)
    data = open_form(client, story)
    save(client, story, data)
    data = open_form(client, story)  # reload: carries the new version
    data["headline"] = "Second save"
    assert save(client, story, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second save"


def test_soft_lock_warns_the_second_editor(client, story):
    first = editor_named("first", first_name="Fran")
    second = editor_named("second", first_name="Sam")
    client.force_login(first)
    client.get(change_url(story))
    other = client.__class__()
    other.force_login(second)
    page = other.get(change_url(story)).content.decode()
    assert "Being edited by Fran" in page
    # The holder does not see a warning about themselves.
    assert "Being edited by" not in client.get(change_url(story)).content.decode()


def test_soft_lock_expires_and_is_released_on_save(client, story):
    from datetime import timedelta

    from freezegun import freeze_time

    first = editor_named("first", first_name="Fran")
    second = editor_named("second", first_name="Sam")
    client.force_login(first)
    data = open_form(client, story)
    assert EditLock.objects.current().filter(story=story, user=first).exists()
    with freeze_time(EditLock.objects.get(story=story).expires_at + timedelta(seconds=1)):
        other = client.__class__()
        other.force_login(second)
        assert "Being edited by" not in other.get(change_url(story)).content.decode()
    EditLock.objects.all().delete()
    client.get(change_url(story))
    save(client, story, data)
    assert not EditLock.objects.filter(story=story, user=first).exists()


def test_tags_in_another_order_are_no_change():
    """A refused save listed "Tags" among what the other editor changed, though nobody had
    touched them: the snapshot sorts tags by name, the story did not."""
    story = make_story(tags=["Calder River", "infrastructure", "downtown"])
    with reversion.create_revision():
        reversion.add_to_revision(story)
    (version,) = story_versions(story)
    assert [change.label for change in compare(snapshot(version), story)] == []
