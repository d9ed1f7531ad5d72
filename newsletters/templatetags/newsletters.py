from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from newsroom.forms import render_once

from ..forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form_html() -> SafeString:
    """The small sign-up form of public pages, as `{% crispy SignupForm() %}` makes it:
    the same for every reader (no CSRF token, newsletters offered by kind), so rendered
    once (newsroom.forms.render_once)."""
    return render_once(("newsletter sign-up",), SignupForm)
