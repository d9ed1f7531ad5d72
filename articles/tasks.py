"""Background work for stories: embeds' titles from the providers' oEmbed endpoints.

Only with NEWSROOM_OEMBED on. The fetch runs after the save has committed, on the task
queue when there is a broker (in-process otherwise), with a short timeout; a failure
leaves the embed showing its address, which is how it looks with oEmbed off.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction

from articles.caching import keys
from articles.caching.purging import purge
from articles.embeds import embeds_in, fetch_title, oembed_cache_key


@shared_task(name="articles.fetch_embed_titles")
def fetch_embed_titles(story_id: int) -> None:
    from django.core.cache import cache

    from articles.models import Story

    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        return
    embeds = embeds_in(story.body)
    known = cache.get_many([oembed_cache_key(embed.url) for embed in embeds])
    fetched = [fetch_title(embed) for embed in embeds if oembed_cache_key(embed.url) not in known]
    if any(fetched):
        # The story's page may have been cached with bare addresses in the meantime.
        purge({keys.story(story.pk)})


def fetch_embed_titles_after_save(sender, instance, **kwargs) -> None:
    """post_save receiver: queue the fetch when the story has embeds (and oEmbed is on)."""
    if not settings.NEWSROOM_OEMBED or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    # A workflow step saves a few fields, often of a story loaded without its body:
    # reading it would cost a query, and the body did not change.
    if (update_fields is not None and "body" not in update_fields) or (
        "body" in instance.get_deferred_fields()
    ):
        return
    if not embeds_in(instance.body):
        return
    story_id = instance.pk
    transaction.on_commit(lambda: fetch_embed_titles.delay(story_id))
