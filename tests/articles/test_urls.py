"""The site's addresses: section slugs sit at the top level, so other pages' paths are reserved."""

from __future__ import annotations

from django.urls import get_resolver

from articles.models import RESERVED_SECTION_SLUGS


def top_level_segments() -> set[str]:
    """The first path segment of every URL pattern that starts with a fixed word."""
    segments = set()
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern)
        for inner in getattr(pattern, "url_patterns", None) or [None]:
            full = route + (str(inner.pattern) if inner is not None else "")
            first = full.lstrip("^").split("/", 1)[0]
            if first and "<" not in first and "(" not in first:
                segments.add(first)
    return segments


def test_every_fixed_top_level_path_is_a_reserved_section_slug():
    """A section named like another page (say "search") would be shadowed by it."""
    missing = {
        segment
        for segment in top_level_segments()
        if segment.split("-<", 1)[0] not in RESERVED_SECTION_SLUGS
        and not segment.startswith("sitemap-")
    }
    assert missing == set()


def test_sitemap_pages_cannot_be_section_slugs():
    # /sitemap-stories.xml and friends: a slug cannot hold a dot, so no section can clash.
    import pytest
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    with pytest.raises(ValidationError):
        validate_slug("sitemap-stories.xml")
