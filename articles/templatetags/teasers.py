"""Story teasers and the home page's headline blocks, rendered once per version of
what they show.

A list page is mostly teasers, and the template language takes most of a page's time
rendering them. A teaser's HTML depends only on what it shows (the story's headline,
address, date, dek or start of text, picture, kind, section, credits and comment count)
and on the time zone and script prefix, so its cache key is made of exactly those: an
edit, a renamed section or byline, a new comment all make a new key, and a stale teaser
cannot be served. Nothing needs purging; old entries expire. A section block on the home
page (a list of headlines and dates) is keyed the same way.
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
FRAGMENT_SECONDS = 24 * 3600


def teaser_image_shows(story) -> tuple:
    # The teaser's crop is named after the file and the focal point: either changes it.
    image = story.lead_image if story.lead_image_id else None
    return (image.file.name, image.focal_point_x, image.focal_point_y) if image else ()


def teaser_shows(story, level) -> tuple:
    section = story.section
    credits = [(c.role, c.byline.name, c.byline.slug) for c in story.credited_bylines]
    return (
        story.pk, level, story.headline, story.slug, story.kind, story.published_at,
        story.created_at, story.teaser_text(), teaser_image_shows(story),
        section.slug, section.name,
        credits,
        getattr(story, "comment_count", None),
    )  # fmt: skip


def rendered_once(shown: tuple, template_name: str, context: dict) -> SafeString:
    """`template_name` rendered with `context`, from the cache when `shown` (everything
    the HTML depends on) was rendered before."""
    shown = (*shown, timezone.get_current_timezone_name(), get_script_prefix())
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    key = f"newsroom:fragment:{template_name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 -- rendered by our template, escaped there


@register.simple_tag
def teaser(story, level=None) -> SafeString:
    """`{% include "articles/_story_teaser.html" with story=story level=level only %}`."""
    return rendered_once(
        teaser_shows(story, level), TEASER_TEMPLATE, {"story": story, "level": level}
    )


@register.simple_tag
def section_block(block: dict) -> SafeString:
    """A home page block: its section's name and link, and its stories' headlines."""
    section = block["section"]
    shown = (
        section.pk, section.slug, section.name,
        [(s.pk, s.headline, s.slug, s.section.slug, s.published_at, s.created_at)
         for s in block["stories"]],
    )  # fmt: skip
    return rendered_once(shown, "articles/_section_block.html", {"block": block})
