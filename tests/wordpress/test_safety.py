"""A file that is not a complete, safe WordPress export is refused, and nothing changes."""

from __future__ import annotations

import pytest
from django.core.management import CommandError
from taggit.models import Tag

from articles.models import Byline, Section, Story
from tests.factories import make_story
from tests.wordpress.exports import THEME_UNIT_TEST, export, item, run_import, write
from wordpress.models import ImportedItem, LegacyURL

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
  <title>&lol9;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
  <title>&secret;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""


def snapshot() -> tuple[int, ...]:
    return (
        Story.objects.count(), Section.objects.count(), Tag.objects.count(),
        Byline.objects.count(), ImportedItem.objects.count(), LegacyURL.objects.count(),
    )  # fmt: skip


@pytest.fixture
def before() -> tuple[int, ...]:
    make_story(headline="Already here")
    return snapshot()


def test_truncated_export_is_refused_and_nothing_changes(tmp_path, before):
    whole = THEME_UNIT_TEST.read_bytes()
    path = write(tmp_path, whole[: len(whole) * 2 // 3])
    with pytest.raises(CommandError, match="ends too early: it looks truncated") as error:
        run_import(path)
    assert "Nothing was imported." in str(error.value)
    assert snapshot() == before


def test_a_file_that_is_not_xml_is_refused(tmp_path, before):
    path = write(tmp_path, b"PK\x03\x04 this is a zip file, not an export")
    with pytest.raises(CommandError, match="This file is not XML"):
        run_import(path)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"<html><body>Not an export</body></html>", "not a WordPress export"),
        (b"<rss version='2.0'><channel><title>A feed</title></channel></rss>",
         "no WordPress export namespace"),
    ],
)  # fmt: skip
def test_other_files_are_refused(tmp_path, before, data, message):
    with pytest.raises(CommandError, match=message):
        run_import(write(tmp_path, data))
    assert snapshot() == before


def test_entity_expansion_attack_is_refused(tmp_path, before):
    with pytest.raises(CommandError, match="declares XML entities") as error:
        run_import(write(tmp_path, BILLION_LAUGHS))
    assert "refused as unsafe" in str(error.value)
    assert snapshot() == before


def test_external_entities_are_refused(tmp_path, before):
    with pytest.raises(CommandError, match="refused as unsafe"):
        run_import(write(tmp_path, EXTERNAL_ENTITY))
    assert snapshot() == before


def test_damage_late_in_the_file_changes_nothing(tmp_path, before):
    """The whole file is checked before the first story is written."""
    data = export(item(1), item(2)).replace(b"</channel>", b"<broken></channel>")
    with pytest.raises(CommandError, match="damaged"):
        run_import(write(tmp_path, data))
    assert snapshot() == before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run_import(tmp_path / "nowhere.xml")
