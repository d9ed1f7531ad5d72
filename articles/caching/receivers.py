"""Signal receivers. They only purge caches: no business logic runs on a save.

One change, one purge: every purge in a transaction joins one batch (see purging.py),
and a workflow step needs no receiver of its own because the step saves the story.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import (
    BodyImage,
    Byline,
    Correction,
    Section,
    Story,
    StoryByline,
    StoryTag,
)
from library.media import Gallery, GalleryImage, MediaFile
from library.models import Image as LibraryImage
from library.placements import stories_placing

from . import keys
from .purging import purge


@receiver(post_save, sender=Story)
def story_saved(sender, instance: Story, **kwargs) -> None:
    purge(keys.story_change_keys(instance))


@receiver(post_save, sender=LibraryImage)
def library_image_saved(sender, instance: LibraryImage, created: bool, **kwargs) -> None:
    # New words, a new focal point (new crops) or a new file: every page of every story
    # that shows the image, and the lists they are on. A new image is shown nowhere yet.
    if created:
        return
    changed: set[str] = set()
    for shown_by in Story.objects.filter(lead_image=instance).only("pk", "section_id"):
        changed |= keys.story_change_keys(shown_by)
    # Inline, or in a gallery: only the story pages show it (lists show lead images).
    changed |= {keys.story(pk) for pk in stories_showing_in_body(instance)}
    if changed:
        purge(changed)


def stories_showing_in_body(image: LibraryImage) -> set[int]:
    """Stories whose body shows `image`: inline, or as a picture of a placed gallery."""
    shown = set(BodyImage.objects.filter(image=image).values_list("story_id", flat=True))
    for gallery_id in image.gallery_items.values_list("gallery_id", flat=True).distinct():
        shown |= set(stories_placing("gallery", gallery_id).values_list("pk", flat=True))
    return shown


def purge_pages_placing(kind: str, pk: int) -> None:
    """Purge the pages of the stories whose body places `[kind pk]`."""
    placing = stories_placing(kind, pk).values_list("pk", flat=True)
    if placed := {keys.story(story_id) for story_id in placing}:
        purge(placed)


@receiver([post_save, post_delete], sender=Gallery)
@receiver([post_save, post_delete], sender=MediaFile)
def placed_media_changed(sender, instance, created: bool = False, **kwargs) -> None:
    # A gallery's new title or a file's new caption: the pages of the stories placing it.
    # A new one is placed nowhere yet (and the importer makes many: no search of the
    # bodies for each).
    if not created:
        purge_pages_placing(instance.placement_kind, instance.pk)


@receiver([post_save, post_delete], sender=GalleryImage)
def gallery_picture_changed(sender, instance: GalleryImage, **kwargs) -> None:
    purge_pages_placing("gallery", instance.gallery_id)


@receiver(pre_delete, sender=Story)
def story_deleting(sender, instance: Story, **kwargs) -> None:
    # The story's secondary sections, bylines and tags are deleted with it: read the
    # lists it is on while the rows are still there.
    instance._purge_on_delete = keys.story_change_keys(instance)


@receiver(post_delete, sender=Story)
def story_deleted(sender, instance: Story, **kwargs) -> None:
    purge(getattr(instance, "_purge_on_delete", None) or keys.story_change_keys(instance))


@receiver(m2m_changed, sender=Story.secondary_sections.through)
def secondary_sections_changed(sender, instance, pk_set=None, **kwargs) -> None:
    if isinstance(instance, Story):
        purge(
            {
                *keys.story_change_keys(instance),
                *(keys.section_stories(pk) for pk in pk_set or ()),
            }
        )


@receiver([post_save, post_delete], sender=StoryByline)
def credit_changed(sender, instance: StoryByline, **kwargs) -> None:
    purge(
        {
            keys.story(instance.story_id),
            keys.byline_stories(instance.byline_id),
            keys.HOME,
            keys.FEEDS,
        }
    )


@receiver([post_save, post_delete], sender=StoryTag)
def story_tag_changed(sender, instance: StoryTag, **kwargs) -> None:
    purge({keys.story(instance.content_object_id), keys.tag_stories(instance.tag_id)})


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance: Correction, **kwargs) -> None:
    purge({keys.story(instance.story_id), keys.CORRECTIONS, keys.FEEDS, keys.SITEMAPS})


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, instance: Section, **kwargs) -> None:
    # Every page shows the navigation: forget it now, and again once this commits (a
    # page built meanwhile may have read the sections as they were).
    cache.delete(keys.NAVIGATION_ENTRY)
    transaction.on_commit(lambda: cache.delete(keys.NAVIGATION_ENTRY))
    purge(
        {
            keys.section(instance.pk),
            keys.section_stories(instance.pk),
            keys.SECTIONS,
            keys.SITEMAPS,
        }
    )


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance: Byline, **kwargs) -> None:
    purge(
        {
            keys.byline(instance.pk),
            keys.byline_stories(instance.pk),
            keys.FEEDS,
            keys.SITEMAPS,
        }
    )


@receiver([post_save, post_delete], sender=Tag)
def tag_changed(sender, instance: Tag, **kwargs) -> None:
    purge({keys.tag(instance.pk), keys.tag_stories(instance.pk), keys.FEEDS, keys.SITEMAPS})
