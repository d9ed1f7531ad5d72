"""Surrogate keys: the names that tie a cached page to what it shows.

This module is the only place a key is spelled. A page names what appears on it
(`story-12`, `section-3`, `byline-7`, `tag-4`) and the lists it is built from
(`section-3-stories`, `byline-7-stories`, `tag-4-stories`, `home`, `feeds`, `archive`,
`corrections`, `sitemaps`); a change purges keys, never URLs. The page cache, the
receivers, the importer and Varnish (through the `Surrogate-Key` header) all use these
builders, so a key can never be spelled two ways.
"""

from __future__ import annotations

from collections.abc import Iterable

# Lists and pages that are not one object's.
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
ARCHIVE = "archive"
CORRECTIONS = "corrections"
# Every page shows the section navigation.
SECTIONS = "sections"
ROBOTS = "robots"

# What every change to a listed story touches besides its own lists.
EVERY_STORY_LIST = (HOME, FEEDS, SITEMAPS, ARCHIVE, CORRECTIONS)

# Not a surrogate key: the cache entry holding the navigation's sections, which every
# public page shows (articles.context_processors), forgotten when a section changes.
NAVIGATION_ENTRY = "navigation-sections"


def story(pk: int) -> str:
    return f"story-{pk}"


def section(pk: int) -> str:
    return f"section-{pk}"


def section_stories(pk: int) -> str:
    return f"section-{pk}-stories"


def byline(pk: int) -> str:
    return f"byline-{pk}"


def byline_stories(pk: int) -> str:
    return f"byline-{pk}-stories"


def tag(pk: int) -> str:
    return f"tag-{pk}"


def tag_stories(pk: int) -> str:
    return f"tag-{pk}-stories"


def teaser_keys(stories: Iterable) -> set[str]:
    """Keys for stories shown on a page: each story, its section and its bylines.

    Bylines only where the page shows them, that is where they were loaded (a headline
    list, as in the home page's section blocks, has none).
    """
    keys: set[str] = set()
    for shown in stories:
        keys.add(story(shown.pk))
        keys.add(section(shown.section_id))
        if "story_bylines" in getattr(shown, "_prefetched_objects_cache", {}):
            keys.update(byline(credit.byline_id) for credit in shown.credited_bylines)
    return keys


def listing_keys(
    *,
    section_ids: Iterable[int] = (),
    byline_ids: Iterable[int] = (),
    tag_ids: Iterable[int] = (),
) -> set[str]:
    """The lists a story is on: every site-wide list, and its sections', bylines' and tags'."""
    return {
        *EVERY_STORY_LIST,
        *(section_stories(pk) for pk in section_ids),
        *(byline_stories(pk) for pk in byline_ids),
        *(tag_stories(pk) for pk in tag_ids),
    }


def story_change_keys(changed) -> set[str]:
    """What to purge when a story changes: its pages and every list it is or was on.

    Reads the story's sections, bylines and tags from the database, so call it before
    a deletion removes those rows (see receivers.story_deleting).
    """
    section_ids = {changed.section_id} if changed.section_id else set()
    loaded = getattr(changed, "_loaded_address", None)
    if loaded and loaded[1]:
        section_ids.add(loaded[1])  # the section it is moving out of
    byline_ids: list[int] = []
    tag_ids: list[int] = []
    if changed.pk:
        section_ids.update(
            changed.secondary_sections.through.objects.filter(story_id=changed.pk).values_list(
                "section_id", flat=True
            )
        )
        byline_ids = list(changed.story_bylines.values_list("byline_id", flat=True))
        tag_ids = list(changed.tagged_items.values_list("tag_id", flat=True))
    return {
        story(changed.pk),
        *listing_keys(section_ids=section_ids, byline_ids=byline_ids, tag_ids=tag_ids),
    }


def set_surrogate_keys(response, page_keys: Iterable[str]):
    """Name what `response` shows in its Surrogate-Key header (plus the navigation)."""
    response["Surrogate-Key"] = " ".join(sorted({*page_keys, SECTIONS}))
    return response
