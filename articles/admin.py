"""The desk: where staff write, place and publish stories."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import Byline, Section, Story, StoryByline


class VisibilityFilter(admin.SimpleListFilter):
    """Public, scheduled or not published: the question an editor asks first."""

    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("public", "Public now"),
            ("scheduled", "Scheduled"),
            ("hidden", "Not published"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "hidden":
            return queryset.exclude(status=Story.Status.PUBLISHED)
        return queryset


class StoryBylineInline(admin.TabularInline):
    model = StoryByline
    extra = 1
    autocomplete_fields = ["byline"]
    fields = ["position", "role", "byline"]
    ordering = ["position", "pk"]
    verbose_name = "byline"
    verbose_name_plural = "Bylines (in the order readers see them)"


class StoryAdminForm(forms.ModelForm):
    material_change = forms.BooleanField(
        required=False,
        label="This edit is a material change",
        help_text=(
            "Tick for changes readers should know about: the story then shows "
            "“Updated” with the time of this save. Leave it for typo fixes."
        ),
    )

    class Meta:
        model = Story
        fields = "__all__"


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryAdminForm
    list_display = [
        "headline",
        "section",
        "status",
        "is_public",
        "published_at",
        "byline_names",
        "kind",
    ]
    list_filter = [VisibilityFilter, "status", "section", "kind", "bylines", "is_featured"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "secondary_sections"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["lead_image_preview", "created_at", "updated_at", "created_by"]
    inlines = [StoryBylineInline]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        ("Placement", {"fields": ["section", "secondary_sections", "kind", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_featured",
                    "material_change",
                    "materially_updated_at",
                ]
            },
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_preview",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (
            "Source credit (wire and press-release copy)",
            {"fields": ["source_name", "source_url"], "classes": ["collapse"]},
        ),
        (
            "Record",
            {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "story_bylines",
                    queryset=StoryByline.objects.select_related("byline").order_by("position"),
                )
            )
        )

    @admin.display(boolean=True, description="public")
    def is_public(self, story: Story) -> bool:
        return story.is_public

    @admin.display(description="bylines")
    def byline_names(self, story: Story) -> str:
        return ", ".join(credit.byline.name for credit in story.story_bylines.all())

    @admin.display(description="preview")
    def lead_image_preview(self, story: Story) -> str:
        if not story.lead_image:
            return "No image yet."
        return format_html(
            '<img src="{}" alt="{}" width="240" style="height:auto">',
            story.lead_image_thumbnail.url,
            story.lead_image_alt,
        )

    def save_model(self, request, obj: Story, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if form.cleaned_data.get("material_change"):
            obj.materially_updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "is_active", "story_count"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, section: Section) -> int:
        return section.story_count


@admin.register(Byline)
class BylineAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role_line", "user", "story_count"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name", "role_line"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["photo_preview", "recent_stories"]
    fields = [
        "name", "slug", "kind", "role_line", "bio", "photo", "photo_preview", "email", "user",
        "recent_stories",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("story_credits"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, byline: Byline) -> int:
        return byline.story_count

    @admin.display(description="preview")
    def photo_preview(self, byline: Byline) -> str:
        if not byline.photo:
            return "No photo yet."
        return format_html(
            '<img src="{}" alt="{}" width="80" height="80">', byline.photo_thumbnail.url, byline
        )

    @admin.display(description="recent stories")
    def recent_stories(self, byline: Byline) -> str:
        if byline.pk is None:
            return "—"
        stories = Story.objects.filter(story_bylines__byline=byline).distinct()[:10]
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (
                    reverse("admin:articles_story_change", args=[story.pk]),
                    story.headline,
                    story.get_status_display(),
                )
                for story in stories
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "None yet."
