"""Files from a copy of WordPress's `wp-content/uploads`, stored once each in media storage.

Every file is read from the directory the operator gives (`--uploads`); nothing is ever
downloaded. A file that is not there is reported and the import goes on. Each file is
stored once, under `wordpress/uploads/<its path under uploads>`, so a second import
finds it already stored and copies nothing.

Only images, audio and video are stored, each checked by its name and by its content
with the checks every upload passes: a JPEG, PNG, GIF or WebP image
(`articles.images.validate_image_file`), or an MP3, M4A, MP4, Ogg, WebM or WAV file
under the media size limit (`library.media.validate_media_file`). Media is served from
the site's own address, where an SVG or HTML file would run its script as the site;
any other file is refused, reported, and keeps its old address.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from PIL import Image

from articles.images import IMAGE_EXTENSIONS, validate_image_file
from library.media import MEDIA_EXTENSIONS, validate_media_file

STORAGE_PREFIX = "wordpress/uploads"
# WordPress's resized copies: photo-300x200.jpg next to photo.jpg.
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


@dataclass
class StoredImage:
    name: str
    width: int
    height: int


@dataclass
class StoredMedia:
    name: str
    size: int


class MediaLibrary:
    """Finds an old upload's file in the uploads copy and stores it (unless `write` is off)."""

    def __init__(
        self,
        uploads: Path | None,
        *,
        site_hosts: set[str],
        write: bool = True,
        storage: Storage | None = None,
    ) -> None:
        self.uploads = uploads.resolve() if uploads else None
        self.site_hosts = {host.lower() for host in site_hosts if host}
        self.write = write
        self.storage = storage or default_storage
        self._stored: dict[str, str | None] = {}
        self._sizes: dict[str, tuple[int, int] | ValidationError] = {}
        self._media_checked: dict[str, int | ValidationError] = {}  # path → size
        self._digests: dict[str, str] = {}
        self._missing: dict[str, None] = {}  # an ordered set
        self._refused: dict[str, str] = {}  # path → why
        self.copied = 0

    def relative_path(self, url: str) -> str | None:
        """The path under `uploads/` that an old address points to, or None for other URLs."""
        parts = urlsplit(url.strip())
        path = unquote(parts.path)
        host = parts.hostname or ""
        # Any host: the file must also be in this site's uploads copy to be used, and
        # sites that moved domain keep the old host in their content.
        if "/wp-content/uploads/" in path:
            relative = path.split("/wp-content/uploads/", 1)[1]
        elif host.endswith(".files.wordpress.com"):
            relative = path  # WordPress.com: <site>.files.wordpress.com/<year>/<month>/…
        elif host in self.site_hosts and path.startswith("/files/"):
            relative = path[len("/files/") :]  # old multisite addresses
        else:
            return None
        relative = relative.strip("/")
        if not relative or any(part in {"", ".", ".."} for part in relative.split("/")):
            return None
        return relative

    def store(self, relative: str) -> str | None:
        """The storage name of the upload at `relative`, copied if needed; None if missing."""
        if relative in self._stored:
            return self._stored[relative]
        source = self._source(relative)
        if source is None:
            # Resized copies are often not in the backup; the original will do.
            original = _SIZE_SUFFIX.sub("", relative)
            if original != relative:
                stored = self.store(original)
                self._stored[relative] = stored
                return stored
            self._stored[relative] = None
            self._missing[relative] = None
            return None
        try:
            if _extension(relative) in MEDIA_EXTENSIONS:
                self._check_media(relative, source)
            else:
                self._size(relative, source)
        except ValidationError:
            self._stored[relative] = None
            return None
        name = f"{STORAGE_PREFIX}/{relative}"
        if self.write and not self.storage.exists(name):
            with open(source, "rb") as handle:
                name = self.storage.save(name, File(handle))
            self.copied += 1
        self._stored[relative] = name
        return name

    @property
    def missing(self) -> list[str]:
        """Files the export refers to that are not in the uploads copy, in order."""
        return list(self._missing)

    @property
    def refused(self) -> dict[str, str]:
        """Files that are neither images nor audio or video, or fail their checks (so are
        not stored): path under uploads → why."""
        return dict(self._refused)

    def note_missing(self, relative: str) -> None:
        self._missing[relative] = None

    def url_for(self, url: str) -> str | None:
        """The stored copy's address for an old upload address; None to keep the old one."""
        relative = self.relative_path(url)
        if relative is None:
            return None
        name = self.store(relative)
        return self.storage.url(name) if name else None

    def image(self, relative: str) -> StoredImage:
        """The stored copy of an image, checked like any upload; ValidationError if unusable.

        Raises FileNotFoundError when the file is not in the uploads copy.
        """
        source = self._source(relative)
        if source is None:
            raise FileNotFoundError(relative)
        if _extension(relative) in MEDIA_EXTENSIONS:
            # Not refused: stored as what it is (audio or video) wherever it is used so.
            raise ValidationError("it is an audio or video file, not an image")
        width, height = self._size(relative, source)
        return StoredImage(name=self.store(relative) or "", width=width, height=height)

    def media_file(self, relative: str) -> StoredMedia:
        """The stored copy of an audio or video file; ValidationError if it is refused
        (not one, or over the size limit), FileNotFoundError if it is not in the copy."""
        source = self._source(relative)
        if source is None:
            raise FileNotFoundError(relative)
        size = self._check_media(relative, source)
        return StoredMedia(name=self.store(relative) or "", size=size)

    def sha256(self, relative: str) -> str:
        """The hex SHA-256 of an upload's bytes (read from the copy: a dry run stores
        nothing, and still finds the library's rows of the same bytes); "" if missing."""
        if relative not in self._digests:
            source = self._source(relative)
            digest = hashlib.sha256()
            if source is not None:
                with open(source, "rb") as handle:
                    while chunk := handle.read(1024 * 1024):
                        digest.update(chunk)
            self._digests[relative] = digest.hexdigest() if source is not None else ""
        return self._digests[relative]

    def _check_media(self, relative: str, source: Path) -> int:
        """The size of the audio or video file at `source`; ValidationError (noted) if
        the library would refuse it as an upload."""
        known = self._media_checked.get(relative)
        if isinstance(known, ValidationError):
            raise known
        if known is not None:
            return known
        try:
            if _extension(relative) not in MEDIA_EXTENSIONS:
                raise ValidationError("it is not an audio or video file the library takes")
            with open(source, "rb") as handle:
                validate_media_file(File(handle))
        except ValidationError as error:
            self._media_checked[relative] = error
            self._refused[relative] = " ".join(error.messages)
            raise
        size = source.stat().st_size
        self._media_checked[relative] = size
        return size

    def _size(self, relative: str, source: Path) -> tuple[int, int]:
        """The size of the image at `source`; ValidationError (noted) unless it is one."""
        known = self._sizes.get(relative)
        if isinstance(known, ValidationError):
            raise known
        if known is not None:
            return known
        try:
            if _extension(relative) not in IMAGE_EXTENSIONS:
                raise ValidationError(
                    "its name does not end in .jpg, .jpeg, .png, .gif or .webp (images), or "
                    ".mp3, .m4a, .mp4, .m4v, .ogg, .oga, .opus, .ogv, .webm or .wav (audio "
                    "and video)",
                    code="bad_name",
                )
            with open(source, "rb") as handle:
                validate_image_file(File(handle))
            with Image.open(source) as picture:
                size = picture.size
        except ValidationError as error:
            self._sizes[relative] = error
            self._refused[relative] = " ".join(error.messages)
            raise
        self._sizes[relative] = size
        return size

    def _source(self, relative: str) -> Path | None:
        if self.uploads is None:
            return None
        candidate = (self.uploads / relative).resolve()
        # The path comes from the export: never follow it outside the uploads copy.
        if not candidate.is_relative_to(self.uploads) or not candidate.is_file():
            return None
        return candidate


def _extension(relative: str) -> str:
    return PurePosixPath(relative).suffix.lower().lstrip(".")


def make_renditions(story) -> int:
    """Make every rendition of a story's lead image (a library image) now (the import
    is a task already; images written in bulk are never "saved", so no rendition task
    is queued for them); what already exists is kept. Returns how many renditions the
    image has."""
    if not story.lead_image_id:
        return 0
    story.lead_image.generate_renditions()
    return len(story.lead_image.renditions())
