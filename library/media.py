"""Galleries, audio and video in the media library.

A gallery is an ordered set of library images, each with an optional caption of its
own; an audio or video file is uploaded once, like an image. Neither has a public page:
a story shows one when its body holds the line `[gallery 12]`, `[audio 3]` or
`[video 4]` as a paragraph of its own (library/placements.py renders it).

An upload is checked by its content, not only its name: the first bytes must be the
container its extension promises (MP3, MP4/M4A, Ogg, WebM or WAV), it must be under
NEWSROOM_MAX_MEDIA_BYTES, and a captions track must be WebVTT. Stored names are made
here, so nothing an uploader types reaches the storage's path.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify

from library.models import STORED_NAME_LENGTH, Image

DEFAULT_MAX_MEDIA_BYTES = 200 * 1024 * 1024
# A captions file is text: a feature film's fits in well under this.
MAX_CAPTIONS_BYTES = 2 * 1024 * 1024


class Kind(models.TextChoices):
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"


# Extension → (container sniffed from the first bytes, MIME type per kind it may hold).
# WebM, MP4 and Ogg may hold sound only; the first kind listed is the one assumed.
MEDIA_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "mp3": ("mp3", {Kind.AUDIO: "audio/mpeg"}),
    "m4a": ("mp4", {Kind.AUDIO: "audio/mp4"}),
    "mp4": ("mp4", {Kind.VIDEO: "video/mp4", Kind.AUDIO: "audio/mp4"}),
    "m4v": ("mp4", {Kind.VIDEO: "video/mp4"}),
    "ogg": ("ogg", {Kind.AUDIO: "audio/ogg", Kind.VIDEO: "video/ogg"}),  # mostly Vorbis
    "oga": ("ogg", {Kind.AUDIO: "audio/ogg"}),
    "opus": ("ogg", {Kind.AUDIO: "audio/ogg"}),
    "ogv": ("ogg", {Kind.VIDEO: "video/ogg"}),
    "webm": ("webm", {Kind.VIDEO: "video/webm", Kind.AUDIO: "audio/webm"}),
    "wav": ("wav", {Kind.AUDIO: "audio/wav"}),
}
MEDIA_EXTENSIONS = list(MEDIA_TYPES)


def default_kind(kinds: dict) -> str:
    return str(next(iter(kinds), Kind.VIDEO))


def max_media_bytes() -> int:
    return getattr(settings, "NEWSROOM_MAX_MEDIA_BYTES", DEFAULT_MAX_MEDIA_BYTES)


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def sniff_container(head: bytes) -> str:
    """The container the first bytes of a file are: "mp3", "mp4", "ogg", "webm",
    "wav", or "" for anything else (HTML, SVG, a script...)."""
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"  # EBML, which Matroska shares; browsers play the WebM subset
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"ID3"):
        return "mp3"
    # An MPEG audio frame without a tag: 11 set bits of frame sync, then a layer that
    # is not "reserved" (00).
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"
    return ""


def _read_head(file, count: int = 64) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(count)
    if hasattr(file, "seek"):
        file.seek(0)
    return head if isinstance(head, bytes) else b""


def validate_media_file(file) -> None:
    """Refuse an audio or video upload that is too large, or whose bytes are not the
    container its extension names (an HTML page or an SVG renamed .mp4)."""
    if getattr(file, "_committed", False):
        return  # checked when it was uploaded
    limit = max_media_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            "This file is %(size)s; the limit is %(limit)s. Export a smaller version.",
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    expected = MEDIA_TYPES.get(extension_of(file.name), ("", {}))[0]
    found = sniff_container(_read_head(file))
    if not expected or found != expected:
        raise ValidationError(
            "This is not an audio or video file of the kind its name says (MP3, M4A, "
            "MP4, Ogg, WebM or WAV).",
            code="not_media",
        )


def validate_captions_file(file) -> None:
    """A captions track must be WebVTT: UTF-8 text that starts with "WEBVTT"."""
    if getattr(file, "_committed", False):
        return
    size = getattr(file, "size", None)
    if size is not None and size > MAX_CAPTIONS_BYTES:
        raise ValidationError(
            "A captions file is at most %(limit)s.",
            code="too_large",
            params={"limit": filesizeformat(MAX_CAPTIONS_BYTES)},
        )
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_CAPTIONS_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    if isinstance(data, str):
        data = data.encode()
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data = b""
    # The signature is followed by a space, a tab or a line break (or nothing at all).
    if not (data.startswith(b"WEBVTT") and (len(data) == 6 or data[6:7] in b" \t\r\n")):
        raise ValidationError(
            "Captions must be a WebVTT file (.vtt, starting with “WEBVTT”).",
            code="not_webvtt",
        )


def _safe_name(folder: str, filename: str, allowed: list[str], fallback: str) -> str:
    stem, extension = os.path.splitext(os.path.basename(filename or ""))
    extension = extension.lower().lstrip(".")
    if extension not in allowed:
        extension = fallback
    readable = slugify(stem)[:STORED_NAME_LENGTH].strip("-") or fallback
    return timezone.now().strftime(f"{folder}/%Y/%m/{readable}-{secrets.token_hex(4)}.{extension}")


def stored_media_name(instance, filename: str) -> str:
    """library/media/<year>/<month>/<ascii-slug>-<random>.<ext>, as for images."""
    return _safe_name("library/media", filename, MEDIA_EXTENSIONS, "bin")


def stored_captions_name(instance, filename: str) -> str:
    return _safe_name("library/captions", filename, ["vtt"], "vtt")


# Galleries ------------------------------------------------------------------------


class Gallery(models.Model):
    title = models.CharField(
        max_length=255, help_text="For finding the gallery; readers see it above the pictures."
    )
    caption = models.CharField(
        max_length=500, blank=True, help_text="Optional: a line under the whole gallery."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_galleries",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "galleries"

    def __str__(self) -> str:
        return self.title

    # The word of its placement line, `[gallery 12]`.
    placement_kind = "gallery"

    @property
    def placement(self) -> str:
        return f"[{self.placement_kind} {self.pk}]"


class GalleryImage(models.Model):
    """One picture of a gallery, in its place; PROTECT: an image in a gallery is in use."""

    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="items")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="gallery_items")
    position = models.PositiveIntegerField(default=0)
    caption = models.CharField(
        max_length=500, blank=True, help_text="Empty: the image's own caption."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "gallery picture"

    def __str__(self) -> str:
        # What an image's "Used in" list names.
        return f"“{self.gallery}” (picture {self.position})"

    @property
    def shown_caption(self) -> str:
        return self.caption or self.image.caption


# Audio and video --------------------------------------------------------------------


class MediaFile(models.Model):
    file = models.FileField(
        upload_to=stored_media_name,
        max_length=255,
        validators=[FileExtensionValidator(MEDIA_EXTENSIONS), validate_media_file],
        help_text="MP3, M4A, MP4, Ogg, WebM or WAV.",
    )
    kind = models.CharField(
        max_length=5,
        choices=Kind.choices,
        blank=True,
        help_text="Empty: worked out from the file (a WebM or MP4 is taken as video, an Ogg "
        "as audio).",
    )
    title = models.CharField(max_length=255, blank=True, help_text="Empty: the file's name.")
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    captions = models.FileField(
        "captions track",
        upload_to=stored_captions_name,
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_captions_file],
        help_text="Optional: a WebVTT (.vtt) file of captions in English.",
    )
    duration = models.PositiveIntegerField(
        "duration (seconds)", null=True, blank=True, help_text="Optional."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_media_files",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    size = models.PositiveBigIntegerField("size (bytes)", null=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "audio or video file"
        verbose_name_plural = "audio and video files"

    def __str__(self) -> str:
        return self.title or os.path.basename(self.file.name or "") or "Untitled"

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self.size = self.file.size
            if not self.title:
                stem = os.path.splitext(os.path.basename(self.file.name))[0]
                self.title = " ".join(stem.replace("_", " ").replace("-", " ").split())[:255]
        if not self.kind and self.file:
            kinds = MEDIA_TYPES.get(extension_of(self.file.name), ("", {}))[1]
            self.kind = default_kind(kinds)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.file:
            return
        kinds = MEDIA_TYPES.get(extension_of(self.file.name), ("", {}))[1]
        if not kinds:
            return  # the file field's own validators say why
        if not self.kind:
            self.kind = default_kind(kinds)
        elif self.kind not in kinds:
            raise ValidationError(
                {"kind": f"A .{extension_of(self.file.name)} file is not {self.kind}."}
            )

    @property
    def placement_kind(self) -> str:
        """The word of its placement line: `[audio 3]`, `[video 4]`."""
        return self.kind or "video"

    @property
    def placement(self) -> str:
        return f"[{self.placement_kind} {self.pk}]"

    @property
    def mime_type(self) -> str:
        kinds = MEDIA_TYPES.get(extension_of(self.file.name), ("", {}))[1]
        return kinds.get(self.kind, "")
