"""The desk (Django admin): every page an editor uses, and publishing a story through it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Byline, Section, Story, StoryByline
from tests.factories import (
    form_data,
    make_byline,
    make_image_file,
    make_section,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db

Role = StoryByline.Role


def story_add_data(client, **fields) -> dict:
    """The story add form as the browser submits it, with `fields` filled in."""
    response = client.get(reverse("admin:articles_story_add"))
    assert response.status_code == 200
    data = form_data(response.content.decode(), "story_form")
    data.update(fields)
    data["_save"] = "Save"
    return data


def story_change_data(client, story: Story, **fields) -> dict:
    response = client.get(reverse("admin:articles_story_change", args=[story.pk]))
    assert response.status_code == 200
    data = form_data(response.content.decode(), "story_form")
    data.update(fields)
    data["_save"] = "Save"
    return data


def inline_prefix(response) -> str:
    """The byline inline formset's prefix, read from the rendered add form."""
    (inline,) = response.context["inline_admin_formsets"]
    return inline.formset.prefix


def results(response) -> list:
    return list(response.context["cl"].result_list)


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:articles_story_changelist", "admin:articles_story_add"]
)
def test_non_staff_are_sent_to_login(client, url_name):
    url = reverse(url_name)
    for user in (None, make_user()):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert f"next={url}" in response["Location"]


def test_editor_sees_the_desk_index(editor_client):
    # Editors land on the newsdesk; the full index is there with ?all=1.
    assert editor_client.get(reverse("admin:index"))["Location"] == reverse("articles:newsdesk")
    response = editor_client.get(reverse("admin:index"), {"all": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    for url_name in (
        "admin:articles_story_changelist",
        "admin:articles_section_changelist",
        "admin:articles_byline_changelist",
    ):
        assert reverse(url_name) in html


def test_editor_without_user_permissions_cannot_manage_accounts(editor_client):
    assert editor_client.get(reverse("admin:users_user_changelist")).status_code == 403


# --- Changelists -----------------------------------------------------------------------


@pytest.fixture
def desk():
    """Stories in every state, in two sections, by two bylines."""
    now = timezone.now()
    metro = make_section(name="Metro", slug="metro")
    sports = make_section(name="Sports", slug="sports")
    ana = make_byline(name="Ana Reyes", slug="ana-reyes", kind=Byline.Kind.PERSON)
    wire = make_byline(name="City Wire", slug="city-wire", kind=Byline.Kind.WIRE)
    return {
        "metro": metro,
        "sports": sports,
        "ana": ana,
        "wire": wire,
        "public": make_story(
            headline="Bridge reopens",
            section=metro,
            bylines=[ana],
            published_at=datetime(2024, 5, 15, 15, 0, tzinfo=timezone.get_current_timezone()),
        ),
        "featured": make_story(
            headline="Mayor resigns",
            section=metro,
            bylines=[ana, (wire, Role.ADDITIONAL)],
            is_featured=True,
            body="<p>The mayor cited the riverfront project.</p>",
        ),
        "scheduled": make_story(
            bylines=[],
            headline="Budget vote tomorrow",
            section=metro,
            published_at=now + timedelta(days=1),
            kind=Story.Kind.OPINION,
        ),
        "draft": make_story(
            bylines=[],
            headline="Stadium deal draft",
            section=sports,
            status=Story.Status.DRAFT,
            dek="Talks continue on the riverfront.",
            published_at=None,
        ),
        "review": make_story(
            headline="Coach profile",
            section=sports,
            status=Story.Status.REVIEW,
            bylines=[wire],
            kind=Story.Kind.PRESS_RELEASE,
        ),
        "unpublished": make_story(
            bylines=[], headline="Retracted item", section=sports, status=Story.Status.UNPUBLISHED
        ),
    }


STORY_FILTERS = [
    ({}, {"public", "featured", "scheduled", "draft", "review", "unpublished"}),
    ({"visibility": "public"}, {"public", "featured"}),
    ({"visibility": "scheduled"}, {"scheduled"}),
    ({"visibility": "hidden"}, {"draft", "review", "unpublished"}),
    ({"status": "draft"}, {"draft"}),
    ({"status": "published"}, {"public", "featured", "scheduled"}),
    ({"kind": "opinion"}, {"scheduled"}),
    ({"kind": "press_release"}, {"review"}),
    ({"is_featured__exact": "1"}, {"featured"}),
    ({"q": "riverfront"}, {"featured", "draft"}),  # searches body and dek too
    ({"q": "bridge"}, {"public"}),
    ({"published_at__year": "2024"}, {"public"}),
    ({"published_at__year": "2024", "published_at__month": "5"}, {"public"}),
    (
        {"published_at__year": "2024", "published_at__month": "5", "published_at__day": "15"},
        {"public"},
    ),
    ({"visibility": "public", "q": "mayor"}, {"featured"}),
]


@pytest.mark.parametrize(("params", "expected"), STORY_FILTERS)
def test_story_changelist_filters_search_and_dates(editor_client, desk, params, expected):
    response = editor_client.get(reverse("admin:articles_story_changelist"), params)
    assert response.status_code == 200
    assert {story.pk for story in results(response)} == {desk[key].pk for key in expected}


def test_story_changelist_filters_by_section_and_byline(editor_client, desk):
    url = reverse("admin:articles_story_changelist")
    by_section = editor_client.get(url, {"section__id__exact": desk["sports"].pk})
    assert {s.headline for s in results(by_section)} == {
        "Stadium deal draft",
        "Coach profile",
        "Retracted item",
    }
    by_byline = editor_client.get(url, {"bylines__id__exact": desk["wire"].pk})
    assert {s.headline for s in results(by_byline)} == {"Mayor resigns", "Coach profile"}


def test_story_changelist_shows_columns_and_filter_choices(editor_client, desk):
    response = editor_client.get(reverse("admin:articles_story_changelist"))
    html = response.content.decode()
    assert "Ana Reyes, City Wire" in html  # bylines column, in credit order
    assert "Public now" in html and "Scheduled" in html and "Not published" in html
    assert "?published_at__year=2024" in html  # the date hierarchy
    for story in desk.values():
        if isinstance(story, Story):
            url = reverse("admin:articles_story_change", args=[story.pk])
            assert url in html


@pytest.mark.parametrize(
    ("model", "params", "expected"),
    [
        ("section", {}, {"Metro", "Sports"}),
        ("section", {"q": "spo"}, {"Sports"}),
        ("section", {"is_active__exact": "1"}, {"Metro", "Sports"}),
        ("byline", {}, {"Ana Reyes", "City Wire"}),
        ("byline", {"kind__exact": "wire"}, {"City Wire"}),
        ("byline", {"q": "reyes"}, {"Ana Reyes"}),
    ],
)
def test_section_and_byline_changelists(editor_client, desk, model, params, expected):
    response = editor_client.get(reverse(f"admin:articles_{model}_changelist"), params)
    assert response.status_code == 200
    assert {str(obj) for obj in results(response)} == expected


def test_section_and_byline_changelists_count_stories(editor_client, desk):
    sections = editor_client.get(reverse("admin:articles_section_changelist"))
    counts = {s.name: s.story_count for s in results(sections)}
    assert counts == {"Metro": 3, "Sports": 3}
    bylines = editor_client.get(reverse("admin:articles_byline_changelist"))
    counts = {b.name: b.story_count for b in results(bylines)}
    assert counts == {"Ana Reyes": 2, "City Wire": 2}


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("admin:users_user_changelist", {}),
        ("admin:users_user_changelist", {"q": "chief"}),
        ("admin:users_user_changelist", {"is_staff__exact": "1"}),
        ("admin:taggit_tag_changelist", {}),
        ("admin:taggit_tag_changelist", {"q": "flood"}),
    ],
)
def test_user_and_tag_changelists(superuser_client, url_name, params):
    make_story(tags=["Floods"])
    response = superuser_client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert len(results(response)) == 1


# --- Add and change forms --------------------------------------------------------------


@pytest.mark.parametrize("model", ["story", "section", "byline"])
def test_editor_add_forms_render(editor_client, model):
    response = editor_client.get(reverse(f"admin:articles_{model}_add"))
    assert response.status_code == 200
    assert f'id="{model}_form"' in response.content.decode()


def test_change_forms_render(editor_client, desk):
    story = make_story(
        section=desk["metro"],
        bylines=[desk["ana"]],
        lead_image=make_image_file(640, 480),
        lead_image_alt="A bridge at dusk",
    )
    pages = [
        (reverse("admin:articles_story_change", args=[story.pk]), story.headline),
        (reverse("admin:articles_section_change", args=[desk["metro"].pk]), "Metro"),
        (reverse("admin:articles_byline_change", args=[desk["ana"].pk]), "Ana Reyes"),
    ]
    for url, expected in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode()
    html = editor_client.get(pages[0][0]).content.decode()
    assert story.lead_image.rendition_url("teaser") in html  # the preview
    byline_html = editor_client.get(pages[2][0]).content.decode()
    # Recent stories on the byline page link to their change forms.
    assert reverse("admin:articles_story_change", args=[desk["public"].pk]) in byline_html


def test_user_and_tag_forms_render(superuser_client, superuser):
    story = make_story(tags=["Floods"])
    tag = story.tags.get()
    for url in (
        reverse("admin:users_user_add"),
        reverse("admin:users_user_change", args=[superuser.pk]),
        reverse("admin:taggit_tag_add"),
        reverse("admin:taggit_tag_change", args=[tag.pk]),
    ):
        assert superuser_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("story", "section", "met", ["Metro"]),
        ("story", "secondary_sections", "SPO", ["Sports"]),
        ("section", "parent", "", ["Metro", "Sports"]),
        ("storybyline", "byline", "reyes", ["Ana Reyes"]),
        ("storybyline", "byline", "wire", ["City Wire"]),
    ],
)
def test_autocomplete_endpoints(editor_client, desk, model_name, field_name, term, expected):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == expected


def test_autocomplete_refuses_non_staff(client, desk):
    client.force_login(make_user())
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "story", "field_name": "section", "term": "m"},
    )
    assert response.status_code == 302


# --- Writing and publishing through the desk -------------------------------------------


def test_create_and_publish_story_through_admin(client, editor_client, editor):
    """An editor writes a draft with two bylines, publishes it, and readers see it."""
    section = make_section(name="Metro")
    ana = make_byline(name="Ana Reyes")
    cy = make_byline(name="Cy Lindqvist")
    add_page = editor_client.get(reverse("admin:articles_story_add"))
    prefix = inline_prefix(add_page)
    assert prefix == "story_bylines"

    data = story_add_data(
        editor_client,
        headline="Ferry service resumes",
        slug="ferry-service-resumes",
        dek="Boats run again after the storm.",
        body="<p>The first ferry left at dawn.</p>",
        section=str(section.pk),
        kind="news",
        tags="Ferries, Storm",
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-position": "0",
            f"{prefix}-0-role": Role.BY,
            f"{prefix}-0-byline": str(ana.pk),
            f"{prefix}-1-position": "1",
            f"{prefix}-1-role": Role.PHOTOS,
            f"{prefix}-1-byline": str(cy.pk),
        }
    )
    response = editor_client.post(reverse("admin:articles_story_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get(slug="ferry-service-resumes")
    assert story.created_by == editor
    assert story.status == Story.Status.DRAFT
    assert [(c.byline, c.role) for c in story.credited_bylines] == [
        (ana, Role.BY),
        (cy, Role.PHOTOS),
    ]
    assert sorted(story.tags.names()) == ["Ferries", "Storm"]

    editor_client.logout()
    assert "Ferry service resumes" not in client.get(section.get_absolute_url()).content.decode()

    # Publish it. Status changes go through the desk's workflow step, not the form.
    editor_client.force_login(editor)
    response = editor_client.post(
        reverse("admin:articles_story_workflow", args=[story.pk, "publish"]), {"note": ""}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_public
    assert story.created_by == editor  # unchanged by later steps
    assert story.story_bylines.count() == 2

    client.logout()
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Ferry service resumes" in html
    assert story.get_absolute_url() in html
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Ana Reyes" in page and "Photos by" in page


def test_lead_image_without_alt_text_is_refused(editor_client, media_root):
    section = make_section()
    data = story_add_data(
        editor_client,
        headline="Picture story",
        slug="picture-story",
        section=str(section.pk),
        lead_image_upload=make_image_file(800, 600),
        lead_image_alt="   ",
    )
    response = editor_client.post(reverse("admin:articles_story_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["lead_image_alt"] == ["Describe the image for readers who cannot see it."]
    assert "Describe the image for readers who cannot see it." in response.content.decode()
    assert not Story.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_lead_image_with_alt_text_is_saved(editor_client):
    section = make_section()
    data = story_add_data(
        editor_client,
        headline="Picture story",
        slug="picture-story",
        section=str(section.pk),
        lead_image_upload=make_image_file(800, 600),
        lead_image_alt="Children on a riverbank",
    )
    response = editor_client.post(reverse("admin:articles_story_add"), data)
    assert response.status_code == 302
    story = Story.objects.get()
    # The upload landed in the media library, with the story's words as its defaults.
    assert (story.lead_image.width, story.lead_image.height) == (800, 600)
    assert story.lead_image.alt_text == "Children on a riverbank"
    assert story.lead_image.uploaded_by.username == "editor"
    assert story.lead_image.file.name.startswith("library/")
    assert story.lead_image_alt == "Children on a riverbank"


def test_a_lead_image_is_chosen_from_the_library(editor_client):
    from tests.library.factories import make_library_image

    picture = make_library_image(alt_text="A heron", caption="At the weir", credit="Lee")
    section = make_section()
    data = story_add_data(
        editor_client,
        headline="Picture story",
        slug="picture-story",
        section=str(section.pk),
        lead_image=str(picture.pk),
    )
    response = editor_client.post(reverse("admin:articles_story_add"), data)
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.lead_image == picture
    page = editor_client.get(story.get_absolute_url()).content.decode()
    assert 'alt="A heron"' in page and "At the weir" in page and "Lee" in page


def test_an_image_a_story_shows_cannot_be_deleted(editor_client, media_root):
    story = make_story(lead_image=make_image_file(400, 300), lead_image_alt="A heron")
    picture = story.lead_image
    url = reverse("admin:library_image_delete", args=[picture.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "was not deleted: it is used in" in response.content.decode()
    assert story.headline in response.content.decode()
    bulk = editor_client.post(
        reverse("admin:library_image_changelist"),
        {"action": "delete_selected", "_selected_action": [picture.pk], "post": "yes"},
        follow=True,
    )
    assert "Nothing was deleted" in bulk.content.decode()
    picture.refresh_from_db()
    page = editor_client.get(reverse("admin:library_image_change", args=[picture.pk]))
    assert story.headline in page.content.decode()  # "Used in"
    assert (
        editor_client.get(reverse("admin:library_image_changelist"), {"use": "unused"})
        .context["cl"]
        .result_count
        == 0
    )


def test_material_change_sets_the_update_time(editor_client):
    story = make_story(published_at=timezone.now() - timedelta(days=1))
    story.refresh_from_db()
    published = story.published_at
    url = reverse("admin:articles_story_change", args=[story.pk])

    # A typo fix: no material change.
    data = story_change_data(editor_client, story, headline="Fixed typo")
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Fixed typo"
    assert story.materially_updated_at is None

    before = timezone.now()
    data = story_change_data(editor_client, story, material_change="on", dek="New facts.")
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    # (Stored to the second, as readers see it.)
    assert before.replace(microsecond=0) <= story.materially_updated_at <= timezone.now()
    assert story.shows_update
    assert story.published_at == published  # publication time is untouched


def test_reserved_section_slug_is_refused(editor_client):
    response = editor_client.get(reverse("admin:articles_section_add"))
    data = form_data(response.content.decode(), "section_form")
    data.update({"name": "Admin", "slug": "admin", "position": "1", "is_active": "on"})
    response = editor_client.post(reverse("admin:articles_section_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Section.objects.filter(slug="admin").exists()


def test_section_can_be_added(editor_client):
    response = editor_client.get(reverse("admin:articles_section_add"))
    data = form_data(response.content.decode(), "section_form")
    data.update({"name": "Schools", "slug": "schools", "position": "3", "is_active": "on"})
    assert editor_client.post(reverse("admin:articles_section_add"), data).status_code == 302
    assert Section.objects.get(slug="schools").name == "Schools"


def test_byline_can_be_added(editor_client):
    response = editor_client.get(reverse("admin:articles_byline_add"))
    data = form_data(response.content.decode(), "byline_form")
    data.update({"name": "Dee Park", "slug": "dee-park", "kind": "person"})
    assert editor_client.post(reverse("admin:articles_byline_add"), data).status_code == 302
    assert Byline.objects.get(slug="dee-park").name == "Dee Park"


def test_superuser_can_add_a_tag_and_a_user(superuser_client):
    response = superuser_client.get(reverse("admin:taggit_tag_add"))
    data = form_data(response.content.decode(), "tag_form")
    data.update({"name": "Elections", "slug": "elections"})
    assert superuser_client.post(reverse("admin:taggit_tag_add"), data).status_code == 302
    assert Tag.objects.filter(slug="elections").exists()
    response = superuser_client.get(reverse("admin:users_user_add"))
    data = form_data(response.content.decode(), "user_form")
    data.update(
        {"username": "newhire", "password1": "a-Long-pass-9831", "password2": "a-Long-pass-9831"}
    )
    assert superuser_client.post(reverse("admin:users_user_add"), data).status_code == 302
    assert get_user_model().objects.filter(username="newhire").exists()


def test_a_new_byline_goes_last_and_the_order_is_kept(editor_client):
    """Bylines are ordered by dragging (django-admin-sortable2); a new one joins the end."""
    first, second, third = make_byline(name="First"), make_byline(name="Second"), make_byline()
    story = make_story(bylines=[first, second])
    url = reverse("admin:articles_story_change", args=[story.pk])
    data = form_data(editor_client.get(url).content.decode(), "story_form")
    prefix = "story_bylines"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{total - 1}-byline"] = str(third.pk)
    data[f"{prefix}-{total - 1}-role"] = "photos"
    assert editor_client.post(url, data).status_code == 302
    names = [credit.byline.name for credit in story.story_bylines.order_by("position", "pk")]
    assert names == ["First", "Second", third.name]
    page = editor_client.get(url).content.decode()
    assert "sortable" in page  # the inline offers drag handles
