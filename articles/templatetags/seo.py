"""Template helpers for canonical URLs and JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.distribution import seo

register = template.Library()

# Same escapes as Django's json_script: nothing in the data can close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data: dict) -> str:
    """Render `data` as a <script type="application/ld+json"> element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag
def news_article(story) -> dict:
    return seo.news_article_data(story)


@register.simple_tag
def breadcrumbs_for(section) -> dict:
    return seo.breadcrumb_data(section)


@register.simple_tag
def website() -> dict:
    return seo.website_data()


@register.simple_tag
def absolute(path: str) -> str:
    return seo.absolute_url(path)
