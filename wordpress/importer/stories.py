"""The stories pass: posts and pages, read again from the export, a batch at a time.

Each batch is one transaction. An item seen before (`ImportedItem`) is skipped when
its fingerprint is unchanged, updated when it changed, and left alone when the story
was edited or deleted here since (unless `--overwrite`). The others are planned one
by one (a post that cannot be planned fails alone) and created together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.html import strip_tags

from articles.models import WorkflowError

from ..content import BodyConverter
from ..media import MediaLibrary
from ..models import ImportedItem
from ..summary import Tally
from ..wxr import ItemError, Post, read_export, read_post
from .comments import count_comments
from .context import STORY_KINDS, Context
from .plans import Publication, fingerprint, plan_story, publication_of
from .scan import Scan
from .taxonomy import Terms, add_terms
from .writes import create_stories, update_story

SKIPPED_STATUSES = {
    "trash": "in the WordPress trash",
    "auto-draft": "auto-drafts (never saved by an author)",
    "inherit": "revisions or attachments stored as posts",
}
# What may go wrong with one item without stopping the others.
ITEM_ERRORS = (ItemError, ValidationError, ValueError, OSError, DatabaseError, WorkflowError)


@dataclass
class StoriesDone:
    """What one batch of the export's items did."""

    tally: Tally = field(default_factory=Tally)
    items: int = 0  # export items dealt with, for the progress bar
    # Posts and pages taken from the export (each ID once), imported or not.
    ids: set[int] = field(default_factory=set)
    stories_with_images: list[int] = field(default_factory=list)


@dataclass
class _Batch:
    """What writing a batch did, and the terms it had to add."""

    terms: Terms
    tally: Tally
    stories_with_images: list[int]


def import_stories(
    path: str | Path,
    *,
    scan: Scan,
    terms: Terms,
    context: Context,
    converter: BodyConverter,
    media: MediaLibrary,
) -> Iterator[StoriesDone]:
    """Import the export's posts and pages, yielding what each batch did."""
    for posts, done in _batches(path, context=context):
        if posts:
            batch = _import_batch(
                posts, scan=scan, terms=terms, context=context, converter=converter,
                media=media,
            )  # fmt: skip
            terms = batch.terms
            done.tally += batch.tally
            done.stories_with_images += batch.stories_with_images
        yield done


def _batches(path: str | Path, *, context: Context) -> Iterator[tuple[list[Post], StoriesDone]]:
    """The posts and pages to import, a batch at a time, with what reading them found."""
    taken: set[int] = set()
    posts: list[Post] = []
    read = StoriesDone()
    for element in read_export(path):
        if element.tag != "item":
            continue
        try:
            post = read_post(element)
        except ItemError as error:
            read.items += 1
            read.tally.fail("unknown", None, _title_of(element), str(error))
            continue
        if post.post_type == "attachment":
            continue  # the attachments pass, once the stories they belong to exist
        read.items += 1
        reason = _skip_reason(post, context=context)
        if reason is not None:
            read.tally.skip(post.post_type, reason)
        elif post.wp_id in taken:
            reason = "the export lists this ID twice"
            read.tally.fail(post.post_type, post.wp_id, post.display_title, reason)
        else:
            taken.add(post.wp_id)
            read.ids.add(post.wp_id)
            posts.append(post)
            if len(posts) >= context.options.batch_size:
                yield posts, read
                posts, read = [], StoriesDone()
    if posts or read.items:
        yield posts, read


def _skip_reason(post: Post, *, context: Context) -> str | None:
    kind = post.post_type
    if kind not in STORY_KINDS:
        return "not imported: only posts, pages and attachments are"
    if kind == "page" and not context.options.import_pages:
        return "pages not imported (--skip-pages)"
    return SKIPPED_STATUSES.get(post.status)


def _import_batch(
    posts: list[Post],
    *,
    scan: Scan,
    terms: Terms,
    context: Context,
    converter: BodyConverter,
    media: MediaLibrary,
) -> _Batch:
    tally = Tally()
    stories_with_images: list[int] = []
    with transaction.atomic():
        known = {
            item.wp_id: item
            for item in ImportedItem.objects.filter(
                site=context.site, wp_id__in=[post.wp_id for post in posts]
            ).select_related("story")
        }
        wanted: list[tuple[Post, str, ImportedItem | None, Publication]] = []
        for post in posts:
            digest = fingerprint(post, scan=scan, context=context)
            item = known.get(post.wp_id)
            if item is not None:
                left_alone = _left_alone(post, item, digest, context=context)
                if left_alone is not None:
                    tally += left_alone
                    continue
            try:
                wanted.append((post, digest, item, publication_of(post, context=context)))
            except ItemError as error:
                tally.fail(post.post_type, post.wp_id, post.display_title, str(error))
        made = add_terms(terms, [post for post, *_ in wanted], scan=scan, context=context)
        tally += made.tally
        new = []
        for post, digest, item, publication in wanted:
            refused = made.refused.get(post.wp_id)
            if refused:
                tally.fail(post.post_type, post.wp_id, post.display_title, refused)
                continue
            try:
                plan = plan_story(
                    post, digest, publication, scan=scan, terms=made.terms,
                    converter=converter, media=media, context=context,
                    story=item.story if item else None,
                )  # fmt: skip
            except ITEM_ERRORS as error:
                tally.fail(post.post_type, post.wp_id, post.display_title, str(error))
                continue
            tally += plan.tally
            if item is None:
                new.append(plan)
                continue
            try:
                with transaction.atomic():
                    tally += update_story(plan, item, context=context)
            except ITEM_ERRORS as error:
                tally.fail(post.post_type, post.wp_id, post.display_title, str(error))
                continue
            tally.add(post.post_type, "updated")
        if new:
            written = create_stories(new, context=context)
            tally += written.tally
            stories_with_images += written.stories_with_images
    return _Batch(terms=made.terms, tally=tally, stories_with_images=stories_with_images)


def _left_alone(post: Post, item: ImportedItem, digest: str, *, context: Context) -> Tally | None:
    """How a post imported before is counted when it is not written again, else None."""
    tally = Tally()
    story = item.story
    edited = story is None or story.edit_version != item.story_version
    if edited and not context.options.overwrite:
        reason = (
            "deleted in Newsroom since the last import (--overwrite imports it again)"
            if story is None
            else "edited in Newsroom since the last import (--overwrite replaces the edit)"
        )
        tally.skip(post.post_type, reason)
        tally += count_comments(post, "skipped", context=context, reason="their story was skipped")
        return tally
    if not edited and item.content_hash == digest:
        tally.add(post.post_type, "unchanged")
        tally += count_comments(post, "unchanged", context=context)
        return tally
    return None


def _title_of(element: Element) -> str:
    for child in element:
        if child.tag == "title":
            return " ".join(strip_tags(child.text or "").split())
    return ""
