"""The media library in Chromium, as a reporter and an editor use it: upload a photo into
the library from the story's body editor and insert it inline, reuse it in a second
story (inline from the library, and as its lead image), set its focal point by clicking
on it, and see the crop change on the public page."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from PIL import Image as Picture

from articles.models import Story
from articles.roles import CONTRIBUTOR, EDITOR
from library.models import Image
from tests.browser.test_editorial_flow import choose_in_autocomplete, expect_message, member
from tests.factories import TEST_PASSWORD, make_byline, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED, GREEN, BLUE = (200, 30, 30), (30, 160, 60), (30, 60, 200)


def banded_panorama(tmp_path):
    """A 1500×500 photo in three bands, red, green and blue, left to right: a 3:2 crop
    around the centre is mostly green, around the left edge mostly red."""
    picture = Picture.new("RGB", (1500, 500), GREEN)
    picture.paste(RED, (0, 0, 500, 500))
    picture.paste(BLUE, (1000, 0, 1500, 500))
    path = tmp_path / "harbour-panorama.jpg"
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def colour_at_centre(page, url: str) -> tuple[int, int, int]:
    origin = "/".join(page.url.split("/", 3)[:3])  # scheme://host:port
    response = page.request.get(url if "://" in url else origin + url)
    assert response.ok, url
    picture = Picture.open(BytesIO(response.body())).convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2))


def near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def body_editor(page):
    return page.locator(".field-body .ProseMirror[contenteditable=true]")


def write_story(page, base, headline: str, words: str, section, byline) -> None:
    page.goto(f"{base}/admin/articles/story/add/")
    page.fill("#id_headline", headline)
    page.fill("#id_dek", f"{headline}: the short version.")
    body_editor(page).click()
    page.keyboard.type(words)
    choose_in_autocomplete(page, "id_section", section.name)
    choose_in_autocomplete(page, "id_story_bylines-0-byline", byline.name)


def test_upload_insert_reuse_focal_point_and_crop(
    live_server, roles, new_page, log_in, log_out, tmp_path
):
    base = live_server.url
    member(roles[CONTRIBUTOR], "rita")
    member(roles[EDITOR], "eddie")
    harbour = make_section(name="Harbour", slug="harbour")
    rita = make_byline(name="Rita Moreno", slug="rita-moreno")

    # The reporter writes a story and uploads a photo into the library from the body
    # editor; it lands where the cursor is.
    page = new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(error))
    log_in(page, "rita", TEST_PASSWORD)
    write_story(page, base, "Boats return at dawn", "The fleet came in early.", harbour, rita)
    with page.expect_popup() as opened:
        page.click(".body-images__upload")
    popup = opened.value
    popup.wait_for_load_state()
    popup.set_input_files("#id_file", str(banded_panorama(tmp_path)))
    popup.fill("#id_title", "Harbour panorama")
    popup.fill("#id_alt_text", "The harbour wall with boats, wide view")
    popup.fill("#id_caption", "The harbour at six in the morning.")
    popup.fill("#id_credit", "Rita Moreno")
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    image = Image.objects.get(title="Harbour panorama")
    assert image.uploaded_by.username == "rita"
    placement = f"[image {image.pk}]"
    assert placement in body_editor(page).inner_text()
    card = page.locator(".body-images__card", has_text="Harbour panorama")
    card.wait_for()
    assert "The harbour wall with boats" in card.inner_text()
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was added successfully")
    first = Story.objects.get(headline="Boats return at dawn")
    assert f"<p>{placement}</p>" in first.body
    assert first.body.startswith("<p>The fleet came in early.</p>")
    log_out(page)

    # The editor publishes it, then writes a second story reusing the photo: inline,
    # chosen in the library's list, and as the lead image. Nothing is uploaded twice.
    log_in(page, "eddie", TEST_PASSWORD)
    page.goto(f"{base}/admin/articles/story/{first.pk}/change/")
    page.click(".desk-action--publish button")
    expect_message(page, "published")
    write_story(page, base, "Fish prices fall", "Prices at the market fell.", harbour, rita)
    with page.expect_popup() as opened:
        page.click(".body-images__choose")
    chooser = opened.value
    chooser.wait_for_load_state()
    chooser.fill("#searchbar", "panorama")
    chooser.press("#searchbar", "Enter")
    chooser.wait_for_load_state()
    with chooser.expect_event("close"):
        chooser.locator("#result_list a", has_text="Harbour panorama").click()
    assert placement in body_editor(page).inner_text()
    choose_in_autocomplete(page, "id_lead_image", "Harbour panorama")
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was added successfully")
    second = Story.objects.get(headline="Fish prices fall")
    assert second.lead_image_id == image.pk and f"<p>{placement}</p>" in second.body
    page.click(".desk-action--publish button")
    expect_message(page, "published")
    assert Image.objects.count() == 1

    # A reader sees the photo in both stories, with the library's words.
    reader = new_page()
    for story in (first, second):
        reader.goto(f"{base}{story.get_absolute_url()}")
        figure = reader.locator(".story__body figure.inline-image")
        assert figure.locator("img").get_attribute("alt") == (
            "The harbour wall with boats, wide view"
        )
        assert "The harbour at six in the morning." in figure.inner_text()
    # The section's teaser crops the lead image around the centre: green.
    reader.goto(f"{base}/harbour/")
    teaser = reader.locator(".teaser", has_text="Fish prices fall").locator("img")
    centred = teaser.get_attribute("src")
    assert near(colour_at_centre(reader, centred), GREEN)

    # The image's page says where it is used; the editor clicks near its left edge.
    page.goto(f"{base}/admin/library/image/{image.pk}/change/")
    usages = page.locator(".library-usages").inner_text()
    assert "Boats return at dawn" in usages and "Fish prices fall" in usages
    picture = page.locator("[data-focal-picker] img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.05, "y": box["height"] * 0.5})
    assert float(page.input_value("#id_focal_point_x")) < 0.1
    page.click("input[name=_save]")
    expect_message(page, "was changed successfully")

    # The reader's next visit shows the new crop: around the left edge, red.
    reader.reload()
    moved = teaser.get_attribute("src")
    assert moved != centred
    assert near(colour_at_centre(reader, moved), RED)
    # The inline picture is not cropped: it is the whole panorama, at the same shape.
    reader.goto(f"{base}{first.get_absolute_url()}")
    img = reader.locator(".story__body figure.inline-image img")
    assert re.fullmatch(r"\d+", img.get_attribute("width"))
    width, height = int(img.get_attribute("width")), int(img.get_attribute("height"))
    assert round(width / height) == 3
    assert script_errors == []


def test_a_bad_file_in_the_upload_popup_is_refused_and_the_story_keeps_its_words(
    live_server, roles, new_page, log_in, tmp_path
):
    base = live_server.url
    member(roles[CONTRIBUTOR], "rita")
    harbour = make_section(name="Harbour", slug="harbour")
    rita = make_byline(name="Rita Moreno", slug="rita-moreno")
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"this is not a picture at all")

    page = new_page()
    log_in(page, "rita", TEST_PASSWORD)
    write_story(page, base, "Words I keep", "A sentence I must not lose.", harbour, rita)
    with page.expect_popup() as opened:
        page.click(".body-images__upload")
    popup = opened.value
    popup.wait_for_load_state()
    popup.set_input_files("#id_file", str(fake))
    popup.fill("#id_title", "Broken")
    popup.fill("#id_alt_text", "x")
    popup.click("input[name=_save]")
    popup.locator(".errorlist").first.wait_for()
    assert not Image.objects.filter(title="Broken").exists()
    popup.close()
    assert "[image" not in body_editor(page).inner_text()
    assert "A sentence I must not lose." in body_editor(page).inner_text()


def test_a_gallery_is_inserted_from_the_editor_and_shown_to_readers(
    live_server, roles, new_page, log_in
):
    from library.media import Gallery, GalleryImage
    from tests.library.factories import make_library_image

    base = live_server.url
    member(roles[EDITOR], "eddie")
    harbour = make_section(name="Harbour", slug="harbour")
    rita = make_byline(name="Rita Moreno", slug="rita-moreno")
    gallery = Gallery.objects.create(title="Regatta day")
    for position in range(2):
        image = make_library_image(alt_text=f"Sail {position}", caption=f"Boat {position}")
        GalleryImage.objects.create(gallery=gallery, image=image, position=position)

    page = new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(error))
    log_in(page, "eddie", TEST_PASSWORD)
    write_story(page, base, "The regatta in pictures", "Forty boats raced.", harbour, rita)
    with page.expect_popup() as opened:
        page.click(".body-images__gallery")
    chooser = opened.value
    chooser.wait_for_load_state()
    with chooser.expect_event("close"):
        chooser.locator("#result_list a", has_text="Regatta day").click()
    assert f"[gallery {gallery.pk}]" in body_editor(page).inner_text()
    page.locator("input[name=_continue]").first.click()
    expect_message(page, "was added successfully")
    page.click(".desk-action--publish button")
    expect_message(page, "published")
    story = Story.objects.get(headline="The regatta in pictures")
    reader = new_page()
    reader.goto(f"{base}{story.get_absolute_url()}")
    captions = reader.locator(".story__body .gallery figcaption").all_inner_texts()
    assert [caption.strip() for caption in captions] == ["Boat 0", "Boat 1"]
    assert script_errors == []
