"""Purging: forgetting cached pages that carry a key, here and in downstream caches.

A change purges once. Every `purge()` inside one transaction adds its keys to a single
batch, sent to every purger when the transaction commits: an admin save that touches
the story, its bylines, tags and sections, or a workflow step that saves, logs and
signals, makes one purge request to Varnish, not five.
"""

from __future__ import annotations

import logging
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

from newsroom.cache import when_back

from .keys import SECTIONS

logger = logging.getLogger(__name__)

PURGED_PREFIX = "newsroom:purged:"
NEXT_CHANGE_KEY = "newsroom:next-public-change"


class AppCachePurger:
    """Forget pages in the app's cache: mark each key as purged now."""

    def purge(self, keys: set[str]) -> None:
        now = time.time()
        # Kept well past the longest page lifetime, so no page outlives its marker.
        lifetime = max(settings.NEWSROOM_PAGE_CACHE_SECONDS * 4, 3600)
        cache.set_many({PURGED_PREFIX + key: now for key in keys}, timeout=lifetime)
        cache.delete(NEXT_CHANGE_KEY)


@when_back
def forget_every_page() -> None:
    """Purges sent while the cache was down were lost: pages cached before the outage
    may show what changed since, so none of them is served again. Every page carries
    the navigation's key."""
    AppCachePurger().purge({SECTIONS})


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


def send(keys: set[str]) -> None:
    for purger in purgers():
        purger.purge(keys)


class _Batch:
    """The keys purged during one transaction, sent once when it commits.

    Every `purge()` registers the batch's `flush` again, so the batch goes out with the
    first of them that runs (even when only some callbacks run, as in a test that
    captures them); the others find it empty and send nothing.
    """

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def flush(self) -> None:
        keys, self.keys = self.keys, set()
        if keys:
            send(keys)


def purge(keys: Iterable[str]) -> None:
    """Purge `keys` everywhere, once the current transaction has committed.

    Inside a transaction the app's cache is also purged at once: in a transaction that
    never commits on its own (a test case, a long import), readers of the same
    connection see the change immediately. The purge after the commit closes the window
    in which another process could cache a page rendered from the data as it was.
    """
    keys = set(keys)
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        send(keys)
        return
    AppCachePurger().purge(keys)
    batch = getattr(connection, "_newsroom_purge_batch", None)
    if batch is None:
        batch = connection._newsroom_purge_batch = _Batch()
    elif not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        batch.keys.clear()  # what it held was rolled back with its transaction
    batch.keys |= keys
    transaction.on_commit(batch.flush)
