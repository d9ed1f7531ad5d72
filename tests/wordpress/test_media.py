"""Files from the uploads copy: only real images are stored, so none can run script here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from tests.factories import image_bytes, make_user
from tests.wordpress.exports import SITE, export, item, run_import, write
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PAGE = b"<!doctype html><script>alert(document.cookie)</script>"
UPLOADS = f"{SITE}/wp-content/uploads"


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024"
    folder.mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(image_bytes(60, 40))
    (folder / "logo.svg").write_bytes(SVG)
    (folder / "page.html").write_bytes(PAGE)
    (folder / "disguised.jpg").write_bytes(PAGE)  # HTML named like a photo
    (folder / "polyglot.html").write_bytes(image_bytes(20, 20, "PNG"))  # a PNG named .html
    return folder.parent


def attachment(wp_id: int, name: str) -> str:
    return item(
        wp_id, name, post_type="attachment", status="inherit", parent=10,
        attachment_url=f"{UPLOADS}/2024/{name}",
    )  # fmt: skip


FILES = ["photo.jpg", "logo.svg", "page.html", "disguised.jpg", "polyglot.html"]


def site_export() -> bytes:
    links = "".join(f'<a href="{UPLOADS}/2024/{name}">{name}</a> ' for name in FILES)
    body = f'<img src="{UPLOADS}/2024/logo.svg" alt="Logo"> {links}'
    return export(
        item(10, content=body, meta=(("_thumbnail_id", "22"),)),
        *(attachment(20 + number, name) for number, name in enumerate(FILES)),
    )


def test_only_real_images_are_stored(tmp_path, uploads):
    output = run_import(write(tmp_path, site_export()), "--uploads", str(uploads))
    assert default_storage.exists("wordpress/uploads/2024/photo.jpg")
    for name in FILES[1:]:
        assert not default_storage.exists(f"wordpress/uploads/2024/{name}"), name
    media = dict(ImportedItem.objects.filter(kind="attachment").values_list("wp_id", "media"))
    assert media == {20: "wordpress/uploads/2024/photo.jpg", 21: "", 22: "", 23: "", 24: ""}
    assert "Files refused (only JPEG, PNG, GIF and WebP images, and MP3, M4A, MP4, Ogg, " in output
    assert "within the size limit are imported): 4 (the old addresses were kept)" in output
    assert "  2024/logo.svg: " in output
    assert "  2024/polyglot.html: " in output
    story = ImportedItem.objects.get(wp_id=10).story
    # Refused files keep their old addresses; the lead image would have been the SVG.
    assert f'href="{UPLOADS}/2024/logo.svg"' in story.body
    assert 'href="/media/wordpress/uploads/2024/photo.jpg"' in story.body
    assert not story.lead_image
    assert "its featured image 2024/page.html was not used" in output


def test_an_attachment_page_never_leads_to_a_refused_file(client, tmp_path, uploads):
    run_import(write(tmp_path, export(attachment(21, "logo.svg"))), "--uploads", str(uploads))
    assert client.get("/", {"attachment_id": 21}).status_code == 200  # the home page


def test_the_admin_shows_the_lines_the_command_prints(
    client, tmp_path, uploads, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_WORDPRESS_UPLOADS = str(uploads)
    settings.NEWSROOM_IMPORTS_DIR = str(tmp_path / "imports")
    path = write(tmp_path, site_export())
    printed = run_import(path, "--uploads", str(uploads), "--dry-run")
    user = make_user(username="migrator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_wordpress"))
    client.force_login(user)
    upload = SimpleUploadedFile("export.xml", path.read_bytes(), content_type="text/xml")
    # The import runs as a task after the upload commits; its page shows the summary.
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            reverse("admin:wordpress_importeditem_import"),
            {"export": upload, "dry_run": "on", "use_uploads": "on"},
        )
    page = client.get(queued["Location"]).content.decode()
    notes = printed.split("accounted for above.\n", 1)[1].splitlines()
    notes = [line.strip() for line in notes if line.strip() and not line.startswith("Took ")]
    assert any(line.startswith("Files refused") for line in notes)
    for line in notes:
        assert escape(line) in page, line


# Audio and video ------------------------------------------------------------------

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200


@pytest.fixture
def media_uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024"
    folder.mkdir(parents=True)
    (folder / "talk.mp3").write_bytes(MP3)
    (folder / "clip.mp4").write_bytes(MP4)
    (folder / "big.mp4").write_bytes(MP4 + b"\x00" * 5000)
    (folder / "fake.mp3").write_bytes(PAGE)  # a page named like a recording
    (folder / "photo.jpg").write_bytes(image_bytes(60, 40))
    return folder.parent


MEDIA_BODY = (
    f'<!-- wp:audio {{"id":31}} --><figure class="wp-block-audio"><audio controls '
    f'src="{UPLOADS}/2024/talk.mp3"></audio><figcaption>The mayor speaks</figcaption></figure>'
    "<!-- /wp:audio -->\n\n"
    f'<!-- wp:video --><figure class="wp-block-video"><video controls src="{UPLOADS}/2024/big.mp4">'
    "</video></figure><!-- /wp:video -->\n\n"
    f'<!-- wp:video --><figure class="wp-block-video"><video src="{UPLOADS}/2024/clip.mp4">'
    "</video></figure><!-- /wp:video -->\n\n"
    f"<!-- wp:paragraph --><p>After the clip.</p><!-- /wp:paragraph -->\n\n"
    f'<!-- wp:audio --><figure class="wp-block-audio"><audio src="{UPLOADS}/2024/fake.mp3">'
    "</audio></figure><!-- /wp:audio -->\n\n"
    f'<!-- wp:audio --><figure class="wp-block-audio"><audio src="{UPLOADS}/2024/gone.mp3">'
    "</audio></figure><!-- /wp:audio -->"
)


def media_export() -> bytes:
    return export(
        item(10, "Council night", content=MEDIA_BODY),
        item(11, "Classic", content=f'Listen:\n\n[audio mp3="{UPLOADS}/2024/talk.mp3"]\n\nEnd.'),
        item(31, "talk", post_type="attachment", status="inherit", parent=10,
             attachment_url=f"{UPLOADS}/2024/talk.mp3"),
    )  # fmt: skip


def test_audio_and_video_become_library_files_and_bad_ones_are_reported(
    tmp_path, media_uploads, settings
):
    from library.media import MediaFile

    settings.NEWSROOM_MAX_MEDIA_BYTES = 1000  # big.mp4 is over it
    output = run_import(write(tmp_path, media_export()), "--uploads", str(media_uploads))
    story = ImportedItem.objects.get(wp_id=10).story
    talk = MediaFile.objects.get(file="wordpress/uploads/2024/talk.mp3")
    clip = MediaFile.objects.get(file="wordpress/uploads/2024/clip.mp4")
    assert (talk.kind, talk.caption, talk.size) == ("audio", "The mayor speaks", len(MP3))
    assert clip.kind == "video"
    assert MediaFile.objects.count() == 2
    assert f"<p>[audio {talk.pk}]</p>" in story.body
    assert f"<p>[video {clip.pk}]</p>\n<p>After the clip.</p>" in story.body
    # The too large, the disguised and the missing files: links, counted; the import went on.
    for name in ("big.mp4", "fake.mp3", "gone.mp3"):
        assert f'<a href="{UPLOADS}/2024/{name}"' in story.body, name
    assert "  2024/big.mp4: This file is " in output
    assert "  2024/fake.mp3: This is not an audio or video file" in output
    assert "1 library video files: refused by the library's checks" in output
    assert "1 library audio files: refused by the library's checks" in output
    assert "Media not found: 1 " in output
    assert "  2024/gone.mp3" in output
    # The classic [audio] shortcode of the same file: the same library file.
    assert f"<p>[audio {talk.pk}]</p>" in ImportedItem.objects.get(wp_id=11).story.body
    rows = {line.split("  ")[0]: line.split()[-5:] for line in output.splitlines()}
    # Created by post 10, found again for post 11 and for the attachment; fake.mp3, gone.mp3.
    assert rows["Library audio files"] == ["1", "0", "2", "2", "0"]
    assert rows["Library video files"] == ["1", "0", "0", "1", "0"]
    assert ImportedItem.objects.get(wp_id=31).media == "wordpress/uploads/2024/talk.mp3"
    assert not default_storage.exists("wordpress/uploads/2024/fake.mp3")
    assert not default_storage.exists("wordpress/uploads/2024/big.mp4")


def test_media_of_the_same_bytes_under_another_name_is_reused(tmp_path, media_uploads):
    from library.media import MediaFile

    (media_uploads / "2024" / "copy.mp3").write_bytes(MP3)
    body = f'[audio src="{UPLOADS}/2024/talk.mp3"]\n\n[audio src="{UPLOADS}/2024/copy.mp3"]'
    run_import(write(tmp_path, export(item(10, content=body))), "--uploads", str(media_uploads))
    [only] = MediaFile.objects.all()
    assert ImportedItem.objects.get(wp_id=10).story.body.count(f"[audio {only.pk}]") == 2


@pytest.mark.parametrize(
    "attributes",
    [
        'ids="١٢,٣"',  # non-ASCII digits are no IDs
        f'ids="{"9" * 5000}"',  # nor is a number too large for any row
        'ids="18446744073709551616,-5,0"',
        'ids="1\x002"',
        'exclude="١" include="99999999999999999999999"',
    ],
)
def test_hostile_gallery_attributes_never_crash(tmp_path, uploads, attributes):
    body = f"[gallery {attributes}]\n\n[image 1]\n\n<p>[gallery 1]</p>"
    hostile = (
        f'<!-- wp:gallery {{"ids":["{"9" * 40}",-1,true,null]}} --><figure></figure>'
        "<!-- /wp:gallery -->"
    )
    output = run_import(
        write(tmp_path, export(item(10, content=body), item(12, content=hostile))),
        "--uploads", str(uploads),
    )  # fmt: skip
    assert "Failed" not in output
    story = ImportedItem.objects.get(wp_id=10).story
    assert "[image 1]" not in story.body  # only the import writes placements
    assert "[gallery" not in story.body


def test_the_admin_shows_the_library_lines_the_command_prints(
    client, tmp_path, media_uploads, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_WORDPRESS_UPLOADS = str(media_uploads)
    settings.NEWSROOM_IMPORTS_DIR = str(tmp_path / "imports")
    path = write(tmp_path, media_export())
    printed = run_import(path, "--uploads", str(media_uploads), "--dry-run")
    user = make_user(username="migrator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_wordpress"))
    client.force_login(user)
    upload = SimpleUploadedFile("export.xml", path.read_bytes(), content_type="text/xml")
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            reverse("admin:wordpress_importeditem_import"),
            {"export": upload, "dry_run": "on", "use_uploads": "on"},
        )
    page = client.get(queued["Location"]).content.decode()
    table, notes = printed.split("accounted for above.\n", 1)
    for label in ("Library audio files", "Library video files"):
        assert f'<th scope="row">{label}</th>' in page
        values = next(line for line in table.splitlines() if line.startswith(label)).split()[-5:]
        assert "".join(f"<td>{v}</td>" for v in values) in page
    notes = [line.strip() for line in notes.splitlines() if line.strip()]
    notes = [line for line in notes if not line.startswith("Took ")]
    assert any(line.startswith("Media not found: 1") for line in notes)
    for line in notes:
        assert escape(line) in page, line


def test_pictures_in_bodies_are_library_images_with_renditions(tmp_path, uploads):
    from library.models import Image

    block = (
        f'<!-- wp:image {{"id":20}} --><figure class="wp-block-image"><img src="{UPLOADS}/2024/'
        'photo-300x200.jpg" alt="The quay"><figcaption>At dawn</figcaption></figure>'
        "<!-- /wp:image -->"
    )
    path = write(tmp_path, export(item(10, content=block), attachment(20, "photo.jpg")))
    output = run_import(path, "--uploads", str(uploads))
    [image] = Image.objects.all()
    assert (image.file.name, image.alt_text, image.caption) == (
        "wordpress/uploads/2024/photo.jpg", "The quay", "At dawn",
    )  # fmt: skip
    assert ImportedItem.objects.get(wp_id=10).story.body == f"<p>[image {image.pk}]</p>"
    renditions = image.renditions()
    assert renditions and all(r.storage.exists(r.name) for r in renditions)
    assert f"Image renditions made: {len(renditions)}" in output
