"""The desk's own objects: public corrections, edit locks and share-preview links."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone


def now_to_the_second():
    return timezone.now().replace(microsecond=0)


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Notes on public stories only."""
        from .stories import Story

        return self.filter(story__in=Story.objects.listed())


class Correction(models.Model):
    """A public note on a published story: correction, clarification, update, editor's note."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor’s note"

    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="Plain text, shown to readers on the story.")
    is_material = models.BooleanField(
        "material change",
        default=False,
        help_text="Material changes move the story's visible “Updated” time; typo fixes do not.",
    )
    created_at = models.DateTimeField(default=now_to_the_second)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.story}"


class Autosave(models.Model):
    """What one person typed into a story's form, kept every few seconds while it is open.

    Not a change to the story and not a revision: nobody else sees it. Reopening the
    story offers it back, so a closed tab or a crashed browser loses nothing. A story
    not saved yet has its autosave with no story (one per person).
    """

    story = models.ForeignKey(
        "Story", null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(help_text="The form's fields as typed: name → list of values.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="one_autosave_per_story"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(story=None), name="one_new_story_autosave"
            ),
        ]

    def __str__(self) -> str:
        return f"Autosave of {self.story or 'a new story'} by {self.user}"

    @classmethod
    def keep(cls, *, story, user, data: dict) -> Autosave:
        """Replace `user`'s autosave of `story` (None: a new story) with `data`."""
        autosave, _ = cls.objects.update_or_create(
            story=story, user=user, defaults={"data": data, "saved_at": timezone.now()}
        )
        return autosave

    @classmethod
    def offered(cls, *, story, user) -> Autosave | None:
        """The autosave to offer back: kept after the story's last save (or of a new story)."""
        autosave = cls.objects.filter(story=story, user=user).first()
        if autosave is None or (story is not None and autosave.saved_at <= story.updated_at):
            return None
        return autosave

    def value(self, name: str):
        """A field's value as the form posted it: a string, a list for several, or None."""
        values = self.data.get(name)
        if not values:
            return None
        return values[0] if len(values) == 1 else values


class EditLockQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now())


class EditLock(models.Model):
    """A soft lock: who has a story open in the admin. It expires on its own."""

    # The open page renews it every 30 seconds (articles/admin/desk.py); a page that is
    # closed, or a browser that crashed, lets it lapse within this time.
    DURATION = timedelta(minutes=2)

    story = models.OneToOneField("Story", on_delete=models.CASCADE, related_name="edit_lock")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = EditLockQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.story} open by {self.user}"

    @classmethod
    def take(cls, story, user) -> EditLock | None:
        """Open `story` for `user`; return someone else's current lock instead, if any."""
        now = timezone.now()
        with transaction.atomic():
            lock = cls.objects.select_for_update().filter(story=story).first()
            if lock and lock.user_id != user.pk and lock.expires_at > now:
                return lock
            if lock is None or lock.user_id != user.pk or lock.expires_at <= now:
                cls.objects.update_or_create(
                    story=story,
                    defaults={"user": user, "since": now, "expires_at": now + cls.DURATION},
                )
            else:
                cls.objects.filter(pk=lock.pk).update(expires_at=now + cls.DURATION)
        return None

    @classmethod
    def release(cls, story, user) -> None:
        cls.objects.filter(story=story, user=user).delete()


class PreviewLink(models.Model):
    """A signed link that shows one revision of a story to a reviewer without an account."""

    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="preview_links")
    version = models.ForeignKey(
        "reversion.Version", on_delete=models.CASCADE, related_name="+",
        help_text="The revision the link shows.",
    )  # fmt: skip
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        blank=True, help_text="By default NEWSROOM_PREVIEW_LINK_HOURS (48) after creation."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.story} until {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(
                hours=settings.NEWSROOM_PREVIEW_LINK_HOURS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:shared_preview", kwargs={"signed": self.signed_token()})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def may_revoke(self, user) -> bool:
        """Its maker may revoke a link, and so may an editor; nobody else."""
        return user.is_active and (
            (self.created_by_id is not None and self.created_by_id == user.pk)
            or user.has_perm("articles.change_previewlink")
        )

    def revoke(self) -> None:
        """Make the link answer "not found" from now on (revoking twice changes nothing)."""
        PreviewLink.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

    def signed_token(self) -> str:
        return signing.dumps(str(self.token), salt="articles.preview-link", compress=False)

    @classmethod
    def from_signed(cls, signed: str) -> PreviewLink | None:
        """The link for a signed token, or None when tampered with, expired or revoked."""
        try:
            token = signing.loads(signed, salt="articles.preview-link")
            link = cls.objects.select_related("story", "version").get(token=token)
        except (signing.BadSignature, cls.DoesNotExist, ValidationError, ValueError):
            return None
        return link if link.is_usable else None
