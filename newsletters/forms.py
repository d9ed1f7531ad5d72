"""The readers' forms: signing up (with a honeypot), and choosing newsletters later."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.urls import reverse

from .models import Newsletter

HONEYPOT_FIELD = "website"
# Ids beyond a 64-bit integer overflow the database driver (a 500 on SQLite).
_MAX_ID = 2**63 - 1


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    """Newsletters by id; a value that is not a possible id is an invalid choice, asked of
    no database."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            # isdigit() admits "²" and other digits int() refuses; ids are ASCII.
            if not (text.isascii() and text.isdigit() and len(text) <= 19) or int(text) > _MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": text[:20]},
                )  # fmt: skip
        return super()._check_values(value)


# The public pages' form offers these by kind, so rendering it needs no query (every
# public page's query count is pinned); the full sign-up page offers every newsletter.
GENERAL_KINDS = [Newsletter.Kind.DAILY, Newsletter.Kind.WEEKLY, Newsletter.Kind.BREAKING]


# The sign-up page's form says so, so the view reads its choices even when none is ticked.
FULL_PAGE_FIELD = "newsletter-page"
FULL_PAGE_MARKER = f'<input type="hidden" name="{FULL_PAGE_FIELD}" value="1">'
MORE_NEWSLETTERS_LINK = (
    '<p class="newsletter-more"><a href="{% url \'newsletters:signup\' %}">'
    "All newsletters, including each section's</a></p>"
)


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send a link to confirm it; nothing else before you follow it. "
        "Never shown to anyone.",
    )
    kinds = forms.MultipleChoiceField(
        label="Newsletters",
        required=False,
        choices=[(kind.value, kind.label) for kind in GENERAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    newsletters = NewsletterChoiceField(
        label="Newsletters",
        required=False,
        queryset=Newsletter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    # Visually hidden and out of the tab order: people leave it empty, robots fill it.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, full: bool = False, **kwargs) -> None:
        kwargs.setdefault("prefix", "newsletter")
        super().__init__(*args, **kwargs)
        self.full = full
        if full:
            # The sign-up page: every offered newsletter, sections' ones too.
            del self.fields["kinds"]
            self.fields["newsletters"].queryset = Newsletter.objects.active().select_related(
                "section"
            )
        else:
            del self.fields["newsletters"]
            self.fields["kinds"].initial = [Newsletter.Kind.DAILY.value]
        self.helper = FormHelper()
        self.helper.form_id = "newsletter-signup-page" if full else "newsletter-signup"
        # No CSRF token: readers have no session to ride on, and pages carrying the form
        # stay cacheable (see newsletters.views.signup).
        self.helper.disable_csrf = True
        self.helper.form_action = reverse("newsletters:signup")
        choice = "newsletters" if full else "kinds"
        self.helper.layout = Layout(
            Field("email", autocomplete="email"),
            choice,
            Div(HONEYPOT_FIELD, css_class="visually-hidden", aria_hidden="true"),
            Submit("subscribe", "Subscribe"),
            # crispy renders HTML() as a template: the link comes from {% url %}.
            HTML(FULL_PAGE_MARKER if full else MORE_NEWSLETTERS_LINK),
        )

    def clean(self):
        cleaned = super().clean()
        if self.full:
            chosen = list(cleaned.get("newsletters") or [])
        else:
            chosen = list(Newsletter.objects.active().filter(kind__in=cleaned.get("kinds") or []))
        if not chosen and not self.errors:
            raise forms.ValidationError("Choose at least one newsletter.")
        cleaned["chosen"] = chosen
        return cleaned

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(str(self.data.get(self.add_prefix(HONEYPOT_FIELD), "")).strip())


class PreferencesForm(forms.Form):
    newsletters = NewsletterChoiceField(
        label="Newsletters you receive",
        required=False,
        queryset=Newsletter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick all of them to receive nothing.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = Newsletter.objects.active()
        self.helper = FormHelper()
        self.helper.form_id = "newsletter-preferences-form"
        # An explicit layout: without one, crispy gives the checkboxes' wrapper the
        # form's own id too (a duplicate id the HTML checker refuses).
        self.helper.layout = Layout("newsletters", Submit("save", "Save my choices"))
