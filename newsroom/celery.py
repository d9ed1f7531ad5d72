"""The task queue: Celery, configured from Django's settings (the CELERY_* names).

With a broker (CELERY_BROKER_URL, or REDIS_URL), tasks go to a worker process started
beside gunicorn (docs/deployment.md). Without one, as under `make run` and in tests,
every task runs in-process at once (`task_always_eager`), so nothing else is needed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
