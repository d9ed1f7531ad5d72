"""Send anonymous readers' queries to a read replica, everything else to the primary.

Enabled by DATABASE_REPLICA_URL. `ReplicaMiddleware` marks a request as a reader's when
it is a GET or HEAD without a session cookie: staff (who carry a session) and every
write always use the primary, so an editor never reads a replica that lags behind.
"""

from __future__ import annotations

from contextvars import ContextVar

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_from_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.enabled = REPLICA in settings.DATABASES
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not self.enabled or not self.is_anonymous_read(request):
            return self.get_response(request)
        token = _reading_from_replica.set(True)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)

    def is_anonymous_read(self, request) -> bool:
        return request.method in ("GET", "HEAD") and self.session_cookie not in request.COOKIES
