"""Canonical URLs and structured data (schema.org JSON-LD) for search engines.

The site's public address comes from NEWSROOM_SITE_URL when the operator sets it (the
right thing in production, behind proxies and caches); otherwise from the request.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

# The base URL of the request being served, for code that has no request at hand.
_request_base: ContextVar[str] = ContextVar("request_base", default="")


def remember_request_base(request) -> None:
    _request_base.set(request.build_absolute_uri("/").rstrip("/"))


def site_url() -> str:
    return settings.NEWSROOM_SITE_URL or _request_base.get() or "http://localhost"


def absolute_url(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{site_url()}{path_or_url}"


def logo_url() -> str:
    return absolute_url(static(settings.NEWSROOM_SITE_LOGO))


def iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def publisher_data() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": logo_url()},
    }


def news_article_data(story) -> dict:
    """schema.org NewsArticle for a story page, every field a search engine reads."""
    url = absolute_url(story.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": story.headline[:110],
        "description": story.teaser_text(),
        "datePublished": iso(story.published_at),
        "dateModified": iso(story.last_modified),
        "author": [
            {
                "@type": "Organization" if credit.byline.is_organization else "Person",
                "name": credit.byline.name,
                "url": absolute_url(credit.byline.get_absolute_url()),
            }
            for credit in story.credited_bylines
        ],
        "publisher": publisher_data(),
        "articleSection": story.section.name,
        "keywords": [tag.name for tag in story.tags.all()],
        "isAccessibleForFree": True,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    if story.lead_image_srcset():
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": absolute_url(url_),
                "width": width,
                "height": story.lead_image.display_size(width)[1],
            }
            for url_, width in story.lead_image_srcset()
        ]
    if story.source_name:
        source = {"@type": "Organization", "name": story.source_name}
        if story.source_url:
            source["url"] = story.source_url
        data["sourceOrganization"] = source
    corrections = [note for note in story.corrections.all() if note.kind == "correction"]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": iso(note.created_at)}
            for note in corrections
        ]
    return data


def breadcrumb_data(section) -> dict:
    trail = [*section.ancestors(), section]
    items = [{"name": "Home", "url": absolute_url(reverse("articles:home"))}] + [
        {"name": node.name, "url": absolute_url(node.get_absolute_url())} for node in trail
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": item["name"], "item": item["url"]}
            for position, item in enumerate(items, start=1)
        ],
    }


def website_data() -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute_url("/"),
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher_data(),
    }
    try:
        search = reverse("articles:search")
    except Exception:  # the search page is optional
        return data
    data["potentialAction"] = {
        "@type": "SearchAction",
        "target": {"@type": "EntryPoint", "urlTemplate": absolute_url(search) + "?q={query}"},
        "query-input": "required name=query",
    }
    return data
