"""The shared page cache: anonymous public pages served from the cache while fresh.

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
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from .purging import NEXT_CHANGE_KEY, PURGED_PREFIX

PAGE_PREFIX = "newsroom:page:"
# Paths never cached: staff screens, previews, forms, and search (endless combinations).
UNCACHED_PREFIXES = (
    f"/{settings.NEWSROOM_ADMIN_URL}", "/newsdesk/", "/preview/", "/comments/", "/search/",
)  # fmt: skip
# Headers copied into the cache with the page (cookies never are).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Surrogate-Key", "X-Robots-Tag")


# Lifetimes ---------------------------------------------------------------------------------


def next_public_change():
    """When the next scheduled story goes live or embargo lifts (None if nothing is due)."""
    cached = cache.get(NEXT_CHANGE_KEY)
    if cached is not None:
        return cached or None
    from articles.models import Story

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


def expire_page_at(request, moment) -> None:
    """Say that the page being rendered changes by itself at `moment` (comments closing):
    no cached copy of it, here or downstream, may outlive that moment."""
    if moment is None:
        return
    current = getattr(request, "_page_expires_at", None)
    request._page_expires_at = moment if current is None else min(current, moment)


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
            self.store(key, response, rendered_at, getattr(request, "_page_expires_at", None))
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

    def store(self, key: str, response, rendered_at: float, expires_at=None) -> None:
        lifetime, scheduled = page_lifetime()
        # A page that changes by itself at a known time (comments closing) says when.
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
