"""The story teaser, rendered once for each version of what it shows.

A list page is mostly teasers, and the template language takes most of a page's time
rendering them. A teaser's HTML depends only on what it shows (the story's headline,
address, date, dek or start of text, picture, kind, section, credits and comment count)
and on the time zone and script prefix, so its cache key is made of exactly those: an
edit, a renamed section or byline, a new comment all make a new key, and a stale teaser
cannot be served. Nothing needs purging; old entries expire.
"""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEASER_TEMPLATE = "articles/_story_teaser.html"
TEASER_SECONDS = 24 * 3600


def teaser_cache_key(story, level) -> str:
    section = story.section
    credits = [(c.role, c.byline.name, c.byline.slug) for c in story.credited_bylines]
    shown = (
        story.pk, level, story.headline, story.slug, story.kind, story.published_at,
        story.created_at, story.teaser_text(), str(story.__dict__.get("lead_image") or ""),
        section.slug, section.name,
        credits,
        getattr(story, "comment_count", None), timezone.get_current_timezone_name(),
        get_script_prefix(),
    )  # fmt: skip
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"newsroom:teaser:{digest}"


@register.simple_tag
def teaser(story, level=None) -> SafeString:
    """`{% include "articles/_story_teaser.html" with story=story level=level only %}`."""
    key = teaser_cache_key(story, level)
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEASER_TEMPLATE, {"story": story, "level": level})
        cache.set(key, html, TEASER_SECONDS)
    return mark_safe(html)  # noqa: S308 -- rendered by our template, escaped there
