"""Section fronts: a few stories pinned above a section's newest-first list, with the
home page's expiry and fill rules, at no extra query."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import SectionPin, remember_pins
from tests.factories import css, form_data, make_section, make_story

pytestmark = pytest.mark.django_db


def headlines(section) -> list[str]:
    response = Client().get(section.get_absolute_url())
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    return [a.text_content().strip() for a in css(doc, ".teaser__headline a")]


@pytest.fixture
def schools():
    section = make_section(name="Schools", slug="schools")
    now = timezone.now()
    stories = [
        make_story(headline=f"S{n}", section=section, published_at=now - timedelta(days=n + 1))
        for n in range(5)
    ]
    return section, stories


def pin(section, *stories_and_untils):
    for position, item in enumerate(stories_and_untils):
        story, until = item if isinstance(item, tuple) else (item, None)
        SectionPin.objects.create(section=section, story=story, until=until, position=position)
    remember_pins(section)


def test_an_editor_pins_older_stories_above_the_list_in_the_desk(desk_editor, schools):
    section, stories = schools
    editor = Client()
    editor.force_login(desk_editor)
    url = reverse("admin:articles_section_change", args=[section.pk])
    data = form_data(editor.get(url).content.decode(), "section_form")
    data.update({
        "pins-TOTAL_FORMS": "2",
        "pins-0-story": stories[4].pk, "pins-0-position": "0",
        "pins-1-story": stories[3].pk, "pins-1-position": "1",
    })  # fmt: skip
    assert editor.post(url, data).status_code == 302
    assert headlines(section) == ["S4", "S3", "S0", "S1", "S2"]
    # Saved again unchanged: same front.
    data = form_data(editor.get(url).content.decode(), "section_form")
    assert editor.post(url, data).status_code == 302
    assert headlines(section) == ["S4", "S3", "S0", "S1", "S2"]


def test_a_story_from_another_section_cannot_be_pinned(desk_editor, schools):
    section, _ = schools
    elsewhere = make_story(headline="Elsewhere")
    editor = Client()
    editor.force_login(desk_editor)
    url = reverse("admin:articles_section_change", args=[section.pk])
    data = form_data(editor.get(url).content.decode(), "section_form")
    data.update({"pins-0-story": elsewhere.pk, "pins-0-position": "0"})
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "is not in this section" in response.content.decode()


def test_an_expired_or_unpublished_pin_takes_its_place_by_date_again(desk_editor, schools):
    section, stories = schools
    pin(section, (stories[4], timezone.now() + timedelta(hours=1)), stories[3])
    assert headlines(section)[:2] == ["S4", "S3"]
    stories[4].unpublish(by=desk_editor, note="Wrong school")
    assert headlines(section) == ["S3", "S0", "S1", "S2"]
    stories[4].publish(by=desk_editor, at=stories[4].published_at)
    assert headlines(section)[:2] == ["S4", "S3"]  # back, and pinned again
    with freeze_time(timezone.now() + timedelta(hours=2)):
        assert headlines(section) == ["S3", "S0", "S1", "S2", "S4"]


def test_a_pinned_section_page_runs_the_same_queries(django_assert_num_queries, schools):
    section, stories = schools
    pin(section, stories[4], stories[2])
    # section + its children, count, stories, bylines, navigation (as unpinned)
    with django_assert_num_queries(6):
        assert Client().get(section.get_absolute_url()).status_code == 200
