"""The desk's newsletters: newsletters, editions (build, preview, send, schedule) and
subscribers (addresses only for those allowed to see them; export and delete)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles.distribution.seo import site_url
from articles.models import Story
from articles.workflow import validate_within_horizon

from . import editions, sending, subscriptions
from .models import Delivery, Edition, EditionStory, Newsletter, Subscriber
from .rendering import render_edition

EMAIL_PERMISSION = "newsletters.view_subscriber_email"
# A larger id overflows the database driver (a 500 on SQLite): no such row.
MAX_ID = 2**63 - 1
EXPORT_PERMISSION = "newsletters.export_subscriber"


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "section", "is_active", "position", "subscriber_count"]
    list_filter = ["kind", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    list_select_related = ["section"]

    @admin.display(description="subscribers")
    def subscriber_count(self, newsletter: Newsletter) -> int:
        return Subscriber.objects.receiving(newsletter).count()


class EditionStoryInline(admin.TabularInline):
    model = EditionStory
    extra = 1
    fields = ["story", "position"]
    autocomplete_fields = ["story"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "story":
            kwargs["queryset"] = Story.objects.listed()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the site's time zone.",
    )

    def clean_send_at(self):
        at = self.cleaned_data["send_at"]
        validate_within_horizon(at)
        if at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or use “Send now”.")
        return at


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = [
        "subject", "newsletter", "status", "send_at", "sent_at", "sent_count", "failed_count",
        "unsubscribed_count",
    ]  # fmt: skip
    list_filter = ["status", "newsletter"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # An edition that went out is the record of what readers got (and its links'
        # unsubscribes): it stays. A draft or a scheduled one may go.
        if obj is not None and obj.status not in (Edition.Status.DRAFT, Edition.Status.SCHEDULED):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        deletable = [Edition.Status.DRAFT, Edition.Status.SCHEDULED]
        kept = queryset.exclude(status__in=deletable).count()
        if kept:
            self.message_user(
                request,
                f"{kept} edition(s) already sent or being sent were kept: what went out stays.",
                messages.WARNING,
            )
        super().delete_queryset(request, queryset.filter(status__in=deletable))

    search_fields = ["subject"]
    date_hierarchy = "created_at"
    list_select_related = ["newsletter"]
    inlines = [EditionStoryInline]
    fields = ["newsletter", "subject", "intro", "status", "send_at", "counts"]
    readonly_fields = ["status", "send_at", "counts"]
    change_form_template = "admin/newsletters/edition/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return ["newsletter", "subject", "intro", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="sent", ordering="sent_count")
    def sent_count(self, edition: Edition) -> int:
        return edition.sent_count

    @admin.display(description="failed", ordering="failed_count")
    def failed_count(self, edition: Edition) -> int:
        return edition.failed_count

    @admin.display(description="unsubscribed", ordering="unsubscribed_count")
    def unsubscribed_count(self, edition: Edition) -> int:
        return edition.unsubscribed_count

    @admin.display(description="deliveries")
    def counts(self, edition: Edition) -> str:
        if edition.pk is None:
            return "—"
        return format_html(
            '<span id="edition-counts">{} sent · {} failed · {} pending · {} unsubscribed</span>',
            edition.sent_count, edition.failed_count, edition.pending_count,
            edition.unsubscribed_count,
        )  # fmt: skip

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change and editions.prefill(form.instance):
            self.message_user(
                request,
                "The edition starts with the stories the front (or its section) shows now; "
                "remove, add and order them below.",
            )

    def has_send_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(sending.SEND_PERMISSION)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_send"] = self.has_send_permission(request)
        context["schedule_form"] = ScheduleForm()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        def view(name, func):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(func),
                name=f"newsletters_edition_{name}",
            )

        return [
            view("preview", self.preview_view),
            view("preview-text", self.preview_text_view),
            view("send", self.send_view),
            view("schedule", self.schedule_view),
            view("unschedule", self.unschedule_view),
            *super().get_urls(),
        ]

    def _edition(self, request, pk: int) -> Edition:
        if pk > MAX_ID:
            raise Http404("No such edition.")
        edition = get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        return edition

    def preview_view(self, request, pk: int):
        """The e-mail as a reader gets it (the links to unsubscribe are placeholders)."""
        rendered = render_edition(self._edition(request, pk), site_url())
        response = HttpResponse(rendered.html)
        # The e-mail's own styles are inline; the desk's CSP forbids them on its pages.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
        )
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def preview_text_view(self, request, pk: int):
        rendered = render_edition(self._edition(request, pk), site_url())
        return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")

    def _back(self, edition: Edition):
        return HttpResponseRedirect(reverse("admin:newsletters_edition_change", args=[edition.pk]))

    def send_view(self, request, pk: int):
        return require_POST(self._send)(request, pk)

    def _send(self, request, pk: int):
        edition = self._edition(request, pk)
        try:
            edition.send_now(by=request.user)
        except sending.EditionStateError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, f"“{edition}” is being sent.", messages.SUCCESS)
        return self._back(edition)

    def schedule_view(self, request, pk: int):
        return require_POST(self._schedule)(request, pk)

    def _schedule(self, request, pk: int):
        edition = self._edition(request, pk)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return self._back(edition)
        try:
            edition.schedule(by=request.user, at=form.cleaned_data["send_at"])
        except sending.EditionStateError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            when = timezone.localtime(edition.send_at).strftime("%B %-d, %Y, %H:%M")
            self.message_user(request, f"“{edition}” will be sent {when}.", messages.SUCCESS)
        return self._back(edition)

    def unschedule_view(self, request, pk: int):
        return require_POST(self._unschedule)(request, pk)

    def _unschedule(self, request, pk: int):
        edition = self._edition(request, pk)
        try:
            sending.unschedule_edition(edition, by=request.user)
        except sending.EditionStateError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, f"“{edition}” is a draft again.", messages.SUCCESS)
        return self._back(edition)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "confirmed_at", "suppressed_at", "created_at"]
    list_filter = ["newsletters", ("confirmed_at", admin.EmptyFieldListFilter), "suppression"]
    date_hierarchy = "created_at"
    filter_horizontal = ["newsletters"]
    actions = ["export_data", "delete_data"]

    def sees_addresses(self, request) -> bool:
        return request.user.has_perm(EMAIL_PERMISSION)

    def get_list_display(self, request):
        # Addresses are shown only to those allowed to see them (and searched only by them).
        if self.sees_addresses(request):
            return ["__str__", "email", *self.list_display[1:]]
        return self.list_display

    def get_search_fields(self, request):
        return ["=email"] if self.sees_addresses(request) else []

    def lookup_allowed(self, lookup, value, request=None):
        # The admin accepts filters on any of a model's own fields from the address bar:
        # ?email__startswith=a would spell out every address, one letter at a time.
        if lookup.split("__")[0] == "email" and not (request and self.sees_addresses(request)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fields(self, request, obj=None):
        base = ["newsletters", "confirmed_at", "suppressed_at", "suppression", "created_at"]
        return (["email"] if self.sees_addresses(request) else []) + base

    def get_readonly_fields(self, request, obj=None):
        return ["email", "confirmed_at", "suppressed_at", "suppression", "created_at"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Delete data" deletes sign-ups too
        return actions

    def has_add_permission(self, request) -> bool:
        return False  # addresses come only from confirmed sign-ups

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    @admin.action(permissions=["export"], description="Export the selected subscribers' data")
    def export_data(self, request, queryset):
        import json

        data = [subscriptions.export_data(subscriber.email) for subscriber in queryset]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="subscribers.json"'
        return response

    @admin.action(permissions=["export"], description="Delete the selected subscribers' data")
    def delete_data(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Delete subscribers' data",
                "opts": self.model._meta,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/newsletters/subscriber/delete_data.html", context
            )
        count = 0
        for subscriber in queryset:
            subscriptions.delete_data(subscriber.email)
            count += 1
        self.message_user(request, f"Deleted the data of {count} subscriber(s).")
        return None


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["edition", "subscriber", "status", "sent_at", "unsubscribed_at"]
    list_filter = ["status", "edition"]
    list_select_related = ["edition", "subscriber"]
    readonly_fields = ["edition", "subscriber", "status", "sent_at", "error", "unsubscribed_at"]

    def get_readonly_fields(self, request, obj=None):
        # A mail server's refusal usually quotes the address: for those who may see it.
        if request.user.has_perm(EMAIL_PERMISSION):
            return self.readonly_fields
        return [field for field in self.readonly_fields if field != "error"]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        parts = lookup.split("__")
        if ("email" in parts or parts[0] == "error") and not (
            request and request.user.has_perm(EMAIL_PERMISSION)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
