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
