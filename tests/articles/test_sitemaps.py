"""Sitemaps, the Google News sitemap and robots.txt, parsed with lxml."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Story
from tests.factories import make_byline, make_section, make_story

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def all_urls(client) -> dict[str, str | None]:
    """Every <loc> listed by the sitemap index's sitemaps, with its <lastmod>."""
    index = xml(client, reverse("sitemap-index"))
    urls = {}
    for sitemap_loc in index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS):
        sitemap = xml(client, urlparse(sitemap_loc).path + "?" + urlparse(sitemap_loc).query)
        for url in sitemap.xpath("//sm:url", namespaces=NS):
            loc = url.xpath("sm:loc/text()", namespaces=NS)[0]
            lastmod = url.xpath("sm:lastmod/text()", namespaces=NS)
            urls[loc] = lastmod[0] if lastmod else None
    return urls


@pytest.fixture
def newsroom(db):
    section = make_section(name="Schools", slug="schools")
    empty = make_section(name="Empty", slug="empty")
    byline = make_byline(slug="ana-ruiz")
    public = make_story(section=section, bylines=[byline], tags=["Budget"], slug="public-one")
    hidden = [
        make_story(section=section, slug="draft-one", status=Story.Status.DRAFT,
                   published_at=None, tags=["Secret"]),
        make_story(section=section, slug="scheduled-one",
                   published_at=timezone.now() + timedelta(hours=2), tags=["Secret"]),
        make_story(section=section, slug="embargoed-one",
                   embargo_until=timezone.now() + timedelta(hours=2)),
    ]  # fmt: skip
    return {"section": section, "empty": empty, "byline": byline, "public": public,
            "hidden": hidden}  # fmt: skip


def test_sitemap_index_lists_every_kind(client, newsroom):
    index = xml(client, reverse("sitemap-index"))
    locs = " ".join(index.xpath("//sm:loc/text()", namespaces=NS))
    for kind in ("stories", "sections", "bylines", "tags"):
        assert f"sitemap-{kind}.xml" in locs


def test_sitemaps_list_public_pages_only_and_every_loc_answers(client, newsroom):
    urls = all_urls(client)
    paths = {urlparse(url).path for url in urls}
    assert newsroom["public"].get_absolute_url() in paths
    assert newsroom["section"].get_absolute_url() in paths
    assert newsroom["byline"].get_absolute_url() in paths
    assert reverse("articles:tag", args=["budget"]) in paths
    # Nothing hidden, and no section, byline or tag with nothing public in it.
    for story in newsroom["hidden"]:
        assert story.get_absolute_url() not in paths
    assert reverse("articles:tag", args=["secret"]) not in paths
    assert newsroom["empty"].get_absolute_url() not in paths
    for url in urls:
        assert client.get(urlparse(url).path).status_code == 200, url


def test_story_lastmod_moves_only_with_material_updates(client, newsroom):
    story = newsroom["public"]
    loc = next(u for u in all_urls(client) if u.endswith(story.get_absolute_url()))
    before = all_urls(client)[loc]
    story.dek = "Typo fixed"
    story.save()
    assert all_urls(client)[loc] == before
    story.materially_updated_at = timezone.now()
    story.save()
    assert all_urls(client)[loc] != before


def test_stories_sitemap_is_paged(client, newsroom, monkeypatch):
    from articles.distribution.sitemaps import StorySitemap

    monkeypatch.setattr(StorySitemap, "limit", 2)
    for _ in range(3):
        make_story(section=newsroom["section"])
    index = xml(client, reverse("sitemap-index"))
    story_pages = [loc for loc in index.xpath("//sm:loc/text()", namespaces=NS) if "stories" in loc]
    assert len(story_pages) == 2
    assert all_urls(client)  # every page parses


def test_news_sitemap_lists_last_two_days(client, newsroom):
    old = make_story(section=newsroom["section"], published_at=timezone.now() - timedelta(days=3))
    doc = xml(client, reverse("news-sitemap"))
    entries = doc.xpath("//sm:url", namespaces=NS)
    locs = [e.xpath("sm:loc/text()", namespaces=NS)[0] for e in entries]
    assert any(loc.endswith(newsroom["public"].get_absolute_url()) for loc in locs)
    assert not any(loc.endswith(old.get_absolute_url()) for loc in locs)
    for story in newsroom["hidden"]:
        assert not any(loc.endswith(story.get_absolute_url()) for loc in locs)
    entry = entries[0]
    assert entry.xpath("string(news:news/news:publication/news:name)", namespaces=NS)
    assert entry.xpath("string(news:news/news:publication/news:language)", namespaces=NS) == "en"
    assert entry.xpath("string(news:news/news:publication_date)", namespaces=NS)
    assert entry.xpath("string(news:news/news:title)", namespaces=NS) == newsroom["public"].headline


def test_robots_txt_names_sitemaps_and_keeps_crawlers_out(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for line in ("Disallow: /admin/", "Disallow: /newsdesk/", "Disallow: /search/"):
        assert line in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text


def test_operator_site_url_is_used(client, newsroom, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    assert (
        "Sitemap: https://news.example.org/sitemap.xml"
        in client.get("/robots.txt").content.decode()
    )
    assert all(url.startswith("https://news.example.org/") for url in all_urls(client))
