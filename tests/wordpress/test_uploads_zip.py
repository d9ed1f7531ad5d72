"""The uploads folder sent as a zip with the desk's import form: the same checks as the
command's `--uploads` (only real images stored, nothing outside the folder), plus the
zip's own (names that climb out, links, a zip that expands too far)."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from articles.models import Story
from tests.factories import image_bytes, make_user
from tests.wordpress.exports import export, run_import, write
from tests.wordpress.test_media import FILES, PAGE, SVG, site_export
from wordpress.models import ImportRun

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:wordpress_importeditem_import")


def zipped(members: dict[str, bytes], *, links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


SITE_FILES = {
    "photo.jpg": image_bytes(60, 40),
    "logo.svg": SVG,
    "page.html": PAGE,
    "disguised.jpg": PAGE,
    "polyglot.html": image_bytes(20, 20, "PNG"),
}
assert set(SITE_FILES) == set(FILES)


@pytest.fixture
def migrator(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.NEWSROOM_IMPORTS_DIR = str(tmp_path / "imports")
    user = make_user(username="migrator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_wordpress"))
    client.force_login(user)

    def send(export_bytes: bytes, zip_bytes: bytes | None, **fields):
        data = {"export": SimpleUploadedFile("export.xml", export_bytes, "text/xml"), **fields}
        if zip_bytes is not None:
            data["uploads_zip"] = SimpleUploadedFile("uploads.zip", zip_bytes, "application/zip")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(IMPORT_URL, data)
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return send


@pytest.mark.parametrize("top", ["", "uploads/", "wp-content/uploads/", "backup-2024/uploads/"])
def test_the_zip_gives_the_same_summary_lines_as_the_command(migrator, tmp_path, top, settings):
    folder = tmp_path / "copy" / "2024"
    folder.mkdir(parents=True)
    for name, data in SITE_FILES.items():
        (folder / name).write_bytes(data)
    printed = run_import(
        write(tmp_path, site_export()), "--uploads", str(folder.parent), "--dry-run"
    )
    page = migrator(
        site_export(), zipped({f"{top}2024/{name}": data for name, data in SITE_FILES.items()}),
        dry_run="on",
    ).content.decode()  # fmt: skip
    notes = printed.split("accounted for above.\n", 1)[1].splitlines()
    notes = [line.strip() for line in notes if line.strip() and not line.startswith("Took ")]
    assert any(line.startswith("Files refused") for line in notes)
    for line in notes:
        assert escape(line) in page, line
    # Unpacked for the import only: nothing is left behind.
    imports = tmp_path / "imports"
    assert not any(path.is_dir() for path in imports.iterdir())
    assert not list(imports.glob("*.zip"))


def test_the_images_of_the_zip_are_stored_and_the_rest_refused(migrator):
    page = migrator(
        site_export(), zipped({f"2024/{name}": data for name, data in SITE_FILES.items()})
    )
    assert ImportRun.objects.get().status == "done", page.content.decode()
    assert default_storage.exists("wordpress/uploads/2024/photo.jpg")
    for name in ("logo.svg", "page.html", "disguised.jpg", "polyglot.html"):
        assert not default_storage.exists(f"wordpress/uploads/2024/{name}"), name
    assert Story.objects.count() == 1


def test_members_that_climb_out_or_are_links_are_left_out_and_listed(migrator, tmp_path):
    outside = tmp_path / "outside.jpg"
    page = migrator(
        site_export(),
        zipped(
            {
                "2024/photo.jpg": image_bytes(60, 40),
                "../outside.jpg": image_bytes(30, 30),
                "/etc/cron.d/evil.jpg": image_bytes(30, 30),
                "C:/windows/evil.jpg": image_bytes(30, 30),
                "2024/../../../evil.jpg": image_bytes(30, 30),
            },
            links={"2024/logo.svg": "/etc/passwd"},
        ),
    ).content.decode()
    assert not outside.exists() and not (tmp_path / "evil.jpg").exists()
    assert default_storage.exists("wordpress/uploads/2024/photo.jpg")
    assert not default_storage.exists("wordpress/uploads/2024/logo.svg")
    assert "leads outside the uploads folder" in page
    assert "is a link in the zip" in page
    assert "../outside.jpg" in page


def test_a_zip_that_unpacks_too_far_is_refused_on_the_form(migrator, settings):
    settings.NEWSROOM_MAX_UPLOADS_ZIP_BYTES = 10_000
    response = migrator(export(), zipped({"2024/big.jpg": b"\0" * 20_000}))
    assert response.status_code == 200
    assert "Unpacked, this zip would take" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_zip_that_lies_about_its_size_stops_at_the_limit(migrator, settings, monkeypatch):
    """The sizes a zip lists can be forged; unpacking counts the bytes it writes."""
    from wordpress import uploads_zip

    monkeypatch.setattr(uploads_zip, "check_zip", lambda file: None)
    monkeypatch.setattr("wordpress.forms.check_zip", lambda file: None)
    settings.NEWSROOM_MAX_UPLOADS_ZIP_BYTES = 50_000
    page = migrator(
        site_export(),
        zipped({"2024/photo.jpg": image_bytes(60, 40), "2024/zeros.jpg": b"\0" * 200_000}),
    ).content.decode()
    assert ImportRun.objects.get().status == "done"
    assert "add up to more than" in page


@pytest.mark.parametrize(
    "data", [b"not a zip at all", b"PK\x03\x04" + b"\0" * 40, b"", "é\x00".encode()]
)
def test_a_file_that_is_not_a_zip_is_an_error_on_the_form(migrator, data):
    response = migrator(export(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a zip file that can be read" in html or "The submitted file is empty" in html
    assert not ImportRun.objects.exists()


def test_a_zip_and_the_servers_copy_are_not_both_taken(migrator, settings, tmp_path):
    settings.NEWSROOM_WORDPRESS_UPLOADS = str(tmp_path)
    response = migrator(export(), zipped({"2024/a.jpg": image_bytes(10, 10)}), use_uploads="on")
    assert response.status_code == 200
    assert "not both" in response.content.decode()
