"""The story body as the public page shows it: with embeds' facades (articles/embeds.py)."""

from __future__ import annotations

from django import template

from articles.embeds import render_embeds

register = template.Library()


@register.filter
def with_embeds(body: str) -> str:
    """The sanitised body, with each provider URL on a line of its own as an embed."""
    return render_embeds(body or "")
