"""The story desk: the list, the form and its fieldsets, declared.

The desk's own screens (workflow steps, previews, share links, revisions, bulk steps)
are in `desk.py`, the trash in `trash.py`; the filters and forms beside them.
"""

from __future__ import annotations

import re

import reversion
from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from csp.constants import UNSAFE_INLINE
from django.contrib import admin, messages
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from js_asset import Media

from articles import workflow
from articles.models import Autosave, EditLock, Story, StoryByline
from articles.revisions import story_versions
from articles.search import SEARCH_CONFIG, story_search_vector

from .body_images import body_image_urls
from .desk import StoryDeskMixin
from .filters import DeskFilter, VisibilityFilter
from .forms import StoryAdminForm
from .trash import StoryTrashMixin, TrashFilter, trash_label


class StoryBylineInline(SortableTabularInline):
    """Bylines in the order readers see them: drag to reorder; a new one goes last."""

    model = StoryByline
    extra = 1
    autocomplete_fields = ["byline"]
    fields = ["role", "byline", "position"]
    ordering = ["position", "pk"]
    verbose_name = "byline"
    verbose_name_plural = "Bylines (in the order readers see them)"


@admin.register(Story)
class StoryAdmin(StoryTrashMixin, StoryDeskMixin, SortableAdminBase, admin.ModelAdmin):
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
        TrashFilter, DeskFilter, VisibilityFilter, "status", "section", "kind", "bylines",
        "is_featured",
    ]  # fmt: skip
    list_select_related = ["section", "assigned_to"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "secondary_sections", "assigned_to", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [StoryBylineInline]
    list_per_page = 50
    # One count per page view, not two: the total is the filter's business.
    show_full_result_count = False
    save_on_top = True
    actions = [
        "publish_selected", "unpublish_selected", "trash_selected", "restore_selected",
        "delete_for_good",
    ]  # fmt: skip
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
                    "lead_image_upload",
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class per request: the check of new tags knows who is saving, and an
        # autosave the editor asked for fills the form.
        restored = None
        if request.method == "GET" and request.GET.get("restore") == "autosave":
            restored = Autosave.offered(story=obj, user=request.user)
        return type(form.__name__, (form,), {"user": request.user, "restored": restored})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # Django reads a new story's initial values from the query string; "restore" is
        # this desk's own word, not a field.
        initial.pop("restore", None)
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.autosave_context(request, None)}
        return super().add_view(request, form_url, extra_context)

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
        if story.status == Story.Status.TRASHED and story.trashed_at:
            return trash_label(story)
        return story.get_status_display()

    @admin.display(description="bylines")
    def byline_names(self, story: Story) -> str:
        return ", ".join(credit.byline.name for credit in story.story_bylines.all())

    @admin.display(description="preview")
    def lead_image_preview(self, story: Story) -> str:
        if not story.lead_image_id:
            return "No image yet."
        if not story.teaser_image_url:
            return "The image file is missing or damaged: upload it again."
        return format_html(
            '<img src="{}" alt="{}" width="240" style="height:auto">',
            story.teaser_image_url,
            story.image_alt,
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor's import map is an inline script: it runs under the
        # Content-Security-Policy by this request's nonce (settings: script-src). The
        # editor (ProseMirror) also sets style attributes from its script, which CSP can
        # only allow as inline styles: on this form alone, never on public pages.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        context["body_images"] = body_image_urls(request.user)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response

    # Saving: a revision per save, the author recorded, the edit lock released.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Saved in the admin")
            response = super().changeform_view(request, object_id, form_url, extra_context)
        self.explain_refused_save(request, response)
        return response

    def explain_refused_save(self, request, response) -> None:
        """A refused save says why at the top of the page, where the editor is looking."""
        form = getattr(response, "context_data", {}).get("adminform")
        if request.method != "POST" or form is None or not form.form.errors:
            return
        for error in form.form.non_field_errors():
            messages.error(request, error)
        step = workflow.BY_NAME.get(request.POST.get("_step", ""))
        if step is not None:
            messages.error(
                request,
                f"Not {step.past_tense}: the story could not be saved. Fix what is marked "
                "below; everything you typed is still in the form.",
            )

    def save_model(self, request, obj: Story, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if change and form.cleaned_data.get("material_change") and obj.is_public:
            obj.materially_updated_at = timezone.now()
        uploaded = form.uploaded_lead_image(request.user)
        if uploaded is not None:
            obj.lead_image = uploaded
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        EditLock.release(obj, request.user)
        Autosave.objects.filter(story=obj, user=request.user).delete()
        if "_step" in request.POST:
            # The edits are saved; now the step the editor pressed (desk.py).
            return self.step_after_save(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        Autosave.objects.filter(story=None, user=request.user).delete()
        return super().response_add(request, obj, post_url_continue)

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
            if request.method == "GET" and story.status == Story.Status.TRASHED:
                messages.warning(
                    request,
                    f"{trash_label(story)}: no reader can see it. “Restore from the trash” "
                    "brings it back as a draft.",
                )
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
            extra_context.update(self.autosave_context(request, story))
        return super().change_view(request, object_id, form_url, extra_context)
