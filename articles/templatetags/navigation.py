"""The site's navigation, written in Python (articles.markup): 41 links a page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from articles.markup import navigation_html

register = template.Library()


@register.simple_tag
def section_links(sections, current="") -> SafeString:
    """`<li>` links to `sections` (the context's `nav_sections`), `current` marked."""
    return navigation_html(sections, current)
