"""Queries compiled once (articles.compiled) run with the time of each request: what is
published, or goes live, after the SQL was kept shows when its time comes."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from articles.compiled import CompiledQuery
from articles.models import Section, Story
from tests.factories import css, make_byline, make_section, make_story

pytestmark = pytest.mark.django_db


def home_headlines(client: Client) -> list[str]:
    doc = lxml.html.fromstring(client.get("/").content)
    found = css(doc, ".lead__headline a") + css(doc, ".teaser__headline a")
    return [a.text_content() for a in found]


def test_a_story_scheduled_after_the_sql_was_kept_appears_when_its_time_comes(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section()
    start = timezone.now()
    make_story(section=section, headline="Already out", published_at=start - timedelta(hours=1))
    make_story(section=section, headline="Scheduled", published_at=start + timedelta(hours=1))
    client = Client()
    with freeze_time(start):
        assert home_headlines(client) == ["Already out"]  # the SQL is kept by now
        assert "Scheduled" not in client.get("/").content.decode()
    with freeze_time(start + timedelta(hours=2)):
        assert home_headlines(client) == ["Scheduled", "Already out"]
        assert client.get("/").content.decode().count(">Scheduled</a>") == 2  # and its block


def test_the_lead_and_latest_carry_their_own_bylines(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section()
    ann, bo = make_byline(name="Ann Lead"), make_byline(name="Bo Latest")
    make_story(section=section, headline="Lead", bylines=[ann], is_featured=True)
    make_story(section=section, headline="Latest", bylines=[bo, (ann, "photos")])
    doc = lxml.html.fromstring(Client().get("/").content)
    (lead,) = css(doc, ".lead .meta")
    (latest,) = css(doc, ".latest .teaser .meta")
    assert "By Ann Lead" in lead.text_content() and "Bo" not in lead.text_content()
    assert "By Bo Latest" in latest.text_content()
    assert "Photos by Ann Lead" in latest.text_content()


def test_a_query_that_does_not_depend_on_the_time_is_refused_unless_said_so():
    untimed = CompiledQuery(Section, lambda now: Section.objects.filter(is_active=True))
    with pytest.raises(ValueError, match="does not depend"):
        untimed.instances(timezone.now())
    section = make_section()
    allowed = CompiledQuery(Section, lambda now: Section.objects.all(), timed=False)
    assert allowed.instances() == [section]


def test_a_compiled_query_gives_what_the_queryset_gives():
    section = make_section()
    stories = [make_story(section=section) for _ in range(3)]
    make_story(section=section, status=Story.Status.DRAFT)
    query = CompiledQuery(Story, lambda now: Story.objects.listed(now).newest_first())
    now = timezone.now()
    assert query.instances(now) == list(Story.objects.listed().newest_first())
    assert query.instances(now) == stories[::-1]
    with pytest.raises(TypeError):
        query.instances()
