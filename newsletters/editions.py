"""Building an edition: its stories prefilled from the curated front or the newest
stories of the newsletter's section, for the editor to trim and order."""

from __future__ import annotations

from articles.models import Story
from fronts.arranging import arrange
from fronts.models import Front

from .models import Edition, EditionStory, Newsletter

PREFILL_COUNT = 6


def suggested_stories(newsletter: Newsletter, count: int = PREFILL_COUNT) -> list[Story]:
    listed = Story.objects.listed().select_related("section")
    if newsletter.kind == Newsletter.Kind.SECTION and newsletter.section_id:
        return list(listed.in_section(newsletter.section).order_by("-published_at")[:count])
    live, _ = Front.objects.live_and_next()
    if live is not None:
        arranged = arrange(live)
        chosen = [story for story in [arranged["lead"], *arranged["latest"]] if story]
        if chosen:
            return chosen[:count]
    return list(listed.order_by("-published_at")[:count])


def prefill(edition: Edition) -> int:
    """Give an edition without stories the suggested ones; returns how many it got."""
    if edition.items.exists():
        return 0
    stories = suggested_stories(edition.newsletter)
    EditionStory.objects.bulk_create(
        EditionStory(edition=edition, story=story, position=number)
        for number, story in enumerate(stories)
    )
    return len(stories)
