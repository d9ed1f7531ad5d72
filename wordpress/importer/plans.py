"""What one post or page becomes, worked out before anything is written.

`publication_of` reads its status and date (a published post without a date fails here,
before any of its terms are made); `plan_story` converts the rest into a `StoryPlan`:
the story's fields, its bylines, tags and sections, its old addresses and comments,
what its timeline will say, and any warnings. Nothing here writes to the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from articles.models import Section, Story

from ..content import BodyConverter, BodyReport, make_dek, plain_text
from ..media import MediaLibrary
from ..summary import Tally
from ..wxr import ItemError, Post, WPComment
from .addresses import post_paths
from .context import IMPORTER_VERSION, Context, ascii_slug
from .scan import Scan
from .taxonomy import Terms, credits, post_categories, post_tags, tag_key


@dataclass(frozen=True)
class Publication:
    """A post's WordPress status as ours, and why, for the timeline."""

    status: str
    published_at: datetime | None
    notes: tuple[str, ...] = ()


@dataclass
class StoryPlan:
    """Everything one post or page becomes."""

    post: Post
    digest: str
    fields: dict[str, Any]
    slug_base: str
    secondary_section_ids: list[int]
    byline_ids: list[int]
    tag_ids: list[int]
    redirect_paths: list[str]
    comments: list[WPComment]
    # The first line of a new story's timeline.
    notes: list[str]
    # Warnings, and what the body conversion removed.
    tally: Tally = field(default_factory=Tally)

    @property
    def kind(self) -> str:
        return self.post.post_type

    @property
    def section_ids(self) -> set[int]:
        return {self.fields["section"].pk, *self.secondary_section_ids}


def fingerprint(post: Post, *, scan: Scan, context: Context) -> str:
    """A digest of everything the story is made from: unchanged means nothing to do."""
    digest = hashlib.sha256()
    thumbnail = scan.attachments.get(post.thumbnail_id or 0)
    parts = [
        IMPORTER_VERSION, context.fingerprint_options, post.post_type, post.title, post.link,
        post.guid, post.creator, post.content, post.excerpt, post.raw_date,
        post.raw_date_gmt, post.comment_status, post.name, post.status, post.password,
        str(post.is_sticky), repr(post.terms), repr(post.meta.get("_wp_old_slug")),
        repr(thumbnail and (thumbnail.attachment_url, thumbnail.title, thumbnail.excerpt,
                            thumbnail.first_meta("_wp_attachment_image_alt"))),
        repr([(c.wp_id, c.content, c.approved, c.type, c.parent) for c in post.comments]),
    ]  # fmt: skip
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def publication_of(post: Post, *, context: Context) -> Publication:
    """WordPress's status as ours: publish and future → Published (now or scheduled)."""
    when = context.when(post.date_gmt, post.date)
    wp_status = post.status
    notes = []
    if wp_status in {"publish", "future"}:
        if when is None:
            raise ItemError("it is published but has no date")
        status = Story.Status.PUBLISHED
    elif wp_status == "pending":
        status = Story.Status.REVIEW
    elif wp_status == "draft":
        status = Story.Status.DRAFT
    elif wp_status == "private":
        status = Story.Status.DRAFT
        notes.append("It was private on WordPress, so it is a draft here.")
    else:
        status = Story.Status.DRAFT
        notes.append(f"Its WordPress status was “{wp_status}”, so it is a draft here.")
    if post.password:
        notes.append(
            "It was password-protected on WordPress, so it is a draft here: readers "
            "needed a password to see it. Publish it only if it may be public."
        )
        if status == Story.Status.PUBLISHED:
            status = Story.Status.DRAFT
    published_at = when if status == Story.Status.PUBLISHED else None
    return Publication(status, published_at, tuple(notes))


def plan_story(
    post: Post,
    digest: str,
    publication: Publication,
    *,
    scan: Scan,
    terms: Terms,
    converter: BodyConverter,
    media: MediaLibrary,
    context: Context,
    story: Story | None = None,
) -> StoryPlan:
    """The plan for `post`; `terms` must hold its terms (see taxonomy.add_terms)."""
    kind = post.post_type
    tally = Tally()
    title = post.display_title
    headline = title or f"Untitled (WordPress {kind} {post.wp_id})"
    if len(headline) > 255:
        _warn(tally, post, "the title is longer than 255 characters and was shortened")
        headline = Truncator(headline).chars(255)
    notes = [f"Imported from WordPress ({kind} {post.wp_id}, {post.link or 'no address'}).",
             *publication.notes]  # fmt: skip

    if kind == "page":
        section = terms.named_section(context.options.pages_section)
        secondary: list[Section] = []
    else:
        section, secondary = _post_sections(post, terms, context)

    report = BodyReport()
    body = converter.convert(post.content, post_id=post.wp_id, report=report, title=headline)
    tally.shortcodes_removed.update(report.shortcodes_removed)
    tally.blocks_removed.update(report.blocks_removed)
    tally.embeds_kept += report.embeds_kept
    tally.embeds_linked += report.embeds_linked
    tally += report.library
    if report.gallery_images_missing:
        _warn(tally, post, f"{report.gallery_images_missing} gallery images are not in the export")

    fields: dict[str, Any] = {
        "headline": headline,
        "dek": make_dek(post.excerpt, body),
        "body": body,
        "section": section,
        "status": publication.status,
        "published_at": publication.published_at,
        "is_featured": post.is_sticky,
        "allow_comments": post.comment_status == "open",
    }
    fields.update(_lead_image(post, headline, story, scan=scan, media=media, tally=tally,
                              dry_run=context.options.dry_run))  # fmt: skip
    return StoryPlan(
        post=post,
        digest=digest,
        fields=fields,
        slug_base=ascii_slug(post.name, title, max_length=200) or f"{kind}-{post.wp_id}",
        secondary_section_ids=[s.pk for s in secondary if s.pk != section.pk],
        byline_ids=_unique(terms.bylines[login.lower()] for login, _ in credits(post, scan)),
        tag_ids=_unique(terms.tags[tag_key(name)] for _, name in post_tags(post)),
        redirect_paths=post_paths(post, context.hosts),
        comments=post.comments,
        notes=notes,
        tally=tally,
    )


def _unique(ids) -> list[int]:
    return list(dict.fromkeys(ids))


def _warn(tally: Tally, post: Post, reason: str) -> None:
    tally.warn(post.post_type, post.wp_id, post.display_title, reason)


def _post_sections(post: Post, terms: Terms, context: Context) -> tuple[Section, list[Section]]:
    sections: list[Section] = []
    for term in post_categories(post):
        section = terms.sections[term.slug]
        if section not in sections:
            sections.append(section)
    if not sections:
        return terms.named_section(context.options.default_section), []
    # WordPress files every post under "Uncategorized" unless told otherwise.
    home = next((s for s in sections if s.slug != "uncategorized"), sections[0])
    return home, [s for s in sections if s.pk != home.pk]


def _lead_image(
    post: Post,
    headline: str,
    story: Story | None,
    *,
    scan: Scan,
    media: MediaLibrary,
    tally: Tally,
    dry_run: bool,
) -> dict[str, Any]:
    attachment = scan.attachments.get(post.thumbnail_id or 0)
    if attachment is None:
        if post.thumbnail_id:
            _warn(tally, post, "its featured image is not in the export")
        return {}
    relative = media.relative_path(attachment.attachment_url)
    if relative is None:
        _warn(tally, post, "its featured image has no uploads address")
        return {}
    try:
        image = media.image(relative)
    except FileNotFoundError:
        media.note_missing(relative)
        return {}
    except ValidationError as error:
        reason = f"its featured image {relative} was not used: " + " ".join(error.messages)
        _warn(tally, post, reason)
        return {}
    shown = story.lead_image.file.name if story is not None and story.lead_image_id else ""
    if story is not None and dry_run and shown != image.name:
        return {}  # not stored in a dry run, so the story cannot be pointed at it
    alt = attachment.first_meta("_wp_attachment_image_alt") or attachment.display_title or headline
    return {
        "lead_image": image.name,
        "lead_image_width": image.width,
        "lead_image_height": image.height,
        "lead_image_alt": Truncator(" ".join(alt.split())).chars(300),
        "lead_image_caption": Truncator(plain_text(attachment.excerpt)).chars(500),
    }
