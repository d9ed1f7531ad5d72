"""Backup and restore: the demo newsroom, backed up and restored into an empty
installation, comes back whole (stories, revisions, comments, users, images).

Both installations are separate processes with their own SQLite database and media
folder, as a restore drill on a new machine would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ADD_A_COMMENT_AND_A_REVISION = """
import reversion
from articles.models import Story
from comments.models import Comment
story = Story.objects.listed().first()
Comment.objects.create(story=story, author_name="Ann", author_email="ann@example.org",
                       text="Kept across the restore.", status="approved", ip_address="192.0.2.1")
with reversion.create_revision():
    story.dek = "A dek saved as a revision."
    story.save()
"""

# What a comparison covers: every row of these models, with their primary keys, and
# every media file's digest.
FINGERPRINT = """
import hashlib, json, re
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from backups.archive import media_files
LABELS = ["articles.Section", "articles.Byline", "articles.Story", "articles.StoryByline",
          "articles.StoryTag", "articles.Correction", "articles.StoryLogEntry",
          "articles.StoryRedirect", "taggit.Tag", "comments.Comment", "users.User",
          "auth.Group", "reversion.Revision", "reversion.Version"]
out = {}
for label in LABELS:
    rows = serializers.serialize("json", apps.get_model(label).objects.all(),
                                 use_natural_foreign_keys=True)
    # Django's JSON keeps times to the millisecond, and writes a time whose microseconds
    # are under 1000 as ".000": restored, it has none and is written without. Same time.
    rows = re.sub('[.]000(Z|[+-][0-9][0-9]:[0-9][0-9])"', lambda m: m.group(1) + '"', rows)
    out[label] = sorted(json.dumps(row, sort_keys=True) for row in json.loads(rows))
out["media"] = {name: hashlib.sha256(default_storage.open(name).read()).hexdigest()
                for name in media_files(default_storage)}
print("FINGERPRINT " + json.dumps(out))
"""


def installation(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSROOM_TESTING", "DATABASE_URL"}}
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
    )
    folder.mkdir()
    return env


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def fingerprint(env: dict[str, str]) -> dict:
    printed = ok(manage(env, "shell", "-c", FINGERPRINT))
    line = next(line for line in printed.splitlines() if line.startswith("FINGERPRINT "))
    return json.loads(line.removeprefix("FINGERPRINT "))


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """The demo newsroom with a comment and a revision, and its backup archive."""
    folder = tmp_path_factory.mktemp("backup")
    source = installation(folder / "source")
    ok(manage(source, "migrate", "--noinput", "-v0"))
    ok(manage(source, "load_demo"))
    ok(manage(source, "shell", "-c", ADD_A_COMMENT_AND_A_REVISION))
    archive = folder / "newsroom.tar.gz"
    output = ok(manage(source, "backup", str(archive)))
    return {"folder": folder, "source": source, "archive": archive, "output": output}


def test_the_backup_says_how_far_it_got(backed_up):
    output = backed_up["output"]
    assert "Database:" in output and "rows." in output
    assert "Media:" in output and "files" in output
    assert "Backed up" in output


def test_a_restore_into_an_empty_installation_brings_everything_back(backed_up):
    target = installation(backed_up["folder"] / "target")
    ok(manage(target, "migrate", "--noinput", "-v0"))
    ok(manage(target, "restore", str(backed_up["archive"])))
    before, after = fingerprint(backed_up["source"]), fingerprint(target)
    assert before["articles.Story"], "the demo wrote no stories"
    assert before["media"], "the demo wrote no images"
    assert any("Kept across the restore." in row for row in before["comments.Comment"])
    assert len(before["reversion.Version"]) > 0
    for label in before:
        assert after[label] == before[label], f"{label} differs after the restore"


def test_the_restored_site_serves_its_stories_and_images(backed_up):
    """The restored installation works as a site: a story page and its lead image."""
    target = installation(backed_up["folder"] / "served")
    ok(manage(target, "migrate", "--noinput", "-v0"))
    ok(manage(target, "restore", str(backed_up["archive"])))
    check = """
from django.test import Client
from articles.models import Story
story = Story.objects.listed().exclude(lead_image=None).first()
client = Client(HTTP_HOST="localhost")
page = client.get(story.get_absolute_url())
image = client.get(story.lead_image.file.url)
print("STATUS", page.status_code, image.status_code, story.headline in page.content.decode())
# Where each story is listed is not in the archive: the restore rebuilt it.
from articles.models import SectionListing
through = Story.secondary_sections.through.objects
wanted = set(Story.objects.values_list("pk", "section_id"))
wanted |= set(through.values_list("story_id", "section_id"))
listed = set(SectionListing.objects.values_list("story_id", "section_id"))
print("LISTINGS", bool(wanted), wanted == listed)
"""
    printed = ok(manage({**target, "DEBUG": "true"}, "shell", "-c", check))
    assert "STATUS 200 200 True" in printed
    assert "LISTINGS True True" in printed


def test_a_restore_refuses_an_installation_in_use(backed_up):
    result = manage(backed_up["source"], "restore", str(backed_up["archive"]))
    assert result.returncode != 0
    assert "not empty" in result.stderr


def test_a_restore_refuses_what_is_not_an_archive(backed_up, tmp_path):
    target = installation(tmp_path / "target")
    ok(manage(target, "migrate", "--noinput", "-v0"))
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = manage(target, "restore", str(bogus))
    assert result.returncode != 0
    assert "not a backup archive" in result.stderr
