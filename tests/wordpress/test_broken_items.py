"""An item the importer cannot read is reported, and the rest of the export goes in."""

from __future__ import annotations

import re

import pytest

from articles.models import Story
from tests.wordpress.exports import comment, export, item, run_import, write

pytestmark = pytest.mark.django_db


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
