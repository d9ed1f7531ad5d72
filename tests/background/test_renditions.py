"""Image renditions are made by a task (background.make_renditions), not by the request
that saves the image: queued once per saved image, after the commit, when a broker is
set; run in-process at once without one (`make run`, most tests)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Story
from background.models import FailedTask
from background.renditions import make_renditions, rendition_fields
from tests.factories import form_data, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db

LEAD_RENDITIONS = {
    "lead_image_thumbnail",
    "lead_image_480",
    "lead_image_800",
    "lead_image_1200",
}


def rendition_paths(story, media_root):
    return {
        name: media_root / getattr(story, name).name
        for name in rendition_fields(Story, "lead_image")
    }


@pytest.fixture
def broker(monkeypatch):
    """As in production: a broker is set, so tasks are sent, not run here. The sent tasks
    are recorded instead of going to a broker."""
    sent = []
    monkeypatch.setitem(make_renditions.app.conf, "task_always_eager", False)
    monkeypatch.setattr(make_renditions, "delay", lambda *args: sent.append(args))
    return sent


def test_the_lead_images_renditions_are_known():
    assert LEAD_RENDITIONS <= set(rendition_fields(Story, "lead_image"))


def test_without_a_broker_the_renditions_are_made_at_once(media_root):
    story = make_story(lead_image=make_image_file(1600, 900), lead_image_alt="A ferry")
    paths = rendition_paths(story, media_root)
    assert paths and all(path.is_file() for path in paths.values()), paths


def test_with_a_broker_the_saving_request_makes_no_rendition_and_queues_one_task(
    editor_client, media_root, broker, django_capture_on_commit_callbacks
):
    add_url = reverse("admin:articles_story_add")
    data = form_data(editor_client.get(add_url).content.decode(), "story_form")
    data.update(
        {
            "headline": "Picture story",
            "slug": "picture-story",
            "section": str(make_section().pk),
            "lead_image": make_image_file(1600, 900),
            "lead_image_alt": "Boats on the river",
            "_save": "Save",
        }
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor_client.post(add_url, data)
        assert response.status_code == 302
        # Nothing is sent before the story's transaction commits.
        assert broker == []
    assert callbacks
    story = Story.objects.get()
    # One task for the lead image's four renditions, naming what it must find again.
    assert broker == [("articles.story", story.pk, "lead_image", story.lead_image.name)]
    paths = rendition_paths(story, media_root)
    assert not any(path.exists() for path in paths.values())

    # The worker's run makes every rendition; run again (a retry, a restarted worker),
    # it makes nothing more.
    assert make_renditions(*broker[0]) == len(paths)
    assert all(path.is_file() for path in paths.values())
    assert make_renditions(*broker[0]) == 0


def test_a_save_that_keeps_the_image_queues_nothing(
    media_root, broker, django_capture_on_commit_callbacks
):
    story = make_story(lead_image=make_image_file(800, 500), lead_image_alt="A ferry")
    broker.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story = Story.objects.get(pk=story.pk)
        story.headline = "A new headline"
        story.save()
    assert broker == []


def test_a_task_for_a_deleted_story_or_a_replaced_file_does_nothing(media_root, broker):
    story = make_story(lead_image=make_image_file(800, 500), lead_image_alt="A ferry")
    old_name = story.lead_image.name
    story.lead_image = make_image_file(900, 600)
    story.save()
    assert make_renditions("articles.story", story.pk, "lead_image", old_name) == 0
    pk = story.pk
    story.delete()
    assert make_renditions("articles.story", pk, "lead_image", story.lead_image.name) == 0


def test_a_damaged_original_is_reported_on_the_desk_and_the_story_is_saved(media_root):
    story = make_story(lead_image=make_image_file(800, 500), lead_image_alt="A ferry")
    for path in rendition_paths(story, media_root).values():
        path.unlink()
    (media_root / story.lead_image.name).write_bytes(b"not a picture any more")

    make_renditions.delay("articles.story", story.pk, "lead_image", story.lead_image.name)

    failed = FailedTask.objects.get()
    assert failed.task_name == "background.make_renditions"
    assert failed.args == ["articles.story", story.pk, "lead_image", story.lead_image.name]
    assert "RenditionFailed" in failed.error
    # Once the picture is uploaded again, the page shows it; the failure stays listed
    # until an editor dismisses it or runs it again.
    (media_root / story.lead_image.name).write_bytes(make_image_file(800, 500).read())
    failed.run_again()
    assert all(path.is_file() for path in rendition_paths(story, media_root).values())


def test_a_worker_knows_the_task():
    """A worker imports each app's tasks module: the task is registered there, not only
    in a web process that happened to save an image."""
    from newsroom.celery import app

    app.loader.import_default_modules()
    assert "background.make_renditions" in app.tasks
