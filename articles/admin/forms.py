"""The desk's forms: the story form (with its stale-edit check) and each workflow step's form."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.text import Truncator

from articles import workflow
from articles.images import IMAGE_EXTENSIONS, validate_image_file
from articles.models import Correction, Story
from articles.revisions import compare, snapshot, story_versions, version_with_edit_version
from articles.tags import check_tag_names, resolve_tag_names
from articles.workflow import validate_within_horizon


class StoryAdminForm(forms.ModelForm):
    material_change = forms.BooleanField(
        required=False,
        label="This edit is a material change",
        help_text=(
            "Tick for changes readers should know about: the story then shows "
            "“Updated” with the time of this save. Leave it for typo fixes."
        ),
    )
    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A new picture, uploaded in place: it goes into the media library (with the same
    # checks as an upload there) and becomes the lead image when the story is saved.
    lead_image_upload = forms.ImageField(
        label="or upload a new image",
        required=False,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_file],
        help_text="It is added to the media library, for other stories to use too.",
    )
    # A link typed without a scheme is taken as https (Django 6's default).
    source_url = forms.URLField(label="Source link", required=False, assume_scheme="https")

    class Meta:
        model = Story
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    # The person saving, set by StoryAdmin.get_form(): new tags need the tag permission.
    user = None
    # An autosave to fill the form with, when the editor asked to restore it.
    restored = None
    # Fields an autosave never brings back: the workflow's, and the form's version.
    NOT_RESTORED = {"status", "published_at", "loaded_version", "materially_updated_at"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.edit_version
        for name in ("published_at", "embargo_until"):
            if name in self.fields:
                self.fields[name].validators.append(validate_within_horizon)
        if self.restored is not None and not self.is_bound:
            for name in self.fields:
                value = self.restored.value(name)
                if name not in self.NOT_RESTORED and value is not None:
                    self.initial[name] = value

    def uploaded_lead_image(self, user):
        """The library image made of the picture uploaded in place (None without one),
        saved; the story's alt text, caption and credit are its defaults."""
        upload = self.cleaned_data.get("lead_image_upload")
        if not upload:
            return None
        from library.models import Image

        return Image.objects.create(
            file=upload,
            alt_text=self.cleaned_data.get("lead_image_alt", ""),
            caption=self.cleaned_data.get("lead_image_caption", ""),
            credit=self.cleaned_data.get("lead_image_credit", ""),
            uploaded_by=user,
        )

    def clean_tags(self):
        # An alias, or a name that differs only in case or accents, means the existing tag.
        names = resolve_tag_names(self.cleaned_data.get("tags") or [])
        check_tag_names(names, self.user)
        return names

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("lead_image_upload")
        if upload and not (cleaned.get("lead_image_alt") or "").strip():
            self.add_error("lead_image_alt", "Describe the image for readers who cannot see it.")
        story = self.instance
        if story.pk:
            # Lock the row until this save commits, so two saves cannot both pass the check.
            current = Story.objects.select_for_update().get(pk=story.pk)
            loaded = cleaned.get("loaded_version")
            if loaded is None:
                # A form without its version cannot show it is current: refused as stale.
                raise forms.ValidationError(
                    "Not saved: this form did not say which version of the story it was "
                    "opened on, so it may overwrite newer work. Copy your changes, reload "
                    "the story, and apply them again."
                )
            if loaded != current.edit_version:
                raise forms.ValidationError(stale_edit_message(current, loaded))
        return cleaned


def stale_edit_message(current: Story, loaded_version: int) -> str:
    """Explain a refused save: who saved since the form was opened, and what they changed."""
    latest = story_versions(current).first()
    who = latest.revision.user if latest and latest.revision.user else "someone"
    when = timezone.localtime(latest.revision.date_created if latest else current.updated_at)
    loaded = version_with_edit_version(current, loaded_version)
    changes = compare(snapshot(loaded), current) if loaded else []
    changed = "; ".join(
        f"{change.label}: “{Truncator(change.new).chars(80)}”" for change in changes
    )
    return (
        f"Not saved: {who} saved this story at {when:%H:%M on %B %-d}, after you opened it. "
        + (f"They changed {changed}. " if changed else "")
        + "Copy your changes, reload the story, and apply them again."
    )


class StepForm(forms.Form):
    """What one workflow step asks for, built from its row in `articles.workflow`.

    A required note is checked by the step itself (its row says why it is refused), so
    the form only marks it required for the browser.
    """

    # The change form's id: a step's fields and button belong to it (HTML's form
    # attribute), so pressing a step's button submits the edits too.
    STORY_FORM_ID = "story_form"

    def __init__(
        self, step: workflow.Step, *args, initial_time=None, in_story_form=False, **kwargs
    ) -> None:
        if in_story_form:
            kwargs.setdefault("prefix", f"step-{step.name}")
            kwargs.setdefault("auto_id", "%s")
        else:
            kwargs.setdefault("auto_id", f"step-{step.name}-%s")
        super().__init__(*args, **kwargs)
        self.step = step
        self.in_story_form = in_story_form
        if step.note:
            attrs = {"rows": 2, **({"required": True} if step.needs_note else {})}
            self.fields["note"] = forms.CharField(
                label=step.note_label, required=False, strip=True,
                widget=forms.Textarea(attrs=attrs),
            )  # fmt: skip
        if step.takes_time:
            self.fields["at"] = forms.DateTimeField(
                label=f"Goes live at ({timezone.get_current_timezone_name()})",
                initial=initial_time,
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
                error_messages={"required": "Choose the time it should go live."},
                validators=[validate_within_horizon],
            )
        for name in step.fields:
            self.fields[name] = STEP_FIELDS[name]()
        if in_story_form:
            for field in self.fields.values():
                field.widget.attrs["form"] = self.STORY_FORM_ID
                # Only the pressed step's fields matter: the server checks them.
                field.widget.attrs.pop("required", None)

    def step_arguments(self) -> dict:
        """Keyword arguments for the step's model method (besides `by`)."""
        return dict(self.cleaned_data)


# Fields a step can ask for besides its note and time (a row's `fields`).
STEP_FIELDS = {
    "kind": lambda: forms.ChoiceField(
        label="Kind", choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION
    ),
    "material": lambda: forms.BooleanField(
        label="Material change (moves the visible “Updated” time)", required=False
    ),
}
