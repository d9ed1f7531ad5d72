"""The project's own app config: project-wide guards installed once at start-up."""

from __future__ import annotations

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import admin_guards, middleware  # noqa: F401 -- middleware connects note_login

        admin_guards.install()
