"""A cache outage is a miss and a database outage a 503: the pieces, without servers."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from articles.caching import keys
from articles.caching.purging import PURGED_PREFIX
from newsroom import cache as resilient
from tests.factories import make_story

# Nothing listens on port 1: every connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "newsroom.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/7",
    }
}


@pytest.fixture(autouse=True)
def fresh_outages():
    """What a process knows of each cache server starts afresh with every test."""
    resilient._outages.clear()
    yield
    resilient._outages.clear()


@pytest.fixture
def dead_cache():
    with override_settings(CACHES=DEAD_REDIS):
        yield caches["default"]


def test_every_cache_operation_survives_a_dead_redis(dead_cache, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.cache"):
        assert dead_cache.get("a", "fallback") == "fallback"
        dead_cache.set("a", 1)
        assert dead_cache.add("a", 1) is False
        assert dead_cache.get_many(["a", "b"]) == {}
        assert dead_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert dead_cache.delete("a") is False
        dead_cache.delete_many(["a"])
        assert dead_cache.has_key("a") is False
        assert dead_cache.touch("a") is False
        with pytest.raises(ValueError):
            dead_cache.incr("a")
        # Another thread's cache object for the same server knows it is down.
        other_thread = resilient.ResilientRedisCache(DEAD_REDIS["default"]["LOCATION"], {})
        assert other_thread.outage.is_down
        assert other_thread.get("a") is None
    outages = [r for r in caplog.records if "cannot be reached" in r.getMessage()]
    assert len(outages) == 1, "an outage is logged once, not per call"


def test_a_dead_redis_is_not_retried_on_every_call(dead_cache, monkeypatch):
    dead_cache.get("a")
    tried = []
    monkeypatch.setattr(
        type(dead_cache).__mro__[1], "get", lambda *a, **k: tried.append(1), raising=True
    )
    for _ in range(50):
        dead_cache.get("a")
    assert tried == [], "retried before RETRY_SECONDS had passed"


def test_when_redis_returns_every_page_cached_before_is_forgotten(monkeypatch, caplog):
    """Purges were lost while it was down, so pages from before may be stale."""
    backend = resilient.ResilientRedisCache("redis://127.0.0.1:6379/7", {})
    calls = {"n": 0}

    def flaky_get(self, key, default=None, version=None):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RedisConnectionError("Connection refused")
        return "page"

    monkeypatch.setattr(resilient.RedisCache, "get", flaky_get)
    purged = []
    monkeypatch.setattr(
        "articles.caching.purging.AppCachePurger.purge", lambda self, k: purged.append(k)
    )
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.0)
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert backend.get("k") is None
        assert backend.outage.is_down
        assert backend.get("k") == "page"
    assert not backend.outage.is_down
    assert purged == [{keys.SECTIONS}]
    assert any("is back" in r.getMessage() for r in caplog.records)


def test_every_page_carries_the_key_that_forgets_them_all(client, db):
    """forget_every_page() purges `sections`; that only works if every page names it."""
    story = make_story()
    for url in ("/", story.section.get_absolute_url(), story.get_absolute_url(), "/feed/"):
        assert keys.SECTIONS in client.get(url)["Surrogate-Key"].split()


@pytest.mark.django_db
def test_pages_are_served_uncached_while_redis_is_down(client, dead_cache):
    story = make_story(headline="Ferry returns")
    for _ in range(3):
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert b"Ferry returns" in response.content
        assert response["X-Cache"] == "MISS"
    assert dead_cache.get(PURGED_PREFIX + keys.SECTIONS) is None


@pytest.mark.django_db
def test_staff_sessions_live_without_the_cache(client, dead_cache, editor, settings):
    """Sessions are cached_db with Redis: the database copy keeps staff logged in."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(editor)
    assert client.get("/newsdesk/").status_code == 200


@pytest.mark.django_db
def test_a_database_outage_answers_503_with_retry_after(client, monkeypatch, caplog):
    make_story()

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("articles.views.public.HomeView.get_context_data", unreachable)
    monkeypatch.setattr("newsroom.views._last_logged", {"at": -1e9})
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        responses = [client.get("/") for _ in range(3)]
    assert [r.status_code for r in responses] == [503, 503, 503]
    assert responses[0]["Retry-After"] == "5"
    assert "no-store" in responses[0]["Cache-Control"]
    assert b"back in a moment" in responses[0].content
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


@pytest.mark.django_db
def test_other_errors_still_answer_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("articles.views.public.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500


def redis_is_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis at 127.0.0.1:6379")
def test_a_logout_dropped_during_an_outage_is_not_undone_when_redis_returns(monkeypatch):
    """The session copy Redis kept must not log the editor back in: a dropped delete is
    replayed when the cache answers again."""
    backend = resilient.ResilientRedisCache(
        "redis://127.0.0.1:6379/7", {"KEY_PREFIX": "hardening-test"}
    )
    backend.set("session-abc", {"_auth_user_id": "1"})
    real_delete = resilient.RedisCache.delete

    def refused(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(resilient.RedisCache, "delete", refused)
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.0)
    backend.delete("session-abc")  # the logout, while Redis cannot be reached
    assert backend.outage.is_down
    monkeypatch.setattr(resilient.RedisCache, "delete", real_delete)
    monkeypatch.setattr("articles.caching.purging.AppCachePurger.purge", lambda self, k: None)
    backend.get("anything")  # Redis answers again
    assert not backend.outage.is_down
    assert backend.get("session-abc") is None
