"""Reading, comparing and restoring story revisions (kept by django-reversion).

A revision holds the story's fields (sections included), its bylines in order and its
tags. These helpers turn one into a "snapshot" the templates can show, compare two
snapshots field by field, and restore one without touching the story's workflow state.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from reversion.models import Version
from taggit.models import Tag

from .models import Byline, Section, Story, StoryByline, StoryTag, WorkflowStateError
from .text import html_to_text

# Fields a restore never changes: status and timing move only through workflow steps.
WORKFLOW_FIELDS = (
    "status", "published_at", "embargo_until", "materially_updated_at", "assigned_to_id",
    "created_by_id", "created_at", "edit_version",
)  # fmt: skip

COMPARED_FIELDS = [
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("dek", "Dek"),
    ("body_text", "Body"),
    ("section", "Section"),
    ("secondary_sections", "Secondary sections"),
    ("bylines", "Bylines"),
    ("tags", "Tags"),
    ("kind", "Kind"),
    ("source", "Source credit"),
    ("lead_image", "Lead image"),
    ("lead_image_alt", "Alt text"),
    ("lead_image_caption", "Caption"),
    ("lead_image_credit", "Image credit"),
]


def story_versions(story: Story):
    return Version.objects.get_for_object(story).select_related("revision__user")


def snapshot(version: Version) -> Story:
    """The story as it was in `version`: an unsaved Story with its bylines and tags attached.

    Templates that read `story.credited_bylines`, `story.tags.all` and
    `story.secondary_sections.all` show the revision's values, not today's.
    """
    story: Story = version._object_version.object
    m2m = version._object_version.m2m_data or {}
    revision_versions = list(version.revision.version_set.all())
    credits = []
    tag_ids = []
    for other in revision_versions:
        model = other._model
        if model is StoryByline:
            credit = other._object_version.object
            if credit.story_id == story.pk:
                credits.append(credit)
        elif model is StoryTag:
            tagged = other._object_version.object
            if tagged.content_object_id == story.pk:
                tag_ids.append(tagged.tag_id)
    bylines = Byline.objects.in_bulk([credit.byline_id for credit in credits])
    for credit in credits:
        credit.byline = bylines.get(credit.byline_id) or Byline(name="(deleted byline)")
    credits.sort(key=lambda credit: (credit.position, credit.pk or 0))
    section_ids = [int(pk) for pk in m2m.get("secondary_sections", [])]
    sections = Section.objects.in_bulk([story.section_id, *section_ids])
    story.section = sections.get(story.section_id) or Section(name="(deleted section)")
    story._prefetched_objects_cache = {
        "story_bylines": credits,
        "tags": sorted(Tag.objects.filter(pk__in=tag_ids), key=lambda tag: tag.name.lower()),
        "secondary_sections": [sections[pk] for pk in section_ids if pk in sections],
    }
    return story


def _comparable(story: Story) -> dict[str, str]:
    return {
        "headline": story.headline,
        "slug": story.slug,
        "dek": story.dek,
        # Computed, not read from the field: revisions older than the field lack it.
        "body_text": html_to_text(story.body),
        "section": str(story.section),
        "secondary_sections": ", ".join(s.name for s in story.secondary_sections.all()),
        "bylines": "; ".join(
            f"{credit.get_role_display()} {credit.byline.name}" for credit in story.credited_bylines
        ),
        # In name order, as snapshots hold them: the same tags never read as a change.
        "tags": ", ".join(sorted((tag.name for tag in story.tags.all()), key=str.lower)),
        "kind": story.get_kind_display(),
        "source": " ".join(filter(None, [story.source_name, story.source_url])),
        "lead_image": story.lead_image.file.name if story.lead_image_id else "",
        "lead_image_alt": story.lead_image_alt,
        "lead_image_caption": story.lead_image_caption,
        "lead_image_credit": story.lead_image_credit,
    }


_WORDS = re.compile(r"\n|[^\s]+")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]]  # (equal|delete|insert, words)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences, as (operation, text) pairs a template can mark up.

    A line break is a word of its own, so paragraphs stay apart in the diff.
    """
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", " ".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            segments.append(("insert", " ".join(new_words[b1:b2])))
    return segments


def compare(old: Story, new: Story) -> list[FieldChange]:
    """The fields that differ between two snapshots (or a snapshot and the live story)."""
    before, after = _comparable(old), _comparable(new)
    return [
        FieldChange(label, before[key], after[key], word_diff(before[key], after[key]))
        for key, label in COMPARED_FIELDS
        if before[key] != after[key]
    ]


def version_with_edit_version(story: Story, edit_version: int) -> Version | None:
    """The revision saved when the story's save counter was `edit_version`."""
    for version in story_versions(story):
        if version.field_dict.get("edit_version") == edit_version:
            return version
    return None


def revert_to(story: Story, version: Version) -> None:
    """Bring back `version`'s text, bylines, tags and sections, keeping the workflow fields.

    Called inside the restore step (`Story.restore()`), which checks, saves the new
    revision and logs; refused with a reason when the revision cannot come back as it was.
    """
    old = version._object_version.object
    if Story.objects.filter(slug=old.slug).exclude(pk=story.pk).exists():
        raise WorkflowStateError(
            f"This revision's address (“{old.slug}”) is now used by another story. "
            "Change that story's slug, or edit this one by hand."
        )
    if not Section.objects.filter(pk=old.section_id).exists():
        raise WorkflowStateError(
            "This revision's section has been deleted. Choose a section for the story by hand."
        )
    kept = {field: getattr(story, field) for field in WORKFLOW_FIELDS}
    version.revision.revert(delete=True)
    story.refresh_from_db()
    for field, value in kept.items():
        setattr(story, field, value)
