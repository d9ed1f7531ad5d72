"""Galleries: made on the desk from library images, placed in a story's body as
`[gallery 12]`, shown on the story page as a grid with captions that needs no script."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Story
from library.media import Gallery, GalleryImage
from library.models import Image
from tests.articles.test_queries import EXPECTED_QUERIES, SIZES, build_newsroom
from tests.factories import form_data, make_story
from tests.library.factories import make_library_image

pytestmark = pytest.mark.django_db


def make_gallery(captions: list[str], title: str = "Opening day", **fields) -> Gallery:
    """A gallery of one new library image per caption, in that order."""
    gallery = Gallery.objects.create(title=title, **fields)
    for position, caption in enumerate(captions):
        image = make_library_image(
            width=900, height=600, alt_text=f"Alt {caption}", caption=f"Own {caption}"
        )
        GalleryImage.objects.create(
            gallery=gallery, image=image, position=position, caption=caption
        )
    return gallery


def story_body(page: str):
    (body,) = lxml.html.fromstring(page).xpath("//div[@class='story__body']")
    return body


def galleries_on(page: str) -> list:
    return story_body(page).xpath(".//section[@class='gallery']")


# --- The desk -------------------------------------------------------------------------


def test_the_desk_makes_a_gallery_of_ordered_pictures_and_round_trips_it(client, desk_editor):
    client.force_login(desk_editor)
    first, second, third = (make_library_image(caption=f"Own {n}") for n in range(3))
    add = reverse("admin:library_gallery_add")
    data = form_data(client.get(add).content.decode(), "gallery_form")
    data.update({"title": "Footbridge", "caption": "The first morning.", "_save": "Save"})
    # The rows in the order the editor numbered them, not the order they were typed.
    for row, (image, position, caption) in enumerate(
        [(third, 2, "Third"), (first, 0, ""), (second, 1, "Second, said differently")]
    ):
        data.update({f"items-{row}-image": str(image.pk), f"items-{row}-position": str(position),
                     f"items-{row}-caption": caption})  # fmt: skip
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    gallery = Gallery.objects.get()
    assert gallery.created_by == desk_editor
    rows = [(item.image, item.shown_caption) for item in gallery.items.all()]
    assert rows == [(first, "Own 0"), (second, "Second, said differently"), (third, "Third")]

    change = reverse("admin:library_gallery_change", args=[gallery.pk])
    page = client.get(change).content.decode()
    assert "Copy this line into the story's body" in page
    assert f"[gallery {gallery.pk}]" in page
    before = list(gallery.items.values_list("pk", "image", "position", "caption"))
    data = form_data(page, "gallery_form")
    response = client.post(change, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(gallery.items.values_list("pk", "image", "position", "caption")) == before
    gallery.refresh_from_db()
    assert (gallery.title, gallery.caption) == ("Footbridge", "The first morning.")


def test_an_image_in_a_gallery_cannot_be_deleted(client, desk_editor):
    gallery = make_gallery(["Only"])
    image = gallery.items.get().image
    assert image.is_in_use()
    assert Image.objects.unused().filter(pk=image.pk).count() == 0
    client.force_login(desk_editor)
    client.post(reverse("admin:library_image_delete", args=[image.pk]), {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    page = client.get(reverse("admin:library_image_change", args=[image.pk])).content.decode()
    assert "Opening day" in page  # its "Used in" names the gallery


def test_a_gallery_placed_in_a_story_cannot_be_deleted(client, desk_editor):
    gallery = make_gallery(["One"])
    story = make_story(body=f"<p>[gallery {gallery.pk}]</p>", status="draft", published_at=None)
    unused = make_gallery(["Two"], title="Unused")
    client.force_login(desk_editor)
    page = client.get(reverse("admin:library_gallery_change", args=[gallery.pk])).content.decode()
    assert story.headline in page  # "Used in", drafts too
    response = client.post(
        reverse("admin:library_gallery_delete", args=[gallery.pk]), {"post": "yes"}, follow=True
    )
    assert Gallery.objects.filter(pk=gallery.pk).exists()
    assert "was not deleted" in response.content.decode()
    client.post(reverse("admin:library_gallery_delete", args=[unused.pk]), {"post": "yes"})
    assert not Gallery.objects.filter(pk=unused.pk).exists()
    # Its pictures stay in the library.
    assert Image.objects.count() == 2


# --- The story page -------------------------------------------------------------------


def test_a_placed_gallery_is_a_grid_with_captions_in_order(client):
    gallery = make_gallery(["Zebra first", "", "Apple last"], caption="Pictures by the desk.")
    GalleryImage.objects.filter(gallery=gallery, caption="").update(caption="")
    items = list(gallery.items.all())
    # Reorder: the positions decide, not the ids.
    items[0].position, items[2].position = 9, 0
    GalleryImage.objects.bulk_update(items, ["position"])
    story = make_story(body=f"<p>Before.</p><p>[gallery {gallery.pk}]</p><p>After.</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    (grid,) = galleries_on(page)
    assert grid.xpath("string(.//h2)") == "Opening day"
    figures = grid.xpath("./ul/li/figure")
    assert [f.xpath("string(figcaption)").strip() for f in figures] == [
        "Apple last", "Own", "Zebra first",
    ]  # fmt: skip
    for figure, item in zip(figures, [items[2], items[1], items[0]], strict=True):
        (img,) = figure.xpath(".//img")
        assert img.get("alt") == item.image.alt_text
        assert (img.get("width"), img.get("height")) == ("480", "320")
        assert "480w" in img.get("srcset")
        assert figure.xpath(".//source[@type='image/webp']")
    assert "Pictures by the desk." in grid.text_content()
    # Nothing of the reference is left, and the paragraphs around it are.
    body = story_body(page)
    assert "[gallery" not in body.text_content()
    assert [p.text for p in body.xpath("./p")] == ["Before.", "After."]


def test_a_gallery_needs_no_javascript(client):
    gallery = make_gallery(["One", "Two"])
    story = make_story(body=f"<p>[gallery {gallery.pk}]</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    (grid,) = galleries_on(page)
    assert not grid.xpath(".//script|.//*[@onclick]|.//button")
    # Each picture is a plain link to its largest rendition.
    assert all(a.get("href") for a in grid.xpath(".//a"))
    assert "<script" not in lxml.html.tostring(story_body(page)).decode()


@pytest.mark.parametrize(
    "reference",
    [
        "[gallery 999999]",
        "[gallery 0]",
        "[gallery 999999999999999999]",  # the most digits read: no row has such an id
        "[gallery 99999999999999999999999999]",  # more digits: text, never a query
        "[gallery 9223372036854775808]",
        "[gallery -1]",
        "[gallery 1e3]",
        "[gallery ١٢]",
        "[gallery １２]",
        "[audio 1]",
        "[video 99999999]",
        "[GALLERY 5]",
    ],
)
def test_odd_and_hostile_references_never_fail(client, reference):
    make_gallery(["One"])  # a real gallery, so a misread reference would show it
    story = make_story(body=f"<p>Words.</p><p>{reference}</p>")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert galleries_on(response.content.decode()) == []


@pytest.mark.parametrize(
    "reference", ["[gallery \x00 1]", "[gallery\x001]", "[\x00]", "\x00[gallery"]
)
def test_nul_bytes_in_a_reference_never_fail(client, reference):
    make_gallery(["One"])
    from django.db import connection

    story = make_story(body=f"<p>{reference}</p>")  # the sanitiser's way in
    assert client.get(story.get_absolute_url()).status_code == 200
    if connection.vendor != "postgresql":  # PostgreSQL's text cannot hold a NUL at all
        Story.objects.filter(pk=story.pk).update(body=f"<p>{reference}</p>")  # past it
        assert client.get(story.get_absolute_url()).status_code == 200


def test_non_ascii_digits_are_not_a_reference(client):
    # Python's int() reads "١٢" as 12: the page must not.
    gallery = make_gallery(["One"])
    arabic = str(gallery.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    story = make_story(body=f"<p>[gallery {arabic}]</p><p>[gallery {gallery.pk}]</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    assert len(galleries_on(page)) == 1
    assert f"[gallery {arabic}]" in story_body(page).text_content()


def test_a_deleted_gallery_shows_nothing(client):
    gallery = make_gallery(["One"])
    story = make_story(body=f"<p>[gallery {gallery.pk}]</p><p>Still here.</p>")
    gallery.delete()
    page = client.get(story.get_absolute_url()).content.decode()
    assert galleries_on(page) == []
    assert story_body(page).text_content().strip() == "Still here."


def test_a_reference_inside_a_list_or_quotation_stays_text(client):
    gallery = make_gallery(["One"])
    story = make_story(body=f"<blockquote><p>[gallery {gallery.pk}]</p></blockquote>")
    page = client.get(story.get_absolute_url()).content.decode()
    assert galleries_on(page) == []


def test_a_gallery_only_shows_through_a_public_story(editor):
    gallery = make_gallery(["Secret picture"], title="Unpublished pictures")
    draft = make_story(body=f"<p>[gallery {gallery.pk}]</p>", status="draft", published_at=None)
    client, editor_client = Client(), Client()
    editor_client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in ["/", draft.section.get_absolute_url(), "/feed/"]:
        response = client.get(url)
        assert "Unpublished pictures" not in response.content.decode()
    # Staff previewing the draft see it: the check above could fail.
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert len(galleries_on(page)) == 1


def test_the_reference_survives_saving_the_story_on_the_desk(editor_client):
    from tests.articles.test_admin import story_change_data

    gallery = make_gallery(["One"])
    story = make_story(body=f"<p>Intro.</p><p>[gallery {gallery.pk}]</p>")
    stored = Story.objects.get(pk=story.pk).body
    response = editor_client.post(
        reverse("admin:articles_story_change", args=[story.pk]),
        story_change_data(editor_client, story),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (
        Story.objects.get(pk=story.pk).body
        == stored
        == (f"<p>Intro.</p><p>[gallery {gallery.pk}]</p>")
    )


@pytest.mark.parametrize(
    "pasted",
    [
        '<video src="/media/x.mp4" controls></video>',
        '<audio src="/media/x.mp3" autoplay></audio>',
        '<iframe src="https://evil.example/"></iframe>',
        '<video><track src="/media/x.vtt" kind="captions"></video>',
        '<figure class="gallery"><source src="https://evil.example/x.mp4"></figure>',
    ],
)
def test_the_sanitiser_still_strips_pasted_players(pasted):
    story = make_story(body=f"<p>Text.</p>{pasted}")
    story.refresh_from_db()
    for tag in ("<video", "<audio", "<iframe", "<track", "<source", "evil.example"):
        assert tag not in story.body


# --- Query count ----------------------------------------------------------------------

# The story page placing galleries runs two queries more (the galleries; their pictures
# with their images), whatever the number of galleries or pictures; with an audio or
# video file, one more. A body that places nothing costs nothing.
GALLERY_QUERIES = 2
MEDIA_QUERIES = 1


@pytest.mark.parametrize("picture_counts", [[], [2], [1, 3, 5]], ids=["none", "one", "three"])
def test_the_story_page_costs_the_same_with_any_number_of_galleries(
    client, django_assert_num_queries, picture_counts
):
    urls = build_newsroom(SIZES["small"])
    galleries = [make_gallery([f"Picture {n}" for n in range(count)]) for count in picture_counts]
    story = Story.objects.get(pk=Story.objects.published().order_by("-published_at")[0].pk)
    body = "".join(f"<p>Para.</p><p>[gallery {g.pk}]</p>" for g in galleries) or "<p>Para.</p>"
    Story.objects.filter(pk=story.pk).update(body=body)
    expected = EXPECTED_QUERIES["story"] + (GALLERY_QUERIES if galleries else 0)
    with django_assert_num_queries(expected):
        response = client.get(urls["story"])
    page = response.content.decode()
    assert len(galleries_on(page)) == len(picture_counts)
    assert page.count('class="gallery__item"') == sum(picture_counts)


# --- The demo newsroom ----------------------------------------------------------------


def test_the_demo_newsroom_has_a_gallery(demo_newsroom, client):
    from library.demo import GALLERY_TITLE, PICTURES, STORY_SLUG

    story = Story.objects.get(slug=STORY_SLUG)
    gallery = Gallery.objects.get(title=GALLERY_TITLE)
    assert f"<p>[gallery {gallery.pk}]</p>" in story.body
    page = client.get(story.get_absolute_url()).content.decode()
    (grid,) = galleries_on(page)
    captions = [f.xpath("string(figcaption)") for f in grid.xpath("./ul/li/figure")]
    assert [c.split(" Illustration")[0].strip() for c in captions] == [p[4] for p in PICTURES]
    assert all(img.get("alt") for img in grid.xpath(".//img"))
    for image in Image.objects.filter(gallery_items__gallery=gallery):
        assert (demo_newsroom.media_root / image.file.name).exists()


def test_a_demo_reset_rebuilds_one_gallery_and_removes_the_old_pictures(demo_newsroom, settings):
    from django.core.management import call_command

    from library.demo import GALLERY_TITLE, PICTURES, STORY_SLUG

    old = Gallery.objects.get(title=GALLERY_TITLE)
    old_files = [item.image.file.name for item in old.items.all()]
    mine = make_gallery(["Desk's own"], title=GALLERY_TITLE)  # same title, not the demo's
    settings.DEBUG = True
    with django_capture_on_commit():
        call_command("load_demo", "--reset", verbosity=0)
    assert Gallery.objects.filter(pk=old.pk).count() == 0
    assert Gallery.objects.filter(pk=mine.pk).exists()
    assert Image.objects.filter(file__in=old_files).count() == 0
    assert all(not (settings.MEDIA_ROOT / name).exists() for name in old_files)
    (new,) = Gallery.objects.filter(title=GALLERY_TITLE).exclude(pk=mine.pk)
    assert f"[gallery {new.pk}]" in Story.objects.get(slug=STORY_SLUG).body
    assert new.items.count() == len(PICTURES)


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_gallery_placed_twice_keeps_its_ids_unique(client):
    gallery = make_gallery(["One"])
    story = make_story(
        body=f"<p>[gallery {gallery.pk}]</p><p>Text.</p><p>[gallery {gallery.pk}]</p>"
    )
    grids = galleries_on(client.get(story.get_absolute_url()).content.decode())
    ids = [grid.get("aria-labelledby") for grid in grids]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert [grid.xpath("string(.//h2/@id)") for grid in grids] == ids


def test_a_placement_is_not_words_for_search_or_the_teasers_excerpt(client):
    gallery = make_gallery(["The ribbon"])
    story = make_story(
        headline="Bridge opens",
        dek="",
        body=f"<p>[gallery {gallery.pk}]</p><p>Crowds crossed the river at noon.</p>"
        "<blockquote><p>[gallery 7] is how the mayor wrote it.</p></blockquote>",
    )
    assert story.body_text.startswith("Crowds crossed the river at noon.")
    assert "[gallery 7] is how the mayor wrote it." in story.body_text  # quoted: words
    section_page = client.get(story.section.get_absolute_url()).content.decode()
    assert f"[gallery {gallery.pk}]" not in section_page
    assert "Crowds crossed the river at noon." in section_page


def test_changing_a_placed_gallery_refreshes_the_story_page(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # the page cache must be purged, not stale
    gallery = make_gallery(["One"])
    story = make_story(body=f"<p>[gallery {gallery.pk}]</p>")
    assert "Opening day" in client.get(story.get_absolute_url()).content.decode()  # cached
    gallery.title = "Closing night"
    gallery.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert galleries_on(page)[0].xpath("string(.//h2)") == "Closing night"
    # A picture added to it shows at once too.
    GalleryImage.objects.create(
        gallery=gallery, image=make_library_image(alt_text="Added"), position=5, caption="Late"
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert len(galleries_on(page)[0].xpath(".//img")) == 2
