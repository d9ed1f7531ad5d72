"""Template filters for reader comments."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeData, SafeString, mark_safe

from articles.caching.middleware import expire_page_at
from newsroom.forms import render_once

from ..selectors import comments_context

register = template.Library()


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def story_comments(context, story):
    """The comments under a story: approved threads, and the form while comments are open.

    A page that shows a reader's form with its errors passes it as `comment_form`.
    """
    request = context.get("request")
    shown = comments_context(story)
    reader_form = context.get("comment_form")
    if reader_form is not None and shown["comments_open"]:
        shown["comment_form"] = reader_form
    elif shown["comment_form"] is not None:
        shown["blank_form_html"] = blank_form_html(shown["comment_form"])
    if request is not None:
        # The form disappears when comments close by themselves.
        expire_page_at(request, shown["comments_close_at"])
    return {
        **shown,
        "story": story,
        "request": request,
        "is_preview": context.get("is_preview", False),
    }


# The empty comment form is the same on every story but for its address: rendered once
# (newsroom.forms.render_once) with a stand-in address, given each story's after that.
_ACTION_STAND_IN = "comment-form-action"


def blank_form_html(form) -> SafeString:
    """The HTML of an unbound, top-level comment form, as `{% crispy form %}` makes it."""
    action = form.helper.form_action

    def with_stand_in():
        form.helper.form_action = _ACTION_STAND_IN
        return form

    try:
        html = render_once(("comment form", settings.NEWSROOM_COMMENT_MAX_LENGTH), with_stand_in)
    finally:
        form.helper.form_action = action
    # The address is ours (a URL of digits and slashes): nothing here needs escaping.
    return mark_safe(html.replace(f'action="{_ACTION_STAND_IN}"', f'action="{action}"', 1))  # noqa: S308


# Long links are shortened in the text readers see; the link itself stays whole.
LINK_TEXT_LENGTH = 60


@register.filter
def comment_text(text: str) -> SafeString:
    """Reader text as HTML: every character escaped, line breaks kept, bare web
    addresses turned into links marked rel="nofollow ugc" (user-generated content).

    Django's urlize escapes the words around and inside the links itself
    (autoescape=True) and marks the links rel="nofollow". Since the escaped text can
    hold no double quote, the attribute string below can only come from urlize's own
    tags, so widening it to "nofollow ugc" cannot touch anything the reader typed.
    """
    if isinstance(text, SafeData):
        # Reader text is plain text even if something marked it safe: escape it, and
        # urlize then treats it as the escaped text it is.
        text = escape(text)
    html = urlize(text, trim_url_limit=LINK_TEXT_LENGTH, nofollow=True, autoescape=True)
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308 -- escaped above
