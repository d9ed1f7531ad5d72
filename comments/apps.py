from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from articles.models import add_teaser_annotation

        from .models import approved_count

        # Every teaser shows its story's approved-comment count.
        add_teaser_annotation("comment_count", approved_count)

        from . import (
            checks,  # noqa: F401 -- registers the settings checks
            receivers,  # noqa: F401 -- purges cached pages on moderation
        )
