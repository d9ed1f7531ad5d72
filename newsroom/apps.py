"""The project's own app config: project-wide guards installed once at start-up."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import admin_guards, middleware  # noqa: F401 -- middleware connects note_login

        admin_guards.install()


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the newsroom's own site (newsroom/admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
