from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import demo  # noqa: F401 -- the demo newsroom's gallery (load_demo's signals)
