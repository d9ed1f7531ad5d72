"""The trash: the story admin's Delete moves a story there; an editor restores it; only
an administrator deletes it for good.

A story in the trash has the status "In the trash", so no public page, feed, sitemap or
search can show it (they all start from `StoryQuerySet.published()`). The story list
leaves the trash out unless it is asked for ("Where: In the trash"). Each move in or out
is a workflow step, so the timeline says who did it and when. After
NEWSROOM_TRASH_DAYS, `manage.py empty_trash` deletes what is left there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Story, WorkflowError

EMPTY_TRASH_PERMISSION = "articles.empty_trash"


class TrashFilter(admin.SimpleListFilter):
    """The desk's stories, or the trash: never both in one list."""

    title = "where"
    parameter_name = "where"

    def lookups(self, request, model_admin):
        return [("trash", "In the trash")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "On the desk",
        }
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset):
        if self.value() == "trash" or request.GET.get("status__exact") == Story.Status.TRASHED:
            return queryset.in_trash()
        return queryset.outside_trash()


def trash_label(story: Story) -> str:
    """ "In the trash since Dec 1, 14:05, by sam": for the list and the change form."""
    since = date_format(timezone.localtime(story.trashed_at), "M j, H:i")
    by = f", by {story.trashed_by}" if story.trashed_by else ""
    return f"In the trash since {since}{by}"


class StoryTrashMixin:
    """Delete means "move to the trash" in the story admin, in one place and in bulk."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status == Story.Status.TRASHED:
            return request.user.has_perm(EMPTY_TRASH_PERMISSION)
        return super().has_delete_permission(request, obj)

    def has_empty_trash_permission(self, request) -> bool:
        """For the "delete for good" action (Django reads has_<name>_permission)."""
        return request.user.has_perm(EMPTY_TRASH_PERMISSION)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Django's own bulk delete would skip the trash.
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        story = self.get_object(request, object_id)
        if story is None or story.status == Story.Status.TRASHED:
            # For good, with Django's confirmation (has_delete_permission: administrators).
            return super().delete_view(request, object_id, extra_context)
        if not request.user.has_perm("articles.delete_story"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                story.move_to_trash(by=request.user, note=request.POST.get("note", ""))
            except WorkflowError as error:
                messages.error(request, f"Not moved to the trash: {error}")
                return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))
            messages.success(
                request,
                f"“{story}” is in the trash and off every public page. An editor can "
                f"restore it for {settings.NEWSROOM_TRASH_DAYS} days.",
            )
            return HttpResponseRedirect(reverse("admin:articles_story_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "stories": [story],
            "title": "Move to the trash?",
            "trash_days": settings.NEWSROOM_TRASH_DAYS,
            "bulk": False,
        }
        return TemplateResponse(request, "admin/articles/story/trash.html", context)

    @admin.action(description="Move selected stories to the trash", permissions=["delete"])
    def trash_selected(self, request, queryset):
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "stories": queryset.outside_trash(),
                "title": "Move to the trash?",
                "trash_days": settings.NEWSROOM_TRASH_DAYS,
                "bulk": True,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/articles/story/trash.html", context)
        self._bulk(request, queryset.outside_trash(), "trash", note=request.POST.get("note", ""))
        return None

    @admin.action(
        description="Restore selected stories from the trash (as drafts)", permissions=["delete"]
    )
    def restore_selected(self, request, queryset):
        self._bulk(request, queryset.in_trash(), "untrash")

    @admin.action(
        description="Delete selected stories in the trash for good", permissions=["empty_trash"]
    )
    def delete_for_good(self, request, queryset):
        trashed = queryset.in_trash()
        count = trashed.count()
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "stories": trashed,
                "title": "Delete for good?",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/articles/story/delete_for_good.html", context)
        self.log_deletions(request, list(trashed))
        trashed.delete()
        self.message_user(
            request, f"{count} {'story' if count == 1 else 'stories'} deleted for good."
        )
        return None
