"""Request-level guards that hold for every page, before any view or query runs.

- `IdleSessionMiddleware`: a session unused for SESSION_COOKIE_AGE seconds has expired;
  one in use has its expiry moved on, but at most once a minute, so a busy editor's
  requests do not each write their session.

- `HostileInputMiddleware`: a control character in the path or in a query value, or a
  NUL in a posted field, is refused with 400. No page has a use for them, and a NUL
  reaching PostgreSQL is an error, not a miss ("text fields cannot contain NUL"), so
  refusing them here makes that whole class of 500s impossible instead of fixing each
  lookup that forgot. Other control characters in posted text (a vertical tab pasted
  from a word processor) are the forms' business: they are cleaned on save.
"""

from __future__ import annotations

import logging
import re
import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# Unicode category Cc: C0 controls (tab and newline included), DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def hostile_part(request: HttpRequest) -> str | None:
    """What of the request is refused (for the log), or None when it may go on."""
    if has_control_characters(request.path):
        return "path"
    for name, values in request.GET.lists():
        if has_control_characters(name) or any(has_control_characters(v) for v in values):
            return "query"
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return "form"
    return None


def bad_request(request: HttpRequest) -> HttpResponse:
    """A small 400 page that needs neither the database nor the cache."""
    html = loader.render_to_string("400.html", request=None)
    return HttpResponse(html, status=400)


class HostileInputMiddleware:
    """Refuse control characters in paths and query values, and NUL in posted fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        part = hostile_part(request)
        if part is not None:
            # Info, not warning: anyone can send these, and a scanner sends thousands.
            logger.info("Refused a request with control characters in its %s.", part)
            return bad_request(request)
        return self.get_response(request)


LAST_SEEN = "_newsroom_seen"
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def note_login(sender, request, user, **kwargs) -> None:
    # Saved with the new session, so the first requests after a login write nothing.
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleSessionMiddleware:
    """Move a session's expiry on while it is used, so only idle sessions expire."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        # Readers without a session cookie have nothing to move on (and stay cacheable).
        if session is not None and session.session_key:
            seen = session.get(LAST_SEEN)
            now = int(time.time())
            if seen is None or now - seen >= REFRESH_SECONDS:
                session[LAST_SEEN] = now  # saved at the end, with a new expiry
        return self.get_response(request)
