"""Checks for uploaded images, and the renditions the public site serves.

Uploads are refused unless Pillow recognises a real photo format, the file is below a
size limit, the pixel count is below a limit (a small file can expand into gigabytes
of pixels: a "decompression bomb"), and the whole image decodes (a truncated file).
"""

from __future__ import annotations

import inspect
import logging
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]

# Rendition sizes, in pixels: the one place they are set.
# The teaser's crop, on section and home pages.
TEASER_SIZE = (400, 267)
# The widths a lead image is offered in (a responsive srcset), never wider than the original.
LEAD_IMAGE_WIDTHS = (480, 800, 1200)
# The width of the story page's fallback <img src>, and of the image in feeds.
PAGE_IMAGE_WIDTH = 800
# The width of the image shared on social networks (Open Graph, Twitter cards).
SOCIAL_IMAGE_WIDTH = 1200
# A byline's portrait, square.
PORTRAIT_SIZE = 160


# The most elongated picture the site shows: a longer strip has no sensible teaser crop
# (and cropping it would first blow it up to hundreds of millions of pixels).
MAX_ASPECT_RATIO = 10


def check_rendition_sizes(width: int, height: int) -> None:
    """Refuse a picture some rendition of which would be under one pixel, or a strip."""
    narrowest = min(LEAD_IMAGE_WIDTHS)
    if width > narrowest and round(height * narrowest / width) < 1:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels: too thin to show (its smallest "
            "version would be less than one pixel high). Crop it or export it taller.",
            code="too_thin",
            params={"width": width, "height": height},
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels: more than %(ratio)s times as long "
            "as it is wide, too narrow a strip to show. Crop it closer to a photo's shape.",
            code="too_narrow",
            params={"width": width, "height": height, "ratio": MAX_ASPECT_RATIO},
        )


def validate_image_file(file) -> None:
    """Raise ValidationError unless `file` is a safe, complete JPEG, PNG, GIF or WebP.

    A file already in storage was checked when it was uploaded: re-saving a story or a
    byline that has one does not open it again (its stored file object may be closed).
    """
    if getattr(file, "_committed", False):
        return
    max_bytes = settings.NEWSROOM_MAX_IMAGE_BYTES
    max_pixels = settings.NEWSROOM_MAX_IMAGE_PIXELS
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            "This image is %(size)s; the limit is %(limit)s. Export a smaller version.",
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "Upload a JPEG, PNG, GIF or WebP image (this file is %(format)s).",
                        code="bad_format",
                        params={"format": image_format or "not an image"},
                    )
                if width * height > max_pixels:
                    raise ValidationError(
                        "This image is %(width)s × %(height)s pixels; the limit is "
                        "%(limit)s pixels in total.",
                        code="too_many_pixels",
                        params={
                            "width": width,
                            "height": height,
                            "limit": f"{max_pixels:,}",
                        },
                    )
                check_rendition_sizes(width, height)
                # Decoding every pixel finds truncated and corrupt files, which the
                # header alone does not reveal.
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "This image has too many pixels to process safely.", code="too_many_pixels"
        ) from error
    except Exception as error:  # Pillow raises many types for damaged files.
        raise ValidationError(
            "This file is not a complete image that can be read. Upload a JPEG, PNG, GIF "
            "or WebP image.",
            code="invalid_image",
        ) from error
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def rendition_url(rendition) -> str:
    """The URL of an image rendition, made on first use; "" if it cannot be made.

    A missing or damaged original (a lost upload, an import whose file never arrived)
    must cost a picture, not the whole page.

    A rendition's name follows from its original's name and its spec (imagekit hashes
    the spec's processors for it, which costs more than the rest of a teaser), and a
    new upload gets a new name: so the URL is worked out once per process.
    """
    try:
        return _remembered(rendition, "url")
    except (OSError, ValueError, SyntaxError) as error:
        logger.warning("Image rendition %s failed: %s", rendition.name, error)
        return ""


def spec_rendition_url(instance, field_name: str) -> str:
    """`rendition_url(getattr(instance, field_name))` for an ImageSpecField, without
    making the rendition object when its URL is known: making one works out its name
    at once, for which imagekit pickles the spec's processors (about 0.3 ms a picture).
    """
    descriptor = inspect.getattr_static(type(instance), field_name)
    source = getattr(getattr(instance, descriptor.source_field_name), "name", None)
    key = (descriptor.field.spec_id, source, "url")
    if source and key in _RENDITIONS:
        return _RENDITIONS[key]
    url = rendition_url(getattr(instance, field_name))
    if source and url:  # what could not be made is tried again next time
        _remember(key, url)
    return url


def rendition_size(rendition) -> int:
    """A rendition's size in bytes (a feed's enclosure length), 0 if it has no file;
    like its URL, read once per process and not on every feed."""
    try:
        return _remembered(rendition, "size")
    except (OSError, ValueError):  # a missing original: the feed still works
        return 0


# (the spec's class or id, the original's file name, "url" or "size") → the value
_RENDITIONS: dict[tuple, str | int] = {}
RENDITIONS_KEPT = 100_000  # about 20 MB per process at most


def _remembered(rendition, attribute: str):
    """`rendition.<attribute>`, read once per spec and original file (all a rendition's
    name depends on); what could not be read is not remembered."""
    generator = getattr(rendition, "generator", None)
    source = getattr(getattr(generator, "source", None), "name", None)
    key = (type(generator), source, attribute)
    if key in _RENDITIONS:
        return _RENDITIONS[key]
    value = getattr(rendition, attribute)
    if source:  # not for a rendition without an original file
        _remember(key, value)
    return value


def _remember(key: tuple, value: str | int) -> None:
    if len(_RENDITIONS) >= RENDITIONS_KEPT:
        _RENDITIONS.clear()
    _RENDITIONS[key] = value


def forget_renditions() -> None:
    """Forget the URLs and sizes worked out so far (for tests, whose files come and go)."""
    _RENDITIONS.clear()


def track_image_sources_cheaply() -> None:
    """Let imagekit watch only the models that have renditions, and cheaply.

    imagekit listens to post_init for *every* model instance (to notice later that an
    original changed) and, for a story, makes a file object per image field to hash its
    name: a home page builds hundreds of instances, and this was a tenth of its cost.
    The same record is made here from the raw column values, for those models only.
    Its post_save receiver, which reads the record, is left as it is.
    """
    from django.db.models.signals import post_init
    from imagekit.specs.sourcegroups import signal_router

    post_init.disconnect(dispatch_uid="ik_spec_field_receivers")
    watched: dict[type, set[str]] = {}
    for group in signal_router._source_groups:
        watched.setdefault(group.model_class, set()).add(group.image_field)
    for model, fields in watched.items():
        post_init.connect(
            _remember_sources(tuple(fields)),
            sender=model,
            weak=False,
            dispatch_uid=f"articles.image_sources.{model._meta.label}",
        )


def _remember_sources(fields: tuple[str, ...]):
    def remember(sender, instance, **kwargs) -> None:
        values = instance.__dict__
        # hash(FieldFile) is hash(its name); a column not loaded (deferred) is left
        # out, and imagekit then treats it as changed on save (it makes renditions).
        instance._ik = {
            "source_hashes": {
                field: hash(getattr(values[field], "name", values[field]))
                for field in fields
                if field in values
            }
        }

    return remember
