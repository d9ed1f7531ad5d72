"""A Redis cache the site can live without.

Redis holds nothing the site cannot rebuild: rendered pages, purge markers, image
rendition state and copies of sessions (the sessions themselves are in the database,
`cached_db`). So when Redis cannot be reached, every read is a miss and every write is
dropped, and pages are served uncached. The outage is logged once per process, when it
starts and when it ends, not once per request; while it lasts, Redis is tried again at
most every `RETRY_SECONDS`, so a request never waits on a dead server for long.

A write dropped during an outage may have been meant to replace or remove what Redis
still holds when it returns (a session logged out, a purge marker): so when Redis
answers again, each process first deletes the keys of the writes it dropped, then runs
the callbacks registered with `when_back()`; the page cache registers one that purges
every page (articles.caching), since purges were lost too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
# At most this many dropped writes are remembered per process, to be undone on recovery.
MAX_DROPPED = 10_000

_recovery_callbacks: list[Callable[[], None]] = []


def when_back(callback: Callable[[], None]) -> Callable[[], None]:
    """Run `callback` each time the cache answers again after an outage."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)
    return callback


class Outage:
    """Whether a cache server is down, since when, when to try it again, and the writes
    dropped meanwhile. One per server per process: Django makes a cache object per
    thread, and the threads of a process share what they know of the server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0
        # (key, version) of writes dropped while the cache was down; undone on recovery.
        self.dropped: set[tuple[str, int | None]] = set()
        self.dropped_too_many = False

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


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage())


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
        self.outage = outage_of(str(server))

    def recovered(self) -> None:
        """Undo the writes dropped during the outage, then run the `when_back()` callbacks.

        A write that was dropped may have been meant to replace or remove what Redis
        still holds (a session logged out, a page purged): deleting those keys leaves a
        miss, which every reader of the cache rebuilds from the database.
        """
        outage = self.outage
        with outage.lock:
            dropped, outage.dropped = outage.dropped, set()
        try:
            for version in {version for _, version in dropped}:
                keys = [key for key, v in dropped if v == version]
                super().delete_many(keys, version=version)
            if outage.dropped_too_many:
                logger.warning(
                    "More than %d cache writes were dropped during the outage; the rest "
                    "could not be undone and expire on their own.",
                    MAX_DROPPED,
                )
            outage.dropped_too_many = False
            for callback in list(_recovery_callbacks):
                callback()
        except (RedisError, OSError) as error:
            with outage.lock:
                outage.dropped |= dropped
            outage.failed(error)

    def _drop(self, keys, version) -> None:
        outage = self.outage
        with outage.lock:
            for key in keys:
                if len(outage.dropped) >= MAX_DROPPED:
                    outage.dropped_too_many = True
                    return
                outage.dropped.add((key, version))

    def _guarded(self, fallback, operation, *args, writes=(), version=None, **kwargs):
        """`operation(*args, **kwargs)`, or `fallback` while the cache cannot be reached.

        `writes` names the keys the operation would change, to be undone on recovery.
        """
        if not self.outage.should_try():
            self._drop(writes, version)
            return fallback
        try:
            result = operation(*args, **kwargs)
        except (RedisError, OSError) as error:
            self.outage.failed(error)
            self._drop(writes, version)
            return fallback
        if self.outage.succeeded():
            self.recovered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            False, super().add, key, value, timeout, version, writes=[key], version=version
        )

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            None, super().set, key, value, timeout, version, writes=[key], version=version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version, writes=[key], version=version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be set (here: all of them).
        keys = list(data)
        return self._guarded(
            keys, super().set_many, data, timeout, version, writes=keys, version=version
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._guarded(None, super().delete_many, keys, version, writes=keys, version=version)

    def clear(self):
        return self._guarded(False, super().clear)

    def incr(self, key, delta=1, version=None):
        # While the cache is down every key is missing, and incr() of a missing key is a
        # ValueError to every Django cache.
        missing = object()
        result = self._guarded(
            missing, super().incr, key, delta, version, writes=[key], version=version
        )
        if result is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        return result
