from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save, pre_save

        from . import listings, tags, tidying
        from .caching import receivers  # noqa: F401 -- connects the cache-purging receivers
        from .images import track_image_sources_cheaply
        from .models import Story
        from .roles import ensure_roles
        from .tasks import fetch_embed_titles_after_save
        from .text import clean_text_fields

        # Every save of every model, so text from any path is clean (articles.text).
        pre_save.connect(clean_text_fields, dispatch_uid="articles.clean_text_fields")
        tags.connect()
        listings.connect()
        track_image_sources_cheaply()
        tidying.connect()
        # Embeds' titles by oEmbed, when NEWSROOM_OEMBED is on (articles/tasks.py).
        post_save.connect(
            fetch_embed_titles_after_save, sender=Story, dispatch_uid="articles.embed_titles"
        )
        post_migrate.connect(ensure_roles, dispatch_uid="articles.ensure_roles")
