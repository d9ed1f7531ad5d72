"""An item the importer cannot read is reported, and the rest of the export goes in."""

from __future__ import annotations

import re

import pytest

from articles.models import Story
from comments.models import Comment
from tests.wordpress.exports import comment, export, item, run_import, write
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def rows(output: str) -> dict[str, list[str]]:
    return {line.split("  ")[0]: line.split()[-5:] for line in output.splitlines()}


def test_a_comment_with_a_bad_date_fails_alone(tmp_path):
    path = write(tmp_path, export(
        item(1, "Commented", comments=(
            comment(5, "On time"), comment(6, "Lost in time", date_gmt="sometime in March"),
        )),
        item(2, "After"),
    ))  # fmt: skip
    output = run_import(path)
    story = ImportedItem.objects.get(wp_id=1).story
    assert [c.text for c in story.comments.all()] == ["On time"]
    assert ImportedItem.objects.filter(wp_id=2).exists()
    assert "Traceback" not in output
    assert (
        "Failed: comment 6: its date “sometime in March” is not a date; "
        "post 1 “Commented” was imported without it"
    ) in output
    assert rows(output)["Comments"] == ["1", "0", "0", "0", "1"]
    # Again: the comment is reported again, and nothing is duplicated.
    again = run_import(path)
    assert rows(again)["Comments"] == ["0", "0", "1", "0", "1"]
    assert "Failed: comment 6" in again
    assert Comment.objects.count() == 1


def test_a_comment_with_only_a_bad_gmt_date_keeps_its_local_date(tmp_path):
    entry = comment(5, "Local time only").replace(
        "<wp:comment_date_gmt><![CDATA[2024-03-02 09:00:00]]>",
        "<wp:comment_date_gmt><![CDATA[garbled]]>",
    )
    output = run_import(write(tmp_path, export(item(1, comments=(entry,)))), "--timezone", "UTC")
    assert rows(output)["Comments"] == ["1", "0", "0", "0", "0"]
    assert Comment.objects.get().created_at.isoformat() == "2024-03-02T09:00:00+00:00"


@pytest.mark.parametrize("digits", ["²", "①", "٣", "12345678901234567890123"])
@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("post ID", "<wp:post_id>1</wp:post_id>"),
        ("comment ID", "<wp:comment_id>5</wp:comment_id>"),
        ("parent", "<wp:post_parent>0</wp:post_parent>"),
    ],
)
def test_an_id_that_is_not_ascii_digits_breaks_only_its_item(tmp_path, field, written, digits):
    """An ID is ASCII digits a database can hold: "²".isdigit() is true, int("²") raises."""
    broken = item(1, "Odd number", comments=(comment(5),))
    assert written in broken
    odd = re.sub(r">\d<", f">{digits}<", written)
    broken = broken.replace(written, odd)
    output = run_import(write(tmp_path, export(broken, item(2, "Fine"))))
    assert f"Failed: unknown “Odd number”: its {field} “{digits}” is not a number" in output
    assert "2 items in the export, 2 accounted for above." in output
    assert list(Story.objects.values_list("headline", flat=True)) == ["Fine"]
