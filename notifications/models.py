"""Notifications: the desk tells the right people when a story or a comment needs them.

Each one is an entry in the person's desk inbox and an e-mail (Django's e-mail framework:
SMTP from the environment in production, the console under `make run`). A person can
turn each kind off; then neither is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "A story is submitted for review (to editors)"
    SENT_BACK = "sent_back", "My story is sent back with a note"
    PUBLISHED = "published", "My story is published or scheduled"
    COMMENT = "comment", "A comment awaits moderation (to moderators)"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One entry in a person's desk inbox."""

    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, help_text="Plain text: a note, a comment's start.")
    url = models.CharField("link", max_length=500, help_text="Where to act on it (the desk).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.title} (for {self.recipient})"

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class MutedKind(models.Model):
    """A kind of notification someone turned off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.user} muted {self.kind}"
