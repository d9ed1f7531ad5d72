"""Addresses: which slugs are free, and where a story used to live.

A published story's old address (a changed slug, section or date; an imported URL)
keeps working through a `StoryRedirect`, whatever changed it: the admin, the shell or
an import. Section slugs sit at the top of the site, so the paths of other pages are
reserved (a test holds this list against the URLconf).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import slugify

# Top-level URL paths that belong to other pages, so no section may take them.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "accounts", "api", "archive", "byline", "bylines", "comments", "corrections",
        "feed", "feeds", "media", "newsdesk", "newsletters", "preview", "robots.txt", "search",
        "sitemap.xml", "static", "tag", "tags", "news-sitemap.xml", "favicon.ico",
    }
    # Wherever NEWSROOM_ADMIN_URL moved the admin to.
    | {settings.NEWSROOM_ADMIN_URL.strip("/").split("/")[0]}
)  # fmt: skip


def validate_section_slug(value: str) -> None:
    if value.lower() in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another part of the site; choose a different slug.",
            code="reserved",
            params={"slug": value},
        )


def unique_slug(
    text: str,
    *,
    taken: Container[str] | Callable[[str], bool],
    max_length: int,
    fallback: str = "item",
) -> str:
    """A slug for `text` that `taken` does not hold: the slug itself, or -2, -3, … after it.

    `taken` is a set of slugs in use (an import that claims many at once) or a function
    that asks the database. The one place slugs are made unique.
    """
    is_taken = taken if callable(taken) else taken.__contains__
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, number = base, 2
    while is_taken(slug):
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return slug


def unique_story_slug(text: str, *, exclude_pk: int | None = None) -> str:
    """A slug for a story's headline that no other story uses."""
    from .stories import Story

    others = Story.objects.exclude(pk=exclude_pk)
    return unique_slug(
        text,
        taken=lambda slug: others.filter(slug=slug).exists(),
        max_length=200,
        fallback="story",
    )


class StoryRedirect(models.Model):
    """An old address of a story (a changed slug, section or date; an imported URL)."""

    old_path = models.CharField(max_length=500, unique=True)
    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_path} → {self.story}"


class AddressHistory:
    """Remember where a story lived when it was loaded, so a move leaves a redirect."""

    def _note_address(self) -> None:
        self._loaded_address = (
            self.__dict__.get("slug"),
            self.__dict__.get("section_id"),
            self.__dict__.get("published_at"),
            self.__dict__.get("status"),
        )

    def _remember_old_address(self) -> None:
        """Keep a redirect from a published story's old URL when slug, section or date change.

        Done in save() because a URL can change through the admin, the shell or an import,
        and readers' links must keep working whichever it was.
        """
        from .sections import Section

        loaded = getattr(self, "_loaded_address", None)
        if self.pk is None or loaded is None:
            return
        slug, section_id, published_at, status = loaded
        if status != self.Status.PUBLISHED or published_at is None:
            return
        old_local = timezone.localtime(published_at).date()
        new_local = timezone.localtime(self.url_date).date()
        if (slug, section_id, old_local) == (self.slug, self.section_id, new_local):
            return
        old_story = type(self)(
            pk=self.pk, slug=slug, section=Section.objects.get(pk=section_id),
            published_at=published_at,
        )  # fmt: skip
        StoryRedirect.objects.update_or_create(
            old_path=old_story.get_absolute_url(), defaults={"story_id": self.pk}
        )


# Public pages build dozens of links each (a teaser links its story, section, date and
# bylines), and Django's reverse() walks the URLconf for every one of them. The shape of
# a link never changes while the process runs, so it is worked out once per name, script
# prefix and kind of arguments, and filled in after that. Only plain ASCII slugs and
# numbers take the quick way: whatever reverse() would have to quote goes through it.
# Every value plain and not empty, checked in one match: "/" cannot occur in a value
# that passes, so the values joined with it split back unambiguously.
_ALL_PLAIN = re.compile(r"[-a-zA-Z0-9_]+(?:/[-a-zA-Z0-9_]+)*")
# A shape is kept as a str.format() pattern, "/{section}/{year}/…/{slug}/", filled in C.
_LINK_SHAPES: dict[tuple, str | None] = {}


def quick_reverse(name: str, **kwargs: str | int) -> str:
    """reverse(name, kwargs=kwargs): the same string, without walking the URLconf."""
    return _quick_reverse(name, get_script_prefix(), kwargs)


def quick_reverser() -> Callable[..., str]:
    """`quick_reverse` for many links in a row (a list of 160 headlines): the script
    prefix, a lookup in thread-local state, is looked up once, not per link."""
    prefix = get_script_prefix()
    return lambda name, **kwargs: _quick_reverse(name, prefix, kwargs)


def _quick_reverse(name: str, prefix: str, kwargs: dict) -> str:
    values = {key: str(value) for key, value in kwargs.items()}
    if not _ALL_PLAIN.fullmatch("/".join(values.values())):
        return reverse(name, kwargs=kwargs)
    # Digits may meet converters that pad or check them: their shape is kept apart.
    kinds = tuple([(key, len(v) if v.isdigit() else 0) for key, v in values.items()])
    shape_key = (name, prefix, kinds)
    try:
        shape = _LINK_SHAPES[shape_key]
    except KeyError:
        shape = _LINK_SHAPES[shape_key] = _link_shape(name, values)
    if shape is None:
        return reverse(name, kwargs=kwargs)
    return shape.format_map(values)


def _link_shape(name: str, values: dict[str, str]) -> str | None:
    """The link as a str.format() pattern of its arguments; None if it cannot be worked
    out."""
    if len(values) > 9:
        return None
    markers = {}
    for index, (key, value) in enumerate(sorted(values.items()), start=1):
        # A digit marker as long as the value, so that digit-only converters accept it.
        markers[key] = str(index) * len(value) if value.isdigit() else f"zq{index}qz"
    try:
        marked = reverse(name, kwargs=markers)
    except NoReverseMatch:
        return None
    by_marker = {marker: key for key, marker in markers.items()}
    pieces = re.split("(" + "|".join(map(re.escape, by_marker)) + ")", marked)
    shape = "".join(
        "{" + by_marker[piece] + "}" if piece in by_marker
        else piece.replace("{", "{{").replace("}", "}}")
        for piece in pieces
    )  # fmt: skip
    # Kept only if it gives what reverse() gives (a marker that also occurs in the
    # URL's own text, say, would not).
    return shape if shape.format_map(values) == reverse(name, kwargs=values) else None
