# The Celery app is loaded with Django, so `@shared_task` tasks bind to it (newsroom/celery.py).
from .celery import app as celery_app

__all__ = ["celery_app"]
