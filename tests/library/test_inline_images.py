"""Inline images: a library image placed in a story's body as `[image 7]`, written by the
body editor's "Insert image" buttons, shown on the story page as a <figure> with the
library's current renditions, alt text, caption and credit."""

from __future__ import annotations

import json

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from articles.models import BodyImage, Story
from library.models import Image
from tests.articles.test_admin import story_change_data
from tests.articles.test_queries import EXPECTED_QUERIES, SIZES, build_newsroom
from tests.factories import make_story
from tests.library.factories import make_library_image

pytestmark = pytest.mark.django_db

# The story page placing inline images runs one query more (the images), whatever their
# number; a body that places none costs nothing.
IMAGE_QUERIES = 1


def story_body(page: str):
    (body,) = lxml.html.fromstring(page).xpath("//div[@class='story__body']")
    return body


def inline_figures(page: str) -> list:
    return story_body(page).xpath(".//figure[@class='inline-image']")


def photo(**fields) -> Image:
    defaults = {
        "title": "Harbour at dawn",
        "alt_text": "Fishing boats moored in a calm harbour",
        "caption": "The harbour before the boats go out.",
        "credit": "Ana Ruiz",
    }
    return make_library_image(width=1600, height=1000, **{**defaults, **fields})


# --- The story page -------------------------------------------------------------------


def test_an_inline_image_is_a_figure_with_renditions_size_and_words(client):
    image = photo()
    story = make_story(body=f"<p>Before.</p><p>[image {image.pk}]</p><p>After.</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    (figure,) = inline_figures(page)
    (img,) = figure.xpath(".//img")
    assert img.get("alt") == "Fishing boats moored in a calm harbour"
    assert (img.get("width"), img.get("height")) == ("800", "500")
    assert [part.split()[-1] for part in img.get("srcset").split(", ")] == [
        "480w", "800w", "1200w",
    ]  # fmt: skip
    assert img.get("src") == image.rendition_url("w800")
    types = [source.get("type") for source in figure.xpath(".//source")]
    assert "image/webp" in types
    for source in figure.xpath(".//source"):
        assert "800w" in source.get("srcset") and source.get("sizes")
    caption = figure.xpath("string(./figcaption)")
    assert "The harbour before the boats go out." in caption
    assert figure.xpath("string(./figcaption/span[@class='credit'])") == "Ana Ruiz"
    # The paragraphs around it stay; the reference itself is gone.
    body = story_body(page)
    assert [p.text for p in body.xpath("./p")] == ["Before.", "After."]
    assert "[image" not in body.text_content()


def test_editing_the_image_in_the_library_changes_every_story_showing_it(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # the page cache must be purged, not stale
    image = photo()
    first = make_story(body=f"<p>[image {image.pk}]</p>")
    second = make_story(body=f"<p>Also here.</p><p>[image {image.pk}]</p>")
    for story in (first, second):
        client.get(story.get_absolute_url())  # cached
    image.alt_text = "Boats leaving the harbour"
    image.caption = "Out at six."
    image.credit = "Staff"
    image.save()
    for story in (first, second):
        (figure,) = inline_figures(client.get(story.get_absolute_url()).content.decode())
        assert figure.xpath("string(.//img/@alt)") == "Boats leaving the harbour"
        assert "Out at six." in figure.xpath("string(./figcaption)")
        assert figure.xpath("string(./figcaption/span)") == "Staff"


def test_an_image_without_caption_or_credit_has_no_empty_figcaption(client):
    image = photo(caption="", credit="")
    story = make_story(body=f"<p>[image {image.pk}]</p>")
    (figure,) = inline_figures(client.get(story.get_absolute_url()).content.decode())
    assert figure.xpath("./figcaption") == []


def test_words_from_the_library_are_escaped(client):
    image = photo(alt_text='"><script>alert(1)</script>', caption="<b>bold</b> & co")
    story = make_story(body=f"<p>[image {image.pk}]</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    (figure,) = inline_figures(page)
    assert figure.xpath("string(.//img/@alt)") == '"><script>alert(1)</script>'
    assert figure.xpath("./figcaption/b") == []


@pytest.mark.parametrize(
    "reference",
    [
        "[image 999999]",
        "[image 0]",
        "[image 99999999999999999999999999]",
        "[image 9223372036854775808]",
        "[image -1]",
        "[image ١٢]",
    ],
)
def test_odd_and_hostile_references_never_fail(client, reference):
    photo()
    story = make_story(body=f"<p>Words.</p><p>{reference}</p>")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert inline_figures(response.content.decode()) == []


def test_an_inline_image_only_shows_through_a_public_story(editor):
    image = photo(title="Secret", alt_text="A secret picture")
    draft = make_story(body=f"<p>[image {image.pk}]</p>", status="draft", published_at=None)
    reader, staff = Client(), Client()
    staff.force_login(editor)
    assert reader.get(draft.get_absolute_url()).status_code == 404
    for url in ["/", draft.section.get_absolute_url(), "/feed/"]:
        assert "A secret picture" not in reader.get(url).content.decode()
    assert len(inline_figures(staff.get(draft.get_absolute_url()).content.decode())) == 1


def test_a_placement_is_not_words_for_search_or_excerpts():
    image = photo()
    story = make_story(body=f"<p>[image {image.pk}]</p><p>The words.</p>")
    assert Story.objects.get(pk=story.pk).body_text.strip() == "The words."


@pytest.mark.parametrize("count", [0, 1, 4])
def test_the_story_page_costs_the_same_with_any_number_of_inline_images(
    client, django_assert_num_queries, count
):
    urls = build_newsroom(SIZES["small"])
    images = [photo(title=f"Picture {n}") for n in range(count)]
    story = Story.objects.get(pk=Story.objects.published().order_by("-published_at")[0].pk)
    body = "".join(f"<p>Para.</p><p>[image {i.pk}]</p>" for i in images) or "<p>Para.</p>"
    Story.objects.filter(pk=story.pk).update(body=body)
    expected = EXPECTED_QUERIES["story"] + (IMAGE_QUERIES if images else 0)
    with django_assert_num_queries(expected):
        response = client.get(urls["story"])
    assert len(inline_figures(response.content.decode())) == count


# --- The library knows where it is used -----------------------------------------------


def test_an_image_placed_in_a_body_is_in_use_and_cannot_be_deleted(client, desk_editor):
    image = photo()
    story = make_story(body=f"<p>[image {image.pk}]</p>", status="draft", published_at=None)
    assert image.is_in_use()
    assert not Image.objects.unused().filter(pk=image.pk).exists()
    client.force_login(desk_editor)
    page = client.get(reverse("admin:library_image_change", args=[image.pk])).content.decode()
    used_in = lxml.html.fromstring(page).xpath("//ul[@class='library-usages']/li")
    assert [li.text_content().strip() for li in used_in] == [f"Story {story.headline}"]
    assert used_in[0].xpath(".//a/@href") == [
        reverse("admin:articles_story_change", args=[story.pk])
    ]
    response = client.post(
        reverse("admin:library_image_delete", args=[image.pk]), {"post": "yes"}, follow=True
    )
    assert Image.objects.filter(pk=image.pk).exists()
    assert "was not deleted" in response.content.decode()
    # The unused filter leaves it out; once the body no longer places it, it is unused.
    listing = client.get(reverse("admin:library_image_changelist") + "?use=unused")
    assert image not in listing.context["cl"].result_list
    story.body = "<p>No picture now.</p>"
    story.save()
    assert not image.is_in_use()
    assert not BodyImage.objects.filter(image=image).exists()


def test_a_story_using_an_image_as_lead_and_inline_is_named_once(client, desk_editor):
    image = photo()
    story = make_story(body=f"<p>[image {image.pk}]</p>")
    Story.objects.filter(pk=story.pk).update(lead_image=image)
    assert image.usages() == [story]


def test_deleting_the_story_frees_the_image():
    image = photo()
    story = make_story(body=f"<p>[image {image.pk}]</p>")
    story.delete()
    assert not image.is_in_use()


# --- The desk: the editor's buttons and the round trip ---------------------------------


def test_the_story_form_offers_the_insert_image_buttons_by_permission(client, contributor, reader):
    add = reverse("admin:articles_story_add")
    client.force_login(contributor)  # reporters find and add library images
    page = client.get(add).content.decode()
    (script,) = lxml.html.fromstring(page).xpath("//script[@id='body-images-script']")
    assert script.get("data-choose-url") == reverse("admin:library_image_changelist")
    assert script.get("data-upload-url") == reverse("admin:library_image_add")
    assert script.get("data-card-url") == reverse("admin:library_image_card", args=[0])
    assert script.get("data-gallery-url") == reverse("admin:library_gallery_changelist")
    assert script.get("data-media-url") == reverse("admin:library_mediafile_changelist")


def test_no_insert_buttons_for_someone_who_may_not_see_the_library(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    writer = make_user(username="story-only", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=["add_story", "view_story"]
        )
    )
    client.force_login(writer)
    page = client.get(reverse("admin:articles_story_add")).content.decode()
    assert 'id="body-images-script"' not in page
    assert "id_body" in page  # the form itself is there: the check above could fail


def test_the_library_list_and_add_form_work_as_the_editor_s_popups(client, contributor):
    image = photo()
    client.force_login(contributor)
    listing = client.get(
        reverse("admin:library_image_changelist"), {"_to_field": "id", "_popup": "1"}
    )
    assert listing.status_code == 200
    links = lxml.html.fromstring(listing.content.decode()).xpath("//a[@data-popup-opener]")
    assert str(image.pk) in {link.get("data-popup-opener") for link in links}

    from tests.factories import make_image_file

    response = client.post(
        reverse("admin:library_image_add") + "?_popup=1",
        {
            "_popup": "1",
            "file": make_image_file(900, 600, "JPEG"),
            "title": "Uploaded from the story",
            "alt_text": "A new picture",
            "tags": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 200, response.context["adminform"].form.errors
    new = Image.objects.get(title="Uploaded from the story")
    assert new.uploaded_by == contributor
    # The popup answers with the new image's id for the editor to place.
    (answer,) = lxml.html.fromstring(response.content.decode()).xpath("//*[@data-popup-response]")
    assert json.loads(answer.get("data-popup-response"))["value"] == str(new.pk)


def test_an_upload_that_is_no_image_is_refused_in_the_popup(client, contributor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(contributor)
    response = client.post(
        reverse("admin:library_image_add") + "?_popup=1",
        {
            "_popup": "1",
            "file": SimpleUploadedFile("photo.jpg", b"not a picture", "image/jpeg"),
            "title": "Broken",
            "alt_text": "x",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Image.objects.filter(title="Broken").exists()


def test_the_card_tells_the_editor_which_picture_a_reference_is(client, contributor, reader):
    image = photo()
    url = reverse("admin:library_image_card", args=[image.pk])
    client.force_login(contributor)
    data = client.get(url).json()
    assert data["title"] == "Harbour at dawn"
    assert data["alt"] == "Fishing boats moored in a calm harbour"
    assert data["placement"] == f"[image {image.pk}]"
    assert data["thumbnail"] == image.rendition_url("teaser")
    assert client.get(reverse("admin:library_image_card", args=[image.pk + 999])).status_code == 404
    huge = reverse("admin:library_image_card", args=[0]).replace("/0/", "/99999999999999999999/")
    assert client.get(huge).status_code == 404
    # Not for someone outside the desk.
    outsider = Client()
    outsider.force_login(reader)
    assert outsider.get(url).status_code in (302, 403, 404)
    assert "Harbour" not in outsider.get(url).content.decode()


def test_a_body_with_an_inline_image_round_trips_unchanged_on_the_desk(editor_client):
    image = photo()
    story = make_story(body=f"<p>Intro.</p><p>[image {image.pk}]</p>")
    stored = Story.objects.get(pk=story.pk).body
    response = editor_client.post(
        reverse("admin:articles_story_change", args=[story.pk]),
        story_change_data(editor_client, story),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (
        Story.objects.get(pk=story.pk).body == stored == f"<p>Intro.</p><p>[image {image.pk}]</p>"
    )
    assert list(BodyImage.objects.filter(story=story).values_list("image", flat=True)) == [image.pk]


def test_placing_an_image_through_the_desk_records_it(editor_client):
    image = photo()
    story = make_story(body="<p>Intro.</p>")
    response = editor_client.post(
        reverse("admin:articles_story_change", args=[story.pk]),
        story_change_data(editor_client, story, body=f"<p>Intro.</p><p>[image {image.pk}]</p>"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert image.usages() == [story]


# --- The demo newsroom ----------------------------------------------------------------


def test_the_demo_places_one_inline_picture_in_two_stories(demo_newsroom, client):
    from library.demo import INLINE_PICTURE, INLINE_STORY_SLUGS

    image = Image.objects.get(title=INLINE_PICTURE[3])
    stories = list(Story.objects.filter(slug__in=INLINE_STORY_SLUGS))
    assert len(stories) == 2
    assert sorted(image.usages(), key=lambda s: s.pk) == sorted(stories, key=lambda s: s.pk)
    for story in stories:
        page = client.get(story.get_absolute_url()).content.decode()
        (figure,) = inline_figures(page)
        assert INLINE_PICTURE[4] in figure.xpath("string(./figcaption)")
        assert figure.xpath("string(.//img/@alt)") == image.alt_text != ""
        assert (demo_newsroom.media_root / image.file.name).exists()
