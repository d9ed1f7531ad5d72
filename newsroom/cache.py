"""A Redis cache the site can live without.

Redis holds nothing the site cannot rebuild: rendered pages, purge markers, image
rendition state and copies of sessions (the sessions themselves are in the database,
`cached_db`). So when Redis cannot be reached, every read is a miss and every write is
dropped, and pages are served uncached. The outage is logged once per process, when it
starts and when it ends, not once per request; while it lasts, Redis is tried again at
most every `RETRY_SECONDS`, so a request never waits on a dead server for long.

Writes lost during an outage include purges, so pages cached before it may show what
has changed since. When Redis answers again, the callbacks registered with `when_back()`
run first: the page cache registers one that purges every page (articles.caching).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0

_recovery_callbacks: list[Callable[[], None]] = []


def when_back(callback: Callable[[], None]) -> Callable[[], None]:
    """Run `callback` each time the cache answers again after an outage."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)
    return callback


class Outage:
    """Whether the cache is down, since when, and when to try it again (one per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0

    @property
    def is_down(self) -> bool:
        return self.since is not None

    def should_try(self) -> bool:
        return self.since is None or time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.since is None:
                self.since = now
                logger.error(
                    "The cache (Redis) cannot be reached: %s. Serving pages uncached until "
                    "it is back; this is logged once.",
                    error,
                )

    def succeeded(self) -> bool:
        """Record a success; True when it ends an outage."""
        if self.since is None:
            return False
        with self.lock:
            if self.since is None:
                return False
            lasted, self.since = time.monotonic() - self.since, None
        logger.warning("The cache (Redis) is back after %.1f s; using it again.", lasted)
        return True


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, with misses and dropped writes instead of errors in an outage."""

    def __init__(self, server, params) -> None:
        params = {**params}
        options = {**params.get("OPTIONS", {})}
        # A dead or unreachable server must cost a request milliseconds, not seconds.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.outage = Outage()

    def recovered(self) -> None:
        for callback in list(_recovery_callbacks):
            try:
                callback()
            except (RedisError, OSError) as error:
                self.outage.failed(error)
                return

    def _guarded(self, fallback, operation, *args, **kwargs):
        """`operation(*args, **kwargs)`, or `fallback` while the cache cannot be reached."""
        if not self.outage.should_try():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except (RedisError, OSError) as error:
            self.outage.failed(error)
            return fallback
        if self.outage.succeeded():
            self.recovered()
        return result

    def add(self, *args, **kwargs):
        return self._guarded(False, super().add, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, *args, **kwargs):
        return self._guarded(None, super().set, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded(False, super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded(False, super().delete, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guarded({}, super().get_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guarded(False, super().has_key, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        # Django's contract: the keys that could not be set (here: all of them).
        data = args[0] if args else kwargs.get("data", {})
        return self._guarded(list(data), super().set_many, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded(None, super().delete_many, *args, **kwargs)

    def clear(self):
        return self._guarded(False, super().clear)

    def incr(self, key, delta=1, version=None):
        # While the cache is down every key is missing, and incr() of a missing key is a
        # ValueError to every Django cache.
        missing = object()
        result = self._guarded(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        return result
