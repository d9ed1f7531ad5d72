"""The desk inbox and the notification settings, for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import FormView, ListView

from .forms import NotificationSettingsForm
from .models import Notification


class StaffOnly(LoginRequiredMixin, UserPassesTestMixin):
    login_url = "admin:login"

    def test_func(self) -> bool:
        return self.request.user.is_staff

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class InboxView(StaffOnly, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title="Desk inbox", **kwargs)

    def post(self, request, *args, **kwargs):
        """Mark every entry read."""
        self.get_queryset().unread().update(read_at=timezone.now())
        messages.success(request, "Everything in your inbox is marked as read.")
        return redirect("notifications:inbox")


class OpenView(StaffOnly, View):
    """Open one entry: it is marked read, and the desk page it points to opens."""

    def post(self, request, pk: int):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notification.mark_read()
        return redirect(notification.url)


class SettingsView(StaffOnly, FormView):
    template_name = "notifications/settings.html"
    form_class = NotificationSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "Your notification choices are saved.")
        return redirect("notifications:settings")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title="Notification settings", **kwargs)
