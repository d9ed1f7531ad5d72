"""The demo newsroom in the database: finding it, removing it and building it.

Everything is found by the slugs and usernames in the demo's content, so a reset never
touches what the demo did not make. The command wraps removal and building in one
transaction; `DemoBuilder` keeps a list of the files it wrote, so a failed build can
delete them too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from taggit.models import Tag

from articles.demo.content import DemoContent, DemoStory
from articles.demo.pictures import describe_lead_image, draw_lead_image, draw_portrait, jpeg
from articles.models import Byline, Section, SectionPin, Story, StoryByline, remember_pins
from articles.roles import ensure_role
from library.models import Image as LibraryImage
from library.models import sha256_of

PROGRESS_EVERY = 10


def demo_is_loaded(content: DemoContent) -> bool:
    """True when the demo's marker section or any of its stories exists."""
    return (
        Section.objects.filter(slug=content.marker_section).exists()
        or Story.objects.filter(slug__in=content.story_slugs()).exists()
    )


def demo_accounts(content: DemoContent):
    """The demo's own accounts: right username *and* the demo e-mail address.

    Matching the address as well means a real account that happens to be called
    "admin" is never reported, reset or deleted as a demo login.
    """
    query = Q(pk__in=[])
    for account in content.accounts:
        query |= Q(username=account.username, email=account.email)
    return get_user_model().objects.filter(query)


def _tags_query(content: DemoContent) -> Q:
    # Tags are case-insensitive in this project, so match names the same way.
    query = Q(pk__in=[])
    for name in content.tag_names():
        query |= Q(name__iexact=name)
    return query


def role_group(name: str):
    """The group of one of the newsroom's roles: the demo uses the real roles, so the
    demo editor sees exactly what an Editor would (recreated if it was deleted)."""
    return ensure_role(name)


class DemoBuilder:
    """Removes and builds the demo's rows; the command wraps both in a transaction."""

    def __init__(self, content: DemoContent, log: Callable[[str], None]) -> None:
        self.content = content
        self.log = log
        self.storage_writes: list[tuple[Storage, str]] = []
        # (motif, colors) → the library image drawn for them: two demo stories with the
        # same picture share one image, as stories share photos in a real newsroom.
        self.pictures: dict[tuple, LibraryImage] = {}

    # Removing

    def remove(self) -> None:
        """Delete the demo's stories, accounts, bylines, sections and unused tags."""
        old_files: list[tuple[Storage, str]] = []
        stories = list(Story.objects.filter(slug__in=self.content.story_slugs()))
        old_images = {story.lead_image_id for story in stories if story.lead_image_id}
        Story.objects.filter(pk__in=[story.pk for story in stories]).delete()
        # The demo's library images, once no story (of the demo or not) shows them.
        for image in LibraryImage.objects.unused().filter(pk__in=old_images):
            old_files.append((image.file.storage, image.file.name))
            image.delete()
        accounts = list(demo_accounts(self.content))
        demo_accounts(self.content).delete()

        kept: list[str] = []
        bylines = list(Byline.objects.filter(slug__in=self._byline_slugs()))
        for byline in bylines:
            if self._delete_unless_protected(byline):
                if byline.photo:
                    old_files.append((byline.photo.storage, byline.photo.name))
            else:
                kept.append(f"byline '{byline.slug}' (credited on other stories)")

        # Children before parents: a parent section is protected while it has children.
        sections = sorted(
            Section.objects.filter(slug__in=self._section_slugs()),
            key=lambda section: len(section.ancestors()),
            reverse=True,
        )
        for section in sections:
            if not self._delete_unless_protected(section):
                kept.append(f"section '{section.slug}' (has other stories or sections)")

        unused_tags = Tag.objects.filter(_tags_query(self.content))
        for relation in Tag._meta.related_objects:
            unused_tags = unused_tags.filter(**{f"{relation.name}__isnull": True})
        tags, _ = unused_tags.delete()

        if kept:
            # Raising rolls the whole reset back, so nothing is half-deleted.
            raise CommandError(
                "Cannot reset: content outside the demo uses "
                + "; ".join(kept)
                + ". Move or delete that content first."
            )
        self.log(
            f"Removed the old demo: {len(stories)} stories, {len(bylines)} bylines, "
            f"{len(sections)} sections, {tags} tags, {len(accounts)} accounts."
        )
        # Files are not transactional: delete them only once the deletion is committed.
        transaction.on_commit(lambda: self._delete_files(old_files))

    @staticmethod
    def _delete_unless_protected(instance) -> bool:
        try:
            # A savepoint keeps the outer transaction usable if the delete is refused.
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            return False
        return True

    @staticmethod
    def _delete_files(files: list[tuple[Storage, str]]) -> None:
        for storage, name in files:
            storage.delete(name)
            # Its renditions, made when the image was saved, sit in a folder of their own
            # (imagekit's "source name as path" naming).
            folder = f"{settings.IMAGEKIT_CACHEFILE_DIR}/{os.path.splitext(name)[0]}"
            if storage.exists(folder):
                for rendition in storage.listdir(folder)[1]:
                    storage.delete(f"{folder}/{rendition}")

    def discard_new_files(self) -> None:
        """Delete the files written by a build whose transaction was rolled back."""
        self._delete_files(self.storage_writes)

    # Building

    def _section_slugs(self) -> list[str]:
        return [section.slug for section in self.content.sections]

    def _byline_slugs(self) -> list[str]:
        return [byline.slug for byline in self.content.bylines]

    def check_slugs_are_free(self) -> None:
        """Refuse to build over sections or bylines that belong to someone else."""
        taken = [
            *Section.objects.filter(slug__in=self._section_slugs()).values_list("slug", flat=True),
            *Byline.objects.filter(slug__in=self._byline_slugs()).values_list("slug", flat=True),
        ]
        if taken:
            raise CommandError(
                "The demo needs these slugs, which are already in use: "
                + ", ".join(sorted(taken))
                + ". Load the demo into an empty database, or run with --reset to delete "
                "them first."
            )

    def build(self, *, now: datetime, with_accounts: bool) -> dict[str, int]:
        sections = self._build_sections()
        users = self._build_accounts() if with_accounts else {}
        bylines = self._build_bylines(users)
        stories = self._build_stories(now, sections, bylines, users)
        self._pin_stories(sections)
        return {
            "sections": len(sections),
            "bylines": len(bylines),
            "stories": stories,
            "accounts": len(users),
        }

    def _save_file(self, field_file, name: str, content: ContentFile) -> None:
        field_file.save(name, content, save=False)
        self.storage_writes.append((field_file.storage, field_file.name))

    def _picture(self, data: DemoStory, uploaded_by) -> LibraryImage:
        image = data.image
        first, second = image.colors
        key = (image.motif, first, second)
        if key not in self.pictures:
            library_image = LibraryImage(
                title=f"{image.motif.capitalize()} in {first} and {second}",
                alt_text=describe_lead_image(image.motif, first, second),
                credit=self.content.image_credit,
                uploaded_by=uploaded_by,
            )
            picture = draw_lead_image(data.slug, image.motif, first, second)
            self._save_file(library_image.file, f"{data.slug}.jpg", jpeg(picture))
            library_image.sha256 = sha256_of(library_image.file)
            library_image.full_clean()
            library_image.save()
            self.pictures[key] = library_image
        return self.pictures[key]

    def _build_sections(self) -> dict[str, Section]:
        sections: dict[str, Section] = {}
        # The content lists parents before their children (the loader checks).
        for data in self.content.sections:
            section = Section(
                name=data.name,
                slug=data.slug,
                description=data.description,
                position=data.position,
                parent=sections[data.parent] if data.parent else None,
            )
            section.full_clean()
            section.save()
            sections[section.slug] = section
        self.log(f"  Sections: {len(sections)}")
        return sections

    def _pin_stories(self, sections: dict[str, Section]) -> None:
        """The section fronts: stories pinned above a section's newest-first list."""
        for data in self.content.sections:
            if not data.pinned:
                continue
            section = sections[data.slug]
            for position, slug in enumerate(data.pinned):
                SectionPin.objects.create(
                    section=section, story=Story.objects.get(slug=slug), position=position
                )
            remember_pins(section)

    def _build_accounts(self) -> dict:
        """Create the demo logins, leaving any existing account of the same name alone."""
        User = get_user_model()
        users = {}
        for data in self.content.accounts:
            if User.objects.filter(username=data.username).exists():
                self.log(
                    f"  Account '{data.username}' already exists and is not the demo's; "
                    "left unchanged (its password is not the demo password)."
                )
                continue
            user = User(
                username=data.username,
                email=data.email,
                first_name=data.first_name,
                last_name=data.last_name,
                is_staff=True,
                is_superuser=data.is_superuser,
            )
            user.set_password(data.password)
            user.save()
            user.groups.add(role_group(data.role))
            users[user.username] = user
        self.log(f"  Accounts: {', '.join(users) or 'none'}")
        return users

    def _build_bylines(self, users: dict) -> dict[str, Byline]:
        account_for_byline = {
            data.byline: users.get(data.username) for data in self.content.accounts if data.byline
        }
        bylines: dict[str, Byline] = {}
        for data in self.content.bylines:
            byline = Byline(
                name=data.name,
                slug=data.slug,
                kind=data.kind,
                role_line=data.role_line,
                bio=data.bio,
                email=data.email,
                user=account_for_byline.get(data.slug),
            )
            if data.portrait:
                portrait = draw_portrait(data.name, data.portrait)
                self._save_file(byline.photo, f"{data.slug}.jpg", jpeg(portrait))
            byline.full_clean()
            byline.save()
            bylines[byline.slug] = byline
        self.log(f"  Bylines: {len(bylines)}")
        return bylines

    def _build_stories(self, now, sections, bylines, users) -> int:
        total = len(self.content.stories)
        for number, data in enumerate(self.content.stories, start=1):
            # Without the demo logins (DEBUG off) the stories have no author account.
            self._build_story(data, now, sections, bylines, users.get(data.written_by))
            if number % PROGRESS_EVERY == 0 or number == total:
                self.log(f"  Stories: {number}/{total}")
        return total

    def _build_story(self, data: DemoStory, now, sections, bylines, created_by) -> Story:
        published_at = None
        if data.status == Story.Status.PUBLISHED:
            published_at = now - timedelta(days=data.days_ago)
        story = Story(
            headline=data.headline,
            slug=data.slug,
            dek=data.dek,
            body=data.body,
            section=sections[data.section],
            kind=data.kind,
            status=data.status,
            published_at=published_at,
            is_featured=data.is_featured,
            source_name=data.source_name,
            source_url=data.source_url,
            created_by=created_by,
        )
        if published_at and data.updated_hours_later:
            story.materially_updated_at = published_at + timedelta(hours=data.updated_hours_later)
        if image := data.image:
            story.lead_image = self._picture(data, created_by)
            story.lead_image_caption = image.caption
        # The same validation as the admin, so the demo can never hold a story that an
        # editor could not have saved.
        story.full_clean()
        story.save()
        story.secondary_sections.set([sections[slug] for slug in data.secondary_sections])
        StoryByline.objects.bulk_create(
            StoryByline(story=story, byline=bylines[slug], role=role, position=position)
            for position, (slug, role) in enumerate(data.bylines)
        )
        story.tags.add(*data.tags)
        return story
