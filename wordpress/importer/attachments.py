"""The attachments pass, after the stories: files, attachment pages and lead-image sizes.

An attachment's file is copied from the uploads folder into media storage, and becomes
(or is found again as) the media library's image, or audio or video file, whether or not
a post shows it; its page on the old site redirects to the story it belongs to (its
parent, or the post it is the featured image of). Last, the new lead images are resized
for the public pages, as saving each story would have done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Story

from ..content import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS, BodyReport, plain_text
from ..media import MediaLibrary, make_renditions
from ..models import ImportedItem
from ..summary import Problem, Tally
from ..wxr import Post
from .addresses import attachment_page_path, write_story_redirects
from .context import IMPORTER_VERSION, Context, batched
from .library import LibraryWriter
from .scan import Scan

TWICE = "the export lists this ID twice"


@dataclass
class AttachmentsDone:
    tally: Tally = field(default_factory=Tally)
    items: int = 0


@dataclass
class Resized:
    items: int = 0
    renditions: int = 0
    warnings: list[Problem] = field(default_factory=list)


def import_attachments(
    scan: Scan,
    *,
    context: Context,
    media: MediaLibrary,
    story_ids: set[int],
    library: LibraryWriter | None = None,
) -> Iterator[AttachmentsDone]:
    """Every attachment of the export, a batch at a time (`story_ids`: posts' and pages' IDs)."""
    if scan.duplicate_attachments:
        done = AttachmentsDone(items=len(scan.duplicate_attachments))
        for duplicate in scan.duplicate_attachments:
            done.tally.fail("attachment", duplicate.wp_id, duplicate.display_title, TWICE)
        yield done
    for chunk in batched(scan.attachments.values(), context.options.batch_size):
        with transaction.atomic():
            tally = _import_batch(
                chunk, scan=scan, context=context, media=media, story_ids=story_ids,
                library=library,
            )  # fmt: skip
        yield AttachmentsDone(tally=tally, items=len(chunk))


def _import_batch(
    attachments: list[Post],
    *,
    scan: Scan,
    context: Context,
    media: MediaLibrary,
    story_ids: set[int],
    library: LibraryWriter | None,
) -> Tally:
    tally = Tally()
    site = context.site
    known = {
        item.wp_id: item
        for item in ImportedItem.objects.filter(site=site, wp_id__in=[a.wp_id for a in attachments])
    }
    owner_ids = {a.parent for a in attachments if a.parent} | {
        scan.thumbnail_users[a.wp_id] for a in attachments if a.wp_id in scan.thumbnail_users
    }
    owners = dict(
        ImportedItem.objects.filter(site=site, wp_id__in=owner_ids)
        .exclude(story=None)
        .values_list("wp_id", "story_id")
    )
    new: list[ImportedItem] = []
    redirects: dict[str, int] = {}
    now = timezone.now()
    for attachment in attachments:
        story_id = owners.get(attachment.parent) or owners.get(
            scan.thumbnail_users.get(attachment.wp_id, 0)
        )
        digest = hashlib.sha256(
            "\x1f".join(
                [
                    IMPORTER_VERSION, context.fingerprint_options, attachment.attachment_url,
                    attachment.link, attachment.title, attachment.excerpt, str(story_id),
                ]
            ).encode("utf-8", "surrogatepass")
        ).hexdigest()  # fmt: skip
        item = known.get(attachment.wp_id)
        if item is not None and item.content_hash == digest:
            tally.add("attachment", "unchanged")
            continue
        if attachment.wp_id in story_ids:
            tally.fail("attachment", attachment.wp_id, attachment.display_title, TWICE)
            continue
        relative = media.relative_path(attachment.attachment_url)
        stored = media.store(relative) if relative else None
        if relative is None:
            tally.warn(
                "attachment", attachment.wp_id, attachment.display_title,
                "its file address is not an upload",
            )  # fmt: skip
        elif stored and library is not None:
            tally += _into_library(attachment, relative, library)
        page = attachment_page_path(attachment)
        if story_id and page:
            redirects[page] = story_id
        fields = {
            "kind": ImportedItem.Kind.ATTACHMENT,
            "title": Truncator(attachment.display_title).chars(255),
            "story_id": story_id,
            "media": stored or "",
            "content_hash": digest,
            "imported_at": now,
        }
        if item is None:
            new.append(
                ImportedItem(site=site, wp_id=attachment.wp_id, first_imported_at=now, **fields)
            )
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
            tally.add("attachment", "updated")
    try:
        with transaction.atomic():
            ImportedItem.objects.bulk_create(new)
            written = write_story_redirects(redirects)
    except DatabaseError as error:
        for item in new:
            tally.fail("attachment", item.wp_id, item.title, f"the database refused it ({error})")
        return tally
    tally.add("attachment", "created", len(new))
    tally += written
    return tally


def _into_library(attachment: Post, relative: str, library: LibraryWriter) -> Tally:
    """The attachment's library row (its file is stored and passed the checks)."""
    report = BodyReport()
    url, caption = attachment.attachment_url, plain_text(attachment.excerpt)
    if relative.lower().endswith(AUDIO_EXTENSIONS):
        library.media(url, "audio", caption=caption, report=report)
    elif relative.lower().endswith(VIDEO_EXTENSIONS):
        library.media(url, "video", caption=caption, report=report)
    else:
        alt = attachment.first_meta("_wp_attachment_image_alt") or attachment.display_title
        library.image(url, alt=alt, caption=caption, report=report, title=attachment.display_title)
    return report.library


def resize_lead_images(story_ids: list[int], *, batch_size: int) -> Iterator[Resized]:
    """Make the renditions of the new lead images (a save would have made them)."""
    for chunk in batched(story_ids, batch_size):
        done = Resized(items=len(chunk))
        stories = Story.objects.filter(pk__in=chunk).select_related("lead_image")
        for story in stories:
            try:
                done.renditions += make_renditions(story)
            except (OSError, ValueError) as error:
                reason = f"its lead image could not be resized ({error})"
                done.warnings.append(Problem("story", story.pk, story.headline, reason))
        yield done
