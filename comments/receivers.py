"""Signal receivers: a comment's change shows on its story's pages, so purge them."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.caching import keys, purge

from .models import Comment


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(sender, instance: Comment, update_fields=None, **kwargs) -> None:
    # Approved comments and their count appear on the story and on every teaser of it.
    # A new pending comment changes nothing readers see, so it purges nothing.
    moderated = update_fields is not None and "status" in update_fields
    if (
        kwargs.get("signal") is post_delete
        or moderated
        or instance.status == Comment.Status.APPROVED
    ):
        purge({keys.story(instance.story_id)})
