"""The newsdesk: the pipeline at a glance for staff, and a quick-draft form.

Forms outside the admin are rendered with django-crispy-forms (Bootstrap 5 pack).
"""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView

from articles.models import Section, Story, unique_story_slug

LIST_LENGTH = 8


class QuickDraftForm(forms.ModelForm):
    """Start a story in seconds: a headline, a section and optionally a dek."""

    class Meta:
        model = Story
        fields = ["headline", "section", "dek"]
        widgets = {"dek": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"dek": "Optional: the teaser text. Everything else can wait."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.active()
        self.helper = FormHelper()
        self.helper.form_id = "quick-draft"
        self.helper.add_input(Submit("save", "Start the draft"))

    def save(self, *, by) -> Story:
        story = super().save(commit=False)
        story.slug = unique_story_slug(story.headline)
        story.created_by = by
        story.status = Story.Status.DRAFT
        story.save()
        return story


class NewsdeskView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    template_name = "articles/newsdesk.html"
    login_url = "admin:login"

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_staff and user.has_perm("articles.view_story")

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        stories = Story.objects.outside_trash().select_related("section", "assigned_to")
        lanes = [
            # Their queue first: what they started and is not out yet.
            ("mine", "My stories", stories.filter(created_by=user).exclude(
                status=Story.Status.PUBLISHED
            )),
            ("drafts", "Drafts", stories.filter(status=Story.Status.DRAFT)),
            ("review", "In review", stories.filter(status=Story.Status.REVIEW)),
            ("scheduled", "Scheduled", stories.scheduled().order_by("published_at")),
            (
                "today",
                "Published today",
                stories.published().filter(
                    published_at__gte=start_of_day, published_at__lt=start_of_day + timedelta(1)
                ),
            ),
            ("assigned", "Assigned to me", stories.filter(assigned_to=user).exclude(
                status=Story.Status.PUBLISHED
            )),
        ]  # fmt: skip
        context = super().get_context_data(**kwargs)
        context["lanes"] = [
            {
                "key": key,
                "title": title,
                "count": queryset.count(),
                "stories": list(queryset.order_by("-updated_at")[:LIST_LENGTH])
                if key != "scheduled"
                else list(queryset[:LIST_LENGTH]),
            }
            for key, title, queryset in lanes
        ]
        context.setdefault("form", QuickDraftForm())

        context["page_title"] = "Newsdesk"
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("articles.add_story"):
            raise PermissionDenied("You may not start stories.")
        form = QuickDraftForm(request.POST)
        if not form.is_valid():
            response = self.render_to_response(self.get_context_data(form=form))
            add_never_cache_headers(response)
            return response
        story = form.save(by=request.user)
        messages.success(request, f"Draft “{story.headline}” started. Write the rest here.")
        return redirect(reverse("admin:articles_story_change", args=[story.pk]))
