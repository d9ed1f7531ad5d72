"""Scheduled editions without cron: the first request after one is due starts it.

Like scheduled stories (which simply appear to the next request), an edition scheduled
for 7:00 goes out at the first request after 7:00, even without the queue's scheduler
(`celery beat`), which does the same every minute when it runs. The cost to a public
page is one cache read: the next due time is cached by newsletters.sending
(`remember_next_due`) whenever a schedule changes, never by a query here. When the
cache has lost it (a restart of a cache without Redis), the next staff request to the
desk finds it again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .sending import NEXT_DUE_KEY, remember_next_due

LOCK_KEY = "newsletters:starting-due"
LOCK_SECONDS = 30


class DueEditionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.desk_prefix = f"/{settings.NEWSROOM_ADMIN_URL}"

    def __call__(self, request):
        response = self.get_response(request)
        due = cache.get(NEXT_DUE_KEY)
        if due is None:
            if request.path.startswith(self.desk_prefix):
                remember_next_due()
        elif due and due <= timezone.now() and cache.add(LOCK_KEY, 1, timeout=LOCK_SECONDS):
            # At most one request in LOCK_SECONDS queues the task; starting an edition
            # rewrites the cached due time, so the requests after it find nothing due.
            from .tasks import send_due_editions

            send_due_editions.delay()
        return response
