"""An edition as e-mail: accessible HTML for common mail clients, and plain text.

The HTML is laid out with tables and inline styles, because mail clients (Outlook's Word
engine, Gmail's clipper) ignore or strip most `<style>` rules. The template keeps its CSS
in one `<style>` block for readability, and `css_inline` (a small, fast, maintained Rust
library with Python wheels) copies each rule onto the elements it matches when the edition
is built, once per edition, not once per reader. premailer does the same but depends on
cssutils and lxml and has had no release since 2021.

Per-reader links (unsubscribe, preferences) are placeholders, filled in for each
recipient with a string replace (`personalise`), so 2,000 recipients cost one render.
"""

from __future__ import annotations

from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

from .models import Edition

UNSUBSCRIBE_PLACEHOLDER = "https://newsletter.invalid/unsubscribe-placeholder"
MANAGE_PLACEHOLDER = "https://newsletter.invalid/manage-placeholder"

_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    html: str
    text: str

    def personalise(self, *, unsubscribe_url: str, manage_url: str) -> tuple[str, str]:
        """(html, text) for one recipient."""
        html = self.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe_url)).replace(
            MANAGE_PLACEHOLDER, escape(manage_url)
        )
        text = self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url).replace(
            MANAGE_PLACEHOLDER, manage_url
        )
        return html, text


def paragraphs(text: str) -> list[str]:
    """A blank line starts a paragraph; a single line break is a space, as in e-mail."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


# The e-mail's column is 600 px with 24 px margins; the 800 px rendition stays sharp on
# high-density screens.
IMAGE_WIDTH = 552
IMAGE_RENDITION = 800


def _image(story, base_url: str) -> tuple[str, int, int]:
    if not story.lead_image_id:
        return "", 0, 0
    url = story.lead_image.rendition_url(f"w{IMAGE_RENDITION}")
    if not url:
        return "", 0, 0
    width, height = story.lead_image_display_size(IMAGE_WIDTH)
    return (base_url + url if url.startswith("/") else url), width, height


def edition_context(edition: Edition, base_url: str) -> dict:
    items = []
    for story in edition.ordered_stories():
        image_url, width, height = _image(story, base_url)
        items.append(
            {
                "story": story,
                "url": base_url + story.get_absolute_url(),
                "image_url": image_url,
                "image_width": width,
                "image_height": height,
                "teaser": story.teaser_text(),
            }
        )
    return {
        "edition": edition,
        "newsletter": edition.newsletter,
        "intro": paragraphs(edition.intro),
        "items": items,
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": base_url + "/",
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "manage_url": MANAGE_PLACEHOLDER,
    }


def render_edition(edition: Edition, base_url: str) -> RenderedEdition:
    context = edition_context(edition, base_url.rstrip("/"))
    html = render_to_string("newsletters/email/edition.html", context)
    text = render_to_string("newsletters/email/edition.txt", context)
    return RenderedEdition(subject=edition.subject, html=_INLINER.inline(html), text=text)
