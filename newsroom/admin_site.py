"""The admin site: the newsroom's desk, where each role lands on its queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect


class NewsroomAdminSite(admin.AdminSite):
    site_header = f"{settings.NEWSROOM_SITE_NAME} — Newsroom desk"
    site_title = "Newsroom desk"
    index_title = "The desk"

    def index(self, request, extra_context=None):
        """Reporters and editors land on the newsdesk (their queue); administrators, and
        anyone who asks with ?all=1, on the index of every shelf."""
        if not request.GET.get("all") and not self.is_administrator(request.user):
            return redirect("articles:newsdesk")
        return super().index(request, extra_context)

    @staticmethod
    def is_administrator(user) -> bool:
        return user.is_superuser or user.has_perm("users.change_user")
