"""Blank forms rendered once per process.

Crispy forms takes milliseconds to render a form, and a public page's blank form (the
comment form under a story, the newsletter sign-up box) is the same for every reader:
no CSRF token, no reader's data. So it is rendered the first time and remembered, per
language and script prefix and whatever else its HTML depends on (`key`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from crispy_forms.utils import render_crispy_form
from django import forms
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_RENDERED: dict[tuple, SafeString] = {}


def render_once(key: tuple[Hashable, ...], make_form: Callable[[], forms.Form]) -> SafeString:
    """`{% crispy form %}` for the form `make_form()` builds, made only the first time."""
    full_key = (*key, get_language(), get_script_prefix())
    if full_key not in _RENDERED:
        _RENDERED[full_key] = render_crispy_form(make_form())
    return _RENDERED[full_key]
