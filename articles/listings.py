"""Keeps SectionListing in step with each story's home and secondary sections.

Every save of a story and every change of its secondary sections, from the admin, an
import, the shell or a fold, goes through these receivers; bulk writes that bypass
signals (the WordPress import's, a restore) call `refresh_listings` themselves, and
`manage.py refresh_listings` rebuilds the whole table.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save

from .models import Section, Story, refresh_listings


def story_saved(sender, instance: Story, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # a fixture being loaded: its own rows follow (and a restore refreshes)
        return
    if update_fields is not None and not {"section", "section_id"} & set(update_fields):
        return  # a workflow step or an autosave: the home section is as it was
    refresh_listings([instance.pk])


def secondary_sections_changed(sender, instance, action: str, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Story):
        refresh_listings([instance.pk])
    elif isinstance(instance, Section) and action == "post_clear":
        refresh_listings(
            Story.objects.filter(listings__section=instance).values_list("pk", flat=True)
        )
    elif isinstance(instance, Section):
        refresh_listings(pk_set or ())


def connect() -> None:
    post_save.connect(story_saved, sender=Story, dispatch_uid="articles.listings.story")
    m2m_changed.connect(
        secondary_sections_changed,
        sender=Story.secondary_sections.through,
        dispatch_uid="articles.listings.secondary",
    )
