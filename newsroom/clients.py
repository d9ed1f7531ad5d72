"""Who is asking: the client's address, and the login backend that counts failures by it.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address, so every reader would share
one comment limit and one login limit. The real address is in a header the proxy adds,
but only a header that the site's own proxy sets can be trusted: anyone can send an
`X-Forwarded-For`. So the header is read only when the operator names it
(NEWSROOM_TRUSTED_PROXY_HEADER), and only the entry that the outermost trusted proxy
wrote (NEWSROOM_TRUSTED_PROXY_COUNT proxies, counted from the right: what a client puts
at the left of the header is ignored). The comment rate limit and the login limit both
use `client_address()`, so they always agree on who is asking.
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from: the trusted proxy header's, else REMOTE_ADDR."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    header = settings.NEWSROOM_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry for entry in value.split(",") if entry.strip()]
    count = max(1, settings.NEWSROOM_TRUSTED_PROXY_COUNT)
    if len(entries) < count:
        # Not through the proxies (a health check from inside): the peer is the client.
        return remote
    return _valid(entries[-count]) or remote


class LoginAttemptsBackend(AxesStandaloneBackend):
    """django-axes's lock-out check, for logins through a web request.

    A login without a request (the shell, a management command, the test client's
    `login()`) has no address to count and no form to refuse, so it is not checked here;
    every login form of the site passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """The page after too many failed logins: what happened, for how long, who can help."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "registration/locked_out.html", context, status=429)
