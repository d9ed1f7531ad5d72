"""The renditions of a library image: which sizes and formats, and how they are cut.

Every rendition is an imagekit ImageSpecField on `library.models.Image`, so it is made
by imagekit's cache-file strategy (IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY) when the image is
uploaded or changed, never on a page view. A rendition's file name is a hash of its
spec, and the crops' spec holds the focal point: moving the focal point names new files,
so no cache (browser, CDN) keeps serving the old crop.
"""

from __future__ import annotations

import logging

from imagekit.specs import ImageSpec
from PIL import Image as PILImage
from PIL import features

from articles.images import LEAD_IMAGE_WIDTHS, TEASER_SIZE

logger = logging.getLogger(__name__)

# AVIF only where the installed Pillow can write it (Pillow 11.2+ built with libavif).
AVIF_SUPPORTED = bool(features.check("avif"))

# The formats each size is offered in: "fallback" is JPEG (PNG for an original that is a
# PNG or GIF, which may be transparent), for browsers that read neither WebP nor AVIF.
KINDS: tuple[str, ...] = ("fallback", "webp", *(("avif",) if AVIF_SUPPORTED else ()))
MIME_TYPES = {"webp": "image/webp", "avif": "image/avif"}

# Size name → (width, height): a height crops to that shape around the focal point;
# None keeps the original's shape at that width (never wider than the original).
SIZES: dict[str, tuple[int, int | None]] = {
    "teaser": TEASER_SIZE,
    **{f"w{width}": (width, None) for width in LEAD_IMAGE_WIDTHS},
}

OPTIONS = {
    "JPEG": {"quality": 82, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
    "AVIF": {"quality": 60},
}


def field_name(size: str, kind: str) -> str:
    """The Image attribute holding one rendition, e.g. rendition_w800_webp."""
    return f"rendition_{size}_{kind}"


def fallback_format(file_name: str) -> str:
    return "PNG" if file_name.lower().endswith((".png", ".gif")) else "JPEG"


class FocalCrop:
    """A pilkit-style processor: crop to width:height centred on the focal point, as far
    as the picture's edges allow, then resize to exactly width × height.

    The focal point (fractions of the width and height, 0–1; None is the centre) is an
    attribute, so it is part of the pickled spec imagekit hashes into the file name.
    """

    def __init__(self, width: int, height: int, x: float | None = None, y: float | None = None):
        self.width = width
        self.height = height
        self.x = 0.5 if x is None else min(max(float(x), 0.0), 1.0)
        self.y = 0.5 if y is None else min(max(float(y), 0.0), 1.0)

    def box(self, original_width: int, original_height: int) -> tuple[int, int, int, int]:
        """The (left, top, right, bottom) part of the original that is kept."""
        target = self.width / self.height
        if original_width / original_height > target:  # too wide: cut the sides
            crop_width, crop_height = max(1, round(original_height * target)), original_height
        else:  # too tall: cut top and bottom
            crop_width, crop_height = original_width, max(1, round(original_width / target))
        left = round(self.x * original_width - crop_width / 2)
        top = round(self.y * original_height - crop_height / 2)
        left = min(max(left, 0), original_width - crop_width)
        top = min(max(top, 0), original_height - crop_height)
        return (left, top, left + crop_width, top + crop_height)

    def process(self, image: PILImage.Image) -> PILImage.Image:
        cropped = image.crop(self.box(*image.size))
        return cropped.resize((self.width, self.height), PILImage.Resampling.LANCZOS)


class FitWidth:
    """A processor: the picture at `width` pixels wide, its shape kept, never enlarged."""

    def __init__(self, width: int):
        self.width = width

    def process(self, image: PILImage.Image) -> PILImage.Image:
        if image.width <= self.width:
            return image
        height = max(1, round(image.height * self.width / image.width))
        return image.resize((self.width, height), PILImage.Resampling.LANCZOS)


def spec_class(size: str, kind: str) -> type[ImageSpec]:
    """The imagekit spec of one rendition; it reads the focal point from the Image the
    source file belongs to (an ImageFieldFile knows its instance)."""
    width, height = SIZES[size]

    class Rendition(ImageSpec):
        @property
        def processors(self):
            if height is None:
                return [FitWidth(width)]
            image = getattr(self.source, "instance", None)
            return [
                FocalCrop(
                    width,
                    height,
                    getattr(image, "focal_point_x", None),
                    getattr(image, "focal_point_y", None),
                )
            ]

        @property
        def format(self):
            if kind == "fallback":
                return fallback_format(getattr(self.source, "name", "") or "")
            return kind.upper()

        @property
        def options(self):
            return OPTIONS[self.format]

    # A module-level name, so a task queue can pickle the spec and find it again.
    Rendition.__name__ = Rendition.__qualname__ = f"Rendition_{size}_{kind}"
    Rendition.__module__ = __name__
    globals()[Rendition.__name__] = Rendition
    return Rendition


def depends_on_focal_point(size: str) -> bool:
    return SIZES[size][1] is not None


# (size, kind, original's name, focal point) → URL: all a rendition's name depends on.
_URLS: dict[tuple, str] = {}
URLS_KEPT = 100_000


def rendition_url(image, size: str, kind: str = "fallback") -> str:
    """The URL of one rendition of a library image; "" without a file or if it cannot
    be worked out.

    A URL is the storage's URL of a name imagekit derives by hashing the spec: no file is
    opened or looked for (the cache-file strategy made it when the image was saved), and
    the hashing is done once per process for each name.
    """
    if not image.file:
        return ""
    key = (size, kind, image.file.name, image.focal_point_x, image.focal_point_y)
    url = _URLS.get(key)
    if url is None:
        try:
            url = getattr(image, field_name(size, kind)).url
        except (OSError, ValueError, SyntaxError) as error:
            logger.warning("Rendition %s %s of %s failed: %s", size, kind, image.file.name, error)
            return ""
        if len(_URLS) >= URLS_KEPT:
            _URLS.clear()
        _URLS[key] = url
    return url


def forget_urls() -> None:
    """Forget the URLs worked out so far (for tests, whose files come and go)."""
    _URLS.clear()
