"""The home page on the desk: layouts to arrange, preview, publish, schedule and copy.

A layout is arranged in one form: the lead and the top stories (drag to order; each
may expire), the section blocks (drag to order; how many stories each), an alert banner.
"Save" keeps a draft; "Publish now" or a time in "goes live at" hands it to readers. A
layout readers have had is shown read-only, with "Copy to a new draft": that is how an
earlier front comes back.
"""

from __future__ import annotations

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from articles.workflow import validate_within_horizon

from .arranging import snapshot
from .models import Front, Pin, SectionBlock
from .views import preview

CHANGE = "fronts.change_front"


class PinFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        leads, seen = 0, set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("story"):
                continue
            leads += data.get("slot") == Pin.Slot.LEAD
            if data["story"].pk in seen:
                raise forms.ValidationError(f"“{data['story']}” is pinned twice.")
            seen.add(data["story"].pk)
            validate_within_horizon(data.get("until"))
        if leads > 1:
            raise forms.ValidationError("Pin one lead story: the front has one lead.")


class PinInline(SortableTabularInline):
    model = Pin
    formset = PinFormSet
    fields = ["slot", "story", "until"]
    autocomplete_fields = ["story"]
    extra = 1
    verbose_name_plural = (
        "Lead and top stories (drag to order; an expired or unpublished one gives its "
        "slot to the newest story)"
    )


class SectionBlockInline(SortableTabularInline):
    model = SectionBlock
    fields = ["section", "stories"]
    autocomplete_fields = ["section"]
    extra = 1
    verbose_name_plural = "Section blocks (drag to order; none: every section, in section order)"


class FrontForm(forms.ModelForm):
    alert_link = forms.URLField(label="Alert link", required=False, assume_scheme="https")

    class Meta:
        model = Front
        fields = ["note", "goes_live_at", "alert_text", "alert_link", "alert_until"]

    def clean_goes_live_at(self):
        moment = self.cleaned_data.get("goes_live_at")
        validate_within_horizon(moment)
        # Going live now is "Publish now"; a time already past would rewrite history.
        if moment is not None and moment <= timezone.now() and "goes_live_at" in self.changed_data:
            raise forms.ValidationError(
                "That time has passed: press “Publish now”, or choose a time ahead."
            )
        return moment

    def clean_alert_until(self):
        moment = self.cleaned_data.get("alert_until")
        validate_within_horizon(moment)
        return moment


@admin.register(Front)
class FrontAdmin(SortableAdminBase, admin.ModelAdmin):
    form = FrontForm
    change_form_template = "admin/fronts/front/change_form.html"
    inlines = [PinInline, SectionBlockInline]
    list_display = ["__str__", "status_label", "goes_live_at", "created_by", "published_by"]
    list_select_related = ["created_by", "published_by"]
    fieldsets = [
        (None, {"fields": ["note", "goes_live_at"]}),
        ("Alert banner", {"fields": ["alert_text", "alert_link", "alert_until"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_live_flag()

    @admin.display(description="status")
    def status_label(self, front: Front) -> str:
        status = front.status()
        if status == Front.Status.SCHEDULED:
            return (
                f"Scheduled for {date_format(timezone.localtime(front.goes_live_at), 'M j, H:i')}"
            )
        return status.label

    # Only what readers have not had yet changes.

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj: Front, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if "_publish_now" in request.POST:
            obj.goes_live_at, obj.published_by = timezone.now(), request.user
        elif "goes_live_at" in form.changed_data and obj.goes_live_at:
            obj.published_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        front = form.instance
        front.arrangement = snapshot(front)
        front.save(update_fields=["arrangement"])

    def response_add(self, request, obj, post_url_continue=None):
        self.say_what_readers_get(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.say_what_readers_get(request, obj)
        return super().response_change(request, obj)

    def say_what_readers_get(self, request, front: Front) -> None:
        status = front.status()
        if status == Front.Status.LIVE:
            messages.success(request, f"“{front}” is the home page now.")
        elif status == Front.Status.SCHEDULED:
            when = date_format(timezone.localtime(front.goes_live_at), "F j, H:i")
            messages.info(request, f"“{front}” becomes the home page on {when}, by itself.")

    # Preview and copy.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(preview), name="fronts_front_preview"),
            path("<int:pk>/copy/", wrap(self.copy_view), name="fronts_front_copy"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_copy": request.user.has_perm(CHANGE)}
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def copy_view(self, request, pk: int):
        if not (request.user.has_perm("fronts.add_front") and request.user.has_perm(CHANGE)):
            raise PermissionDenied
        original = get_object_or_404(Front, pk=pk)
        copy = Front.objects.create(
            note=f"Copy of {original}"[:200], alert_text=original.alert_text,
            alert_link=original.alert_link, alert_until=original.alert_until,
            created_by=request.user,
        )  # fmt: skip
        for pin in original.pins.all():
            Pin.objects.create(front=copy, slot=pin.slot, story_id=pin.story_id,
                               until=pin.until, position=pin.position)  # fmt: skip
        for block in original.section_blocks.all():
            SectionBlock.objects.create(front=copy, section_id=block.section_id,
                                        stories=block.stories, position=block.position)  # fmt: skip
        copy.arrangement = snapshot(copy)
        copy.save(update_fields=["arrangement"])
        messages.success(
            request, f"A new draft copied from “{original}”: arrange it, then publish."
        )
        return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[copy.pk]))
