"""The per-address rate limit for posting comments.

`NEWSROOM_COMMENT_RATE_LIMIT` reads like "3/10m": at most 3 comments from one IP address
(`newsroom.clients.client_address()`, the same address the login limit counts)
in any 10 minutes. Units are s, m, h and d; "0/10m" switches the limit off. The count
comes from the database, so it holds across every app process without a shared cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import Comment

_RATE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<amount>\d*)\s*(?P<unit>[smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: timedelta

    @property
    def is_on(self) -> bool:
        return self.count > 0


def parse_rate(value: str) -> RateLimit:
    """'3/10m' -> RateLimit(3, 10 minutes); a bare unit means one: '5/h' is 5 an hour."""
    match = _RATE.match(str(value))
    if match is None or match["amount"] == "0":
        raise ImproperlyConfigured(
            f"NEWSROOM_COMMENT_RATE_LIMIT must look like '3/10m' (count/window, with the "
            f"window in s, m, h or d); got {value!r}."
        )
    amount = int(match["amount"] or 1)
    return RateLimit(int(match["count"]), timedelta(**{_UNITS[match["unit"]]: amount}))


def comment_rate_limit() -> RateLimit:
    return parse_rate(settings.NEWSROOM_COMMENT_RATE_LIMIT)


def is_rate_limited(ip_address: str | None) -> bool:
    """True when `ip_address` has already sent as many comments as the window allows."""
    limit = comment_rate_limit()
    if not limit.is_on or not ip_address:
        return False
    since = timezone.now() - limit.window
    return Comment.objects.from_address(ip_address, since=since).count() >= limit.count
