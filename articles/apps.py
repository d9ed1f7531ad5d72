from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from . import listings, tags, tidying
        from .caching import receivers  # noqa: F401 -- connects the cache-purging receivers
        from .images import track_image_sources_cheaply
        from .roles import ensure_roles
        from .text import clean_text_fields

        # Every save of every model, so text from any path is clean (articles.text).
        pre_save.connect(clean_text_fields, dispatch_uid="articles.clean_text_fields")
        tags.connect()
        listings.connect()
        track_image_sources_cheaply()
        tidying.connect()
        post_migrate.connect(ensure_roles, dispatch_uid="articles.ensure_roles")
