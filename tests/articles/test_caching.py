"""The shared page cache: headers, conditional requests, and freshness after every change."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import Correction, Story
from comments.models import Comment
from tests.factories import (
    form_data,
    make_byline,
    make_editor,
    make_section,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def cached(client, url) -> bool:
    return client.get(url).get("X-Cache") == "HIT"


@pytest.fixture
def desk(db):
    editor = make_editor(username="desk")
    news = make_section(name="News", slug="news")
    sports = make_section(name="Sports", slug="sports")
    reporter = make_byline(name="Ana Ruiz", slug="ana-ruiz")
    story = make_story(section=news, headline="Levee holds", bylines=[reporter], tags=["Flood"])
    other = make_story(section=sports, headline="Otters win the cup")
    # The tag keeps a listed story when the first one goes (a tag without one is a 404).
    make_story(section=sports, headline="Sandbags for the stadium", tags=["Flood"])
    draft = make_story(
        section=news, headline="Pump station plans", status=Story.Status.DRAFT, published_at=None
    )
    return {"editor": editor, "news": news, "sports": sports, "reporter": reporter,
            "story": story, "other": other, "draft": draft}  # fmt: skip


def warm(client, urls):
    for url in urls:
        get(client, url)
        assert cached(client, url), f"{url} was not cached"


def affected_pages(desk) -> list[str]:
    return [
        reverse("articles:home"),
        desk["news"].get_absolute_url(),
        desk["reporter"].get_absolute_url(),
        reverse("articles:tag", args=["flood"]),
        reverse("articles:feed"),
        reverse("articles:section_feed", args=["news"]),
    ]


# Headers -------------------------------------------------------------------------------


def test_anonymous_pages_are_cached_with_cdn_headers(client, desk):
    url = desk["story"].get_absolute_url()
    first = get(client, url)
    assert first["X-Cache"] == "MISS"
    keys = first["Surrogate-Key"].split()
    assert {f"story-{desk['story'].pk}", f"section-{desk['news'].pk}", "sections"} <= set(keys)
    assert f"byline-{desk['reporter'].pk}" in keys
    cache_control = first["Cache-Control"]
    assert "public" in cache_control
    assert re.search(r"s-maxage=\d+", cache_control)
    assert "stale-while-revalidate" in cache_control
    assert first["ETag"] and first["Last-Modified"]
    second = get(client, url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_conditional_requests_get_304(client, desk):
    url = desk["news"].get_absolute_url()
    first = get(client, url)
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_logged_in_pages_are_private_and_never_cached(client, desk):
    client.force_login(make_user())
    url = desk["news"].get_absolute_url()
    for _ in range(2):
        response = get(client, url)
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


def test_previews_are_never_stored(client, desk):
    draft = make_story(section=desk["news"], status=Story.Status.DRAFT, published_at=None)
    client.force_login(desk["editor"])
    response = get(client, reverse("admin:articles_story_preview", args=[draft.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response


# Freshness after each kind of change -----------------------------------------------------


def test_publishing_shows_everywhere_and_leaves_unrelated_pages_cached(client, desk):
    new = make_story(
        section=desk["news"], status=Story.Status.REVIEW, published_at=None,
        headline="Council adopts budget", bylines=[desk["reporter"]], tags=["Flood"],
    )  # fmt: skip
    unrelated = desk["sports"].get_absolute_url()
    warm(client, [*affected_pages(desk), unrelated])
    new.publish(by=desk["editor"])
    for url in affected_pages(desk):
        assert "Council adopts budget" in get(client, url).content.decode(), url
    assert cached(client, unrelated)
    assert cached(client, desk["other"].get_absolute_url()) is False  # first visit
    assert cached(client, desk["other"].get_absolute_url())


def test_editing_shows_at_once(client, desk):
    story = desk["story"]
    pages = [story.get_absolute_url(), *affected_pages(desk)]
    warm(client, [*pages, desk["sports"].get_absolute_url()])
    story.headline = "Levee holds after record rain"
    story.save()
    for url in pages:
        assert "Levee holds after record rain" in get(client, url).content.decode(), url
    assert cached(client, desk["sports"].get_absolute_url())


def test_unpublishing_removes_it_at_once(client, desk):
    story = desk["story"]
    warm(client, [story.get_absolute_url(), *affected_pages(desk)])
    story.unpublish(by=desk["editor"], note="Legal review")
    assert client.get(story.get_absolute_url()).status_code == 404
    for url in affected_pages(desk):
        assert "Levee holds" not in get(client, url).content.decode(), url


def test_deleting_removes_it_at_once(client, desk):
    story = desk["story"]
    warm(client, affected_pages(desk))
    story.delete()
    for url in affected_pages(desk):
        assert "Levee holds" not in get(client, url).content.decode(), url


def test_correcting_shows_at_once(client, desk):
    story = desk["story"]
    corrections = reverse("articles:corrections")
    warm(client, [story.get_absolute_url(), corrections])
    story.correct(by=desk["editor"], kind=Correction.Kind.CORRECTION, note="Wrong river named.")
    assert "Wrong river named." in get(client, story.get_absolute_url()).content.decode()
    assert "Wrong river named." in get(client, corrections).content.decode()


def test_approving_a_comment_updates_counts(client, desk):
    story = desk["story"]
    comment = Comment.objects.create(
        story=story, author_name="Lee", author_email="lee@example.org", text="Thanks."
    )
    pages = [story.get_absolute_url(), desk["news"].get_absolute_url()]
    warm(client, pages)
    comment.approve(by=make_user(is_staff=True, is_superuser=True))
    for url in pages:
        assert "1 comment" in get(client, url).content.decode(), url


def test_renaming_a_byline_or_section_shows_at_once(client, desk):
    story = desk["story"]
    warm(client, [story.get_absolute_url(), desk["sports"].get_absolute_url()])
    desk["reporter"].name = "Ana Ruiz-Ortega"
    desk["reporter"].save()
    assert "Ana Ruiz-Ortega" in get(client, story.get_absolute_url()).content.decode()
    assert cached(client, desk["sports"].get_absolute_url())
    desk["news"].name = "Local News"
    desk["news"].save()
    # Every page shows the section navigation.
    assert "Local News" in get(client, desk["sports"].get_absolute_url()).content.decode()


def test_scheduled_story_appears_without_any_purge(client, desk):
    go_live = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    make_story(section=desk["news"], headline="Ten minutes later", published_at=go_live)
    url = desk["news"].get_absolute_url()
    response = get(client, url)
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])
    # No cache, here or downstream, may keep the page past the publication time.
    assert s_maxage <= 600
    assert "stale-while-revalidate" not in response["Cache-Control"]
    assert cached(client, url)
    with freeze_time(go_live + timedelta(seconds=1)):
        assert "Ten minutes later" in get(client, url).content.decode()


def test_cache_can_be_turned_off(client, desk, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    url = desk["news"].get_absolute_url()
    get(client, url)
    assert not cached(client, url)


# Purgers -------------------------------------------------------------------------------


class _PurgeRecorder(BaseHTTPRequestHandler):
    received: list[tuple[str, str]] = []

    def do_PURGE(self):  # noqa: N802 -- the HTTP method's name
        self.received.append((self.command, self.headers.get("xkey-purge", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    """A stand-in Varnish that records every PURGE it receives; yields the list."""
    server = HTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _PurgeRecorder.received = []
    settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    settings.NEWSROOM_PURGERS = [
        "articles.caching.purging.AppCachePurger",
        "articles.caching.purging.VarnishPurger",
    ]
    yield _PurgeRecorder.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def committed(desk):
    """The desk as if its setup had been committed already: what it queued is sent.

    A test runs in one transaction that never commits, so without this the setup's
    purges would join the first purge the test makes.
    """
    connection = transaction.get_connection()
    for _savepoints, callback, _robust in connection.run_on_commit:
        callback()
    connection.run_on_commit = []
    return desk


def test_varnish_purger_sends_the_story_keys_after_commit(
    committed, varnish, django_capture_on_commit_callbacks
):
    desk = committed
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].unpublish(by=desk["editor"], note="Pulled")
    assert varnish
    method, keys = varnish[-1]
    assert method == "PURGE"
    assert {f"story-{desk['story'].pk}", f"section-{desk['news'].pk}-stories", "home"} <= set(
        keys.split()
    )
    assert f"section-{desk['sports'].pk}-stories" not in keys.split()


@pytest.mark.parametrize(
    "name, step",
    [
        ("story", lambda story, editor: story.unpublish(by=editor, note="Pulled")),
        (
            "story",
            lambda story, editor: story.correct(by=editor, note="Name fixed.", kind="correction"),
        ),
        ("draft", lambda story, editor: story.publish(by=editor)),
        (
            "draft",
            lambda story, editor: story.publish(by=editor, at=timezone.now() + timedelta(days=1)),
        ),
    ],
    ids=["unpublish", "correct", "publish", "schedule"],
)
def test_one_step_sends_one_purge(
    committed, varnish, django_capture_on_commit_callbacks, name, step
):
    """A step saves, logs, keeps a revision and signals; Varnish hears about it once."""
    story = committed[name]
    with django_capture_on_commit_callbacks(execute=True):
        step(story, committed["editor"])
    assert len(varnish) == 1
    assert f"story-{story.pk}" in varnish[0][1].split()


def test_one_admin_save_sends_one_purge(
    committed, varnish, django_capture_on_commit_callbacks, client
):
    """The story, its bylines, tags and sections change in one save: one purge."""
    story, editor = committed["story"], committed["editor"]
    client.force_login(editor)
    url = reverse("admin:articles_story_change", args=[story.pk])
    data = form_data(client.get(url).content.decode(), "story_form")
    data["headline"] = "Levee holds, for now"
    data["tags"] = "Flood, Levees"
    data["secondary_sections"] = [str(committed["sports"].pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert len(varnish) == 1
    sent = varnish[0][1].split()
    assert f"section-{committed['sports'].pk}-stories" in sent


def test_deleting_a_story_purges_its_secondary_sections(
    committed, varnish, django_capture_on_commit_callbacks
):
    story = committed["story"]
    story.secondary_sections.add(committed["sports"])
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()
    assert len(varnish) == 1
    sent = varnish[0][1].split()
    assert f"section-{committed['sports'].pk}-stories" in sent
    assert f"byline-{committed['reporter'].pk}-stories" in sent


def test_unreachable_varnish_does_not_break_publishing(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.VARNISH_PURGE_URLS = ["http://127.0.0.1:9/"]
    settings.NEWSROOM_PURGERS = ["articles.caching.purging.VarnishPurger"]
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].unpublish(by=desk["editor"], note="Pulled")
    desk["story"].refresh_from_db()
    assert desk["story"].status == Story.Status.UNPUBLISHED
