from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background tasks"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 -- connects to Celery's task signals
