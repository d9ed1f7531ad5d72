"""The newsroom's data model, one module per concept.

- `sections`: Section and Byline, where a story is filed and who is credited;
- `stories`: Story and its queryset (the one definition of public and listed),
  StoryByline and StoryTag;
- `workflow`: the steps a story takes (the core behind `submit()`, `publish()`, …),
  StoryLogEntry and the workflow errors; the vocabulary is in `articles.workflow`;
- `addresses`: reserved slugs, slug uniquing and StoryRedirect (slug history);
- `desk`: Correction, EditLock and PreviewLink;
- `taxonomy`: tag aliases, and the old slugs of renamed, merged and folded tags and
  sections (TagAlias, TagRedirect, SectionRedirect).

Everything is importable from `articles.models`, as before the split.
"""

from .addresses import (
    RESERVED_SECTION_SLUGS,
    StoryRedirect,
    unique_slug,
    unique_story_slug,
    validate_section_slug,
)
from .desk import Autosave, Correction, EditLock, PreviewLink, now_to_the_second

# now_to_the_second: migration 0006 names it here.
from .lead_image import BodyImage
from .sections import Byline, Section, SectionPin, remember_pins, section_url
from .stories import (
    SectionListing,
    Story,
    StoryByline,
    StoryTag,
    add_teaser_annotation,
    archive_day_url,
    attach_credits,
    credits_prefetch,
    refresh_listings,
    split_newest_and_featured,
    story_url,
)
from .taxonomy import SectionRedirect, TagAlias, TagRedirect, ascii_slug, folded
from .workflow import (
    StoryLogEntry,
    WorkflowError,
    WorkflowPermissionError,
    WorkflowStateError,
)

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "Autosave",
    "BodyImage",
    "Byline",
    "Correction",
    "EditLock",
    "PreviewLink",
    "Section",
    "SectionListing",
    "SectionPin",
    "SectionRedirect",
    "Story",
    "StoryByline",
    "StoryLogEntry",
    "StoryRedirect",
    "StoryTag",
    "TagAlias",
    "TagRedirect",
    "WorkflowError",
    "WorkflowPermissionError",
    "WorkflowStateError",
    "add_teaser_annotation",
    "archive_day_url",
    "attach_credits",
    "refresh_listings",
    "ascii_slug",
    "folded",
    "credits_prefetch",
    "now_to_the_second",
    "remember_pins",
    "section_url",
    "split_newest_and_featured",
    "story_url",
    "unique_slug",
    "unique_story_slug",
    "validate_section_slug",
]
