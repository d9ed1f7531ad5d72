"""Library images for tests."""

from __future__ import annotations

from library.models import Image
from tests.factories import make_image_file


def make_library_image(width: int = 640, height: int = 480, format: str = "JPEG", **overrides):
    """A saved library image (its renditions made, as on any save)."""
    fields = {"file": make_image_file(width, height, format), "alt_text": "A test picture"}
    fields.update(overrides)
    return Image.objects.create(**fields)
