"""Caching anonymous public pages, and invalidating exactly the pages a change affects.

Every public response names what it shows in a `Surrogate-Key` header: `story-12`,
`section-3`, `byline-7`, `tag-4` for the things whose words appear on it, and
`section-3-stories`, `byline-7-stories`, `tag-4-stories`, `home`, `feeds`, `archive`,
`corrections`, `sitemaps` for the lists it is built from. A change purges keys, never
URLs: the app's own cache (shared by every process when REDIS_URL is set) forgets every
page carrying one of them, and the configured purgers tell Varnish or a CDN to do the
same (Varnish's xkey and Fastly read the same header).

Purging writes a "purged at" time per key; a cached page is served only while every one
of its keys was last purged before the page was rendered. That is exact (only pages that
carry a purged key go) and race-free (a page rendered while a change was committing is
older than the purge that follows the commit).

Scheduled stories and embargoes need no purge: no cached page, here or downstream, lives
past the next moment a story becomes public.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

PAGE_PREFIX = "newsroom:page:"
PURGED_PREFIX = "newsroom:purged:"
NEXT_CHANGE_KEY = "newsroom:next-public-change"
# Paths never cached: staff screens, previews, forms, and search (endless combinations).
UNCACHED_PREFIXES = ("/admin/", "/newsdesk/", "/preview/", "/comments/", "/search/")
# Headers copied into the cache with the page (cookies never are).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Surrogate-Key", "X-Robots-Tag")


# Keys --------------------------------------------------------------------------------------


def teaser_keys(stories: Iterable) -> set[str]:
    """Keys for stories shown on a page: each story, its section and its bylines."""
    keys: set[str] = set()
    for story in stories:
        keys.add(f"story-{story.pk}")
        keys.add(f"section-{story.section_id}")
        keys.update(f"byline-{credit.byline_id}" for credit in story.credited_bylines)
    return keys


def set_surrogate_keys(response: HttpResponse, keys: Iterable[str]) -> HttpResponse:
    # Every page shows the section navigation.
    response["Surrogate-Key"] = " ".join(sorted({*keys, "sections"}))
    return response


def story_change_keys(story) -> set[str]:
    """What to purge when a story changes: its pages and every list it is or was on."""
    keys = {f"story-{story.pk}", "home", "feeds", "sitemaps", "archive", "corrections"}
    if story.section_id:
        keys.add(f"section-{story.section_id}-stories")
    loaded = getattr(story, "_loaded_address", None)
    if loaded and loaded[1]:
        keys.add(f"section-{loaded[1]}-stories")
    if story.pk:
        keys.update(
            f"section-{pk}-stories"
            for pk in story.secondary_sections.through.objects.filter(
                story_id=story.pk
            ).values_list("section_id", flat=True)
        )
        keys.update(
            f"byline-{pk}-stories" for pk in story.story_bylines.values_list("byline_id", flat=True)
        )
        keys.update(
            f"tag-{pk}-stories" for pk in story.tagged_items.values_list("tag_id", flat=True)
        )
    return keys


# Purging -----------------------------------------------------------------------------------


class AppCachePurger:
    """Forget pages in the app's cache: mark each key as purged now."""

    def purge(self, keys: set[str]) -> None:
        now = time.time()
        # Kept well past the longest page lifetime, so no page outlives its marker.
        lifetime = max(settings.NEWSROOM_PAGE_CACHE_SECONDS * 4, 3600)
        cache.set_many({PURGED_PREFIX + key: now for key in keys}, timeout=lifetime)
        cache.delete(NEXT_CHANGE_KEY)


class VarnishPurger:
    """Ask each Varnish in VARNISH_PURGE_URLS to ban the keys (xkey, see deploy/varnish)."""

    def purge(self, keys: set[str]) -> None:
        for url in settings.VARNISH_PURGE_URLS:
            request = urllib.request.Request(  # noqa: S310 -- operator-configured URL
                url, method="PURGE", headers={"xkey-purge": " ".join(sorted(keys))}
            )
            try:
                with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                    pass
            except OSError as error:
                # A cache that cannot be reached must not break publishing; pages there
                # expire on their own within NEWSROOM_PAGE_CACHE_SECONDS.
                logger.warning("Varnish purge at %s failed: %s", url, error)


def purgers():
    return [import_string(path)() for path in settings.NEWSROOM_PURGERS]


def purge(keys: Iterable[str]) -> None:
    """Purge `keys` everywhere, once the current transaction has committed.

    The app's cache is also purged at once: inside a transaction that never commits on
    its own (a test case, a long import), readers of the same connection see the change
    immediately. Purging again after the commit closes the window in which another
    process could cache a page rendered from the data as it was before the commit.
    """
    keys = set(keys)
    if not keys:
        return
    if transaction.get_connection().in_atomic_block:
        AppCachePurger().purge(keys)

    def run() -> None:
        for purger in purgers():
            purger.purge(keys)

    transaction.on_commit(run)


# Lifetimes ---------------------------------------------------------------------------------


def next_public_change():
    """When the next scheduled story goes live or embargo lifts (None if nothing is due)."""
    cached = cache.get(NEXT_CHANGE_KEY)
    if cached is not None:
        return cached or None
    from .models import Story  # the models import this module's signals

    now = timezone.now()
    scheduled = Story.objects.scheduled().aggregate(at=Min("published_at"))["at"]
    embargo = Story.objects.filter(status=Story.Status.PUBLISHED, embargo_until__gt=now).aggregate(
        at=Min("embargo_until")
    )["at"]
    moments = [moment for moment in (scheduled, embargo) if moment]
    upcoming = min(moments) if moments else None
    timeout = (
        max(1, math.ceil((upcoming - now).total_seconds()))
        if upcoming
        else settings.NEWSROOM_PAGE_CACHE_SECONDS
    )
    cache.set(NEXT_CHANGE_KEY, upcoming or "", timeout=timeout)
    return upcoming


def page_lifetime() -> tuple[int, bool]:
    """Seconds a page may be cached, and whether that was cut short by a schedule."""
    lifetime = settings.NEWSROOM_PAGE_CACHE_SECONDS
    upcoming = next_public_change()
    if upcoming is not None:
        until = math.floor((upcoming - timezone.now()).total_seconds())
        if until < lifetime:
            return max(until, 0), True
    return lifetime, False


# The middleware ----------------------------------------------------------------------------


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache; mark what may be cached.

    Logged-in users (staff) always get fresh pages marked `private, no-store`, so an
    editor sees a change at once and no shared cache keeps a page meant for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_use_cache(request):
            response = self.get_response(request)
            if getattr(request, "user", None) is not None and request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = PAGE_PREFIX + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        entry = cache.get(key)
        if entry is not None and self.is_fresh(entry):
            return self.from_entry(entry)
        rendered_at = time.time()
        response = self.get_response(request)
        if self.may_store(response):
            self.store(key, response, rendered_at)
        return response

    def may_use_cache(self, request) -> bool:
        return (
            settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.user.is_authenticated
        )

    def may_store(self, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and "Surrogate-Key" in response
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def is_fresh(self, entry: dict) -> bool:
        purged = cache.get_many([PURGED_PREFIX + key for key in entry["keys"]])
        return all(moment < entry["rendered_at"] for moment in purged.values())

    def store(self, key: str, response, rendered_at: float) -> None:
        lifetime, scheduled = page_lifetime()
        # A page that changes by itself at a known time (comments closing) says when.
        expires_at = getattr(response, "cache_expires_at", None)
        if expires_at is not None:
            until = math.floor((expires_at - timezone.now()).total_seconds())
            if until < lifetime:
                lifetime, scheduled = max(until, 0), True
        response["Last-Modified"] = http_date(rendered_at)
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        directives = {"public": True, "max_age": 0, "s_maxage": lifetime}
        if not scheduled:
            # Downstream caches may serve a page a little past its lifetime while they
            # fetch a new one, unless a story is due to go live before then.
            directives["stale_while_revalidate"] = settings.NEWSROOM_STALE_WHILE_REVALIDATE
        patch_cache_control(response, **directives)
        response["X-Cache"] = "MISS"
        if lifetime <= 0:
            return
        cache.set(
            key,
            {
                "expires_at": rendered_at + lifetime,
                "scheduled": scheduled,
                "content": response.content,
                "headers": {
                    name: response[name]
                    for name in (*KEPT_HEADERS, "Cache-Control", "Last-Modified", "ETag")
                    if name in response
                },
                "keys": response["Surrogate-Key"].split(),
                "rendered_at": rendered_at,
            },
            timeout=lifetime,
        )

    def from_entry(self, entry: dict) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        # Downstream caches get what is left of the lifetime, not the whole of it again.
        remaining = max(0, math.floor(entry["expires_at"] - time.time()))
        del response["Cache-Control"]
        directives = {"public": True, "max_age": 0, "s_maxage": remaining}
        if not entry["scheduled"]:
            directives["stale_while_revalidate"] = settings.NEWSROOM_STALE_WHILE_REVALIDATE
        patch_cache_control(response, **directives)
        response["X-Cache"] = "HIT"
        return response
