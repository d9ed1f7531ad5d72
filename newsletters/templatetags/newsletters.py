from __future__ import annotations

from crispy_forms.utils import render_crispy_form
from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ..forms import SignupForm

register = template.Library()

# The sign-up box is the same on every home, section and story page (no CSRF token, no
# reader's data, newsletters offered by kind), and crispy forms takes milliseconds to
# render it; so it is rendered once per language and site prefix, like the blank
# comment form (comments_tags.blank_form_html).
_RENDERED: dict[tuple[str, str], SafeString] = {}


@register.simple_tag
def signup_form_html() -> SafeString:
    """The small sign-up form of public pages, as `{% crispy SignupForm() %}` makes it."""
    key = (get_language(), get_script_prefix())
    if key not in _RENDERED:
        _RENDERED[key] = render_crispy_form(SignupForm())
    return _RENDERED[key]
