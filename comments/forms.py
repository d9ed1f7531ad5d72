"""The public comment form: name, private e-mail, text, and a honeypot for robots."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.text import normalize_newlines

from articles.models import Story

from .models import Comment

HONEYPOT_FIELD = "website"


class PlainTextField(forms.CharField):
    """Counts a line break as one character, as the browser's maxlength does."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class CommentForm(forms.ModelForm):
    text = PlainTextField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}))
    # People never see this field (it is visually hidden and out of the tab order);
    # robots that fill every field do, and their comment is dropped.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "text", "parent"]
        labels = {"author_name": "Name", "author_email": "E-mail"}
        help_texts = {
            "author_name": "Shown with your comment.",
            "author_email": "Never shown; only the editors see it.",
        }
        widgets = {"parent": forms.HiddenInput}

    def __init__(self, *args, story: Story, **kwargs) -> None:
        kwargs.setdefault("instance", Comment(story=story))
        super().__init__(*args, **kwargs)
        self.fields["author_email"].required = True
        max_length = settings.NEWSROOM_COMMENT_MAX_LENGTH
        text = self.fields["text"]
        text.max_length = max_length
        text.validators.append(MaxLengthValidator(max_length))
        text.widget.attrs["maxlength"] = str(max_length)
        text.help_text = (
            f"Plain text, up to {max_length:,} characters. Links work; HTML is shown as "
            "typed. Comments appear once an editor has approved them."
        )
        # Replies go to approved comments on this story only.
        self.fields["parent"].queryset = Comment.objects.approved().filter(story=story)
        self.fields["parent"].error_messages["invalid_choice"] = (
            "The comment you are replying to is not available any more."
        )
        self.helper = FormHelper()
        self.helper.form_id = "comment-form"
        # No CSRF token: see comments.views.post_comment, which is exempt, and why.
        self.helper.disable_csrf = True
        self.helper.form_action = reverse("comments:post", kwargs={"story_pk": story.pk})
        self.helper.layout = Layout(
            "parent",
            Field("author_name", autocomplete="name"),
            Field("author_email", autocomplete="email"),
            "text",
            Div(HONEYPOT_FIELD, css_class="visually-hidden", aria_hidden="true"),
            Submit("post", "Post comment"),
        )

    def clean(self):
        cleaned = super().clean()
        # The parent field is hidden, so an error on it would be invisible: show it on top.
        if "parent" in self._errors:
            self.add_error(None, list(self._errors.pop("parent")))
        return cleaned

    @property
    def is_honeypot_filled(self) -> bool:
        """True when the hidden field came back filled in: a robot, not a reader."""
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    @property
    def replying_to(self) -> Comment | None:
        """The comment this one answers, for a "Replying to …" note."""
        if self.is_bound:
            return self.cleaned_data.get("parent") if hasattr(self, "cleaned_data") else None
        parent = self.initial.get("parent")
        return parent if isinstance(parent, Comment) else None
