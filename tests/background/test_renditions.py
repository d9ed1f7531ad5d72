"""Image renditions are made by a task (background.make_renditions), not by the request
that saves the image: queued once per saved image, after the commit, when a broker is
set; run in-process at once without one (`make run`, most tests)."""

from __future__ import annotations

import pytest

from background.models import FailedTask
from background.renditions import make_renditions, rendition_fields
from library import renditions
from library.models import Image
from tests.factories import image_bytes, make_image_file
from tests.library.factories import make_library_image
from tests.library.test_library import upload

pytestmark = pytest.mark.django_db


def rendition_paths(image, media_root):
    return {
        name: media_root / getattr(image, name).name for name in rendition_fields(Image, "file")
    }


@pytest.fixture
def broker(monkeypatch):
    """As in production: a broker is set, so tasks are sent, not run here. The sent tasks
    are recorded instead of going to a broker."""
    sent = []
    monkeypatch.setitem(make_renditions.app.conf, "task_always_eager", False)
    monkeypatch.setattr(make_renditions, "delay", lambda *args: sent.append(args))
    return sent


def test_every_rendition_of_a_library_image_is_known():
    expected = {
        renditions.field_name(size, kind)
        for size in renditions.SIZES
        for kind in ("fallback", "webp")
    }
    assert expected <= set(rendition_fields(Image, "file"))


def test_without_a_broker_the_renditions_are_made_at_once(media_root):
    image = make_library_image(1600, 900)
    paths = rendition_paths(image, media_root)
    assert paths and all(path.is_file() for path in paths.values()), paths


def test_with_a_broker_the_uploading_request_makes_no_rendition_and_queues_one_task(
    client, desk_editor, media_root, broker, django_capture_on_commit_callbacks
):
    client.force_login(desk_editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, make_image_file(1600, 900), alt_text="Boats on the river")
        assert response.status_code == 302
        # Nothing is sent before the upload's transaction commits.
        assert broker == []
    assert callbacks
    image = Image.objects.get()
    # One task for all the image's renditions, naming what it must find again.
    assert broker == [("library.image", image.pk, "file", image.file.name)]
    paths = rendition_paths(image, media_root)
    assert not any(path.exists() for path in paths.values())

    # The worker's run makes every rendition; run again (a retry, a restarted worker),
    # it makes nothing more.
    assert make_renditions(*broker[0]) == len(paths)
    assert all(path.is_file() for path in paths.values())
    assert make_renditions(*broker[0]) == 0


def test_a_save_that_keeps_the_file_queues_nothing(
    media_root, broker, django_capture_on_commit_callbacks
):
    image = make_library_image(800, 500)
    broker.clear()
    with django_capture_on_commit_callbacks(execute=True):
        image = Image.objects.get(pk=image.pk)
        image.caption = "A new caption"
        image.save()
    assert broker == []


def test_a_task_for_a_deleted_image_or_a_replaced_file_does_nothing(media_root, broker):
    image = make_library_image(800, 500)
    old_name = image.file.name
    image.file = make_image_file(900, 600)
    image.save()
    assert make_renditions("library.image", image.pk, "file", old_name) == 0
    pk, name = image.pk, image.file.name
    image.delete()
    assert make_renditions("library.image", pk, "file", name) == 0


def test_a_damaged_original_is_reported_on_the_desk(media_root):
    image = make_library_image(800, 500)
    for path in rendition_paths(image, media_root).values():
        path.unlink()
    (media_root / image.file.name).write_bytes(b"not a picture any more")

    make_renditions.delay("library.image", image.pk, "file", image.file.name)

    failed = FailedTask.objects.get()
    assert failed.task_name == "background.make_renditions"
    assert failed.args == ["library.image", image.pk, "file", image.file.name]
    assert "RenditionFailed" in failed.error
    # Once the picture is put back, "Run again" makes the renditions.
    (media_root / image.file.name).write_bytes(image_bytes(800, 500))
    failed.run_again()
    assert all(path.is_file() for path in rendition_paths(image, media_root).values())


def test_a_worker_knows_the_task():
    """A worker imports each app's tasks module: the task is registered there, not only
    in a web process that happened to save an image."""
    from newsroom.celery import app

    app.loader.import_default_modules()
    assert "background.make_renditions" in app.tasks
