"""The desk's own screens around a story: workflow steps, notes, previews, share links,
revisions, and the bulk steps of the story list.

Every step goes through the story's own model method (which checks the permission and
the state on the server); the buttons, their forms and the messages come from the
table in `articles.workflow`, so nothing here knows one step from another.
"""

from __future__ import annotations

import reversion
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles import workflow
from articles.models import (
    Autosave,
    EditLock,
    PreviewLink,
    Story,
    WorkflowError,
    WorkflowPermissionError,
)
from articles.revisions import compare, snapshot, story_versions
from articles.views.previews import render_preview

from .forms import StepForm


def pluralize_story(count: int) -> str:
    return "story" if count == 1 else "stories"


def take_step(story: Story, form: StepForm, user):
    """Take the step `form` was filled in for, through the story's model method."""
    return getattr(story, form.step.method)(by=user, **form.step_arguments())


class StoryDeskMixin:
    """The desk's screens, mixed into StoryAdmin."""

    def workflow_context(self, request, story: Story) -> dict:
        default_time = timezone.localtime(story.published_at or timezone.now())
        links = list(story.preview_links.select_related("created_by")[:10])
        # Someone who may edit the story takes a step with the change form, so the step
        # saves what they typed first; anyone else takes it on its own.
        in_story_form = story.can_edit(request.user)
        return {
            "steps_in_story_form": in_story_form,
            "workflow_actions": [
                StepForm(
                    step,
                    initial_time=default_time.replace(second=0, microsecond=0),
                    in_story_form=in_story_form,
                )
                for step in workflow.open_steps(story, request.user)
            ],
            # Shown until the story is live: what publication still needs.
            "checklist": [] if story.is_public else story.publication_checklist(),
            "timeline": story.log_entries.select_related("by")[:50],
            "preview_links": links,
            "revocable_links": [link for link in links if link.may_revoke(request.user)],
            "can_share_preview": request.user.has_perm("articles.add_previewlink"),
            "story_obj": story,
        }

    def autosave_context(self, request, story: Story | None) -> dict:
        """The autosave endpoints for the page's script, and an autosave to offer back."""
        offered = Autosave.offered(story=story, user=request.user)
        if offered is not None and request.GET.get("restore") == "autosave":
            messages.info(
                request,
                "Restored what you typed, as it was autosaved at "
                f"{date_format(timezone.localtime(offered.saved_at), 'H:i')}. "
                "It is not saved until you save the story.",
            )
            offered = None
        key = story.pk if story is not None else "new"
        return {
            "autosave_offered": offered,
            "autosave_url": reverse("admin:articles_story_autosave", args=[key]),
            "unlock_url": reverse("admin:articles_story_unlock", args=[story.pk])
            if story is not None
            else "",
        }

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<str:key>/autosave/", wrap(self.autosave_view),
                 name="articles_story_autosave"),
            path("<int:pk>/unlock/", wrap(self.unlock_view), name="articles_story_unlock"),
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

    # Autosave and the edit lock, kept up by the open page (static/js/desk.js).

    @method_decorator(require_POST)
    def autosave_view(self, request, key: str):
        """Keep what the editor typed; renew their edit lock while the page is open."""
        if key == "new":
            if not self.has_add_permission(request):
                raise PermissionDenied
            story = None
        else:
            if not key.isascii() or not key.isdecimal():
                raise Http404("No such story.")
            story = get_object_or_404(Story, pk=int(key))
            if not story.can_edit(request.user):
                raise PermissionDenied
        if request.POST.get("heartbeat"):
            other = EditLock.take(story, request.user) if story is not None else None
            return JsonResponse({"also_editing": str(other.user) if other else None})
        fields = {
            name: request.POST.getlist(name)
            for name in request.POST
            if name not in {"csrfmiddlewaretoken", "heartbeat"} and not name.startswith("step-")
        }
        if request.POST.get("discard"):
            Autosave.objects.filter(story=story, user=request.user).delete()
            messages.success(request, "Autosaved work discarded.")
            if story is None:
                return redirect(reverse("admin:articles_story_add"))
            return self._back_to(story)
        autosave = Autosave.keep(story=story, user=request.user, data=fields)
        lock_holder = None
        if story is not None:
            other = EditLock.take(story, request.user)
            lock_holder = str(other.user) if other else None
        return JsonResponse(
            {
                "saved_at": timezone.localtime(autosave.saved_at).isoformat(),
                "saved_at_label": date_format(timezone.localtime(autosave.saved_at), "H:i:s"),
                "also_editing": lock_holder,
            }
        )

    @method_decorator(require_POST)
    def unlock_view(self, request, pk: int):
        """The editor left the page: let others know the story is free."""
        story = get_object_or_404(Story, pk=pk)
        EditLock.release(story, request.user)
        return JsonResponse({"released": True})

    # One step on one story.

    def step_after_save(self, request, story: Story):
        """The step whose button was pressed on the change form, now that its edits are
        saved (StoryAdmin.response_change). Refused, it says why; the edits stay saved."""
        return self._step(
            request, story, request.POST.get("_step", ""), in_story_form=True,
            refused="Your edits are saved, but nothing else changed:", done="saved and",
        )  # fmt: skip

    @method_decorator(require_POST)
    def workflow_view(self, request, pk: int, action: str):
        """One step on its own (a user who may take it but not edit the story)."""
        story = self._story_or_404(request, pk)
        return self._step(request, story, action, refused="Nothing changed:", done="")

    def _step(self, request, story: Story, name: str, *, refused: str, done: str, **form_kw):
        step = workflow.BY_NAME.get(name)
        form = StepForm(step, request.POST, **form_kw) if step and step.is_offered else None
        if form is None or not form.is_valid():
            problems = " ".join(m for e in (form.errors.values() if form else []) for m in e)
            messages.error(request, f"{refused} {problems or 'that step was not understood.'}")
            return self._back_to(story)
        try:
            take_step(story, form, request.user)
        except WorkflowPermissionError:
            raise
        except WorkflowError as error:
            messages.error(request, f"{refused} {error}")
            return self._back_to(story)
        # The step is taken: the editor is done with the story for now.
        EditLock.release(story, request.user)
        messages.success(request, " ".join(filter(None, [f"“{story}”:", done, step.done])))
        return self._back_to(story)

    @method_decorator(require_POST)
    def note_view(self, request, pk: int):
        story = self._story_or_404(request, pk)
        try:
            story.add_note(by=request.user, text=request.POST.get("note", ""))
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Note added to the timeline.")
        return self._back_to(story)

    # Previews and share links.

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
        link = get_object_or_404(PreviewLink, story=story, pk=link_id)
        if not link.may_revoke(request.user):
            raise PermissionDenied
        link.revoke()
        messages.success(request, "Preview link revoked: it now gives “not found”.")
        return self._back_to(story)

    # Revisions.

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

    def restore_view(self, request, pk: int, version_id: int):
        """GET asks first, showing what the restore would change; POST restores."""
        story = self._story_or_404(request, pk)
        version = get_object_or_404(story_versions(story), pk=version_id)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "story": story,
                "version": version,
                "changes": compare(story, snapshot(version)),
                "can_restore": story.can_edit(request.user),
                "title": f"Restore an earlier revision of “{story}”?",
            }
            return TemplateResponse(request, "admin/articles/story/restore.html", context)
        try:
            story.restore(version, by=request.user)
        except WorkflowPermissionError:
            raise
        except WorkflowError as error:
            messages.error(request, f"Not restored: {error}")
        else:
            messages.success(request, "Revision restored as a new revision; nothing was lost.")
        return self._back_to(story)

    # Bulk steps, story by story through the same model methods.

    @admin.action(permissions=["publish"], description="Publish selected stories now")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish", note="")

    @admin.action(permissions=["publish"], description="Unpublish selected stories…")
    def unpublish_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" not in request.POST or not reason:
            if "apply" in request.POST:
                messages.error(request, workflow.step("unpublish").note_missing)
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "stories": queryset,
                "title": "Unpublish stories",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/articles/story/unpublish.html", context)
        self._bulk(request, queryset, "unpublish", note=reason)
        return None

    def _bulk(self, request, queryset, name: str, **arguments) -> None:
        step = workflow.step(name)
        done, refused = 0, []
        for story in queryset:
            try:
                getattr(story, step.method)(by=request.user, **arguments)
                done += 1
            except WorkflowError as error:
                refused.append(f"“{story}”: {error}")
        if done:
            self.message_user(
                request, f"{done} {pluralize_story(done)} {step.past_tense}.", messages.SUCCESS
            )
        for line in refused:
            self.message_user(request, f"Not {step.past_tense}: {line}", messages.WARNING)
