"""The desk's other shelves: sections, bylines, corrections and old addresses."""

from __future__ import annotations

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import (
    Byline,
    Correction,
    Section,
    SectionPin,
    Story,
    StoryRedirect,
    remember_pins,
)
from articles.tidying import TidyingError, fold_section
from articles.workflow import validate_within_horizon


class SectionPinForm(forms.ModelForm):
    class Meta:
        model = SectionPin
        fields = ["story", "until"]

    def clean_until(self):
        until = self.cleaned_data.get("until")
        validate_within_horizon(until)
        return until

    def clean(self):
        cleaned = super().clean()
        story, section = cleaned.get("story"), self.instance.section_id and self.instance.section
        if (
            story is not None
            and section
            and not Story.objects.in_section(section).filter(pk=story.pk).exists()
        ):
            raise forms.ValidationError(
                f"“{story}” is not in this section: file it here (or as a secondary section) first."
            )
        return cleaned


class SectionPinInline(SortableTabularInline):
    model = SectionPin
    form = SectionPinForm
    fields = ["story", "until"]
    autocomplete_fields = ["story"]
    extra = 1
    verbose_name_plural = (
        "Pinned stories (above the newest-first list, in this order; an expired or "
        "unpublished one takes its place by date again)"
    )


class FoldForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Section.objects.filter(is_active=True), label="Fold into",
        help_text="Its stories move here; its pages and feeds redirect here.",
    )  # fmt: skip
    keep_as_secondary = forms.BooleanField(
        required=False, initial=True,
        label="Keep the old section on each story as a secondary section",
        help_text="Then making the old section active again unfolds it.",
    )  # fmt: skip


@admin.register(Section)
class SectionAdmin(SortableAdminBase, admin.ModelAdmin):
    inlines = [SectionPinInline]
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
    actions = ["fold_selected"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        remember_pins(form.instance)

    @admin.action(description="Fold the selected section into another…", permissions=["change"])
    def fold_selected(self, request, queryset):
        sections = list(queryset)
        form = FoldForm(request.POST if "apply" in request.POST else None)
        form.fields["into"].queryset = Section.objects.filter(is_active=True).exclude(
            pk__in=[section.pk for section in sections]
        )
        if form.is_valid():
            for section in sections:
                try:
                    moved = fold_section(
                        section, form.cleaned_data["into"],
                        keep_as_secondary=form.cleaned_data["keep_as_secondary"],
                        by=request.user,
                    )  # fmt: skip
                except TidyingError as error:
                    self.message_user(request, f"“{section}” not folded: {error}", messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"“{section}” folded into “{form.cleaned_data['into']}”: {moved} "
                        f"{'story' if moved == 1 else 'stories'} moved; its pages redirect.",
                        messages.SUCCESS,
                    )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Fold sections",
            "sections": [(s, Story.objects.filter(section=s).count()) for s in sections],
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/section/fold.html", context)

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
