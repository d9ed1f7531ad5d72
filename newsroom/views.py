"""The project's error views: a database outage is "come back in a moment", not a bug.

Django turns any uncaught exception into its 500 page. When the exception says the
database cannot be reached (or the connection broke), the honest answer is 503 with
`Retry-After`: browsers, crawlers and the CDN then know to come back, and monitoring
can tell an outage from a defect. Persistent connections are health-checked at the start
of each request (CONN_HEALTH_CHECKS), so the site recovers by itself when the database
is back.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# One log line (with its traceback) per this many seconds of outage, per process.
LOG_EVERY_SECONDS = 30.0

_last_logged = {"at": -LOG_EVERY_SECONDS}
_lock = threading.Lock()


def is_database_outage(error: BaseException | None) -> bool:
    """Whether `error`, or the error it was raised from or while handling, says the
    database is out of reach.

    Besides OperationalError and InterfaceError: a bare DatabaseError is what Django
    makes of a driver error it cannot classify, such as a connection cut off while a
    result was being read. An IntegrityError or ProgrammingError is a defect, not this.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request) -> HttpResponse:
    """A 503 page that needs neither the database nor the cache."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    with _lock:
        now = time.monotonic()
        quiet = now - _last_logged["at"] < LOG_EVERY_SECONDS
        if not quiet:
            _last_logged["at"] = now
    if not quiet:
        logger.error(
            "The database cannot be reached; answering 503 (logged once every %d s).",
            LOG_EVERY_SECONDS,
            exc_info=sys.exc_info(),
        )
    # Django logs every 500-class response with its traceback; this one is logged above.
    response._has_been_logged = True
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request, template_name)
