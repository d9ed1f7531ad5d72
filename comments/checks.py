"""System checks: the comment settings are caught at startup, not on the first comment."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .limits import parse_rate


@register()
def check_comment_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    try:
        parse_rate(settings.NEWSROOM_COMMENT_RATE_LIMIT)
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="comments.E001"))
    if settings.NEWSROOM_COMMENT_MAX_LENGTH < 1:
        errors.append(Error("NEWSROOM_COMMENT_MAX_LENGTH must be at least 1.", id="comments.E002"))
    return errors
