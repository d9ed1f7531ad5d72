"""Import a WordPress export into the newsroom: the one operation behind the command and
the admin's upload form.

The export is read twice, streaming. The first pass checks that the whole file is a
complete, safe export and notes the small things items refer to (authors, categories,
tags, attachments), so a truncated file changes nothing. The second pass imports posts
and pages in batches: each batch is one transaction, each story is checked on its own,
and a story the database refuses is retried alone, so one broken item is reported and
the rest go in. Stories are written with bulk inserts (their bodies sanitised here
with `clean_html`, exactly as `Story.save()` would) because one INSERT per row for
each story, byline, tag and comment is what makes an import of 10,000 posts slow.

Every story remembers its WordPress site and post ID (`ImportedItem`), with a
fingerprint of the item and the story's edit count. Re-importing skips unchanged items,
updates changed ones, and leaves stories edited here alone unless asked to overwrite.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import reversion
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from taggit.models import Tag

from articles.caching import keys as cache_keys
from articles.caching import purge
from articles.models import (
    RESERVED_SECTION_SLUGS,
    Byline,
    Section,
    Story,
    StoryByline,
    StoryLogEntry,
    StoryRedirect,
    StoryTag,
)

from .content import Attachment, BodyConverter, BodyReport, make_dek, plain_text
from .media import MediaLibrary, make_renditions
from .models import ImportedItem, LegacyURL
from .summary import ImportSummary, Problem
from .wxr import (
    Author,
    ItemError,
    Post,
    ReadStats,
    Term,
    WPComment,
    read_author,
    read_export,
    read_post,
    read_term,
    url_path,
)

# Bump when the conversion changes, so the next import refreshes every story.
IMPORTER_VERSION = "1"
STORY_KINDS = {"post", "page"}
SKIPPED_STATUSES = {
    "trash": "in the WordPress trash",
    "auto-draft": "auto-drafts (never saved by an author)",
    "inherit": "revisions or attachments stored as posts",
}
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


@dataclass
class Scan:
    """What the first pass learns: the header, the attachments, the number of items."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)
    categories: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    author_terms: dict[str, Term] = field(default_factory=dict)
    attachments: dict[int, Post] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    thumbnail_users: dict[int, int] = field(default_factory=dict)
    guest_authors: dict[str, str] = field(default_factory=dict)
    items: Counter = field(default_factory=Counter)
    duplicate_attachments: list[Post] = field(default_factory=list)

    @property
    def site(self) -> str:
        for url in (self.base_blog_url, self.link, self.base_site_url):
            parts = urlsplit(url.strip())
            if parts.hostname:
                return (parts.hostname + parts.path.rstrip("/"))[:200]
        return "unknown-site"

    @property
    def hosts(self) -> set[str]:
        urls = (self.base_blog_url, self.link, self.base_site_url)
        return {urlsplit(url.strip()).hostname or "" for url in urls} - {""}


@dataclass
class StoryPlan:
    """Everything one post or page becomes, worked out before anything is written."""

    post: Post
    digest: str
    fields: dict[str, Any]
    slug_base: str
    secondary_section_ids: list[int]
    byline_ids: list[int]
    tag_ids: list[int]
    redirect_paths: list[str]
    comments: list[WPComment]
    notes: list[str]
    comment_ids: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.post.post_type


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


class WordPressImport:
    """One run of the import. `run()` returns the summary; see the module docstring."""

    def __init__(
        self,
        path: str | Path,
        options: ImportOptions | None = None,
        *,
        source_name: str = "",
        progress: Callable[[int, int, str], None] | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.options = options or ImportOptions()
        self.progress = progress
        self.log = log or (lambda line: None)
        self.summary = ImportSummary(
            source=source_name or self.path.name,
            dry_run=self.options.dry_run,
            uploads_given=self.options.uploads is not None,
        )
        self.time_zone = self._time_zone()
        self.mapped_sections = self._mapped_sections()
        self.done = 0
        self.total = 0
        self.unit = "items"
        self.seen_ids: set[int] = set()
        self.comments_installed = apps.is_installed("comments")
        self.stories_with_images: list[int] = []

    # Running --------------------------------------------------------------------------

    def run(self) -> ImportSummary:
        read_stats = ReadStats()
        self.scan = self._scan(read_stats)
        self.summary.control_characters_removed = read_stats.control_characters_removed
        self.site = self.scan.site
        self.summary.site = self.site
        self.summary.site_title = self.scan.title
        self.total = self.scan.items.total()
        self.summary.items_read = self.scan.items
        self.media = MediaLibrary(
            self.options.uploads, site_hosts=self.scan.hosts, write=not self.options.dry_run
        )
        self.converter = BodyConverter(
            attachments={
                wp_id: self._attachment(post) for wp_id, post in self.scan.attachments.items()
            },
            children=self.scan.children,
            media_url=self.media.url_for,
        )
        self.fingerprint_options = "|".join(
            [
                repr(sorted(self.options.section_for.items())),
                self.options.pages_section,
                self.options.default_section,
                str(self.options.keep_pingbacks),
                str(self.time_zone),
                str(self.options.uploads is not None),
                self.options.category_base,
                self.options.tag_base,
            ]
        )
        if self.options.dry_run:
            with transaction.atomic():
                self._import()
                transaction.set_rollback(True)
        else:
            self._import()
        self.summary.missing_files = list(self.media.missing)
        return self.summary

    def _import(self) -> None:
        with transaction.atomic():
            self._import_bylines()
            self._import_sections()
            self._import_tags()
        self._import_items()
        self._import_attachments()
        if self.stories_with_images and not self.options.dry_run:
            if self.options.renditions:
                self._make_renditions()
            else:
                self.summary.renditions_pending = len(self.stories_with_images)

    def _advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total, self.unit)

    def _time_zone(self) -> ZoneInfo:
        name = self.options.time_zone or settings.TIME_ZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ImportConfigError(f"Unknown time zone “{name}”.") from error

    def _mapped_sections(self) -> dict[str, Section]:
        mapped = {}
        for category, section_slug in self.options.section_for.items():
            section = Section.objects.filter(slug=section_slug).first()
            if section is None:
                raise ImportConfigError(
                    f"There is no section “{section_slug}” for the category “{category}”. "
                    "Create it first, or give the slug of an existing section."
                )
            mapped[category.strip().lower()] = section
        return mapped

    # Pass one: check the file and note what items refer to ----------------------------

    def _scan(self, read_stats: ReadStats) -> Scan:
        scan = Scan()
        for element in read_export(self.path, read_stats):
            tag = element.tag
            if tag == "item":
                self._scan_item(scan, element)
            elif tag == "wp:author":
                author = read_author(element)
                if author.login:
                    scan.authors[author.login] = author
            elif tag in {"wp:category", "wp:tag", "wp:term"}:
                term = read_term(element)
                if term is None:
                    continue
                if term.taxonomy == "category":
                    scan.categories.append(term)
                elif term.taxonomy == "post_tag":
                    scan.tags.append(term)
                elif term.taxonomy == "author":
                    scan.author_terms[term.slug] = term
            elif tag in {"title", "link"}:
                setattr(scan, tag, (element.text or "").strip())
            elif tag in {"wp:base_site_url", "wp:base_blog_url"}:
                setattr(scan, tag[3:], (element.text or "").strip())
        return scan

    def _scan_item(self, scan: Scan, element) -> None:
        try:
            post = read_post(element)
        except ItemError:
            scan.items["unknown"] += 1
            return
        scan.items[post.post_type] += 1
        if post.post_type == "attachment":
            post.content = ""  # its description: not needed, not kept in memory
            post.comments = []
            if post.wp_id in scan.attachments:
                scan.duplicate_attachments.append(post)
                return
            scan.attachments[post.wp_id] = post
            if post.parent:
                scan.children.setdefault(post.parent, []).append(post.wp_id)
        elif post.post_type == "guest-author":
            login = post.first_meta("cap-user_login") or post.name.removeprefix("cap-")
            name = post.first_meta("cap-display_name") or post.display_title
            if login:
                scan.guest_authors[login] = name
        elif post.post_type in STORY_KINDS and post.thumbnail_id:
            scan.thumbnail_users.setdefault(post.thumbnail_id, post.wp_id)

    # Bylines, sections, tags and their archive addresses -------------------------------

    def _import_bylines(self) -> None:
        self.bylines: dict[str, int] = {}
        self.byline_slugs: set[str] = set()
        self.authors_by_slug = {ascii_slug(a.login): a for a in self.scan.authors.values()}
        for author in self.scan.authors.values():
            self._byline_id(author.login, author.display_name)

    def _byline_id(self, login: str, display_name: str) -> int:
        key = login.lower()
        if key in self.bylines:
            return self.bylines[key]
        base = ascii_slug(login, display_name, max_length=140) or "author"
        slug, number = base, 2
        while slug in self.byline_slugs:
            slug, number = f"{base}-{number}", number + 1
        self.byline_slugs.add(slug)
        byline = Byline.objects.filter(slug=slug).first()
        if byline is None:
            with transaction.atomic():
                byline = Byline.objects.create(
                    name=(display_name or login)[:150], slug=slug, kind=Byline.Kind.PERSON
                )
            self.summary.add("byline", "created")
        else:
            self.summary.add("byline", "unchanged")
        self.bylines[key] = byline.pk
        self._legacy_urls({f"/author/{ascii_slug(login) or slug}/": ("byline", byline.pk)})
        return byline.pk

    def _import_sections(self) -> None:
        self.sections: dict[str, Section] = {}
        self.section_slugs: set[str] = set()
        self.existing_sections = {section.slug: section for section in Section.objects.all()}
        top = Section.objects.aggregate(top=Max("position"))["top"] or 0
        self.next_position = min(top + 1, 30000)
        created: list[tuple[Term, Section]] = []
        for term in self.scan.categories:
            section, was_created = self._section(term)
            if was_created:
                created.append((term, section))
        # Nesting, once every section exists; sections that were here already keep theirs.
        for term, section in created:
            parent = self.sections.get(term.parent_slug)
            if parent is not None and parent.pk != section.pk:
                section.parent = parent
                section.save(update_fields=["parent"])
        self._category_urls()

    def _section(self, term: Term) -> tuple[Section, bool]:
        if term.slug in self.sections:
            return self.sections[term.slug], False
        mapped = self.mapped_sections.get(term.slug.lower()) or self.mapped_sections.get(
            term.name.lower()
        )
        if mapped is not None:
            self.sections[term.slug] = mapped
            return mapped, False
        base = ascii_slug(term.slug, term.name) or f"category-{term.term_id or 'x'}"
        slug, number = base, 2
        while slug in self.section_slugs or slug in RESERVED_SECTION_SLUGS:
            slug, number = f"{base[:90]}-{number}", number + 1
        self.section_slugs.add(slug)
        section = self.existing_sections.get(slug)
        if section is not None:
            self.summary.add("section", "unchanged")
            self.sections[term.slug] = section
            return section, False
        with transaction.atomic():
            section = Section.objects.create(
                name=Truncator(term.name).chars(100),
                slug=slug,
                description=plain_text(term.description),
                position=self.next_position,
            )
        self.next_position = min(self.next_position + 1, 30000)
        self.existing_sections[slug] = section
        self.sections[term.slug] = section
        self.summary.add("section", "created")
        return section, True

    def _named_section(self, slug: str, name: str) -> Section:
        """A section the options name (pages, posts without a category), made if missing."""
        section = self.existing_sections.get(slug)
        if section is None:
            term = Term("category", None, slug, name)
            section, _ = self._section(term)
            self.existing_sections[slug] = section
        return section

    def _category_urls(self) -> None:
        by_slug = {term.slug: term for term in self.scan.categories}
        base = self.options.category_base.strip("/")
        wanted: dict[str, tuple[str, int]] = {}
        for term in self.scan.categories:
            section = self.sections[term.slug]
            chain, node, seen = [], term, set()
            while node is not None and node.slug not in seen:
                seen.add(node.slug)
                chain.insert(0, unquote(node.slug))
                node = by_slug.get(node.parent_slug)
            wanted[f"/{base}/{'/'.join(chain)}/"] = ("section", section.pk)
            wanted.setdefault(f"/{base}/{unquote(term.slug)}/", ("section", section.pk))
            if term.term_id is not None:
                wanted[f"/?cat={term.term_id}"] = ("section", section.pk)
        self._legacy_urls(wanted)

    def _import_tags(self) -> None:
        self.tags: dict[str, int] = {}
        self.tag_slugs: set[str] = set()
        for tag_id, name, slug in Tag.objects.values_list("id", "name", "slug"):
            self.tags[name.lower()] = tag_id
            self.tag_slugs.add(slug)
        wanted: dict[str, tuple[str, int]] = {}
        new_tags: dict[str, Tag] = {}
        for term in self.scan.tags:
            key = term.name[:100].lower()
            if key in self.tags:
                self.summary.add("tag", "unchanged")
            elif key not in new_tags:
                new_tags[key] = Tag(name=term.name[:100], slug=self._tag_slug(term))
        Tag.objects.bulk_create(new_tags.values())
        self.summary.add("tag", "created", len(new_tags))
        for key, tag in new_tags.items():
            if tag.pk is None:  # backends that do not return keys from bulk inserts
                tag.pk = Tag.objects.get(slug=tag.slug).pk
            self.tags[key] = tag.pk
        base = self.options.tag_base.strip("/")
        slugs = dict(Tag.objects.filter(pk__in=self.tags.values()).values_list("pk", "slug"))
        for term in self.scan.tags:
            tag_id = self.tags.get(term.name[:100].lower())
            if tag_id is None:
                continue
            old_slug = unquote(term.slug)
            if f"/{base}/{old_slug}/" != f"/tag/{slugs.get(tag_id)}/":
                wanted[f"/{base}/{old_slug}/"] = ("tag", tag_id)
            wanted[f"/?tag={old_slug}"] = ("tag", tag_id)
        self._legacy_urls(wanted)

    def _tag_slug(self, term: Term) -> str:
        base = ascii_slug(term.slug, term.name, max_length=90) or f"tag-{term.term_id or 'x'}"
        slug, number = base, 2
        while slug in self.tag_slugs:
            slug, number = f"{base}-{number}", number + 1
        self.tag_slugs.add(slug)
        return slug

    def _tag_id(self, slug: str, name: str) -> int:
        name = " ".join(name.split())[:100] or unquote(slug)
        key = name.lower()
        if key not in self.tags:
            tag_slug = self._tag_slug(Term("post_tag", None, slug, name))
            with transaction.atomic():
                tag = Tag.objects.create(name=name, slug=tag_slug)
            self.tags[key] = tag.pk
            self.summary.add("tag", "created")
        return self.tags[key]

    def _legacy_urls(self, wanted: dict[str, tuple[str, int]]) -> None:
        """Create or repoint archive redirects: old path → (target field, target id)."""
        wanted = {path: target for path, target in wanted.items() if len(path) <= MAX_PATH}
        if not wanted:
            return
        existing = {
            legacy.old_path: legacy for legacy in LegacyURL.objects.filter(old_path__in=wanted)
        }
        new = []
        for path, (target, target_id) in wanted.items():
            legacy = existing.get(path)
            if legacy is None:
                new.append(LegacyURL(old_path=path, site=self.site, **{f"{target}_id": target_id}))
            elif getattr(legacy, f"{target}_id") == target_id:
                self.summary.add("redirect", "unchanged")
            else:
                legacy.section_id = legacy.tag_id = legacy.byline_id = None
                setattr(legacy, f"{target}_id", target_id)
                legacy.save(update_fields=["section", "tag", "byline"])
                self.summary.add("redirect", "updated")
        LegacyURL.objects.bulk_create(new)
        self.summary.add("redirect", "created", len(new))

    # Pass two: posts and pages ------------------------------------------------------

    def _import_items(self) -> None:
        batch: list[Post] = []
        for element in read_export(self.path):
            if element.tag != "item":
                continue
            try:
                post = read_post(element)
            except ItemError as error:
                self._fail("unknown", None, _title_of(element), str(error))
                self._advance()
                continue
            if post.post_type == "attachment":
                continue  # after the stories they belong to exist
            if not self._wanted(post):
                self._advance()
                continue
            batch.append(post)
            if len(batch) >= self.options.batch_size:
                self._import_batch(batch)
                batch = []
        if batch:
            self._import_batch(batch)

    def _wanted(self, post: Post) -> bool:
        kind = post.post_type
        if kind not in STORY_KINDS:
            self._skip(kind, "not imported: only posts, pages and attachments are")
            return False
        if kind == "page" and not self.options.import_pages:
            self._skip(kind, "pages not imported (--skip-pages)")
            return False
        if post.status in SKIPPED_STATUSES:
            self._skip(kind, SKIPPED_STATUSES[post.status])
            return False
        if post.wp_id in self.seen_ids:
            self._fail(kind, post.wp_id, post.display_title, "the export lists this ID twice")
            return False
        self.seen_ids.add(post.wp_id)
        return True

    def _import_batch(self, posts: list[Post]) -> None:
        with transaction.atomic():
            known = {
                item.wp_id: item
                for item in ImportedItem.objects.filter(
                    site=self.site, wp_id__in=[post.wp_id for post in posts]
                ).select_related("story")
            }
            plans: list[StoryPlan] = []
            for post in posts:
                digest = self._fingerprint(post)
                item = known.get(post.wp_id)
                if item is not None:
                    self._reimport(post, item, digest)
                    continue
                try:
                    plans.append(self._plan(post, digest))
                except (ItemError, ValidationError, ValueError, OSError, DatabaseError) as error:
                    self._fail(post.post_type, post.wp_id, post.display_title, str(error))
            if plans:
                self._create(plans)
        self._advance(len(posts))

    def _reimport(self, post: Post, item: ImportedItem, digest: str) -> None:
        story = item.story
        edited = story is None or story.edit_version != item.story_version
        if edited and not self.options.overwrite:
            reason = (
                "deleted in Newsroom since the last import (--overwrite imports it again)"
                if story is None
                else "edited in Newsroom since the last import (--overwrite replaces the edit)"
            )
            self._skip(post.post_type, reason)
            self._count_comments(post, "skipped", reason="their story was skipped")
            return
        if not edited and item.content_hash == digest:
            self.summary.add(post.post_type, "unchanged")
            self._count_comments(post, "unchanged")
            return
        try:
            plan = self._plan(post, digest, story=story)
            with transaction.atomic():
                self._update(plan, item)
        except (ItemError, ValidationError, ValueError, OSError, DatabaseError) as error:
            self._fail(post.post_type, post.wp_id, post.display_title, str(error))
            return
        self.summary.add(post.post_type, "updated")

    def _fingerprint(self, post: Post) -> str:
        digest = hashlib.sha256()
        thumbnail = self.scan.attachments.get(post.thumbnail_id or 0)
        parts = [
            IMPORTER_VERSION, self.fingerprint_options, post.post_type, post.title, post.link,
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

    # Planning one story ------------------------------------------------------------------

    def _plan(self, post: Post, digest: str, *, story: Story | None = None) -> StoryPlan:
        kind = post.post_type
        title = post.display_title
        headline = title or f"Untitled (WordPress {kind} {post.wp_id})"
        if len(headline) > 255:
            self._warn(kind, post, "the title is longer than 255 characters and was shortened")
            headline = Truncator(headline).chars(255)
        notes = [f"Imported from WordPress ({kind} {post.wp_id}, {post.link or 'no address'})."]
        status, published_at = self._status(post, notes)

        if kind == "page":
            section = self._named_section(self.options.pages_section, "Pages")
            secondary: list[Section] = []
        else:
            section, secondary = self._post_sections(post)

        report = BodyReport()
        body = self.converter.convert(post.content, post_id=post.wp_id, report=report)
        self.summary.shortcodes_removed.update(report.shortcodes_removed)
        self.summary.blocks_removed.update(report.blocks_removed)
        self.summary.embeds_linked += report.embeds_linked
        if report.gallery_images_missing:
            self._warn(
                kind, post,
                f"{report.gallery_images_missing} gallery images are not in the export",
            )  # fmt: skip

        fields: dict[str, Any] = {
            "headline": headline,
            "dek": make_dek(post.excerpt, body),
            "body": body,
            "section": section,
            "status": status,
            "published_at": published_at,
            "is_featured": post.is_sticky,
            "allow_comments": post.comment_status == "open",
        }
        fields.update(self._lead_image(post, headline, story))
        return StoryPlan(
            post=post,
            digest=digest,
            fields=fields,
            slug_base=ascii_slug(post.name, title, max_length=200) or f"{kind}-{post.wp_id}",
            secondary_section_ids=[s.pk for s in secondary if s.pk != section.pk],
            byline_ids=self._byline_ids(post),
            tag_ids=self._tag_ids(post),
            redirect_paths=self._old_paths(post),
            comments=post.comments,
            notes=notes,
        )

    def _when(self, gmt: datetime | None, local: datetime | None) -> datetime | None:
        if gmt is not None:
            return gmt.replace(tzinfo=UTC)
        if local is not None:
            return local.replace(tzinfo=self.time_zone)
        return None

    def _status(self, post: Post, notes: list[str]) -> tuple[str, datetime | None]:
        """WordPress's status as ours: publish and future → Published (now or scheduled)."""
        when = self._when(post.date_gmt, post.date)
        wp_status = post.status
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
        if status != Story.Status.PUBLISHED:
            return status, None
        return status, when

    def _post_sections(self, post: Post) -> tuple[Section, list[Section]]:
        sections: list[Section] = []
        for domain, slug, name in post.terms:
            if domain != "category" or not slug:
                continue
            section, _ = self._section(Term("category", None, slug, name or slug))
            if section not in sections:
                sections.append(section)
        if not sections:
            return self._named_section(self.options.default_section, "Uncategorized"), []
        # WordPress files every post under "Uncategorized" unless told otherwise.
        home = next((s for s in sections if s.slug != "uncategorized"), sections[0])
        return home, [s for s in sections if s.pk != home.pk]

    def _byline_ids(self, post: Post) -> list[int]:
        """The post's author first, then co-authors and guest authors in their order."""
        ids: list[int] = []
        logins = [post.creator] if post.creator else []
        names: dict[str, str] = {}
        for domain, slug, name in post.terms:
            if domain != "author":
                continue
            login = slug.removeprefix("cap-") or name
            logins.append(login)
            names[login] = name
        for login in logins:
            author = self.scan.authors.get(login) or self.authors_by_slug.get(ascii_slug(login))
            if author is not None:
                display = author.display_name
            else:
                display = self.scan.guest_authors.get(login) or names.get(login) or login
            byline_id = self._byline_id(author.login if author else login, display)
            if byline_id not in ids:
                ids.append(byline_id)
        return ids

    def _tag_ids(self, post: Post) -> list[int]:
        ids: list[int] = []
        for domain, slug, name in post.terms:
            if domain == "post_tag" and (slug or name):
                tag_id = self._tag_id(slug, name)
                if tag_id not in ids:
                    ids.append(tag_id)
        return ids

    def _old_paths(self, post: Post) -> list[str]:
        """The post's old addresses that are paths: its permalink, old slugs, its guid."""
        paths: list[str] = []
        permalink = urlsplit(post.link)
        if post.link and not permalink.query:
            path = url_path(post.link)
            if path not in {"", "/"}:
                paths.append(path)
                last = path.rstrip("/").rsplit("/", 1)[-1]
                for old_slug in post.meta.get("_wp_old_slug", []):
                    old_slug = unquote(old_slug.strip())
                    if old_slug and last:
                        trailing = "/" if path.endswith("/") else ""
                        paths.append(path.rstrip("/")[: -len(last)] + old_slug + trailing)
        guid = urlsplit(post.guid)
        if guid.hostname and guid.hostname in self.scan.hosts and not guid.query:
            path = url_path(post.guid)
            if path not in {"", "/"} and path not in paths:
                paths.append(path)
        return [p for p in paths if len(p) <= MAX_PATH]

    def _lead_image(self, post: Post, headline: str, story: Story | None) -> dict[str, Any]:
        attachment = self.scan.attachments.get(post.thumbnail_id or 0)
        if attachment is None:
            if post.thumbnail_id:
                self._warn(post.post_type, post, "its featured image is not in the export")
            return {}
        relative = self.media.relative_path(attachment.attachment_url)
        if relative is None:
            self._warn(post.post_type, post, "its featured image has no uploads address")
            return {}
        try:
            image = self.media.image(relative)
        except FileNotFoundError:
            self.media.note_missing(relative)
            return {}
        except ValidationError as error:
            self._warn(
                post.post_type, post, f"its featured image {relative} was not used: "
                + " ".join(error.messages),
            )  # fmt: skip
            return {}
        if story is not None and self.options.dry_run and story.lead_image.name != image.name:
            return {}  # not stored in a dry run, so the story cannot be pointed at it
        alt = (
            attachment.first_meta("_wp_attachment_image_alt")
            or attachment.display_title
            or headline
        )
        return {
            "lead_image": image.name,
            "lead_image_width": image.width,
            "lead_image_height": image.height,
            "lead_image_alt": Truncator(" ".join(alt.split())).chars(300),
            "lead_image_caption": Truncator(plain_text(attachment.excerpt)).chars(500),
        }

    # Writing ------------------------------------------------------------------------

    def _create(self, plans: list[StoryPlan]) -> None:
        self._assign_slugs(plans)
        try:
            with transaction.atomic():
                tally = self._insert(plans)
        except DatabaseError:
            # One of them is broken: find out which, and import the others.
            tally = Counter()
            for plan in plans:
                try:
                    with transaction.atomic():
                        tally += self._insert([plan])
                except DatabaseError as error:
                    reason = f"the database refused it ({str(error).strip()})"
                    self._fail(plan.kind, plan.post.wp_id, plan.post.display_title, reason)
        self._merge(tally)
        self._purge_pages(plans)

    def _purge_pages(self, plans: list[StoryPlan]) -> None:
        """Forget cached lists the new stories join (bulk inserts send no post_save)."""
        keys = cache_keys.listing_keys(
            section_ids={
                pk
                for plan in plans
                for pk in (plan.fields["section"].pk, *plan.secondary_section_ids)
            },
            byline_ids={pk for plan in plans for pk in plan.byline_ids},
            tag_ids={pk for plan in plans for pk in plan.tag_ids},
        )
        # The navigation too: an import can add sections.
        purge({*keys, cache_keys.SECTIONS})  # after the batch commits; never, in a dry run

    def _assign_slugs(self, plans: list[StoryPlan], *, story: Story | None = None) -> None:
        bases = {plan.slug_base for plan in plans}
        taken = set(
            Story.objects.filter(slug__in=bases)
            .exclude(pk=story.pk if story else None)
            .values_list("slug", flat=True)
        )
        claimed: set[str] = set()
        for plan in plans:
            base = plan.slug_base
            if story is not None and (
                story.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", story.slug)
            ):
                plan.fields["slug"] = story.slug  # unchanged in WordPress: keep it
                continue
            if base not in taken and base not in claimed:
                slug = base
            else:
                used = set(
                    Story.objects.filter(slug__startswith=f"{base}-")
                    .exclude(pk=story.pk if story else None)
                    .values_list("slug", flat=True)
                )
                number = 2
                while f"{base}-{number}" in used or f"{base}-{number}" in claimed:
                    number += 1
                slug = f"{base}-{number}"
            claimed.add(slug)
            plan.fields["slug"] = slug

    def _insert(self, plans: list[StoryPlan]) -> Counter:
        """Insert new stories and everything that hangs off them; returns what it made."""
        tally: Counter = Counter()
        stories = []
        for plan in plans:
            story = Story(**plan.fields, created_by=self.options.created_by)
            # What Story.save() would do: sanitised body (done in _plan), whole seconds,
            # and the first edit count.
            if story.published_at is not None:
                story.published_at = story.published_at.replace(microsecond=0)
            story.edit_version = 1
            stories.append(story)
        Story.objects.bulk_create(stories)
        pairs = list(zip(plans, stories, strict=True))
        self._write_related(pairs, tally)
        now = timezone.now()
        items = []
        for plan, story in pairs:
            items.append(
                ImportedItem(
                    site=self.site,
                    wp_id=plan.post.wp_id,
                    kind=plan.kind,
                    title=Truncator(plan.post.display_title).chars(255),
                    story=story,
                    story_version=story.edit_version,
                    content_hash=plan.digest,
                    comment_ids=plan.comment_ids,
                    first_imported_at=now,
                    imported_at=now,
                )  # fmt: skip
            )
            tally[(plan.kind, "created")] += 1
        ImportedItem.objects.bulk_create(items)
        self.stories_with_images.extend(story.pk for story in stories if story.lead_image)
        return tally

    def _update(self, plan: StoryPlan, item: ImportedItem) -> None:
        """Bring an imported story up to date with WordPress (inside a transaction)."""
        self._assign_slugs([plan], story=item.story)
        if item.story is None:  # deleted here, and imported again (--overwrite)
            story = Story(**plan.fields, created_by=self.options.created_by)
            previous_status = story.status
        else:
            story = item.story
            previous_status = story.status
            fields = dict(plan.fields)
            images = {k: fields.pop(k) for k in list(fields) if k.startswith("lead_image")}
            if previous_status == Story.Status.PUBLISHED and fields["status"] == Story.Status.DRAFT:
                fields["status"] = Story.Status.UNPUBLISHED  # taken down in WordPress
            for name, value in fields.items():
                setattr(story, name, value)
            if images and story.lead_image.name != images["lead_image"]:
                story.lead_image = images["lead_image"]
            for name, value in images.items():
                if name != "lead_image":
                    setattr(story, name, value)
            if not images and plan.post.thumbnail_id is None and story.lead_image:
                story.lead_image = ""  # the featured image was removed in WordPress
        with reversion.create_revision():
            reversion.set_user(self.options.created_by)
            reversion.set_comment("Updated from a WordPress import")
            story.save()
            if story.pk:
                StoryByline.objects.filter(story=story).delete()
                StoryTag.objects.filter(content_object=story).delete()
                story.secondary_sections.clear()
            plan.notes = [f"Updated from WordPress ({plan.kind} {plan.post.wp_id})."]
            if previous_status != story.status:
                plan.notes.append(
                    f"The import changed its status from {previous_status} to {story.status}."
                )
            tally: Counter = Counter()
            # A story deleted here took its comments with it: import them all again.
            comment_ids = item.comment_ids if item.story_id else {}
            known = {int(k): v for k, v in (comment_ids or {}).items()}
            self._write_related([(plan, story)], tally, known_comments=known)
        self._merge(tally)
        item.story = story
        item.story_version = story.edit_version
        item.content_hash = plan.digest
        item.title = Truncator(plan.post.display_title).chars(255)
        item.comment_ids = plan.comment_ids
        item.imported_at = timezone.now()
        item.save()

    def _write_related(
        self,
        pairs: list[tuple[StoryPlan, Story]],
        tally: Counter,
        *,
        known_comments: dict[int, int] | None = None,
    ) -> None:
        """Bylines, tags, secondary sections, redirects, timeline notes and comments."""
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
        StoryLogEntry.objects.bulk_create(
            StoryLogEntry(
                story=story,
                action=StoryLogEntry.Action.NOTE,
                from_status=story.status,
                to_status=story.status,
                by=self.options.created_by,
                note=" ".join(plan.notes),
            )  # fmt: skip
            for plan, story in pairs
        )
        self._story_redirects(pairs, tally)
        for plan, _story in pairs:
            plan.comment_ids = {str(k): v for k, v in (known_comments or {}).items()}
        if self.comments_installed:
            self._comments(pairs, tally, known_comments or {})
        else:
            for plan, _story in pairs:
                for _comment in plan.comments:
                    tally[("comment", "skipped")] += 1
                    tally[("reason", "comment", "the comments app is not installed")] += 1

    def _story_redirects(self, pairs: list[tuple[StoryPlan, Story]], tally: Counter) -> None:
        wanted: dict[str, int] = {}
        for plan, story in pairs:
            current = story.get_absolute_url()
            for path in plan.redirect_paths:
                if path != current:
                    wanted[path] = story.pk
        self._upsert_redirects(wanted, tally)

    def _upsert_redirects(self, wanted: dict[str, int], tally: Counter) -> None:
        if not wanted:
            return
        existing = dict(
            StoryRedirect.objects.filter(old_path__in=wanted).values_list("old_path", "story_id")
        )
        StoryRedirect.objects.bulk_create(
            StoryRedirect(old_path=path, story_id=story_id)
            for path, story_id in wanted.items()
            if path not in existing
        )
        for path, story_id in wanted.items():
            if path not in existing:
                tally[("redirect", "created")] += 1
            elif existing[path] == story_id:
                tally[("redirect", "unchanged")] += 1
            else:
                StoryRedirect.objects.filter(old_path=path).update(story_id=story_id)
                tally[("redirect", "updated")] += 1

    # Comments -----------------------------------------------------------------------

    def _comment_wanted(self, comment: WPComment) -> str | None:
        """Why a comment is not imported, or None when it is."""
        if comment.is_ping and not self.options.keep_pingbacks:
            return "pingbacks and trackbacks (--keep-pingbacks imports them)"
        if comment.approved in {"trash", "post-trashed"}:
            return "in the WordPress trash"
        return None

    def _comments(
        self, pairs: list[tuple[StoryPlan, Story]], tally: Counter, known: dict[int, int]
    ) -> None:
        from comments.models import Comment

        statuses = {"1": Comment.Status.APPROVED, "spam": Comment.Status.SPAM}
        made: list[tuple[StoryPlan, WPComment, Comment]] = []
        for plan, story in pairs:
            for comment in plan.comments:
                reason = self._comment_wanted(comment)
                if reason:
                    tally[("comment", "skipped")] += 1
                    tally[("reason", "comment", reason)] += 1
                    continue
                if comment.wp_id in known:
                    tally[("comment", "unchanged")] += 1
                    continue
                made.append(
                    (plan, comment, Comment(
                        story=story,
                        author_name=Truncator(" ".join(comment.author.split())).chars(100)
                        or "Anonymous",
                        author_email=_valid_email(comment.email),
                        author_url=comment.url if _web_address(comment.url) else "",
                        text=_comment_text(comment.content),
                        status=statuses.get(comment.approved, Comment.Status.PENDING),
                        ip_address=_valid_ip(comment.ip),
                        created_at=self._when(comment.date_gmt, comment.date) or timezone.now(),
                    ))
                )  # fmt: skip
        tally[("comment", "created")] += len(made)
        # A thread level at a time, so every reply goes in with its parent's key.
        created: dict[tuple[int, int], int] = {}
        pending = made
        while pending:
            waiting_for = {(id(plan), c.wp_id) for plan, c, _ in pending}
            ready, waiting = [], []
            for entry in pending:
                plan, wp_comment, comment = entry
                key = (id(plan), wp_comment.parent)
                if wp_comment.parent and key in created:
                    comment.parent_id = created[key]
                elif wp_comment.parent in known:
                    comment.parent_id = known[wp_comment.parent]
                elif wp_comment.parent and key in waiting_for:
                    waiting.append(entry)
                    continue
                ready.append(entry)  # a reply to a comment not imported stands alone
            if not ready:  # replies that point at each other: break the loop
                ready, waiting = waiting, []
            Comment.objects.bulk_create([comment for _, _, comment in ready])
            for plan, wp_comment, comment in ready:
                created[(id(plan), wp_comment.wp_id)] = comment.pk
                plan.comment_ids[str(wp_comment.wp_id)] = comment.pk
            pending = waiting

    def _count_comments(self, post: Post, outcome: str, reason: str = "") -> None:
        for comment in post.comments:
            why = self._comment_wanted(comment)
            if not self.comments_installed:
                why = "the comments app is not installed"
            if why or outcome == "skipped":
                self.summary.add("comment", "skipped")
                self.summary.skip_reasons[("comment", why or reason)] += 1
            else:
                self.summary.add("comment", outcome)

    # Attachments --------------------------------------------------------------------

    def _import_attachments(self) -> None:
        for duplicate in self.scan.duplicate_attachments:
            reason = "the export lists this ID twice"
            self._fail("attachment", duplicate.wp_id, duplicate.display_title, reason)
            self._advance()
        attachments = list(self.scan.attachments.values())
        for chunk in batched(attachments, self.options.batch_size):
            with transaction.atomic():
                self._import_attachment_batch(chunk)
            self._advance(len(chunk))

    def _import_attachment_batch(self, attachments: list[Post]) -> None:
        known = {
            item.wp_id: item
            for item in ImportedItem.objects.filter(
                site=self.site, wp_id__in=[a.wp_id for a in attachments]
            )
        }
        owner_ids = {a.parent for a in attachments if a.parent} | {
            self.scan.thumbnail_users[a.wp_id]
            for a in attachments
            if a.wp_id in self.scan.thumbnail_users
        }
        owners = dict(
            ImportedItem.objects.filter(site=self.site, wp_id__in=owner_ids)
            .exclude(story=None)
            .values_list("wp_id", "story_id")
        )
        new: list[ImportedItem] = []
        redirects: dict[str, int] = {}
        now = timezone.now()
        for attachment in attachments:
            story_id = owners.get(attachment.parent) or owners.get(
                self.scan.thumbnail_users.get(attachment.wp_id, 0)
            )
            digest = hashlib.sha256(
                "\x1f".join(
                    [
                        IMPORTER_VERSION, self.fingerprint_options, attachment.attachment_url,
                        attachment.link, attachment.title, attachment.excerpt, str(story_id),
                    ]
                ).encode("utf-8", "surrogatepass")
            ).hexdigest()  # fmt: skip
            item = known.get(attachment.wp_id)
            if item is not None and item.content_hash == digest:
                self.summary.add("attachment", "unchanged")
                continue
            if attachment.wp_id in self.seen_ids:
                self._fail(
                    "attachment", attachment.wp_id, attachment.display_title,
                    "the export lists this ID twice",
                )  # fmt: skip
                continue
            self.seen_ids.add(attachment.wp_id)
            relative = self.media.relative_path(attachment.attachment_url)
            stored = self.media.store(relative) if relative else None
            if relative is None:
                self._warn("attachment", attachment, "its file address is not an upload")
            link = urlsplit(attachment.link)
            if story_id and attachment.link and not link.query:
                path = url_path(attachment.link)
                if path not in {"", "/"} and len(path) <= MAX_PATH:
                    redirects[path] = story_id
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
                    ImportedItem(
                        site=self.site, wp_id=attachment.wp_id, first_imported_at=now, **fields
                    )
                )
            else:
                for name, value in fields.items():
                    setattr(item, name, value)
                item.save()
                self.summary.add("attachment", "updated")
        tally: Counter = Counter()
        try:
            with transaction.atomic():
                ImportedItem.objects.bulk_create(new)
                self._upsert_redirects(redirects, tally)
        except DatabaseError as error:
            for item in new:
                reason = f"the database refused it ({error})"
                self._fail("attachment", item.wp_id, item.title, reason)
            return
        self.summary.add("attachment", "created", len(new))
        self._merge(tally)

    def _make_renditions(self) -> None:
        """Resize the new lead images for the public pages (a save would have done it)."""
        ids = self.stories_with_images
        self.done, self.total, self.unit = 0, len(ids), "lead images resized"
        self._advance(0)
        for chunk in batched(ids, self.options.batch_size):
            stories = Story.objects.filter(pk__in=chunk).only(
                "pk", "headline", "lead_image", "lead_image_width", "lead_image_height"
            )
            for story in stories:
                try:
                    self.summary.renditions_made += make_renditions(story)
                except (OSError, ValueError) as error:
                    reason = f"its lead image could not be resized ({error})"
                    self.summary.warnings.append(Problem("story", story.pk, story.headline, reason))
            self._advance(len(chunk))

    # Reporting ----------------------------------------------------------------------

    def _attachment(self, post: Post) -> Attachment:
        return Attachment(
            wp_id=post.wp_id,
            url=post.attachment_url,
            title=post.display_title,
            alt=post.first_meta("_wp_attachment_image_alt") or post.display_title,
            caption=plain_text(post.excerpt),
            parent=post.parent,
            menu_order=post.menu_order,
        )

    def _merge(self, tally: Counter) -> None:
        """Add what a write made to the summary, once it is committed to."""
        for key, count in tally.items():
            if key[0] == "reason":
                self.summary.skip_reasons[key[1:]] += count
            else:
                self.summary.add(key[0], key[1], count)

    def _skip(self, kind: str, reason: str) -> None:
        self.summary.add(kind, "skipped")
        self.summary.skip_reasons[(kind, reason)] += 1

    def _fail(self, kind: str, wp_id: int | None, title: str, reason: str) -> None:
        problem = Problem(kind, wp_id, title, reason)
        self.summary.add(kind, "failed")
        self.summary.failures.append(problem)
        self.log(f"Failed: {problem}")

    def _warn(self, kind: str, post: Post, reason: str) -> None:
        problem = Problem(kind, post.wp_id, post.display_title, reason)
        self.summary.warnings.append(problem)


def _title_of(element) -> str:
    for child in element:
        if child.tag == "title":
            return " ".join(strip_tags(child.text or "").split())
    return ""


def _valid_email(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 254:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _web_address(value: str) -> bool:
    return bool(value) and len(value) <= 200 and value.lower().startswith(("http://", "https://"))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _comment_text(content: str) -> str:
    """A comment's HTML as the plain text comments store (shown as typed, never run)."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", content or "", flags=re.IGNORECASE)
    text = plain_lines(strip_tags(text))
    return text or "(empty comment)"


def plain_lines(text: str) -> str:
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def run_import(
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    source_name: str = "",
    progress: Callable[[int, int, str], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the export at `path`; raises WXRError (nothing written) for a bad file."""
    return WordPressImport(path, options, source_name=source_name, progress=progress, log=log).run()
