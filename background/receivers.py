"""A task that failed for good (retries used up) is recorded as a FailedTask."""

from __future__ import annotations

import json
import logging

from celery.signals import task_failure

logger = logging.getLogger(__name__)


def _jsonable(value):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


@task_failure.connect
def record_failed_task(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    from .models import FailedTask

    retries = getattr(getattr(sender, "request", None), "retries", 0) or 0
    try:
        FailedTask.objects.create(
            task_name=getattr(sender, "name", str(sender)),
            task_id=task_id or "",
            args=_jsonable(list(args or [])),
            kwargs=_jsonable(dict(kwargs or {})),
            error=f"{type(exception).__name__}: {exception}"[:5000],
            attempts=retries + 1,
        )
    except Exception:  # the database itself may be why the task failed
        logger.exception("Could not record the failure of task %s (%s)", sender, task_id)
