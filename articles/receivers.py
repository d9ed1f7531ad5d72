"""Signal receivers. They only purge caches: no business logic runs on a save."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from . import caching
from .models import Byline, Correction, Section, Story, StoryByline, StoryTag
from .signals import story_transitioned


@receiver([post_save, post_delete], sender=Story)
def story_changed(sender, instance: Story, **kwargs) -> None:
    caching.purge(caching.story_change_keys(instance))


@receiver(story_transitioned)
def story_moved(sender, story: Story, **kwargs) -> None:
    caching.purge(caching.story_change_keys(story))


@receiver(m2m_changed, sender=Story.secondary_sections.through)
def secondary_sections_changed(sender, instance, pk_set=None, **kwargs) -> None:
    if isinstance(instance, Story):
        keys = caching.story_change_keys(instance)
        keys.update(f"section-{pk}-stories" for pk in pk_set or ())
        caching.purge(keys)


@receiver([post_save, post_delete], sender=StoryByline)
def credit_changed(sender, instance: StoryByline, **kwargs) -> None:
    caching.purge(
        {f"story-{instance.story_id}", f"byline-{instance.byline_id}-stories", "home", "feeds"}
    )


@receiver([post_save, post_delete], sender=StoryTag)
def story_tag_changed(sender, instance: StoryTag, **kwargs) -> None:
    caching.purge({f"story-{instance.content_object_id}", f"tag-{instance.tag_id}-stories"})


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance: Correction, **kwargs) -> None:
    caching.purge({f"story-{instance.story_id}", "corrections", "feeds", "sitemaps"})


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, instance: Section, **kwargs) -> None:
    # Every page shows the navigation ("sections").
    caching.purge(
        {f"section-{instance.pk}", f"section-{instance.pk}-stories", "sections", "sitemaps"}
    )


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance: Byline, **kwargs) -> None:
    caching.purge({f"byline-{instance.pk}", f"byline-{instance.pk}-stories", "feeds", "sitemaps"})


@receiver([post_save, post_delete], sender=Tag)
def tag_changed(sender, instance: Tag, **kwargs) -> None:
    caching.purge({f"tag-{instance.pk}", f"tag-{instance.pk}-stories", "feeds", "sitemaps"})
