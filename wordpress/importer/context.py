"""What every pass of an import reads: the options, resolved once, and small helpers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.conf import settings
from django.utils.text import slugify

from articles.models import Section

# Bump when the conversion changes, so the next import refreshes every story.
IMPORTER_VERSION = "2"  # 2: media in bodies become library rows
STORY_KINDS = {"post", "page"}
# The longest old address kept (StoryRedirect and LegacyURL hold 500 characters).
MAX_PATH = 500


class ImportConfigError(Exception):
    """The import's options are wrong (an unknown section or time zone)."""


@dataclass
class ImportOptions:
    uploads: Path | None = None
    dry_run: bool = False
    overwrite: bool = False
    # WordPress category (slug or name, any case) → slug of an existing section.
    section_for: dict[str, str] = field(default_factory=dict)
    import_pages: bool = True
    pages_section: str = "pages"
    default_section: str = "uncategorized"
    keep_pingbacks: bool = False
    time_zone: str = ""
    category_base: str = "category"
    tag_base: str = "tag"
    created_by: Any = None
    batch_size: int = 250
    # Make lead-image renditions at the end (else: `manage.py generateimages` later).
    renditions: bool = True


@dataclass(frozen=True)
class Context:
    """The options checked against the database and the export; read by every pass."""

    options: ImportOptions
    time_zone: ZoneInfo
    # Lower-cased category slug or name → the existing section it is filed under.
    mapped_sections: dict[str, Section]
    # The options that change what an item becomes, in every item's fingerprint.
    fingerprint_options: str
    comments_installed: bool
    # The WordPress site, from the export's header (see `for_site`).
    site: str = ""
    hosts: frozenset[str] = frozenset()

    @classmethod
    def resolve(cls, options: ImportOptions) -> Context:
        """Check the options; ImportConfigError names what is wrong, before anything is read."""
        name = options.time_zone or settings.TIME_ZONE
        try:
            time_zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ImportConfigError(f"Unknown time zone “{name}”.") from error
        mapped = {}
        for category, section_slug in options.section_for.items():
            section = Section.objects.filter(slug=section_slug).first()
            if section is None:
                raise ImportConfigError(
                    f"There is no section “{section_slug}” for the category “{category}”. "
                    "Create it first, or give the slug of an existing section."
                )
            mapped[category.strip().lower()] = section
        fingerprint_options = "|".join(
            [
                repr(sorted(options.section_for.items())),
                options.pages_section,
                options.default_section,
                str(options.keep_pingbacks),
                str(time_zone),
                str(options.uploads is not None),
                options.category_base,
                options.tag_base,
            ]
        )
        return cls(
            options=options,
            time_zone=time_zone,
            mapped_sections=mapped,
            fingerprint_options=fingerprint_options,
            comments_installed=apps.is_installed("comments"),
        )

    def for_site(self, site: str, hosts: Iterable[str]) -> Context:
        return dataclasses.replace(self, site=site, hosts=frozenset(hosts))

    def when(self, gmt: datetime | None, local: datetime | None) -> datetime | None:
        """An aware time from WordPress's GMT time, or else its local time in the site's zone."""
        if gmt is not None:
            return gmt.replace(tzinfo=UTC)
        if local is not None:
            return local.replace(tzinfo=self.time_zone)
        return None


def ascii_slug(*candidates: str, max_length: int = 100) -> str:
    """A slug for URLs, which are ASCII here: the first candidate that is ASCII already,
    else the fullest of what the others keep ("Επίπεδο 2 -Second level" → "2-second-level").
    """
    lossy = ""
    for candidate in candidates:
        text = unquote(candidate or "")
        slug = slugify(text)[:max_length].strip("-")
        if slug and text.isascii():
            return slug
        if len(slug) > len(lossy):
            lossy = slug
    return lossy


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk
