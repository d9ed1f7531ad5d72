"""The desk's view of WordPress imports: what came from where, and the upload form."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from .forms import WordPressImportForm
from .models import ImportedItem, ImportRun, LegacyURL

IMPORT_PERMISSION = "wordpress.import_wordpress"


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["wp_id", "kind", "title", "story_link", "site", "imported_at"]
    list_filter = ["kind", "site"]
    search_fields = ["title", "story__headline"]
    list_select_related = ["story"]
    date_hierarchy = "imported_at"
    change_list_template = "admin/wordpress/importeditem/change_list.html"
    readonly_fields = [
        "site", "wp_id", "kind", "title", "story", "story_version", "media", "content_hash",
        "comment_ids", "first_imported_at", "imported_at",
    ]  # fmt: skip

    @admin.display(description="story", ordering="story__headline")
    def story_link(self, item: ImportedItem) -> str:
        if item.story is None:
            return "—"
        url = reverse("admin:articles_story_change", args=[item.story_id])
        return format_html('<a href="{}">{}</a>', url, item.story)

    def has_add_permission(self, request) -> bool:
        return False  # records are made by imports only

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="wordpress_importeditem_import",
            ),
            path(
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_run_view),
                name="wordpress_importeditem_import_run",
            ),
            path(
                "import/<int:pk>/status/",
                self.admin_site.admin_view(self.import_status_view),
                name="wordpress_importeditem_import_status",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload an export; the same import as `manage.py import_wordpress` runs on the
        task queue, and its page follows it."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            form = WordPressImportForm(request.POST, request.FILES)
            if form.is_valid():
                run = form.queue(user=request.user)
                return HttpResponseRedirect(
                    reverse("admin:wordpress_importeditem_import_run", args=[run.pk])
                )
        else:
            form = WordPressImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "opts": self.model._meta,
            "form": form,
            "recent_runs": ImportRun.objects.all()[:5],
        }
        return TemplateResponse(request, "admin/wordpress/import.html", context)

    def _run(self, request, pk: int) -> ImportRun:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        if pk > 2**63 - 1:  # would overflow the database driver
            raise Http404("No such import.")
        return get_object_or_404(ImportRun, pk=pk).with_latest_progress()

    def import_run_view(self, request, pk: int):
        """An import's progress, updating itself while it runs; then its summary."""
        run = self._run(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": str(run),
            "opts": self.model._meta,
            "run": run,
        }
        response = TemplateResponse(request, "admin/wordpress/import_run.html", context)
        add_never_cache_headers(response)
        return response

    def import_status_view(self, request, pk: int):
        run = self._run(request, pk)
        response = JsonResponse(
            {
                "status": run.get_status_display(),
                "finished": run.is_finished,
                "done": run.done,
                "total": run.total,
                "unit": run.unit,
            }
        )
        add_never_cache_headers(response)
        return response


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    list_display = ["old_path", "section", "tag", "byline", "site"]
    search_fields = ["old_path"]
    list_filter = ["site"]
    raw_id_fields = ["section", "tag", "byline"]
