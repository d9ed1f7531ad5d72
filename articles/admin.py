"""The desk: where staff write, place and publish stories."""

from __future__ import annotations

import re

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from .models import (
    Byline,
    Correction,
    EditLock,
    PreviewLink,
    Section,
    Story,
    StoryByline,
    StoryRedirect,
    WorkflowError,
    WorkflowPermissionError,
    WorkflowStateError,
)
from .revisions import compare, restore, snapshot, story_versions, version_with_edit_version
from .search import SEARCH_CONFIG, story_search_vector
from .views import render_preview


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
            return queryset.exclude(pk__in=Story.objects.published().values("pk")).exclude(
                pk__in=Story.objects.scheduled().values("pk")
            )
        return queryset


class DeskFilter(admin.SimpleListFilter):
    """The desk's everyday views of the story list."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Mine"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("assigned", "Assigned to me"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.filter(created_by=request.user)
            case "review":
                return queryset.filter(status=Story.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "assigned":
                return queryset.filter(assigned_to=request.user)
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
    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A link typed without a scheme is taken as https (Django 6's default).
    source_url = forms.URLField(label="Source link", required=False, assume_scheme="https")

    class Meta:
        model = Story
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        story = self.instance
        if story.pk:
            # Lock the row until this save commits, so two saves cannot both pass the check.
            current = Story.objects.select_for_update().get(pk=story.pk)
            loaded = cleaned.get("loaded_version")
            if loaded is not None and loaded != current.edit_version:
                raise forms.ValidationError(stale_edit_message(current, loaded))
        return cleaned


def stale_edit_message(current: Story, loaded_version: int) -> str:
    """Explain a refused save: who saved since the form was opened, and what they changed."""
    latest = story_versions(current).first()
    who = latest.revision.user if latest and latest.revision.user else "someone"
    when = timezone.localtime(latest.revision.date_created if latest else current.updated_at)
    loaded = version_with_edit_version(current, loaded_version)
    changes = compare(snapshot(loaded), current) if loaded else []
    changed = "; ".join(
        f"{change.label}: “{Truncator(change.new).chars(80)}”" for change in changes
    )
    return (
        f"Not saved: {who} saved this story at {when:%H:%M on %B %-d}, after you opened it. "
        + (f"They changed {changed}. " if changed else "")
        + "Copy your changes, reload the story, and apply them again."
    )


class WorkflowForm(forms.Form):
    """The note and time that go with a workflow step."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    at = forms.DateTimeField(
        required=False,
        label="Publication time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


WORKFLOW_BUTTONS = {
    "submit": ("Submit for review", "Send the draft to the editors."),
    "request_changes": ("Send back with a note", "Return it to Draft; say what to change."),
    "publish": ("Publish now", "It goes live immediately."),
    "schedule": ("Schedule", "It goes live at the time you set, by itself."),
    "unpublish": ("Unpublish", "Take it off every public page; give a reason."),
    "correct": ("Add a correction", "A public note on the live story."),
}


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryAdminForm
    change_form_template = "admin/articles/story/change_form.html"
    list_display = [
        "headline",
        "section",
        "status_label",
        "is_public",
        "published_at",
        "byline_names",
        "assigned_to",
    ]
    list_filter = [
        DeskFilter, VisibilityFilter, "status", "section", "kind", "bylines", "is_featured",
    ]  # fmt: skip
    list_select_related = ["section", "assigned_to"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "secondary_sections", "assigned_to"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [StoryBylineInline]
    list_per_page = 50
    # One count per page view, not two: the total is the filter's business.
    show_full_result_count = False
    save_on_top = True
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        ("Placement", {"fields": ["section", "secondary_sections", "kind", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "embargo_until",
                    "is_featured",
                    "assigned_to",
                    "material_change",
                    "materially_updated_at",
                    "loaded_version",
                ],
                "description": (
                    "Status and publication time change only through the workflow buttons "
                    "above: submit, send back, publish, schedule, unpublish."
                ),
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

    # Permissions, checked on the server for every request.

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_edit(request.user)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_story")

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "status", "published_at", "materially_updated_at", "lead_image_preview",
            "created_at", "updated_at", "created_by",
        ]  # fmt: skip
        if not request.user.has_perm("articles.publish_story"):
            readonly += ["embargo_until", "assigned_to", "is_featured"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_public:
            # "Material change" only means something for a story readers can already see.
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "material_change"]})
                for name, opts in fieldsets
            ]
        return fieldsets

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

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL, search with the full-text index, not a LIKE scan over bodies.

        Words match as prefixes, so a half-typed word still finds its story.
        """
        words = re.findall(r"\w+", search_term)
        if not words or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        # Every word, each as a prefix ("marath" finds "marathon"), through the index.
        prefixes = SearchQuery(
            " & ".join(f"{word}:*" for word in words[:8]), search_type="raw", config=SEARCH_CONFIG
        )
        return queryset.alias(document=story_search_vector()).filter(document=prefixes), False

    # List columns.

    @admin.display(boolean=True, description="public")
    def is_public(self, story: Story) -> bool:
        return story.is_public

    @admin.display(description="status", ordering="status")
    def status_label(self, story: Story) -> str:
        if story.is_scheduled:
            return format_html(
                '<strong class="status-scheduled">Scheduled</strong><br>for {}',
                date_format(timezone.localtime(story.published_at), "M j, Y, H:i"),
            )
        if story.is_embargoed:
            return format_html('<span class="status-embargoed">{}</span>', "Embargoed")
        return story.get_status_display()

    @admin.display(description="bylines")
    def byline_names(self, story: Story) -> str:
        return ", ".join(credit.byline.name for credit in story.story_bylines.all())

    @admin.display(description="preview")
    def lead_image_preview(self, story: Story) -> str:
        # An upload not saved yet (the form was refused) may be damaged or huge: never
        # render a thumbnail of it.
        if not story.lead_image or not story.lead_image._committed:
            return "No image yet."
        if not story.teaser_image_url:
            return "The image file is missing or damaged: upload it again."
        return format_html(
            '<img src="{}" alt="{}" width="240" style="height:auto">',
            story.teaser_image_url,
            story.lead_image_alt,
        )

    # Saving: a revision per save, the author recorded, the edit lock released.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Saved in the admin")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj: Story, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if change and form.cleaned_data.get("material_change") and obj.is_public:
            obj.materially_updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        EditLock.release(obj, request.user)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if story is not None:
            if request.method == "GET" and not story_versions(story).exists():
                # A story saved outside the admin (shell, import) gets a baseline revision,
                # so the first edit can be compared, diffed and undone.
                with reversion.create_revision():
                    reversion.set_comment("Baseline revision (first opened in the admin)")
                    reversion.add_to_revision(story)
            if request.method == "GET" and story.can_edit(request.user):
                other = EditLock.take(story, request.user)
                if other is not None:
                    messages.warning(
                        request,
                        f"Being edited by {other.user} since "
                        f"{date_format(timezone.localtime(other.since), 'H:i')}. "
                        "If you both save, the second save will be refused.",
                    )
            extra_context.update(self.workflow_context(request, story))
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, story: Story) -> dict:
        actions = story.allowed_actions(request.user)
        default_time = timezone.localtime(story.published_at or timezone.now())
        return {
            "workflow_actions": [
                {"name": name, "label": label, "help": help_text}
                for name in dict.fromkeys(actions)
                for label, help_text in [WORKFLOW_BUTTONS[name]]
            ],
            "workflow_default_time": default_time.strftime("%Y-%m-%dT%H:%M"),
            "correction_kinds": Correction.Kind.choices,
            "timeline": story.log_entries.select_related("by")[:50],
            "preview_links": story.preview_links.select_related("created_by")[:10],
            "can_share_preview": request.user.has_perm("articles.add_previewlink"),
            "story_obj": story,
        }

    # Workflow screens.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<str:action>/", wrap(self.workflow_view),
                 name="articles_story_workflow"),
            path("<int:pk>/note/", wrap(self.note_view), name="articles_story_note"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="articles_story_preview"),
            path("<int:pk>/share/", wrap(self.share_view), name="articles_story_share"),
            path("<int:pk>/share/<int:link_id>/revoke/", wrap(self.revoke_view),
                 name="articles_story_revoke"),
            path("<int:pk>/revisions/", wrap(self.revisions_view),
                 name="articles_story_revisions"),
            path("<int:pk>/revisions/<int:version_id>/restore/", wrap(self.restore_view),
                 name="articles_story_restore"),
        ] + super().get_urls()  # fmt: skip

    def _story_or_404(self, request, pk: int) -> Story:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Story, pk=pk)

    def _back_to(self, story: Story):
        return redirect(reverse("admin:articles_story_change", args=[story.pk]))

    @method_decorator(require_POST)
    def workflow_view(self, request, pk: int, action: str):
        story = self._story_or_404(request, pk)
        form = WorkflowForm(request.POST)
        if action not in WORKFLOW_BUTTONS or not form.is_valid():
            messages.error(request, "That workflow step was not understood; nothing changed.")
            return self._back_to(story)
        note, at = form.cleaned_data["note"], form.cleaned_data["at"]
        try:
            match action:
                case "submit":
                    story.submit(by=request.user, note=note)
                case "request_changes":
                    story.request_changes(by=request.user, note=note)
                case "publish":
                    story.publish(by=request.user, note=note)
                case "schedule":
                    if at is None:
                        raise WorkflowStateError("Choose the time it should go live.")
                    story.publish(by=request.user, at=at, note=note)
                case "unpublish":
                    story.unpublish(by=request.user, reason=note)
                case "correct":
                    story.correct(
                        by=request.user,
                        kind=request.POST.get("kind", Correction.Kind.CORRECTION),
                        text=note,
                        material=bool(request.POST.get("material")),
                    )
        except WorkflowPermissionError:
            raise
        except WorkflowError as error:
            messages.error(request, f"Nothing changed: {error}")
            return self._back_to(story)
        story.refresh_from_db()
        messages.success(request, f"“{story}”: {WORKFLOW_DONE[action]}")
        return self._back_to(story)

    @method_decorator(require_POST)
    def note_view(self, request, pk: int):
        story = self._story_or_404(request, pk)
        try:
            story.add_note(by=request.user, text=request.POST.get("note", ""))
        except WorkflowStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Note added to the timeline.")
        return self._back_to(story)

    def preview_view(self, request, pk: int):
        story = self._story_or_404(request, pk)
        story = Story.objects.for_teasers().prefetch_related("tags").get(pk=story.pk)
        return render_preview(request, story)

    @method_decorator(require_POST)
    def share_view(self, request, pk: int):
        story = self._story_or_404(request, pk)
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        version = story_versions(story).first()
        if version is None:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.add_to_revision(story)
            version = story_versions(story).first()
        link = PreviewLink.objects.create(story=story, version=version, created_by=request.user)
        url = request.build_absolute_uri(link.get_absolute_url())
        messages.success(
            request,
            format_html(
                "Share preview link (works until {}): <a href='{}'>{}</a>",
                date_format(timezone.localtime(link.expires_at), "M j, H:i"),
                url,
                url,
            ),
        )
        return self._back_to(story)

    @method_decorator(require_POST)
    def revoke_view(self, request, pk: int, link_id: int):
        story = self._story_or_404(request, pk)
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        PreviewLink.objects.filter(story=story, pk=link_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        messages.success(request, "Preview link revoked: it now gives “not found”.")
        return self._back_to(story)

    def revisions_view(self, request, pk: int):
        story = self._story_or_404(request, pk)
        versions = list(story_versions(story))
        by_id = {version.pk: version for version in versions}
        changes = None
        old_id, new_id = request.GET.get("a"), request.GET.get("b")
        if old_id and new_id:
            try:
                old, new = by_id[int(old_id)], by_id[int(new_id)]
            except (KeyError, ValueError):
                raise Http404("No such revision of this story.") from None
            changes = compare(snapshot(old), snapshot(new))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "story": story,
            "versions": versions,
            "changes": changes,
            "selected": (old_id, new_id),
            "can_restore": story.can_edit(request.user),
            "title": f"Revisions of “{story}”",
        }
        return TemplateResponse(request, "admin/articles/story/revisions.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, pk: int, version_id: int):
        story = self._story_or_404(request, pk)
        if not story.can_edit(request.user):
            raise PermissionDenied
        version = get_object_or_404(story_versions(story), pk=version_id)
        restore(story, version, by=request.user)
        messages.success(request, "Revision restored as a new revision; nothing was lost.")
        return self._back_to(story)

    # Bulk actions go through the same model methods, story by story.

    @admin.action(permissions=["publish"], description="Publish selected stories now")
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for story in queryset:
            try:
                story.publish(by=request.user)
                done += 1
            except WorkflowError as error:
                refused.append(f"“{story}”: {error}")
        self.report_bulk(request, done, "published", refused)

    @admin.action(permissions=["publish"], description="Unpublish selected stories…")
    def unpublish_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" not in request.POST or not reason:
            if "apply" in request.POST:
                messages.error(request, "Give a reason for unpublishing.")
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "stories": queryset,
                "title": "Unpublish stories",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/articles/story/unpublish.html", context)
        done, refused = 0, []
        for story in queryset:
            try:
                story.unpublish(by=request.user, reason=reason)
                done += 1
            except WorkflowError as error:
                refused.append(f"“{story}”: {error}")
        self.report_bulk(request, done, "unpublished", refused)
        return None

    def report_bulk(self, request, done: int, verb: str, refused: list[str]) -> None:
        if done:
            self.message_user(request, f"{done} {pluralize_story(done)} {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not {verb}: {line}", messages.WARNING)


WORKFLOW_DONE = {
    "submit": "submitted for review.",
    "request_changes": "sent back to Draft with your note.",
    "publish": "published.",
    "schedule": "scheduled.",
    "unpublish": "unpublished; it has left every public page.",
    "correct": "correction published on the story.",
}


def pluralize_story(count: int) -> str:
    return "story" if count == 1 else "stories"


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
