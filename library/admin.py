"""The library on the desk: a list with thumbnails, search and filters; an image's page
with its focal point set by clicking on it, and the list of what uses it. An image in
use is never deleted, one at a time or in bulk: the desk says what uses it instead.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles.tags import check_tag_names, resolve_tag_names
from library.models import Image
from library.placements import MAX_ID

# How many users of an image a refusal names before it says "and N more".
USAGES_NAMED = 5


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    # The person saving, set by ImageAdmin.get_form(): new tags need the tag permission.
    user = None

    def clean_tags(self):
        # As on stories: an alias, or a name differing only in case or accents, means
        # the existing tag; only editors make new ones.
        names = resolve_tag_names(self.cleaned_data.get("tags") or [])
        check_tag_names(names, self.user)
        return names


class UsageFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", "Unused"), ("used", "Used")]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.unused()
        if self.value() == "used":
            return queryset.exclude(pk__in=Image.objects.unused().values("pk"))
        return queryset


def describe(obj) -> str:
    return Truncator(str(obj)).chars(80)


def admin_link(obj):
    """A link to `obj`'s page on the desk (its name alone if it has none)."""
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{} {}", opts.verbose_name.capitalize(), describe(obj))
    return format_html('{} <a href="{}">{}</a>', opts.verbose_name.capitalize(), url, describe(obj))


def refusal(image: Image, usages: list) -> str:
    named = ", ".join(describe(obj) for obj in usages[:USAGES_NAMED])
    more = len(usages) - USAGES_NAMED
    if more > 0:
        named += f" and {more} more"
    return (
        f"“{image}” was not deleted: it is used in {named}. Choose another image there "
        "first, then delete it."
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [UsageFilter, ("uploaded_by", admin.RelatedOnlyFieldListFilter), "uploaded_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "caption", "credit", "tags__name"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["file", "focal_point_picker", "title", "tags"]}),
        (
            "What stories show with it (each story may say it differently)",
            {"fields": ["alt_text", "caption", "credit"]},
        ),
        ("Rights", {"fields": ["copyright"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_x", "focal_point_y"],
                "description": "Crops keep this point in the picture. Click on the image "
                "above to set it; empty fields mean the centre.",
            },
        ),
        ("Used in", {"fields": ["used_in"]}),
        ("Record", {"fields": ["dimensions", "uploaded_by", "uploaded_at", "sha256"]}),
    ]
    readonly_fields = [
        "focal_point_picker", "used_in", "dimensions", "uploaded_by", "uploaded_at", "sha256",
    ]  # fmt: skip

    class Media:
        js = ["js/focal_point.js"]
        css = {"all": ["css/focal_point.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class per request, so the check of new tags knows who is saving.
        return type(form.__name__, (form,), {"user": request.user})

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def save_model(self, request, obj, form, change):
        if not change and obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Columns and read-only fields.

    @admin.display(description="")
    def thumbnail(self, image: Image) -> str:
        url = image.rendition_url("teaser")
        if not url:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" height="80" class="library-thumbnail">', url
        )

    @admin.display(description="size")
    def dimensions(self, image: Image) -> str:
        if not image.width or not image.height:
            return "—"
        return f"{image.width} × {image.height}"

    @admin.display(description="picture")
    def focal_point_picker(self, image: Image) -> str:
        # The original, not a rendition: it is there as soon as the upload is, whatever
        # the rendition strategy (made on save, or queued).
        if not image.pk or not image.file:
            return "Save the image to set its focal point."
        x, y = image.focal_point
        return format_html(
            '<div class="focal-picker" data-focal-picker data-x="{}" data-y="{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            x,
            y,
            image.file.url,
            image.alt_text,
            image.width or "",
            image.height or "",
        )

    @admin.display(description="used in")
    def used_in(self, image: Image) -> str:
        usages = image.usages() if image.pk else []
        if not usages:
            return "Nothing uses this image yet."
        return format_html(
            '<ul class="library-usages">{}</ul>',
            format_html_join("", "<li>{}</li>", ((admin_link(obj),) for obj in usages)),
        )

    # The card the story body editor shows for each image it places.

    def get_urls(self):
        card = path(
            "<int:object_id>/card/",
            self.admin_site.admin_view(self.card_view),
            name="library_image_card",
        )
        return [card, *super().get_urls()]

    def card_view(self, request, object_id):
        """A library image's title, thumbnail, alt text and credit as JSON, for someone
        who may see the library (static/js/body_images.js)."""
        image = Image.objects.filter(pk=object_id).first() if object_id <= MAX_ID else None
        if image is None or not self.has_view_permission(request, image):
            raise Http404("No such image.")
        thumbnail = image.rendition_url("teaser") or (image.file.url if image.file else "")
        return JsonResponse(
            {
                "id": image.pk,
                "title": image.title,
                "alt": image.alt_text,
                "credit": image.credit,
                "thumbnail": thumbnail,
                "url": reverse("admin:library_image_change", args=[image.pk]),
                "placement": f"[image {image.pk}]",
            }
        )

    # Deleting: never an image in use.

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        if image is not None and self.has_delete_permission(request, image):
            usages = image.usages()
            if usages:
                self.message_user(request, refusal(image, usages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:library_image_change", args=[image.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                ImageAdmin.delete_unused_selected,
                "delete_selected",
                delete_selected.short_description,
            )
        return actions

    @admin.action(permissions=["delete"], description="Delete selected images")
    def delete_unused_selected(self, request, queryset):
        """Django's bulk delete, refused outright if any selected image is in use (so no
        one deletes half a selection without noticing)."""
        in_use = queryset.exclude(pk__in=Image.objects.unused().values("pk"))
        refused = [refusal(image, image.usages()) for image in in_use[:USAGES_NAMED]]
        if refused:
            for message in refused:
                self.message_user(request, message, messages.ERROR)
            self.message_user(
                request, "Nothing was deleted: unselect the images in use.", messages.ERROR
            )
            return None
        return delete_selected(self, request, queryset)


from library import media_admin  # noqa: E402, F401 -- galleries, audio and video on the desk
