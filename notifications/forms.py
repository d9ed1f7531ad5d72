"""Which notifications a person wants: one switch per kind (crispy-forms, outside the admin)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .models import Kind, MutedKind


class NotificationSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Tell me, in my desk inbox and by e-mail, when",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        muted = set(MutedKind.objects.filter(user=user).values_list("kind", flat=True))
        kwargs["initial"] = {
            **(kwargs.get("initial") or {}),
            "kinds": [kind for kind in Kind.values if kind not in muted],
        }
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "notification-settings"
        self.helper.add_input(Submit("save", "Save my choices"))

    def save(self) -> None:
        wanted = set(self.cleaned_data["kinds"])
        MutedKind.objects.filter(user=self.user, kind__in=wanted).delete()
        for kind in set(Kind.values) - wanted:
            MutedKind.objects.get_or_create(user=self.user, kind=kind)
