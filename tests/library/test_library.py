"""The media library: uploads, renditions cut around the focal point, and the desk's list
and image page."""

from __future__ import annotations

import hashlib
import re

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from library import renditions
from library.models import Image
from library.renditions import FocalCrop
from tests.factories import css, form_data, image_bytes, make_image_file
from tests.library.factories import make_library_image

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/library/image/add/"
LIST_URL = "/admin/library/image/"


def change_url(image: Image) -> str:
    return reverse("admin:library_image_change", args=[image.pk])


def upload(client, file, **fields):
    data = {"title": "", "alt_text": "", "caption": "", "credit": "", "copyright": "",
            "tags": "", "focal_point_x": "", "focal_point_y": "", "_save": "Save"}  # fmt: skip
    data.update(fields)
    return client.post(ADD_URL, {**data, "file": file})


# --- Uploading ---------------------------------------------------------------------------


def test_an_upload_lands_in_the_library_with_its_facts(client, desk_editor):
    client.force_login(desk_editor)
    data = image_bytes(900, 600)
    file = SimpleUploadedFile("Harbour at dawn (final).JPG", data, content_type="image/jpeg")
    response = upload(client, file, credit="Ann Photographer", tags="harbour")
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert image.uploaded_by == desk_editor
    assert (image.width, image.height) == (900, 600)
    assert image.title == "Harbour at dawn (final)"
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert list(image.tags.names()) == ["harbour"]
    # A safe stored name: the year and month, an ASCII slug, a random part.
    pattern = r"library/\d{4}/\d{2}/harbour-at-dawn-final-[0-9a-f]{8}\.jpg"
    assert re.fullmatch(pattern, image.file.name)
    assert default_storage.exists(image.file.name)


def test_two_uploads_with_one_name_never_share_a_file(client, desk_editor):
    first = make_library_image(file=make_image_file(100, 100, name="photo.jpg"))
    second = make_library_image(file=make_image_file(100, 100, name="photo.jpg"))
    assert first.file.name != second.file.name


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("notes.jpg", b"not a picture\n" * 50, content_type="image/jpeg"),
        SimpleUploadedFile("half.jpg", image_bytes(400, 300)[:900], content_type="image/jpeg"),
        SimpleUploadedFile("picture.bmp", image_bytes(50, 50, "BMP"), content_type="image/bmp"),
        SimpleUploadedFile("nul\x00.jpg", b"\x00" * 100, content_type="image/jpeg"),
    ],
    ids=["text", "truncated", "bmp", "nul-bytes"],
)
def test_what_is_not_a_safe_complete_image_is_refused_on_the_form(client, desk_editor, file):
    client.force_login(desk_editor)
    response = upload(client, file)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Image.objects.exists()


def test_an_image_over_the_byte_limit_is_refused(client, desk_editor, settings):
    settings.NEWSROOM_MAX_IMAGE_BYTES = 1000
    client.force_login(desk_editor)
    response = upload(client, make_image_file(400, 400))
    assert "the limit is" in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "1e400", "0x1", "٢"])
def test_a_focal_point_outside_the_picture_is_a_form_error(client, desk_editor, value):
    client.force_login(desk_editor)
    response = upload(client, make_image_file(200, 100), focal_point_x=value)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["focal_point_x"]


# --- Renditions --------------------------------------------------------------------------


def test_every_rendition_is_made_on_upload_in_each_format():
    image = make_library_image(1600, 1000)
    made = {}
    for size in renditions.SIZES:
        for kind in renditions.KINDS:
            rendition = getattr(image, renditions.field_name(size, kind))
            assert default_storage.exists(rendition.name), (size, kind)
            with default_storage.open(rendition.name) as stored, PILImage.open(stored) as pic:
                made[size, kind] = (pic.format, pic.size)
    assert made["teaser", "fallback"] == ("JPEG", (400, 267))
    assert made["teaser", "webp"] == ("WEBP", (400, 267))
    assert made["w800", "fallback"] == ("JPEG", (800, 500))
    assert made["w1200", "webp"] == ("WEBP", (1200, 750))
    if renditions.AVIF_SUPPORTED:
        assert made["w480", "avif"] == ("AVIF", (480, 300))


def test_a_png_falls_back_to_png_keeping_its_transparency():
    image = make_library_image(300, 200, "PNG")
    with default_storage.open(image.rendition_w480_fallback.name) as stored:
        with PILImage.open(stored) as pic:
            assert pic.format == "PNG"
            assert pic.mode == "RGBA"


def test_no_width_is_offered_wider_than_the_original():
    image = make_library_image(600, 400)
    assert [width for _, width in image.srcset()] == [480, 600]
    assert image.display_size(1200) == (600, 400)
    (mime, srcset), *rest = image.picture_sources()
    assert mime == ("image/avif" if renditions.AVIF_SUPPORTED else "image/webp")
    assert srcset.endswith(" 600w")


@pytest.mark.parametrize(
    ("focal", "box"),
    [
        ((None, None), (300, 0, 700, 200)),  # the centre
        ((0.0, 0.5), (0, 0, 400, 200)),  # at the left edge: as far left as it goes
        ((0.95, 0.5), (600, 0, 1000, 200)),  # near the right edge: stops at it
        ((0.4, 0.5), (200, 0, 600, 200)),
    ],
)
def test_a_crop_is_centred_on_the_focal_point_as_far_as_the_edges_allow(focal, box):
    # A 1000 × 200 strip cut to a square keeps 200 × 200... scaled here to 2:1.
    assert FocalCrop(400, 200, *focal).box(1000, 200) == box


def test_a_tall_picture_is_cut_at_top_and_bottom_around_the_focal_point():
    assert FocalCrop(300, 200, 0.5, 0.1).box(300, 900) == (0, 0, 300, 200)
    assert FocalCrop(300, 200, 0.5, 0.5).box(300, 900) == (0, 350, 300, 550)


def test_the_crop_keeps_what_is_at_the_focal_point():
    # Left half red, right half blue: a teaser centred on the right shows blue.
    picture = PILImage.new("RGB", (1000, 300), (255, 0, 0))
    picture.paste((0, 0, 255), (500, 0, 1000, 300))
    cropped = FocalCrop(400, 267, 0.9, 0.5).process(picture)
    assert cropped.size == (400, 267)
    assert cropped.getpixel((200, 130))[2] > 200


def test_moving_the_focal_point_makes_new_crops_under_new_names(client, desk_editor):
    image = make_library_image(1200, 400)
    old_teaser = image.rendition_url("teaser")
    old_width = image.rendition_url("w800")
    client.force_login(desk_editor)
    data = form_data(client.get(change_url(image)).content.decode(), "image_form")
    data.update(focal_point_x="0.9", focal_point_y="0.5", _save="Save")
    assert client.post(change_url(image), data).status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.9, 0.5)
    new_teaser = image.rendition_url("teaser")
    assert new_teaser != old_teaser
    assert image.rendition_url("w800") == old_width, "a width keeps its shape: same file"
    for kind in renditions.KINDS:
        crop = getattr(image, renditions.field_name("teaser", kind))
        assert default_storage.exists(crop.name), kind


def test_generate_renditions_remakes_what_is_missing():
    image = make_library_image(500, 400)
    for rendition in image.renditions():
        default_storage.delete(rendition.name)
    Image.objects.get(pk=image.pk).generate_renditions()
    assert all(default_storage.exists(rendition.name) for rendition in image.renditions())


def test_a_rendition_url_never_touches_storage(monkeypatch):
    image = Image.objects.get(pk=make_library_image(700, 500).pk)

    def refuse(*args, **kwargs):
        raise AssertionError("a page view looked at storage")

    for method in ("exists", "open", "size", "listdir"):
        monkeypatch.setattr(default_storage, method, refuse)
    assert image.rendition_url("teaser").startswith("/media/renditions/")
    assert image.picture_sources()
    assert image.srcset()


def test_an_image_without_a_file_has_no_urls():
    assert Image(title="nothing").rendition_url("w800") == ""
    assert Image(title="nothing").srcset() == []


# --- The desk ------------------------------------------------------------------------------


def test_the_list_shows_thumbnails_and_finds_by_title_caption_credit_and_tag(client, desk_editor):
    make_library_image(title="Harbour at dawn", caption="Boats", credit="Ann")
    tagged = make_library_image(title="Untitled 4")
    tagged.tags.add("Lighthouse")
    make_library_image(title="Council meeting", credit="Bob Lens")
    client.force_login(desk_editor)
    response = client.get(LIST_URL)
    doc = lxml.html.fromstring(response.content)
    thumbnails = css(doc, "img.library-thumbnail")
    assert len(thumbnails) == 3
    assert all(img.get("src").startswith("/media/renditions/") for img in thumbnails)

    def found(query):
        page = client.get(LIST_URL, {"q": query})
        return sorted(str(image) for image in page.context["cl"].result_list)

    assert found("harbour") == ["Harbour at dawn"]
    assert found("boats") == ["Harbour at dawn"]
    assert found("bob lens") == ["Council meeting"]
    assert found("lighthouse") == ["Untitled 4"]


def test_the_list_filters_by_uploader(client, desk_editor, editor):
    make_library_image(title="Mine", uploaded_by=desk_editor)
    make_library_image(title="Theirs", uploaded_by=editor)
    client.force_login(desk_editor)
    response = client.get(LIST_URL, {"uploaded_by__id__exact": desk_editor.pk})
    assert [str(i) for i in response.context["cl"].result_list] == ["Mine"]


def test_the_unused_filter_lists_images_nothing_uses(client, desk_editor):
    make_library_image(title="Spare")
    client.force_login(desk_editor)
    response = client.get(LIST_URL, {"use": "unused"})
    assert [str(i) for i in response.context["cl"].result_list] == ["Spare"]
    response = client.get(LIST_URL, {"use": "used"})
    assert list(response.context["cl"].result_list) == []


def test_the_image_page_offers_the_focal_point_picker_without_inline_script(client, desk_editor):
    image = make_library_image(800, 600, focal_point_x=0.25, focal_point_y=0.75)
    client.force_login(desk_editor)
    response = client.get(change_url(image))
    doc = lxml.html.fromstring(response.content)
    (picker,) = css(doc, "[data-focal-picker]")
    assert (picker.get("data-x"), picker.get("data-y")) == ("0.25", "0.75")
    assert css(picker, "img")[0].get("src") == image.file.url
    scripts = doc.xpath("//script")
    assert any((s.get("src") or "").endswith("js/focal_point.js") for s in scripts)
    assert all(s.get("src") or not (s.text or "").strip() or s.get("type") == "application/json"
               for s in scripts), "no inline script: the CSP forbids it"  # fmt: skip
    assert "Nothing uses this image yet." in response.content.decode()


def test_saving_the_image_page_unchanged_changes_nothing(client, desk_editor):
    image = make_library_image()
    image.tags.add("harbour")
    before = Image.objects.values().get(pk=image.pk)
    client.force_login(desk_editor)
    data = form_data(client.get(change_url(image)).content.decode(), "image_form")
    data["_save"] = "Save"
    assert client.post(change_url(image), data).status_code == 302
    assert Image.objects.values().get(pk=image.pk) == before
    assert list(image.tags.names()) == ["harbour"]


def test_contributors_add_and_find_images_but_do_not_change_or_delete_them(client, contributor):
    image = make_library_image(title="Shared picture")
    client.force_login(contributor)
    assert client.get(LIST_URL).status_code == 200
    assert upload(client, make_image_file(300, 200)).status_code == 302
    page = client.get(change_url(image))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode(), "read-only for a contributor"
    data = {"title": "Renamed", "alt_text": "", "_save": "Save"}
    assert client.post(change_url(image), data).status_code == 403
    assert client.post(reverse("admin:library_image_delete", args=[image.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    image.refresh_from_db()
    assert image.title == "Shared picture"


def test_only_editors_make_new_tags_on_images(client, desk_editor, contributor):
    client.force_login(contributor)
    response = upload(client, make_image_file(300, 200), tags="brand-new-tag")
    assert "only editors make new tags" in str(response.context["adminform"].form.errors)
    client.force_login(desk_editor)
    assert upload(client, make_image_file(300, 200), tags="brand-new-tag").status_code == 302


def test_an_unused_image_can_be_deleted(client, desk_editor):
    image = make_library_image()
    client.force_login(desk_editor)
    url = reverse("admin:library_image_delete", args=[image.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()


def test_changing_a_library_image_refreshes_the_pages_that_show_it(client, desk_editor):
    from tests.factories import make_story

    story = make_story(lead_image=make_image_file(900, 600), lead_image_alt="")
    story.lead_image.alt_text = "A heron at the weir"
    story.lead_image.save()
    page = client.get(story.get_absolute_url()).content.decode()  # now cached
    assert 'alt="A heron at the weir"' in page
    client.force_login(desk_editor)
    url = change_url(story.lead_image)
    data = form_data(client.get(url).content.decode(), "image_form")
    data.update(alt_text="A grey heron", focal_point_x="0.8", _save="Save")
    assert client.post(url, data).status_code == 302
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'alt="A grey heron"' in page
    teaser = client.get(story.section.get_absolute_url()).content.decode()
    assert Image.objects.get().rendition_url("teaser") in teaser


def test_the_image_page_lists_the_stories_that_use_it(client, desk_editor):
    from tests.factories import make_story

    first = make_story(lead_image=make_image_file(400, 300), lead_image_alt="x")
    second = make_story(lead_image=first.lead_image, lead_image_alt="y")
    client.force_login(desk_editor)
    html = client.get(change_url(first.lead_image)).content.decode()
    assert first.headline in html and second.headline in html
    assert reverse("admin:articles_story_change", args=[second.pk]) in html
