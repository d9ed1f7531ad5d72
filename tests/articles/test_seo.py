"""Canonical URLs, meta descriptions, Open Graph and Twitter cards, JSON-LD."""

from __future__ import annotations

import json

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Byline, Correction, Story
from tests.factories import make_byline, make_editor, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def meta(doc, key: str) -> list[str]:
    return doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")


def json_ld(doc) -> list[dict]:
    return [
        json.loads(script.text) for script in doc.xpath("//script[@type='application/ld+json']")
    ]


@pytest.fixture
def story(db):
    parent = make_section(name="News", slug="news")
    section = make_section(name="People in the News", slug="people-in-the-news", parent=parent)
    person = make_byline(name="Ana Ruiz", slug="ana-ruiz")
    desk = make_byline(name="Staff", slug="staff", kind=Byline.Kind.DESK)
    story = make_story(
        section=section,
        headline="Harbor master retires",
        dek="Mara Holt steered the port through two floods.",
        bylines=[(person, "by"), (desk, "by")],
        tags=["Harbor", "Retirements"],
        lead_image=make_image_file(1600, 1000),
        lead_image_alt="A tugboat at dawn",
        source_name="Marlow Wire",
        source_url="https://wire.example/harbor",
        kind=Story.Kind.PRESS_RELEASE,
    )
    story.correct(by=make_editor(), kind=Correction.Kind.CORRECTION, note="Name spelled.")
    story.refresh_from_db()
    return story


def test_story_page_open_graph_and_twitter(client, story):
    doc = page(client, story.get_absolute_url())
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:title") == ["Harbor master retires"]
    assert meta(doc, "og:description") == ["Mara Holt steered the port through two floods."]
    assert meta(doc, "og:url") == [f"http://testserver{story.get_absolute_url()}"]
    assert meta(doc, "og:image")[0].startswith("http://testserver/")
    assert meta(doc, "og:image:width") == ["1200"] and meta(doc, "og:image:height") == ["750"]
    assert meta(doc, "article:published_time") == [
        timezone.localtime(story.published_at).isoformat()
    ]
    assert meta(doc, "article:modified_time")
    assert meta(doc, "article:section") == ["People in the News"]
    assert sorted(meta(doc, "article:tag")) == ["Harbor", "Retirements"]
    assert meta(doc, "twitter:card") == ["summary_large_image"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        f"http://testserver{story.get_absolute_url()}"
    ]


def test_story_json_ld_news_article_field_by_field(client, story):
    (data,) = json_ld(page(client, story.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbor master retires"
    assert data["description"] == story.dek
    assert data["datePublished"] == timezone.localtime(story.published_at).isoformat()
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": "http://testserver/byline/ana-ruiz/"},
        {"@type": "Organization", "name": "Staff", "url": "http://testserver/byline/staff/"},
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].endswith(".png")
    assert [image["width"] for image in data["image"]] == [480, 800, 1200]
    assert data["articleSection"] == "People in the News"
    assert sorted(data["keywords"]) == ["Harbor", "Retirements"]
    assert data["sourceOrganization"] == {
        "@type": "Organization",
        "name": "Marlow Wire",
        "url": "https://wire.example/harbor",
    }
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "Name spelled."
    assert data["isAccessibleForFree"] is True


def test_json_ld_cannot_be_broken_out_of(client):
    story = make_story(dek="</script><script>alert(1)</script>", headline="Tricky <b>")
    html = client.get(story.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert json.loads(block)["description"] == "</script><script>alert(1)</script>"


def test_section_page_has_breadcrumb_data(client, story):
    doc = page(client, story.section.get_absolute_url())
    (data,) = json_ld(doc)
    assert data["@type"] == "BreadcrumbList"
    names = [item["name"] for item in data["itemListElement"]]
    assert names == ["Home", "News", "People in the News"]
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3]


def test_home_page_has_website_data(client, story):
    (data,) = json_ld(page(client, reverse("articles:home")))
    assert data["@type"] == "WebSite"
    assert data["url"] == "http://testserver/"


@pytest.mark.parametrize(
    "url",
    ["articles:home", "section", "story", "byline", "tag", "articles:corrections"],
)
def test_every_page_has_canonical_and_description(client, story, url):
    urls = {
        "section": story.section.get_absolute_url(),
        "story": story.get_absolute_url(),
        "byline": "/byline/ana-ruiz/",
        "tag": "/tag/harbor/",
    }
    doc = page(client, urls.get(url) or reverse(url))
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    assert len(canonical) == 1 and canonical[0].startswith("http://testserver/")
    (description,) = meta(doc, "description")
    assert len(description) > 10


def test_canonical_of_a_later_page_keeps_its_number(client, story):
    for _ in range(21):
        make_story(section=story.section)
    doc = page(client, story.section.get_absolute_url() + "?page=2&utm_source=x")
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        f"http://testserver{story.section.get_absolute_url()}?page=2"
    ]


def test_site_identity_comes_from_settings(client, story, settings):
    settings.NEWSROOM_SITE_NAME = "The Harbor Herald"
    settings.NEWSROOM_SITE_URL = "https://herald.example"
    doc = page(client, story.get_absolute_url())
    (data,) = json_ld(doc)
    assert data["publisher"]["name"] == "The Harbor Herald"
    assert data["url"] == f"https://herald.example{story.get_absolute_url()}"
    assert meta(doc, "og:site_name") == ["The Harbor Herald"]
