"""Uploaded images: only safe, complete photos get in, and the site serves fitting sizes."""

from __future__ import annotations

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import validate_image_file
from articles.models import Byline, Story
from tests.factories import css, form_data, image_bytes, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db


def truncated_jpeg(name: str = "truncated.jpg") -> SimpleUploadedFile:
    """A real JPEG cut in half: the header is fine, the pixels stop early."""
    data = image_bytes(400, 300, "JPEG")
    return SimpleUploadedFile(name, data[: len(data) // 2], content_type="image/jpeg")


def text_as_jpeg() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "notes.jpg", b"This is a text file, not a picture.\n" * 20, content_type="image/jpeg"
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><rect width="100" height="100"/></svg>'
)


def svg_file(name: str = "drawing.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SVG, content_type="image/svg+xml")


def error_code(excinfo) -> str:
    return excinfo.value.error_list[0].code


def error_text(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- The validator itself ----------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_valid_images_are_accepted(image_format):
    upload = make_image_file(120, 80, image_format)
    validate_image_file(upload)  # no exception
    assert upload.tell() == 0, "the file is rewound for whoever reads it next"


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(text_as_jpeg())
    assert error_code(excinfo) == "invalid_image"
    assert "not a complete image" in error_text(excinfo)


def test_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(truncated_jpeg())
    assert error_code(excinfo) == "invalid_image"


def test_svg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(svg_file())
    assert "JPEG, PNG, GIF or WebP" in error_text(excinfo)


def test_other_real_image_formats_are_refused_by_name():
    """A real BMP, even named .jpg, is refused and the message says what it is."""
    upload = SimpleUploadedFile("photo.jpg", image_bytes(50, 50, "BMP"))
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)
    assert error_code(excinfo) == "bad_format"
    assert "(this file is BMP)" in error_text(excinfo)


def test_too_many_pixels_is_refused(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(make_image_file(100, 100))
    assert error_code(excinfo) == "too_many_pixels"
    message = error_text(excinfo)
    assert "100 × 100 pixels" in message
    assert "1,000" in message, message  # the limit, stated as it is configured


def test_image_at_the_pixel_limit_is_accepted(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 100 * 100
    validate_image_file(make_image_file(100, 100))


def test_decompression_bomb_is_refused(settings, monkeypatch):
    """Pillow's own bomb guard also ends in a clean validation error."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(make_image_file(100, 100))
    assert error_code(excinfo) == "too_many_pixels"


def test_too_many_bytes_is_refused(settings):
    upload = make_image_file(200, 200, "PNG")
    settings.NEWSROOM_MAX_IMAGE_BYTES = upload.size - 1
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)
    assert error_code(excinfo) == "too_large"
    assert "the limit is" in error_text(excinfo)


def test_file_at_the_byte_limit_is_accepted(settings):
    upload = make_image_file(200, 200, "PNG")
    settings.NEWSROOM_MAX_IMAGE_BYTES = upload.size
    validate_image_file(upload)


# --- Through the admin form ----------------------------------------------------------------


def post_story_with_image(client, upload, **fields):
    section = make_section()
    add_url = reverse("admin:articles_story_add")
    data = form_data(client.get(add_url).content.decode(), "story_form")
    data.update(
        {
            "headline": "Picture story",
            "slug": "picture-story",
            "section": str(section.pk),
            "lead_image_upload": upload,
            "lead_image_alt": "Boats on the river",
            "_save": "Save",
        }
    )
    data.update(fields)
    return client.post(add_url, data)


def lead_image_errors(response) -> list[str]:
    assert response.status_code == 200, "the form should be shown again with errors"
    return response.context["adminform"].form.errors.get("lead_image_upload", [])


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("make_upload", "expected"),
    [
        (text_as_jpeg, "Upload a valid image"),
        # Django's form field words the "invalid_image" error code its own way.
        (truncated_jpeg, "Upload a valid image"),
        (svg_file, "Upload a valid image"),
        (
            lambda: SimpleUploadedFile("photo.jpg", image_bytes(50, 50, "BMP")),
            "Upload a JPEG, PNG, GIF or WebP image (this file is BMP)",
        ),
    ],
    ids=["text", "truncated", "svg", "bmp"],
)
def test_admin_refuses_bad_uploads_with_a_clear_message(
    editor_client, media_root, make_upload, expected
):
    response = post_story_with_image(editor_client, make_upload())
    errors = lead_image_errors(response)
    assert any(expected in error for error in errors), errors
    html = response.content.decode()
    doc = lxml.html.fromstring(html)
    shown = " ".join(" ".join(e.text_content().split()) for e in css(doc, ".errorlist"))
    assert expected in shown
    assert not Story.objects.exists()
    assert not stored_files(media_root), "nothing of a refused upload is kept"


def test_admin_refuses_an_image_with_too_many_pixels(editor_client, settings, media_root):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1000
    response = post_story_with_image(editor_client, make_image_file(100, 100))
    errors = lead_image_errors(response)
    assert any("100 × 100 pixels" in error for error in errors), errors
    assert "100 × 100 pixels" in response.content.decode()
    assert not Story.objects.exists()
    assert not stored_files(media_root)


@pytest.mark.parametrize(
    "size, expected",
    [((3000, 2), "too thin to show"), ((2, 3000), "too narrow a strip"), ((2000, 150), "strip")],
    ids=["wide strip", "tall strip", "banner"],
)
def test_admin_refuses_a_strip_its_renditions_could_not_show(
    editor_client, media_root, size, expected
):
    """A 3000 × 2 strip would make a rendition less than a pixel high: refused at upload."""
    response = post_story_with_image(editor_client, make_image_file(*size))
    errors = lead_image_errors(response)
    assert any(expected in error for error in errors), errors
    assert not Story.objects.exists()
    assert not stored_files(media_root), "nothing of a refused upload is kept"


def test_admin_refuses_a_file_over_the_size_limit(editor_client, settings, media_root):
    upload = make_image_file(300, 300, "PNG")
    settings.NEWSROOM_MAX_IMAGE_BYTES = 1000
    assert upload.size > 1000
    response = post_story_with_image(editor_client, upload)
    errors = lead_image_errors(response)
    assert any("the limit is 1000" in error for error in errors), errors
    assert not Story.objects.exists()
    assert not stored_files(media_root)


def test_admin_refuses_svg_by_extension_on_byline_photos(editor_client):
    add_url = reverse("admin:articles_byline_add")
    data = form_data(editor_client.get(add_url).content.decode(), "byline_form")
    data.update({"name": "Dee Park", "slug": "dee-park", "kind": "person", "photo": svg_file()})
    response = editor_client.post(add_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    assert not Byline.objects.exists()


@pytest.mark.parametrize(("image_format", "size"), [("JPEG", (1600, 1067)), ("PNG", (640, 480))])
def test_admin_accepts_valid_upload_and_stores_dimensions(
    editor_client, media_root, image_format, size
):
    response = post_story_with_image(editor_client, make_image_file(*size, image_format))
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get()
    assert (story.lead_image.width, story.lead_image.height) == size
    assert (media_root / story.lead_image.file.name).is_file()


# --- What the story page serves ------------------------------------------------------------


def srcset_widths(html: str) -> list[int]:
    doc = lxml.html.fromstring(html)
    (img,) = css(doc, "figure.lead-image img")
    return [int(entry.split()[-1].rstrip("w")) for entry in img.get("srcset").split(",")]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (300, [300]),
        (480, [480]),
        (640, [480, 640]),
        (800, [480, 800]),
        (1000, [480, 800, 1000]),
        (2400, [480, 800, 1200]),
    ],
)
def test_srcset_never_offers_more_than_the_original(client, media_root, width, expected):
    story = make_story(
        lead_image=make_image_file(width, width // 2), lead_image_alt="A test pattern"
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert srcset_widths(html) == expected

    # The renditions really are that wide, and never upscaled.
    doc = lxml.html.fromstring(html)
    img = css(doc, "figure.lead-image img")[0]
    for entry in img.get("srcset").split(","):
        url, declared = entry.split()
        path = media_root / url.removeprefix("/media/")
        with Image.open(path) as rendition:
            assert rendition.width == int(declared.rstrip("w"))
            assert rendition.width <= width
    assert int(img.get("width")) == min(width, 1200)
    assert int(img.get("height")) == round(width // 2 * min(width, 1200) / width)


def test_uploaded_image_from_admin_is_served_with_its_dimensions(editor_client, media_root):
    response = post_story_with_image(editor_client, make_image_file(1000, 500))
    assert response.status_code == 302
    story = Story.objects.get()
    html = editor_client.get(story.get_absolute_url()).content.decode()  # a draft: preview
    assert srcset_widths(html) == [480, 800, 1000]
    with Image.open(media_root / story.lead_image.rendition_w480_fallback.name) as image:
        assert image.size == (480, 240)


def test_missing_image_file_costs_the_picture_not_the_page(client):
    """A lost upload (or an import whose file never arrived) must not break pages."""
    import os

    from tests.factories import make_image_file, make_story

    story = make_story(lead_image=make_image_file(800, 500), lead_image_alt="A ferry")
    os.remove(story.lead_image.file.path)
    for url in (story.get_absolute_url(), story.section.get_absolute_url(), "/", "/feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(story.get_absolute_url()).content.decode()
    assert story.headline in page
    assert 'src=""' not in page


def test_a_rendition_that_cannot_be_made_costs_only_the_picture():
    """Renditions made on demand may fail on a missing original; the URL is then empty."""
    from articles.images import rendition_url

    class MissingOriginal:
        name = "renditions/gone.jpg"

        @property
        def url(self):
            raise FileNotFoundError("the original is gone")

    assert rendition_url(MissingOriginal()) == ""
