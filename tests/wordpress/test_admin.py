"""The admin's "Import from WordPress" form: the same import, for staff allowed to run it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Story
from tests.factories import make_user
from tests.wordpress.exports import THEME_UNIT_TEST, export, item
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:wordpress_importeditem_import")


@pytest.fixture
def importer_client(client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.NEWSROOM_IMPORTS_DIR = str(tmp_path / "imports")
    user = make_user(username="migrator", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="import_wordpress"),
        Permission.objects.get(codename="view_importeditem"),
    )
    client.force_login(user)
    client.user = user
    original = client.post

    def post(*args, **kwargs):
        # The import is queued after commit; without a broker it runs there and then,
        # before the browser follows the redirect to the import's page.
        with django_capture_on_commit_callbacks(execute=True):
            response = original(*args, **kwargs)
        if response.status_code != 302:
            return response
        followed = client.get(response["Location"])
        followed.redirect_chain = [(response["Location"], 302)]
        return followed

    client.post = post
    return client


def upload(data: bytes, name: str = "export.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/xml")


def test_staff_without_the_permission_get_403(client):
    client.force_login(make_user(username="desk", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"export": upload(export(item(1)))})
    assert response.status_code == 403
    assert not Story.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_form_is_linked_from_the_list_of_imported_items(importer_client):
    response = importer_client.get(reverse("admin:wordpress_importeditem_changelist"))
    assert IMPORT_URL in response.content.decode()
    form = importer_client.get(IMPORT_URL)
    assert form.status_code == 200
    assert 'id="wordpress-import-form"' in form.content.decode()


def test_dry_run_shows_the_summary_and_writes_nothing(importer_client):
    response = importer_client.post(
        IMPORT_URL, {"export": upload(THEME_UNIT_TEST.read_bytes()), "dry_run": "on"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing was written" in page
    assert "186 items in the export, 186 accounted for." in page
    assert '<th scope="row">Posts</th><td>58</td>' in page
    assert not Story.objects.exists()


def test_import_from_the_form(importer_client):
    response = importer_client.post(
        IMPORT_URL, {"export": upload(export(item(1, "From the form"))), "skip_pages": "on"}
    )
    assert "Imported: The Example News" in response.content.decode()
    story = ImportedItem.objects.get(wp_id=1).story
    assert story.headline == "From the form"
    assert story.created_by == importer_client.user


def test_a_bad_file_is_an_error_on_the_form(importer_client):
    response = importer_client.post(IMPORT_URL, {"export": upload(b"not xml at all")})
    assert response.status_code == 200
    assert "This file is not XML" in response.content.decode()
    assert not Story.objects.exists()


def test_the_import_runs_as_a_task_whose_page_follows_it(importer_client, settings):
    from wordpress.models import ImportRun

    response = importer_client.post(IMPORT_URL, {"export": upload(export(item(1), item(2)))})
    run = ImportRun.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:wordpress_importeditem_import_run", args=[run.pk]), 302)
    ]
    assert run.status == "done" and run.done == run.total == 2
    status = importer_client.get(
        reverse("admin:wordpress_importeditem_import_status", args=[run.pk])
    ).json()
    assert status == {"status": "Done", "finished": True, "done": 2, "total": 2, "unit": "items"}
    # The upload is deleted once imported.
    assert not list(Path(settings.NEWSROOM_IMPORTS_DIR).iterdir())


def test_a_queued_import_page_updates_itself(importer_client):
    from wordpress.models import ImportRun

    run = ImportRun.objects.create(source_name="big.xml", export_path="/nonexistent", total=10)
    page = importer_client.get(reverse("admin:wordpress_importeditem_import_run", args=[run.pk]))
    html = page.content.decode()
    assert "import_progress.js" in html and 'id="import-progress"' in html
    assert "This page updates itself" in html
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_an_import_that_broke_on_the_way_is_finished_by_run_again(importer_client, monkeypatch):
    """A crash inside the import (not a refused file) is reported on the page and on the
    desk's failed tasks; "Run again" there imports the export after all."""
    from background.models import FailedTask
    from wordpress import tasks
    from wordpress.models import ImportRun

    real_import = tasks.run_import

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(tasks, "run_import", broken)
    importer_client.post(IMPORT_URL, {"export": upload(export(item(1), item(2)))})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "the disk went away" in run.error
    assert not Story.objects.exists()
    failed = FailedTask.objects.get(task_name="wordpress.run_import")

    monkeypatch.setattr(tasks, "run_import", real_import)
    failed.run_again()
    run.refresh_from_db()
    assert run.status == "done" and run.error == "" and run.done == 2
    assert Story.objects.count() == 2
    # Delivered once more (a worker restarted after the end), it does nothing.
    tasks.run_import_task(run.pk)
    assert Story.objects.count() == 2


def test_a_dry_runs_progress_reaches_the_page(importer_client, monkeypatch):
    """A dry run imports inside a transaction it rolls back: its progress must reach the
    page some other way than that transaction (the cache)."""
    from django.core.cache import cache

    from wordpress import tasks
    from wordpress.models import ImportRun

    real_import = tasks.run_import
    seen = []

    def watched(path, options, *, progress, **kwargs):
        def progress_and_look(done, total, unit):
            progress(done, total, unit)
            run = ImportRun.objects.get()
            seen.append(cache.get(f"wordpress.import-progress.{run.pk}"))

        return real_import(path, options, progress=progress_and_look, **kwargs)

    monkeypatch.setattr(tasks, "run_import", watched)
    importer_client.post(IMPORT_URL, {"export": upload(export(item(1), item(2))), "dry_run": "on"})
    assert (2, 2, "items") in seen
    run = ImportRun.objects.get()
    assert run.status == "done" and not Story.objects.exists()

    # While a run is unfinished, its page and status read that progress, even where the
    # row (as another connection sees it during a dry run) still says nothing was done.
    ImportRun.objects.filter(pk=run.pk).update(status="running", done=0, total=0)
    cache.set(f"wordpress.import-progress.{run.pk}", (1, 2, "items"))
    status = importer_client.get(
        reverse("admin:wordpress_importeditem_import_status", args=[run.pk])
    ).json()
    assert (status["done"], status["total"], status["unit"]) == (1, 2, "items")
