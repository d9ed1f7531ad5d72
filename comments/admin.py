"""Moderation: editors approve comments, mark them as spam or delete them.

Status changes only through `Comment.approve()` and `Comment.mark_spam()` (from the list's
actions or the buttons on a comment's page), which check the permission on the server
and record who moderated the comment and when. Deleting uses Django's own action, with
its confirmation page.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .models import Comment

MODERATION_BUTTONS = {"_approve": "approve", "_mark_spam": "mark_spam"}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author_name", "author_email", "story", "status", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = ["status", "created_at", "story__section"]
    list_select_related = ["story"]
    search_fields = [
        "text", "author_name", "author_email", "ip_address", "story__headline",
    ]  # fmt: skip
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    actions = ["approve_selected", "mark_selected_as_spam"]
    fields = [
        "story", "parent_link", "status", "author_name", "author_email", "author_url", "text",
        "created_at", "ip_address", "user_agent", "moderated_at", "moderated_by",
    ]  # fmt: skip
    readonly_fields = [
        "story", "parent_link", "status", "author_email", "created_at", "ip_address",
        "user_agent", "moderated_at", "moderated_by",
    ]  # fmt: skip

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "author_url":
            # A link typed without a scheme is taken as https (Django 6's default).
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        # Comments come from readers (and imports), not from the desk.
        return False

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("comments.change_comment")

    # Columns.

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return comment.excerpt

    @admin.display(description="in reply to")
    def parent_link(self, comment: Comment) -> str:
        if comment.parent_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[comment.parent_id]),
            comment.parent,
        )

    # Bulk moderation.

    @admin.action(permissions=["moderate"], description="Approve selected comments")
    def approve_selected(self, request, queryset) -> None:
        self._moderate(request, queryset, "approve", "approved")

    @admin.action(permissions=["moderate"], description="Mark selected comments as spam")
    def mark_selected_as_spam(self, request, queryset) -> None:
        self._moderate(request, queryset, "mark_spam", "marked as spam")

    def _moderate(self, request, queryset, method: str, done: str) -> None:
        count = 0
        for comment in queryset.select_related("story"):
            getattr(comment, method)(by=request.user)
            self.log_change(request, comment, f"Comment {done}.")
            count += 1
        self.message_user(
            request, f"{count} comment{'s' if count != 1 else ''} {done}.", messages.SUCCESS
        )

    # One comment: "Approve" and "Mark as spam" buttons on its page.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj: Comment):
        for button, method in MODERATION_BUTTONS.items():
            if button in request.POST:
                getattr(obj, method)(by=request.user)
                label = "approved" if method == "approve" else "marked as spam"
                self.log_change(request, obj, f"Comment {label}.")
                self.message_user(request, f"Comment by {obj.author_name} {label}.")
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
