"""Tidying tags and sections: merge, rename, alias, fold, and find the mess.

Every operation here keeps every old link working: a merged or renamed tag's old slug,
and a renamed or folded section's, answer a permanent redirect to where they went
(`TagRedirect`, `SectionRedirect`, read by articles/middleware.py). Each story a merge or
a fold changes gets a line on its timeline. Caches are purged by the usual receivers
(articles/caching/receivers.py): a story's tags, sections and the tags themselves are
rows whose saves and deletes they already follow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import pre_save
from taggit.models import Tag

from articles import workflow
from articles.models import (
    Section,
    SectionRedirect,
    Story,
    StoryTag,
    TagAlias,
    TagRedirect,
    ascii_slug,
    folded,
)
from articles.tags import validate_tag_name

TIDY_TAGS_PERMISSION = "taggit.change_tag"
TIDY_SECTIONS_PERMISSION = "articles.change_section"


class TidyingError(Exception):
    pass


# Merging tags ---------------------------------------------------------------------------


@dataclass
class MergePlan:
    """What merging `tags` into `survivor_name` will do, before it is done."""

    tags: list[Tag]
    survivor_name: str
    survivor: Tag | None  # None: a new tag will be made
    # (story, its tag names before, after), for every story that changes.
    changes: list[tuple[Story, list[str], list[str]]] = field(default_factory=list)

    @property
    def merged_away(self) -> list[Tag]:
        return [tag for tag in self.tags if self.survivor is None or tag.pk != self.survivor.pk]


def find_survivor(tags: list[Tag], name: str) -> Tag | None:
    """The tag that will stay: one of `tags`, or any tag, whose name folds to `name`'s."""
    key = folded(name)
    for tag in tags:
        if folded(tag.name) == key:
            return tag
    return next((tag for tag in Tag.objects.all() if folded(tag.name) == key), None)


def plan_tag_merge(tags: list[Tag], survivor_name: str) -> MergePlan:
    survivor_name = " ".join(survivor_name.split())
    survivor = find_survivor(tags, survivor_name)
    if len(tags) < 2 and survivor in tags:
        raise TidyingError("Choose at least two tags to merge, or a new name for one.")
    try:
        validate_tag_name(survivor_name)
    except ValidationError as error:
        raise TidyingError(" ".join(error.messages)) from error
    plan = MergePlan(tags=tags, survivor_name=survivor.name if survivor else survivor_name,
                     survivor=survivor)  # fmt: skip
    away = {tag.pk for tag in plan.merged_away}
    stories = (
        Story.objects.filter(tagged_items__tag__in=away).distinct().prefetch_related("tags")
    ).order_by("-published_at", "-pk")
    for story in stories:
        before = sorted(tag.name for tag in story.tags.all())
        after = sorted({*(n for n in before if n not in {t.name for t in plan.merged_away}),
                        plan.survivor_name})  # fmt: skip
        plan.changes.append((story, before, after))
    return plan


@transaction.atomic
def merge_tags(plan: MergePlan, *, by) -> Tag:
    """Do what `plan` says: every story keeps its other tags and gains the survivor once;
    the merged tags' slugs redirect to the survivor's, and their names become aliases."""
    if not by.has_perm(TIDY_TAGS_PERMISSION):
        raise TidyingError("Only editors and administrators merge tags.")
    survivor = plan.survivor or Tag.objects.create(name=plan.survivor_name)
    away = plan.merged_away
    names = ", ".join(f"“{tag.name}”" for tag in away)
    note = f"Tags {names} merged into “{survivor.name}”."
    story_ids = set(
        StoryTag.objects.filter(tag__in=away).values_list("content_object_id", flat=True)
    )
    for story in Story.objects.filter(pk__in=story_ids):
        StoryTag.objects.get_or_create(content_object=story, tag=survivor)
        story.log_entries.create(
            action=workflow.Action.RETAG, from_status=story.status, to_status=story.status,
            by=by, note=note,
        )  # fmt: skip
    StoryTag.objects.filter(tag__in=away).delete()
    for tag in away:
        # Earlier redirects and aliases to a merged tag now lead to the survivor.
        TagRedirect.objects.filter(tag=tag).update(tag=survivor)
        TagAlias.objects.filter(tag=tag).update(tag=survivor)
        TagRedirect.objects.update_or_create(old_slug=tag.slug, defaults={"tag": survivor})
        if folded(tag.name) != folded(survivor.name):
            TagAlias.objects.update_or_create(
                folded_name=folded(tag.name), defaults={"tag": survivor, "name": tag.name}
            )
        tag.delete()
    # The survivor's own slug is live: no redirect may take it elsewhere.
    TagRedirect.objects.filter(old_slug=survivor.slug).delete()
    return survivor


# Folding a section into another ----------------------------------------------------------


@transaction.atomic
def fold_section(old: Section, into: Section, *, keep_as_secondary: bool, by) -> int:
    """Move `old`'s stories into `into`; `old` goes out of view and its pages redirect.

    With `keep_as_secondary`, each moved story keeps `old` as a secondary section, so
    making `old` active again later unfolds it. Returns how many stories moved.
    """
    if not by.has_perm(TIDY_SECTIONS_PERMISSION):
        raise TidyingError("Only editors and administrators move sections.")
    if old.pk == into.pk:
        raise TidyingError("Choose another section to fold it into.")
    if not into.is_active:
        raise TidyingError(f"“{into}” is not active: readers could not follow the redirect.")
    ancestor = into
    while ancestor is not None:
        if ancestor.pk == old.pk:
            raise TidyingError(f"“{into}” is inside “{old}”: fold it elsewhere.")
        ancestor = ancestor.parent
    moved = 0
    for story in Story.objects.filter(section=old):
        story.section = into
        story.save()
        story.secondary_sections.remove(into)
        if keep_as_secondary:
            story.secondary_sections.add(old)
        story.log_entries.create(
            action=workflow.Action.REFILE, from_status=story.status, to_status=story.status,
            by=by, note=f"Moved from “{old}” to “{into}” (the section was folded).",
        )  # fmt: skip
        moved += 1
    if not keep_as_secondary:
        for story in Story.objects.filter(secondary_sections=old):
            story.secondary_sections.remove(old)
            if story.section_id != into.pk:
                story.secondary_sections.add(into)
    Section.objects.filter(parent=old).update(parent=into)
    old.is_active = False
    old.save()
    SectionRedirect.objects.filter(section=old).update(section=into)
    SectionRedirect.objects.update_or_create(old_slug=old.slug, defaults={"section": into})
    return moved


# Renames keep their old addresses ------------------------------------------------------------


def _remember_tag_slug(sender, instance: Tag, **kwargs) -> None:
    # A slug in use again (by this tag or a new one) is live: no redirect may take it.
    TagRedirect.objects.filter(old_slug=instance.slug).delete()
    if instance.pk is None:
        return
    old = Tag.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        TagRedirect.objects.update_or_create(old_slug=old, defaults={"tag": instance})


def _remember_section_slug(sender, instance: Section, **kwargs) -> None:
    if instance.pk is None or instance.is_active:
        # An active section at a slug is what readers get there: no redirect may take it.
        SectionRedirect.objects.filter(old_slug=instance.slug).delete()
    if instance.pk is None:
        return
    old = Section.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        SectionRedirect.objects.update_or_create(old_slug=old, defaults={"section": instance})


def connect() -> None:
    pre_save.connect(_remember_tag_slug, sender=Tag, dispatch_uid="articles.tag_slug_history")
    pre_save.connect(
        _remember_section_slug, sender=Section, dispatch_uid="articles.section_slug_history"
    )


# Finding the mess ---------------------------------------------------------------------------


def within_edits(a: str, b: str, most: int) -> bool:
    """Whether `a` becomes `b` in at most `most` single-letter edits (Levenshtein)."""
    if abs(len(a) - len(b)) > most:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))  # fmt: skip
        if min(current) > most:
            return False
        previous = current
    return previous[-1] <= most


def is_plural_of(a: str, b: str) -> bool:
    return a in (b + "s", b + "es") or (b.endswith("y") and a == b[:-1] + "ies")


@dataclass
class LikelyDuplicates:
    reason: str
    tags: list[Tag]


def likely_duplicate_tags() -> tuple[list[LikelyDuplicates], list[Tag]]:
    """Groups of tags that are probably one tag, with their story counts; and unused tags.

    Same name after folding case, accents and punctuation; one a plural of the other; or
    one or two letters apart (names of five letters or more, so "art" and "arts" are
    judged as plurals, not typos).
    """
    tags = list(Tag.objects.annotate(story_count=Count("articles_storytag_items")).order_by("name"))
    groups: list[LikelyDuplicates] = []
    # Each name once as words ("linden st"): for plurals and typos, and without the
    # spaces for "the same name" ("lindenst").
    keys = {tag.pk: ascii_slug(tag.name).replace("-", " ") for tag in tags}
    by_key: dict[str, list[Tag]] = defaultdict(list)
    for tag in tags:
        by_key[keys[tag.pk].replace(" ", "")].append(tag)
    paired: set[frozenset[int]] = set()
    for same in by_key.values():
        if len(same) > 1:
            groups.append(LikelyDuplicates("the same name, but for case, accents or spacing", same))
            paired.update(frozenset((a.pk, b.pk)) for a in same for b in same if a != b)
    for index, a in enumerate(tags):
        for b in tags[index + 1 :]:
            if frozenset((a.pk, b.pk)) in paired:
                continue
            ka, kb = keys[a.pk], keys[b.pk]
            if is_plural_of(ka, kb) or is_plural_of(kb, ka):
                groups.append(LikelyDuplicates("one is the plural of the other", [a, b]))
            elif min(len(ka), len(kb)) >= 5 and within_edits(ka, kb, 2):
                groups.append(LikelyDuplicates("one or two letters apart", [a, b]))
    unused = [tag for tag in tags if tag.story_count == 0]
    return groups, unused
