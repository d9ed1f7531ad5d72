"""What the search tests share: the page's address, reading its results."""

from __future__ import annotations

from datetime import datetime

import lxml.html
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import css

SEARCH_URL = reverse("articles:search")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search only; SQLite uses the substring fallback",
)


def search(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def result_headlines(doc) -> list[str]:
    return [text(a) for a in css(doc, ".search-results .teaser__headline a")]


def local(*args) -> datetime:
    """An aware datetime from local wall-clock parts, in the site's time zone."""
    return timezone.make_aware(datetime(*args))
