"""The public pages that must pass axe-core and the Nu HTML Checker, on the demo newsroom."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from taggit.models import Tag

from articles.models import Byline, Correction, Story

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


NOT_FOUND = "not-found"


def load_demo_newsroom() -> None:
    """The demo newsroom, plus a published correction so the corrections page has one."""
    call_command("load_demo", verbosity=0, stdout=StringIO())
    add_a_correction()


def add_a_correction() -> None:
    """A published correction on the first public story with a picture."""
    story = Story.objects.published().filter(lead_image__isnull=False).first()
    Correction.objects.create(
        story=story, kind=Correction.Kind.CORRECTION, text="An earlier version misspelled a name."
    )


def expected_status(name: str) -> int:
    """Every page answers 200, except the page that must not be found."""
    return 404 if name == NOT_FOUND else 200


def public_pages() -> dict[str, str]:
    """Name -> path of every page kind readers see."""
    story = Story.objects.published().filter(lead_image__isnull=False).first()
    tag = Tag.objects.filter(articles_storytag_items__content_object=story).first()
    byline = Byline.objects.filter(story_credits__story=story).first()
    pages = {
        "home": reverse("articles:home"),
        "section": reverse("articles:section", args=["people-in-the-news"]),
        "story": story.get_absolute_url(),
        # The demo's story with an embed (articles/embeds.py): its facade is checked too.
        "story with an embed": Story.objects.published()
        .get(body__contains="youtube.com/watch")
        .get_absolute_url(),
        # The demo's story with a gallery (library/placements.py): its grid is checked too.
        "story with a gallery": Story.objects.published()
        .get(body__contains="[gallery ")
        .get_absolute_url(),
        "byline": byline.get_absolute_url(),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "corrections": reverse("articles:corrections"),
        "newsletters": reverse("newsletters:signup"),
        NOT_FOUND: "/no-such-page/",
    }
    try:
        pages["search"] = reverse("articles:search") + "?q=river"
    except NoReverseMatch:  # search is optional until it lands
        pass
    return pages
