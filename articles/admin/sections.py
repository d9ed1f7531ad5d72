"""The desk's other shelves: sections, bylines, corrections and old addresses."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import Byline, Correction, Section, Story, StoryRedirect


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "is_active", "story_count"]
    # Explicit: the story-count annotation (GROUP BY) makes Django drop Meta.ordering, and
    # the autocomplete on the story form would list sections in no particular order.
    ordering = ["position", "name"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        # Aggregation drops Meta.ordering, so restate it for stable pagination.
        return (
            super()
            .get_queryset(request)
            .annotate(story_count=Count("stories"))
            .order_by("position", "name")
        )

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, section: Section) -> int:
        return section.story_count


@admin.register(Byline)
class BylineAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role_line", "user", "story_count"]
    ordering = ["name"]  # see SectionAdmin.ordering
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
        return (
            super()
            .get_queryset(request)
            .annotate(story_count=Count("story_credits"))
            .order_by("name")
        )

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, byline: Byline) -> int:
        return byline.story_count

    @admin.display(description="preview")
    def photo_preview(self, byline: Byline) -> str:
        if not byline.photo or not byline.photo._committed:
            return "No photo yet."
        if not byline.photo_url:
            return "The photo file is missing or damaged: upload it again."
        return format_html(
            '<img src="{}" alt="{}" width="80" height="80">', byline.photo_url, byline
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


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are added from the story page (workflow); here they can be reviewed."""

    list_display = ["story", "kind", "is_material", "created_at", "created_by"]
    list_filter = ["kind", "is_material"]
    list_select_related = ["story", "created_by"]
    search_fields = ["text", "story__headline"]
    readonly_fields = ["story", "created_at", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(StoryRedirect)
class StoryRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "story", "created_at"]
    search_fields = ["old_path", "story__headline"]
    autocomplete_fields = ["story"]
    list_select_related = ["story"]
