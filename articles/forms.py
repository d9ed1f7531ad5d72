"""Forms outside the admin, rendered with django-crispy-forms (Bootstrap 5 pack)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import slugify

from .models import Section, Story


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
        story.slug = unique_slug(story.headline)
        story.created_by = by
        story.status = Story.Status.DRAFT
        story.save()
        return story


def unique_slug(text: str, *, max_length: int = 200) -> str:
    """A slug for `text` that no story uses yet (-2, -3, … appended when needed)."""
    base = slugify(text)[:max_length].strip("-") or "story"
    slug, counter = base, 2
    while Story.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 6]}-{counter}"
        counter += 1
    return slug
