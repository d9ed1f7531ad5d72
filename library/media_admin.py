"""Galleries and audio/video files on the desk.

Each page shows the line to paste into a story's body (`[gallery 12]`...), and the
stories whose bodies hold it. Neither is deleted while a story places it (a gallery's
pictures are PROTECTed by their foreign key; the body's reference is text, so it is
looked for in the stories' bodies when someone asks to delete).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from library.admin import admin_link, describe
from library.media import Gallery, GalleryImage, MediaFile
from library.placements import stories_placing


def placement_line(obj) -> str:
    if not obj or not obj.pk:
        return "Save first: then this shows the line that places it in a story."
    return format_html(
        "<p>Copy this line into the story's body, as a paragraph of its own:</p>"
        '<p><code class="library-placement">{}</code></p>',
        obj.placement,
    )


def used_in(obj, kind: str) -> str:
    stories = list(stories_placing(kind, obj.pk)) if obj and obj.pk else []
    if not stories:
        return "No story places it yet."
    return format_html(
        '<ul class="library-usages">{}</ul>',
        format_html_join("", "<li>{}</li>", ((admin_link(story),) for story in stories)),
    )


class RefuseDeleteWhilePlaced:
    """delete_view and the bulk action refuse while a story's body places the object."""

    def placing(self, obj) -> list:
        raise NotImplementedError

    def refusal(self, obj, stories) -> str:
        named = ", ".join(describe(story) for story in stories[:5])
        return f"“{obj}” was not deleted: it is placed in {named}. Take it out of the body first."

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_delete_permission(request, obj):
            stories = self.placing(obj)
            if stories:
                self.message_user(request, self.refusal(obj, stories), messages.ERROR)
                opts = obj._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        # Bulk deletion would skip the check: objects are deleted one page at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class GalleryImageInline(admin.TabularInline):
    model = GalleryImage
    fields = ["position", "image", "thumbnail", "caption"]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["image"]
    extra = 3
    ordering = ["position", "pk"]

    @admin.display(description="picture")
    def thumbnail(self, item: GalleryImage) -> str:
        if not item.pk:
            return "—"
        url = item.image.rendition_url("teaser")
        if not url:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" height="80" class="library-thumbnail">', url
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")


@admin.register(Gallery)
class GalleryAdmin(RefuseDeleteWhilePlaced, admin.ModelAdmin):
    list_display = ["title", "placement", "picture_count", "created_by", "created_at"]
    search_fields = ["title", "caption"]
    list_select_related = ["created_by"]
    fields = ["title", "caption", "placement_line", "used_in"]
    readonly_fields = ["placement_line", "used_in"]
    inlines = [GalleryImageInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(picture_total=Count("items"))

    @admin.display(description="pictures", ordering="picture_total")
    def picture_count(self, gallery: Gallery) -> int:
        return gallery.picture_total

    @admin.display(description="place it")
    def placement_line(self, gallery: Gallery) -> str:
        return placement_line(gallery)

    @admin.display(description="used in")
    def used_in(self, gallery: Gallery) -> str:
        return used_in(gallery, "gallery")

    def placing(self, gallery: Gallery) -> list:
        return list(stories_placing("gallery", gallery.pk))

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MediaFile)
class MediaFileAdmin(RefuseDeleteWhilePlaced, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "placement",
        "credit",
        "size_shown",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "uploaded_at"]
    search_fields = ["title", "caption", "credit"]
    list_select_related = ["uploaded_by"]
    fieldsets = [
        (None, {"fields": ["file", "kind", "title", "placement_line"]}),
        ("What stories show with it", {"fields": ["caption", "credit", "captions", "duration"]}),
        ("Used in", {"fields": ["used_in"]}),
        ("Record", {"fields": ["size_shown", "uploaded_by", "uploaded_at"]}),
    ]
    readonly_fields = ["placement_line", "used_in", "size_shown", "uploaded_by", "uploaded_at"]

    @admin.display(description="size")
    def size_shown(self, media: MediaFile) -> str:
        from django.template.defaultfilters import filesizeformat

        return filesizeformat(media.size) if media.size else "—"

    @admin.display(description="place it")
    def placement_line(self, media: MediaFile) -> str:
        return placement_line(media)

    @admin.display(description="used in")
    def used_in(self, media: MediaFile) -> str:
        return used_in(media, media.placement_kind)

    def placing(self, media: MediaFile) -> list:
        return list(stories_placing(media.placement_kind, media.pk))

    def save_model(self, request, obj, form, change):
        if not change and obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
