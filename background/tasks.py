"""The background app's tasks, where Celery's autodiscovery looks for them."""

from .renditions import make_renditions

__all__ = ["make_renditions"]
