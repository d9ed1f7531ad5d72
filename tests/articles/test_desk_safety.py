"""Nothing an editor types answers 500: odd tags, far-off times, pasted control
characters, revisions that cannot come back, and text read from HTML."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Section, Story, WorkflowStateError
from articles.revisions import compare, snapshot, story_versions
from articles.text import html_to_line, html_to_text
from tests.factories import form_data, make_byline, make_editor, make_section, make_story, make_user

pytestmark = pytest.mark.django_db


def change_url(story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


def open_and_post(client, story, **changes):
    """Open the story's change form, change some fields, and save it as a browser would."""
    data = form_data(client.get(change_url(story)).content.decode(), "story_form")
    data.update(changes)
    return client.post(change_url(story), data)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors if response.context else {}


# Tags ---------------------------------------------------------------------------------


def test_a_tag_without_letters_or_digits_is_refused(editor_client):
    story = make_story()
    response = open_and_post(editor_client, story, tags="!!!, Ferries")
    assert response.status_code == 200
    assert "a tag needs at least one letter or digit" in str(form_errors(response)["tags"])
    assert not Tag.objects.filter(name="!!!").exists()
    # The story page and the tag sitemap keep working.
    assert editor_client.get(story.get_absolute_url()).status_code == 200


def test_a_nameless_tag_is_refused_on_every_path():
    with pytest.raises(ValidationError):
        Tag.objects.create(name="!!!")
    story = make_story()
    with pytest.raises(ValidationError):
        story.tags.add("?!")


def contributor(**overrides):
    user = make_user(is_staff=True, **overrides)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_story", "change_story", "view_story", "submit_story", "view_tag"]
        )
    )
    return user


def test_contributors_use_existing_tags_but_do_not_make_new_ones(client):
    reporter = contributor()
    Tag.objects.create(name="Ferries")
    story = make_story(status=Story.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    response = open_and_post(client, story, tags="ferries, Brand new tag")
    assert response.status_code == 200
    assert "only editors make new tags" in str(form_errors(response)["tags"])
    assert not Tag.objects.filter(name="Brand new tag").exists()
    response = open_and_post(client, story, tags="ferries")
    assert response.status_code == 302
    assert list(Story.objects.get(pk=story.pk).tags.names()) == ["Ferries"]


def test_editors_make_new_tags(editor_client):
    story = make_story()
    assert open_and_post(editor_client, story, tags="Ferries, Brand new tag").status_code == 302
    assert Tag.objects.filter(name="Brand new tag").exists()


# Far-off times ------------------------------------------------------------------------


def test_an_embargo_in_the_year_9999_is_refused_with_a_message(editor_client):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    response = open_and_post(
        editor_client, story, embargo_until_0="9999-12-31", embargo_until_1="23:59:00"
    )
    assert response.status_code == 200
    assert "too far ahead" in str(form_errors(response)["embargo_until"])
    story.refresh_from_db()
    assert story.embargo_until is None
    # Every staff list still works.
    assert editor_client.get(reverse("admin:articles_story_changelist")).status_code == 200
    assert editor_client.get(reverse("articles:newsdesk")).status_code == 200


def test_a_schedule_in_the_year_9999_is_refused_with_a_message(editor_client):
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_story_workflow", args=[story.pk, "schedule"])
    response = editor_client.post(url, {"at": "9999-12-31T23:59"}, follow=True)
    assert "too far ahead" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert editor_client.get(reverse("articles:home")).status_code == 200


def test_the_model_refuses_a_far_off_schedule_too():
    story = make_story(status=Story.Status.DRAFT, published_at=None)
    with pytest.raises(WorkflowStateError, match="too far ahead"):
        story.publish(by=make_editor(), at=timezone.now() + timedelta(days=365 * 20))


# Control characters -------------------------------------------------------------------


def test_control_characters_pasted_into_a_story_are_removed_on_save(editor_client, client):
    story = make_story()
    response = open_and_post(
        editor_client,
        story,
        headline="Ferry\x0b fares rise",
        dek="Tickets cost\x0c more.",
        body="<p>From June\x0b on.</p>",
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Ferry fares rise"
    assert story.dek == "Tickets cost more."
    assert "\x0b" not in story.body
    client.logout()
    feed = feedparser.parse(client.get(reverse("articles:feed")).content)
    assert not feed.bozo, feed.bozo_exception
    assert "Ferry fares rise" in [entry.title for entry in feed.entries]
    assert client.get(reverse("news-sitemap")).status_code == 200


def test_a_nul_character_is_a_bad_request_not_a_500(editor_client):
    """Refused before the form runs (newsroom/middleware.py): no text has a use for NUL."""
    story = make_story(headline="Ferry fares")
    response = open_and_post(editor_client, story, headline="Ferry\x00", dek="Tickets")
    assert response.status_code == 400
    story.refresh_from_db()
    assert story.headline == "Ferry fares"


def test_control_characters_are_removed_from_other_models_too():
    byline = make_byline(name="Ana\x0b Ruiz", bio="Covers\x07 the river.")
    byline.refresh_from_db()
    assert (byline.name, byline.bio) == ("Ana Ruiz", "Covers the river.")
    section = make_section(name="Metro\x1f desk")
    assert Section.objects.get(pk=section.pk).name == "Metro desk"


# Revisions that cannot come back -------------------------------------------------------


def make_revised_story(editor_client):
    story = make_story(slug="old-slug")
    open_and_post(editor_client, story, headline="First headline")
    open_and_post(editor_client, story, slug="new-slug", headline="Second headline")
    story.refresh_from_db()
    first = next(v for v in story_versions(story) if v.field_dict["slug"] == "old-slug")
    return story, first


def test_restoring_a_revision_whose_slug_is_taken_says_why(editor_client):
    story, first = make_revised_story(editor_client)
    make_story(slug="old-slug")  # another story took the old address
    url = reverse("admin:articles_story_restore", args=[story.pk, first.pk])
    response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert "is now used by another story" in response.content.decode()
    story.refresh_from_db()
    assert story.slug == "new-slug"


def test_restoring_a_revision_whose_section_was_deleted_says_why(editor_client):
    story, first = make_revised_story(editor_client)
    old_section = story.section
    open_and_post(editor_client, story, section=str(make_section().pk))
    Story.objects.filter(section=old_section).exists() or old_section.delete()
    url = reverse("admin:articles_story_restore", args=[story.pk, first.pk])
    response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert "section has been deleted" in response.content.decode()


def test_restoring_asks_first(editor_client):
    story, first = make_revised_story(editor_client)
    url = reverse("admin:articles_story_restore", args=[story.pk, first.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Yes, restore this revision" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Second headline"  # asking changed nothing


# Text from HTML, once ------------------------------------------------------------------

TABLE_BODY = (
    "<h2>Header label</h2><table><tr><th>Header label</th><th>Cell 1</th></tr>"
    "<tr><td>Cell 2</td><td>Cell 3</td></tr></table><ul><li>One</li><li>Two</li></ul>"
    '<p>See <a href="https://example.org" rel="noopener">the plan</a>.</p>'
)


def test_text_keeps_blocks_and_cells_apart():
    assert html_to_text(TABLE_BODY) == (
        "Header label\nHeader label Cell 1\nCell 2 Cell 3\nOne\nTwo\nSee the plan."
    )
    assert html_to_line(TABLE_BODY) == (
        "Header label Header label Cell 1 Cell 2 Cell 3 One Two See the plan."
    )


def test_teasers_and_feed_summaries_read_the_text(client):
    story = make_story(dek="", body=TABLE_BODY, headline="Table story")
    assert story.teaser_text().startswith("Header label Header label Cell 1 Cell 2")
    feed = feedparser.parse(client.get(reverse("articles:feed")).content)
    (entry,) = [e for e in feed.entries if e.title == "Table story"]
    assert "Cell 1 Cell 2" in entry.summary
    assert "noopener" not in entry.summary


def test_the_revision_diff_keeps_paragraph_breaks(editor_client):
    story = make_story(body="<p>What changed</p><p>The pool opens in June.</p>")
    open_and_post(editor_client, story, body="<p>What changed</p><p>The pool opens in July.</p>")
    versions = list(story_versions(story))
    (body,) = [
        c for c in compare(snapshot(versions[-1]), snapshot(versions[0])) if c.label == "Body"
    ]
    assert "What changedThe" not in body.old
    url = reverse("admin:articles_story_revisions", args=[story.pk])
    html = editor_client.get(url, {"a": versions[-1].pk, "b": versions[0].pk}).content.decode()
    cell = lxml.html.fromstring(html).xpath("//table[@class='revision-diff']//td")[0]
    assert cell.xpath(".//br"), "paragraphs stay apart"


def test_open_graph_locale_is_a_locale(client):
    html = client.get(reverse("articles:home")).content.decode()
    (locale,) = lxml.html.fromstring(html).xpath("//meta[@property='og:locale']/@content")
    assert locale == "en_US"
