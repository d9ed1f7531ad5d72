"""The story body as the public page shows it: with embeds' facades (articles/embeds.py)
and the galleries, audio and video it places (library/placements.py)."""

from __future__ import annotations

from django import template

from articles.embeds import render_embeds
from library import placements

register = template.Library()


@register.filter
def with_embeds(body: str) -> str:
    """The sanitised body, with each provider URL on a line of its own as an embed."""
    return render_embeds(body or "")


@register.filter
def with_library_media(body: str, loaded=None) -> str:
    """The body with each `[gallery 12]`, `[audio 3]` or `[video 4]` line rendered.

    `loaded` is what the view loaded for the body (story_page_context), so the page's
    query count stays fixed; without it (another template) the filter loads it itself.
    """
    if not isinstance(loaded, placements.Placements):
        loaded = None
    return placements.render(body or "", loaded)
