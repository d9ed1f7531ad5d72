"""Sitemaps: an index over stories (paged), sections, bylines and tags, and a Google News
sitemap of the last two days. Listed stories only, through `Story.objects.listed()`.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.caching import keys
from articles.models import Byline, Section, Story

from .seo import absolute_url


class NewsroomSitemap(Sitemap):
    """Absolute URLs on the operator's NEWSROOM_SITE_URL when it is set."""

    def get_protocol(self, protocol=None):
        configured = urlsplit(settings.NEWSROOM_SITE_URL)
        return configured.scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.NEWSROOM_SITE_URL).netloc or super().get_domain(site)


class StorySitemap(NewsroomSitemap):
    limit = 1000  # per page of the index: the index pages it, so no page is huge
    changefreq = "never"

    def items(self):
        return Story.objects.listed().select_related("section").order_by("-published_at", "-pk")

    def lastmod(self, story: Story):
        # Only material updates move it: fixing a typo is not news to a crawler.
        return story.last_modified


class SectionSitemap(NewsroomSitemap):
    changefreq = "hourly"

    def items(self):
        return (
            Section.objects.active()
            .annotate(latest=Max("stories__published_at", filter=_public_filter("stories__")))
            .filter(latest__isnull=False)
            .order_by("position", "name")
        )

    def lastmod(self, section: Section):
        return section.latest


class BylineSitemap(NewsroomSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Byline.objects.annotate(
                latest=Max(
                    "story_credits__story__published_at",
                    filter=_public_filter("story_credits__story__"),
                )
            )
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, byline: Byline):
        return byline.latest


class TagSitemap(NewsroomSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Tag.objects.annotate(
                latest=Max(
                    "articles_storytag_items__content_object__published_at",
                    filter=_public_filter("articles_storytag_items__content_object__"),
                )
            )
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def location(self, tag: Tag) -> str:
        return reverse("articles:tag", args=[tag.slug])

    def lastmod(self, tag: Tag):
        return tag.latest


def _public_filter(prefix: str) -> Q:
    """Only listed stories, seen through a relation (for aggregates): `listed()` itself."""
    return Q(**{f"{prefix}in": Story.objects.listed()})


def keyed_sitemap(request, **kwargs):
    """Django's sitemap view, with the Surrogate-Key header the page cache needs."""
    response = sitemap_views.sitemap(request, **kwargs)
    return keys.set_surrogate_keys(response, {keys.SITEMAPS})


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "bylines": BylineSitemap,
    "tags": TagSitemap,
}

NEWS_WINDOW = timedelta(days=2)


def sitemap_index(request):
    """The sitemap index, paging each sitemap, with the same absolute URLs as its pages."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap-section", kwargs={"section": name}))
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append({"location": location if page == 1 else f"{location}?p={page}"})
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    return keys.set_surrogate_keys(response, {keys.SITEMAPS})


def news_sitemap(request):
    """Google News sitemap: stories published in the last two days (at most 1,000)."""
    stories = (
        Story.objects.listed()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .select_related("section")
        .order_by("-published_at")[:1000]
    )
    language = settings.LANGUAGE_CODE.split("-")[0]
    name = settings.NEWSROOM_NEWS_PUBLICATION_NAME or settings.NEWSROOM_SITE_NAME
    entries = [
        {
            "loc": absolute_url(story.get_absolute_url()),
            "title": story.headline,
            "published": timezone.localtime(story.published_at).isoformat(),
        }
        for story in stories
    ]
    body = render_to_string(
        "sitemaps/news.xml", {"entries": entries, "language": language, "name": name}
    )
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    return keys.set_surrogate_keys(response, {keys.SITEMAPS})


def robots_txt(request):
    body = render_to_string(
        "robots.txt",
        {
            "sitemap": absolute_url(reverse("sitemap-index")),
            "news_sitemap": absolute_url(reverse("news-sitemap")),
            # A moved admin is not named here: robots.txt is public.
            "admin_url": settings.NEWSROOM_ADMIN_URL,
        },
    )
    return keys.set_surrogate_keys(
        HttpResponse(body, content_type="text/plain; charset=utf-8"), {keys.ROBOTS}
    )
