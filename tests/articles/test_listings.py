"""Where a story is listed (SectionListing) follows its sections, however they change."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from articles.models import SectionListing, Story
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db


def listed_in(story: Story) -> set[int]:
    return set(SectionListing.objects.filter(story=story).values_list("section_id", flat=True))


def headlines(client, section) -> list[str]:
    page = client.get(section.get_absolute_url())
    assert page.status_code == 200
    return [story.headline for story in page.context["stories"]]


def every_listing_matches_the_sections() -> bool:
    wanted = set(Story.objects.values_list("pk", "section_id"))
    wanted |= set(Story.secondary_sections.through.objects.values_list("story_id", "section_id"))
    return wanted == set(SectionListing.objects.values_list("story_id", "section_id"))


def test_a_story_is_listed_in_its_home_and_secondary_sections(client):
    home, other, third = make_section(), make_section(), make_section()
    story = make_story(section=home, secondary_sections=[other])
    assert listed_in(story) == {home.pk, other.pk}
    assert story.headline in headlines(client, other)
    assert story.headline not in headlines(client, third)


def test_listings_follow_a_new_home_and_changed_secondary_sections(client):
    home, other, third = make_section(), make_section(), make_section()
    story = make_story(section=home, secondary_sections=[other])
    story.section = third
    story.save()
    assert listed_in(story) == {third.pk, other.pk}
    story.secondary_sections.remove(other)
    assert listed_in(story) == {third.pk}
    story.secondary_sections.add(home)
    assert listed_in(story) == {third.pk, home.pk}
    assert story.headline in headlines(client, home)
    assert story.headline not in headlines(client, other)


def test_listings_follow_changes_made_from_the_section_side():
    section = make_section()
    stories = [make_story(), make_story()]
    section.secondary_stories.add(*stories)
    assert all(section.pk in listed_in(story) for story in stories)
    section.secondary_stories.remove(stories[0])
    assert section.pk not in listed_in(stories[0])
    section.secondary_stories.clear()
    assert section.pk not in listed_in(stories[1])
    assert every_listing_matches_the_sections()


def test_a_story_listed_twice_in_one_section_appears_once(client):
    home = make_section()
    story = make_story(section=home, secondary_sections=[home])
    assert headlines(client, home).count(story.headline) == 1


def test_the_command_rebuilds_listings_that_went_astray():
    story = make_story(secondary_sections=[make_section()])
    SectionListing.objects.all().delete()
    SectionListing.objects.create(story=story, section=make_section())  # a wrong one
    out = io.StringIO()
    call_command("refresh_listings", stdout=out)
    assert "Listings refreshed for 1 stories." in out.getvalue()
    assert every_listing_matches_the_sections()


def test_the_demo_newsroom_is_listed_where_its_stories_belong(demo_newsroom):
    assert SectionListing.objects.exists()
    assert every_listing_matches_the_sections()
