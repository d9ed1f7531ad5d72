"""The desk's view of WordPress imports: what came from where, and the upload form."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .forms import WordPressImportForm
from .importer import ImportConfigError
from .models import ImportedItem, LegacyURL
from .wxr import WXRError

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
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload an export and run the same import as `manage.py import_wordpress`."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        summary = None
        if request.method == "POST":
            form = WordPressImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    summary = form.run(user=request.user)
                except (WXRError, ImportConfigError) as error:
                    form.add_error("export", str(error))
        else:
            form = WordPressImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "opts": self.model._meta,
            "form": form,
            "summary": summary,
        }
        return TemplateResponse(request, "admin/wordpress/import.html", context)


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    list_display = ["old_path", "section", "tag", "byline", "site"]
    search_fields = ["old_path"]
    list_filter = ["site"]
    raw_id_fields = ["section", "tag", "byline"]
