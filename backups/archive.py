"""One archive holds a whole newsroom: the database as JSON fixtures, and the media files.

`write_archive()` dumps every row the site needs (stories, revisions, comments, users,
roles, redirects...) with their primary keys, and refers to content types and
permissions by natural key, so it loads into any empty installation of the same version,
on SQLite or PostgreSQL (the sequences are reset after); and it copies every file in
the media storage (uploads and their renditions). `restore_archive()` does the reverse
into an installation that has been migrated and holds nothing yet.

Left out on purpose: content types and permissions (each installation makes its own;
rows refer to them by natural key), sessions and login attempts (short-lived, and
restoring them would log people back in or lock them out), and the admin's own change
log (the story timeline and revisions, which are kept, say what happened).

The archive is a gzipped tar: `manifest.json` (what and when), `data.json`, `media/...`.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.models import SectionListing, Story, refresh_listings

FORMAT_VERSION = 1
# Derived rows are rebuilt after a restore rather than kept (articles.SectionListing).
EXCLUDED = [
    "contenttypes", "auth.permission", "sessions", "axes", "admin.logentry",
    "articles.SectionListing",
]  # fmt: skip
# Rows that say an installation is in use: restoring over them would mix two newsrooms.
IN_USE = [
    "articles.Story", "articles.Section", "comments.Comment", "users.User", "library.Image",
]  # fmt: skip

Progress = Callable[[str], None]


class RestoreError(Exception):
    """The archive cannot be restored here (not empty, or not an archive of ours)."""


def media_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, through the storage API (local disk or S3)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from media_files(storage, f"{folder}/{name}" if folder else name)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def write_archive(path: Path, *, progress: Progress = lambda line: None) -> dict:
    """Write the database and the media files to `path`; return the manifest."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.json"
        progress("Database: dumping…")
        call_command(
            "dumpdata", exclude=EXCLUDED, natural_foreign=True, output=str(data),
            verbosity=0,
        )  # fmt: skip
        objects = len(json.loads(data.read_text()))
        progress(f"Database: {objects} rows.")
        names = list(media_files(default_storage))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "rows": objects,
            "media": {},
        }
        with tarfile.open(path, "w:gz") as tar:
            tar.add(data, arcname="data.json")
            size = 0
            for number, name in enumerate(names, 1):
                with default_storage.open(name, "rb") as file:
                    content = file.read()
                size += len(content)
                manifest["media"][name] = hashlib.sha256(content).hexdigest()
                _add_bytes(tar, f"media/{name}", content)
                if number % 25 == 0 or number == len(names):
                    progress(f"Media: {number}/{len(names)} files, {size / 1e6:.1f} MB.")
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    progress(f"Written {path} ({path.stat().st_size / 1e6:.1f} MB).")
    return manifest


def installation_in_use() -> list[str]:
    return [label for label in IN_USE if apps.get_model(label).objects.exists()]


def restore_archive(path: Path, *, progress: Progress = lambda line: None) -> dict:
    """Load an archive into this (migrated, empty) installation; return its manifest."""
    in_use = installation_in_use()
    if in_use:
        raise RestoreError(
            "This installation is not empty (it has " + ", ".join(in_use) + "). Restore into "
            "a new database that has only been migrated."
        )
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise RestoreError(f"{path} is not a backup archive: {error}") from error
    with tar, tempfile.TemporaryDirectory() as folder:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))
            data = tar.extractfile("data.json").read()
        except (KeyError, ValueError) as error:
            raise RestoreError(f"{path} is not a backup archive: {error}") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreError(f"Unknown archive format {manifest.get('format')!r}.")
        fixture = Path(folder) / "data.json"
        fixture.write_bytes(data)
        progress(f"Database: loading {manifest['rows']} rows…")
        with transaction.atomic():
            # The roles that migrating made come back from the archive, with their ids.
            Group.objects.all().delete()
            call_command("loaddata", str(fixture), verbosity=0)
            SectionListing.objects.all().delete()  # the loaded stories' receivers made some
            refresh_listings(Story.objects.values_list("pk", flat=True))
        progress("Database: loaded.")
        names = list(manifest["media"])
        for number, name in enumerate(names, 1):
            content = tar.extractfile(f"media/{name}").read()
            if hashlib.sha256(content).hexdigest() != manifest["media"][name]:
                raise RestoreError(f"The archive's copy of {name} is damaged.")
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                raise RestoreError(f"{name} could not be restored under its own name.")
            if number % 25 == 0 or number == len(names):
                progress(f"Media: {number}/{len(names)} files.")
    return manifest
