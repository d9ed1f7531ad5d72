"""Story teasers and the home page's headline blocks, rendered once per version of
what they show.

A list page is mostly teasers, and the template language takes most of a page's time
rendering them. A teaser's HTML depends only on what it shows (the story's headline,
address, date, dek or start of text, picture, kind, section, credits and comment count)
and on the time zone and script prefix, so its cache key is made of exactly those: an
edit, a renamed section or byline, a new comment all make a new key, and a stale teaser
cannot be served. Nothing needs purging; old entries expire. The home page's section
blocks (lists of headlines and dates) are keyed the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django import template
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from articles.markup import lead_html, lead_image_html, section_blocks_html, teaser_html
from articles.models import archive_day_url, story_url

register = template.Library()

# The fragments' names in their cache keys.
TEASER_FRAGMENT = "teaser"
BLOCKS_FRAGMENT = "section_blocks"
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


def teaser_context(story, level=None) -> dict:
    """What the teaser template prints, worked out here once: resolving `story.…` and
    formatting dates cost the template language several times more. The same values
    as before, spelled as the template used to: `|date:"c"` is isoformat() in local time,
    `level|default:2`, the start of the text or the dek."""
    # The local date of its address and of its archive day (its publication, if any),
    # converted once rather than by each of get_absolute_url() and archive_day_url.
    local = timezone.localtime(story.url_date)
    published = local if story.published_at else None
    section = story.section
    return {
        "teaser": {
            "url": story_url(section.slug, local, story.slug),
            "image_url": story.teaser_image_url,
            "image_sources": story.teaser_image_sources(),
            "image_size": story.teaser_image_size,
            "kind": story.kind,
            # Looked up only where shown: get_FOO_display() hashes every choice per call.
            "kind_label": story.get_kind_display() if story.kind != "news" else "",
            "level": level or 2,
            "headline": story.headline,
            "day_url": archive_day_url(local),
            "datetime": published.isoformat() if published else "",
            "date": long_date(published) if published else "",
            "section_url": section.get_absolute_url(),
            "section_name": section.name,
            "bylines": story.byline_groups(),
            "comment_count": getattr(story, "comment_count", None),
            "text": story.teaser_text(),
        }
    }


def long_date(local) -> str:
    """What `|date:"F j, Y"` writes ("March 1, 2026", the month in the active language),
    without parsing the format and wrapping the date on every call as dateformat does."""
    return f"{MONTHS[local.month]} {local.day}, {local.year:04d}"


def rendered_once(shown, name: str, render: Callable[[], str]) -> SafeString:
    """The fragment `name` as `render()` writes it, from the cache when `shown`
    (everything the HTML depends on) was rendered before (then `render` is not called)."""
    shown = (*shown, timezone.get_current_timezone_name(), get_script_prefix())
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    key = f"newsroom:fragment:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 -- written by articles.markup, which escapes


@register.simple_tag
def teaser(story, level=None) -> SafeString:
    """A story's teaser (`articles.markup.teaser_html`), `level` its heading's level."""
    return rendered_once(
        teaser_shows(story, level),
        TEASER_FRAGMENT,
        lambda: teaser_html(teaser_context(story, level)["teaser"]),
    )


@register.simple_tag
def section_blocks(blocks: list[dict]) -> SafeString:
    """The home page's section blocks (`articles.views.public.section_blocks`): each
    section's name and link, and its stories' headlines, in one fragment."""
    shown = [
        (block["pk"], block["slug"], block["name"], block["url"],
         [(s["pk"], s["headline"], s["url"], s["datetime"], s["day"]) for s in block["stories"]])
        for block in blocks
    ]  # fmt: skip
    return rendered_once(shown, BLOCKS_FRAGMENT, lambda: section_blocks_html(blocks))


@register.simple_tag
def lead_story(story) -> SafeString:
    """The home page's lead story (`articles.markup.lead_html`)."""
    return lead_html(story, teaser_context(story)["teaser"])


@register.simple_tag
def lead_image(story) -> SafeString:
    """A story's lead image, a <figure> (`articles.markup.lead_image_html`)."""
    return lead_image_html(story)
