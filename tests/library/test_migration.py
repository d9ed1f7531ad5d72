"""Existing lead images move into the library: one library image per file, under the
same name, with the words kept; and back again."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import image_bytes

BEFORE = [("articles", "0016_story_newest_first_index"), ("library", "0002_desk_permissions")]
AFTER = [("articles", "0017_lead_images_in_the_library")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_lead_images_move_into_the_library_and_back():
    apps = migrate(BEFORE)
    Section = apps.get_model("articles", "Section")
    Story = apps.get_model("articles", "Story")
    section = Section.objects.create(name="News", slug="news", position=1)
    shared = default_storage.save("stories/2025/01/harbour.jpg", ContentFile(image_bytes(640, 480)))
    other = default_storage.save("stories/2025/01/bridge.jpg", ContentFile(image_bytes(300, 200)))

    def story(slug, name, **words):
        return Story.objects.create(
            headline=slug, slug=slug, section=section, body="", created_at=timezone.now(),
            lead_image=name, lead_image_width=640, lead_image_height=480, **words,
        )  # fmt: skip

    first = story("a", shared, lead_image_alt="Boats", lead_image_caption="Dawn",
                  lead_image_credit="Ann")  # fmt: skip
    second = story("b", shared, lead_image_alt="Boats again")
    third = story("c", other, lead_image_alt="A bridge")
    plain = story("d", "")
    # A revision saved before the move names the file.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    story_type, _ = ContentType.objects.get_or_create(app_label="articles", model="story")
    old = {"model": "articles.story", "pk": first.pk,
           "fields": {"headline": "a", "lead_image": shared, "lead_image_width": 640}}  # fmt: skip
    version = Version.objects.create(
        revision=Revision.objects.create(date_created=timezone.now()),
        object_id=str(first.pk), content_type=story_type, db="default", format="json",
        serialized_data=json.dumps([old]), object_repr="a",
    )  # fmt: skip

    apps = migrate(AFTER)
    Story = apps.get_model("articles", "Story")
    Image = apps.get_model("library", "Image")
    assert Image.objects.count() == 2, "one library image per file"
    harbour = Image.objects.get(file=shared)
    assert (harbour.alt_text, harbour.caption, harbour.credit) == ("Boats", "Dawn", "Ann")
    assert (harbour.width, harbour.height) == (640, 480)
    assert len(harbour.sha256) == 64
    assert Story.objects.get(pk=first.pk).lead_image_id == harbour.pk
    assert Story.objects.get(pk=second.pk).lead_image_id == harbour.pk
    # The stories keep their own words: nothing they showed changes.
    assert Story.objects.get(pk=second.pk).lead_image_alt == "Boats again"
    assert Story.objects.get(pk=third.pk).lead_image.file.name == other
    assert Story.objects.get(pk=plain.pk).lead_image_id is None
    assert sorted(default_storage.listdir("stories/2025/01")[1]) == ["bridge.jpg", "harbour.jpg"]
    (rewritten,) = json.loads(
        apps.get_model("reversion", "Version").objects.get(pk=version.pk).serialized_data
    )
    assert rewritten["fields"] == {"headline": "a", "lead_image": harbour.pk}

    apps = migrate(BEFORE)
    Story = apps.get_model("articles", "Story")
    assert Story.objects.get(pk=first.pk).lead_image.name == shared
    assert Story.objects.get(pk=third.pk).lead_image.name == other
    assert Story.objects.get(pk=plain.pk).lead_image.name == ""
    migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
