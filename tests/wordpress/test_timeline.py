"""What an import writes on a story's timeline: real workflow steps, never a bare status."""

from __future__ import annotations

import pytest

from articles.models import Story, StoryLogEntry
from tests.factories import make_user
from tests.wordpress.exports import export, item, run_import, write
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

IMPORT = StoryLogEntry.Action.IMPORT
UNPUBLISH = StoryLogEntry.Action.UNPUBLISH


def imported(wp_id: int) -> Story:
    return ImportedItem.objects.select_related("story").get(wp_id=wp_id).story


def timeline(story: Story) -> list[tuple[str, str, str]]:
    entries = story.log_entries.order_by("at", "pk")
    return [(entry.action, entry.from_status, entry.to_status) for entry in entries]


def test_a_new_story_starts_with_an_import_step(tmp_path):
    user = make_user(username="migrator", is_staff=True)
    run_import(write(tmp_path, export(item(1), item(2, status="private"))), "--created-by",
               "migrator")  # fmt: skip
    assert timeline(imported(1)) == [(IMPORT, "published", "published")]
    entry = imported(2).log_entries.get()
    assert (entry.action, entry.by) == (IMPORT, user)
    assert entry.note.startswith("Imported from WordPress (post 2, https://news.example.org/")
    assert "private on WordPress" in entry.note
    assert entry.get_action_display() == "Imported"


@pytest.mark.parametrize("wordpress_status", ["draft", "private", "pending"])
def test_a_take_down_in_wordpress_is_an_unpublish_step(tmp_path, wordpress_status):
    run_import(write(tmp_path, export(item(1, "Live"))))
    later = write(tmp_path, export(item(1, "Live", status=wordpress_status)), "later.xml")
    run_import(later)
    story = imported(1)
    assert story.status == Story.Status.UNPUBLISHED
    assert timeline(story) == [
        (IMPORT, "published", "published"), (UNPUBLISH, "published", "unpublished"),
    ]  # fmt: skip
    assert "Taken down in WordPress" in story.log_entries.first().note
    # The step kept the story's edit count current: the next import leaves it unchanged.
    rows = {line.split("  ")[0]: line.split()[-5:] for line in run_import(later).splitlines()}
    assert rows["Posts"] == ["0", "0", "1", "0", "0"]
    assert story.log_entries.count() == 2


def test_other_status_changes_are_import_steps(tmp_path):
    run_import(write(tmp_path, export(item(1, "Not yet", status="draft"))))
    run_import(write(tmp_path, export(item(1, "Now live")), "later.xml"))
    story = imported(1)
    assert story.is_public
    assert timeline(story) == [(IMPORT, "draft", "draft"), (IMPORT, "draft", "published")]
    assert "changed its status from draft to published" in story.log_entries.first().note


def test_an_update_without_a_status_change_is_noted_once(tmp_path):
    run_import(write(tmp_path, export(item(1, "First"))))
    run_import(write(tmp_path, export(item(1, "Second")), "later.xml"))
    story = imported(1)
    assert timeline(story) == [(IMPORT, "published", "published")] * 2
    assert story.log_entries.first().note == "Updated from WordPress (post 1)."
