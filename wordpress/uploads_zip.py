"""The uploads folder as a zip file, sent with the desk's import form.

The zip is unpacked into a folder of its own before the import reads it, and then the
import treats that folder exactly as the command treats `--uploads`: every file is found
under it only (never outside: `MediaLibrary._source`) and stored only if it is a real
image (`MediaLibrary._size`). Unpacking adds the checks a zip needs: a member whose name
climbs out of the folder (`../`, an absolute path, a drive letter), a link, or an
encrypted member is not unpacked; the members' total size is capped (a small zip can
expand into terabytes), counting the bytes really written, not the sizes the zip claims.
What is left out is reported in the import's summary with the reason.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

CHUNK = 1 << 20


def max_bytes() -> int:
    return settings.NEWSROOM_MAX_UPLOADS_ZIP_BYTES


def check_zip(file) -> None:
    """A form's check: a readable zip whose listed members fit the limits."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            "This file is not a zip file that can be read. Zip the uploads folder "
            "(wp-content/uploads) and send that.",
            code="bad_zip",
        ) from error
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    if len(members) > settings.NEWSROOM_MAX_UPLOADS_ZIP_FILES:
        raise ValidationError(
            "This zip holds %(count)s files; the limit is %(limit)s. Use the "
            "import_wordpress command with --uploads for a larger archive.",
            code="too_many_files",
            params={
                "count": f"{len(members):,}",
                "limit": f"{settings.NEWSROOM_MAX_UPLOADS_ZIP_FILES:,}",
            },
        )
    claimed = sum(member.file_size for member in members)
    if claimed > max_bytes():
        raise ValidationError(
            "Unpacked, this zip would take %(size)s; the limit is %(limit)s. Use the "
            "import_wordpress command with --uploads for a larger archive.",
            code="too_large",
            params={"size": filesizeformat(claimed), "limit": filesizeformat(max_bytes())},
        )


def _safe_name(member: zipfile.ZipInfo) -> str | None:
    """The member's path relative to the folder, or None when it must not be unpacked."""
    name = member.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        return None
    if any(part in {"", ".", ".."} for part in name.rstrip("/").split("/")):
        return None
    if "\x00" in name or any(ord(character) < 32 for character in name):
        return None
    return name


def _why_left_out(member: zipfile.ZipInfo) -> str | None:
    if _safe_name(member) is None:
        return "its name in the zip leads outside the uploads folder"
    if stat.S_ISLNK(member.external_attr >> 16):
        return "it is a link in the zip, not a file"
    if member.flag_bits & 0x1:
        return "it is encrypted in the zip"
    return None


def unpack(zip_path: Path, into: Path) -> tuple[Path, dict[str, str]]:
    """Unpack the zip's files into `into`; returns the uploads folder found in it (the
    folder holding the year folders, e.g. inside wp-content/uploads/) and the members
    left out, name → why."""
    into.mkdir(parents=True, exist_ok=True)
    left_out: dict[str, str] = {}
    budget = max_bytes()
    with zipfile.ZipFile(zip_path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            why = _why_left_out(member)
            if why is None and budget <= 0:
                why = f"the zip's files add up to more than {filesizeformat(max_bytes())}"
            if why:
                left_out[member.filename[:300]] = why
                continue
            target = into / _safe_name(member)
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with archive.open(member) as source, open(target, "wb") as copy:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > budget:
                            raise OverflowError
                        copy.write(chunk)
            except OverflowError:
                target.unlink()
                left_out[member.filename[:300]] = (
                    f"the zip's files add up to more than {filesizeformat(max_bytes())}"
                )
                budget = 0
                continue
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                target.unlink(missing_ok=True)
                left_out[member.filename[:300]] = f"it cannot be read from the zip ({error})"
                continue
            budget -= written
    return uploads_root(into), left_out


def uploads_root(folder: Path) -> Path:
    """Where the year folders are: a zip of wp-content/ or of uploads/ itself holds them
    one or two folders down."""
    for candidate in (folder / "wp-content" / "uploads", folder / "uploads"):
        if candidate.is_dir():
            return candidate
    entries = [entry for entry in folder.iterdir() if not entry.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].name.isdigit():
        return uploads_root(entries[0])
    return folder


def remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
