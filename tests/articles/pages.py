"""Reading public pages in tests: parse a response, its text, its teasers, its times."""

from __future__ import annotations

from datetime import datetime

import lxml.html
from django.utils import timezone

from tests.factories import css


def parse(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def teaser_headlines(doc) -> list[str]:
    return [text(a) for a in css(doc, ".story-list .teaser__headline a")]


def iso(moment: datetime) -> str:
    """How templates write a time in `datetime=` (`date:'c'` in the current time zone)."""
    return timezone.localtime(moment).isoformat()
