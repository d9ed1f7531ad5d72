"""Writing planned stories: new ones in bulk, changed ones one at a time.

New stories go in with bulk inserts (their bodies already sanitised by `clean_html`,
exactly as `Story.save()` would), and so do their bylines, tags, sections, redirects,
timeline lines, comments and import records: one INSERT per row is what makes an
import of 10,000 posts slow. A batch the database refuses is retried a story at a
time, so one broken story is reported and the others go in. A changed story is saved
like any edit, inside a revision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import reversion
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from articles.caching import keys as cache_keys
from articles.caching import purge
from articles.models import (
    BodyImage,
    Story,
    StoryByline,
    StoryLogEntry,
    StoryTag,
    refresh_listings,
    unique_slug,
)

from ..models import ImportedItem
from ..summary import Tally
from .addresses import write_story_redirects
from .comments import write_comments
from .context import Context
from .library import library_image
from .plans import StoryPlan


@dataclass
class Written:
    tally: Tally = field(default_factory=Tally)
    # New stories with a lead image, whose renditions are still to be made.
    stories_with_images: list[int] = field(default_factory=list)


def create_stories(plans: list[StoryPlan], *, context: Context) -> Written:
    """Insert the new stories of a batch; a story the database refuses fails alone."""
    slugs = assign_slugs(plans)
    try:
        with transaction.atomic():
            written = _insert(plans, slugs, context=context)
    except DatabaseError:
        # One of them is broken: find out which, and import the others.
        written = Written()
        for plan, slug in zip(plans, slugs, strict=True):
            try:
                with transaction.atomic():
                    one = _insert([plan], [slug], context=context)
            except DatabaseError as error:
                reason = f"the database refused it ({str(error).strip()})"
                written.tally.fail(plan.kind, plan.post.wp_id, plan.post.display_title, reason)
                continue
            written.tally += one.tally
            written.stories_with_images += one.stories_with_images
    _purge_lists(plans)
    return written


def update_story(plan: StoryPlan, item: ImportedItem, *, context: Context) -> Tally:
    """Bring an imported story up to date with WordPress (inside a transaction).

    The text is saved like any edit, inside a revision. A change of status is then a
    workflow step, on the timeline like any other: a take-down in WordPress (a
    published story that is not published there any more) is `unpublish()`, any other
    change `apply_import_status()`. The status is never assigned here.
    """
    by = context.options.created_by
    [slug] = assign_slugs([plan], story=item.story)
    recreated = item.story is None  # deleted here, and imported again (--overwrite)
    if recreated:
        story = Story(**new_story_fields(plan.fields), slug=slug, created_by=by)
    else:
        story = item.story
        _apply_fields(story, plan, slug)
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment("Updated from a WordPress import")
        story.save()
        StoryByline.objects.filter(story=story).delete()
        StoryTag.objects.filter(content_object=story).delete()
        story.secondary_sections.clear()
        # A story deleted here took its comments with it: import them all again.
        comment_ids = {} if recreated else item.comment_ids
        known = {int(k): v for k, v in (comment_ids or {}).items()}
        tally, [comment_ids] = _write_related([(plan, story)], context=context, known=known)
    if recreated:
        StoryLogEntry.imported(story, by=by, note=" ".join(plan.notes)).save()
    else:
        _log_status(story, plan, by=by)
    item.story = story
    item.story_version = story.edit_version
    item.content_hash = plan.digest
    item.title = Truncator(plan.post.display_title).chars(255)
    item.comment_ids = comment_ids
    item.imported_at = timezone.now()
    item.save()
    return tally


def _is_take_down(story: Story, plan: StoryPlan) -> bool:
    return story.status == Story.Status.PUBLISHED and plan.fields["status"] != story.status


def _apply_fields(story: Story, plan: StoryPlan, slug: str) -> None:
    """Everything WordPress changed, except the status (a workflow step, after the save)."""
    fields = dict(plan.fields, slug=slug)
    del fields["status"]
    if _is_take_down(story, plan):
        del fields["published_at"]  # kept, as when the desk unpublishes
    images = {k: fields.pop(k) for k in list(fields) if k.startswith("lead_image")}
    for name, value in fields.items():
        setattr(story, name, value)
    if images.get("lead_image"):  # "" in a dry run, which stores no file
        current = story.lead_image.file.name if story.lead_image_id else None
        if current != images["lead_image"]:
            story.lead_image = library_image_for(images)
    for name in ("lead_image_alt", "lead_image_caption"):
        if name in images:
            setattr(story, name, images[name])
    if not images and plan.post.thumbnail_id is None and story.lead_image_id:
        story.lead_image = None  # the featured image was removed in WordPress


def new_story_fields(planned: dict) -> dict:
    """A plan's fields for a new story: its featured image as a library image."""
    fields = {
        k: v for k, v in planned.items() if k not in ("lead_image_width", "lead_image_height")
    }
    if fields.get("lead_image"):
        fields["lead_image"] = library_image_for(planned)
    else:
        fields.pop("lead_image", None)
    return fields


def library_image_for(images: dict):
    """The media library's image for an imported featured image: the one already made of
    that stored file, or of the same bytes (an attachment imported twice, under two
    names), else a new one pointing at the stored file (no bytes are copied)."""
    from django.core.files.storage import default_storage

    from library.models import Image, sha256_of

    name = images["lead_image"]
    image = Image.objects.filter(file=name).first()
    if image is not None:
        return image
    # Hashed from storage (in a dry run the file was not stored: no hash, no match).
    digest = sha256_of(default_storage.open(name)) if default_storage.exists(name) else ""
    # Inserted, not saved: its renditions are made by the import's own step (or left
    # for generateimages with --no-renditions), as for the stories themselves.
    image, _ = library_image(
        name, digest=digest, width=images.get("lead_image_width"),
        height=images.get("lead_image_height"), alt=images.get("lead_image_alt", ""),
        caption=images.get("lead_image_caption", ""),
    )  # fmt: skip
    return image


def _log_status(story: Story, plan: StoryPlan, *, by) -> None:
    """The update on the story's timeline, as the step that changes its status if any."""
    post, wanted = plan.post, plan.fields["status"]
    note = f"Updated from WordPress ({plan.kind} {post.wp_id})."
    if wanted == story.status:
        StoryLogEntry.imported(story, by=by, note=note).save()
        return
    if _is_take_down(story, plan):
        there = "password-protected" if post.password else f"“{post.status}”"
        note += (
            f" Taken down in WordPress (it is {there} there): the import changed its status "
            f"from {story.status} to {Story.Status.UNPUBLISHED}."
        )
        story.unpublish(by=by, note=note, trusted=True)
    else:
        note += f" The import changed its status from {story.status} to {wanted}."
        story.apply_import_status(wanted, by=by, note=note)


def assign_slugs(plans: list[StoryPlan], *, story: Story | None = None) -> list[str]:
    """A slug for each plan that no other story has (`story` keeps its own if it still fits)."""
    bases = {plan.slug_base for plan in plans}
    others = Story.objects.exclude(pk=story.pk if story else None)
    # One query for the whole batch; only a base that is taken costs more.
    in_use = set(others.filter(slug__in=bases).values_list("slug", flat=True))
    claimed: set[str] = set()
    slugs = []
    for plan in plans:
        base = plan.slug_base
        if story is not None and (
            story.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", story.slug)
        ):
            slugs.append(story.slug)  # unchanged in WordPress: keep it
            continue
        numbered = f"{base}-"
        if base in in_use or base in claimed:
            in_use.update(others.filter(slug__startswith=numbered).values_list("slug", flat=True))

        def is_taken(slug: str, base: str = base, numbered: str = numbered) -> bool:
            if slug in claimed or slug in in_use:
                return True
            # in_use holds the base and its numbered forms; a shortened base is asked.
            return (
                slug != base and not slug.startswith(numbered) and others.filter(slug=slug).exists()
            )

        slug = unique_slug(
            base, taken=is_taken, max_length=200, fallback=f"{plan.kind}-{plan.post.wp_id}"
        )
        claimed.add(slug)
        slugs.append(slug)
    return slugs


def _insert(plans: list[StoryPlan], slugs: list[str], *, context: Context) -> Written:
    """Insert new stories and everything that hangs off them."""
    by = context.options.created_by
    stories = []
    for plan, slug in zip(plans, slugs, strict=True):
        story = Story(**new_story_fields(plan.fields), slug=slug, created_by=by)
        # What Story.save() would do: sanitised body (done in the plan), its text, whole
        # seconds, and the first edit count.
        story.body_text = Story.text_of(story.body)
        if story.published_at is not None:
            story.published_at = story.published_at.replace(microsecond=0)
        story.edit_version = 1
        stories.append(story)
    Story.objects.bulk_create(stories)
    # What Story.save() records of a body, for these rows it never saw: the library
    # images their bodies show inline are in use.
    BodyImage.record(stories)
    pairs = list(zip(plans, stories, strict=True))
    StoryLogEntry.objects.bulk_create(
        StoryLogEntry.imported(story, by=by, note=" ".join(plan.notes)) for plan, story in pairs
    )
    tally, comment_ids = _write_related(pairs, context=context, known={})
    now = timezone.now()
    ImportedItem.objects.bulk_create(
        ImportedItem(
            site=context.site,
            wp_id=plan.post.wp_id,
            kind=plan.kind,
            title=Truncator(plan.post.display_title).chars(255),
            story=story,
            story_version=story.edit_version,
            content_hash=plan.digest,
            comment_ids=ids,
            first_imported_at=now,
            imported_at=now,
        )  # fmt: skip
        for (plan, story), ids in zip(pairs, comment_ids, strict=True)
    )
    for plan in plans:
        tally.add(plan.kind, "created")
    with_images = [story.pk for story in stories if story.lead_image_id]
    return Written(tally=tally, stories_with_images=with_images)


def _write_related(
    pairs: list[tuple[StoryPlan, Story]], *, context: Context, known: dict[int, int]
) -> tuple[Tally, list[dict[str, int]]]:
    """Bylines, tags, secondary sections, redirects and comments; and the comments' IDs."""
    StoryByline.objects.bulk_create(
        StoryByline(story=story, byline_id=byline_id, position=position)
        for plan, story in pairs
        for position, byline_id in enumerate(plan.byline_ids)
    )
    StoryTag.objects.bulk_create(
        StoryTag(content_object=story, tag_id=tag_id)
        for plan, story in pairs
        for tag_id in plan.tag_ids
    )
    through = Story.secondary_sections.through
    through.objects.bulk_create(
        through(story_id=story.pk, section_id=section_id)
        for plan, story in pairs
        for section_id in plan.secondary_section_ids
    )
    # Bulk inserts send no signals: list the stories in their sections here.
    refresh_listings(story.pk for _plan, story in pairs)
    redirects: dict[str, int] = {}
    for plan, story in pairs:
        current = story.get_absolute_url()
        for path in plan.redirect_paths:
            if path != current:
                redirects[path] = story.pk
    tally = write_story_redirects(redirects)
    comments = write_comments(
        [(plan.post, story) for plan, story in pairs], context=context, known=known
    )
    tally += comments.tally
    return tally, comments.ids


def _purge_lists(plans: list[StoryPlan]) -> None:
    """Forget cached lists the new stories join (bulk inserts send no post_save)."""
    keys = cache_keys.listing_keys(
        section_ids={pk for plan in plans for pk in plan.section_ids},
        byline_ids={pk for plan in plans for pk in plan.byline_ids},
        tag_ids={pk for plan in plans for pk in plan.tag_ids},
    )
    # The navigation too: an import can add sections.
    purge({*keys, cache_keys.SECTIONS})  # after the batch commits; never, in a dry run
