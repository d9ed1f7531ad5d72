"""Reader comments on stories, held for moderation.

A comment shows on the site, and counts, only when an editor has approved it. Its state
changes only through `approve()` and `mark_spam()`, which check the editor's permission
and record who moderated it and when.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Story

MODERATE_PERMISSION = "comments.change_comment"

# A web address in a comment's text, as urlize would make a link of it.
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class ModerationPermissionError(PermissionDenied):
    """The user may not moderate comments. A PermissionDenied, so views answer 403."""

    def __init__(self, user, verb: str, comment: Comment) -> None:
        super().__init__(f"{user} may not {verb} the comment “{comment}”.")


def comments_close_at(story: Story) -> datetime | None:
    """When comments on `story` close by themselves; None when they never do."""
    days = settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS
    if not days or days < 0 or story.published_at is None:
        return None
    return story.published_at + timedelta(days=days)


def comments_open(story: Story) -> bool:
    """Readers may comment on a public story whose comments are on and not yet closed."""
    if not story.is_public or not story.allow_comments:
        return False
    closes_at = comments_close_at(story)
    return closes_at is None or timezone.now() < closes_at


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments readers see and count: approved by an editor."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def from_address(self, ip_address: str, *, since: datetime):
        """Comments sent from `ip_address` since a time (for the rate limit)."""
        return self.filter(ip_address=ip_address, created_at__gte=since)


def approved_count():
    """The approved-comment count of each story in a story query (a teaser annotation).

    A correlated subquery, not a JOIN with GROUP BY, so the list query keeps using its
    indexes and its own ordering.
    """
    approved = (
        Comment.objects.approved()
        .filter(story=models.OuterRef("pk"))
        .order_by()
        .values("story")
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    return Coalesce(models.Subquery(approved), 0)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # Deleting a comment keeps the replies to it; they become top-level comments.
        on_delete=models.SET_NULL,
        related_name="replies",
        help_text="The comment this one replies to, if any.",
    )
    author_name = models.CharField("name", max_length=100)
    author_email = models.EmailField(
        "e-mail", blank=True, help_text="For the desk only; never shown publicly."
    )
    author_url = models.URLField(
        "website", blank=True, help_text="Optional; shown as a link on the author's name."
    )
    text = models.TextField(help_text="Plain text. HTML is shown as typed, never run.")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Only approved comments are shown to readers and counted.",
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The story page and the teaser counts read approved comments per story.
            models.Index(fields=["story", "status", "created_at"], name="comment_story_status"),
            # The rate limit counts recent comments per address.
            models.Index(fields=["ip_address", "created_at"], name="comment_address_created"),
            # The moderation queue: newest pending first.
            models.Index(fields=["status", "-created_at"], name="comment_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        return f"{self.story.get_absolute_url()}#comment-{self.pk}"

    def clean(self) -> None:
        if self.parent_id is not None and self.story_id is not None:
            if self.parent.story_id != self.story_id:
                raise ValidationError({"parent": "A reply must be on the same story."})
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A comment cannot reply to itself."})

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.text.split())).chars(80)

    @property
    def looks_like_spam(self) -> bool:
        """Several links in one comment: what most comment spam looks like."""
        limit = settings.NEWSROOM_COMMENT_SPAM_LINKS
        return bool(limit) and len(_LINK.findall(self.text)) >= limit

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def public_url(self) -> str:
        """The author's website, when it is a plain web address; never another scheme."""
        if self.author_url.lower().startswith(("http://", "https://")):
            return self.author_url
        return ""

    # Moderation. Each step checks the permission on the server and records who took it.

    def approve(self, *, by) -> None:
        """Show the comment to readers and count it."""
        self._moderate(self.Status.APPROVED, by=by, verb="approve")

    def mark_spam(self, *, by) -> None:
        """Hide the comment from readers for good, and keep it as spam."""
        self._moderate(self.Status.SPAM, by=by, verb="mark as spam")

    def _moderate(self, status: str, *, by, verb: str) -> None:
        if not (by.is_active and by.has_perm(MODERATE_PERMISSION)):
            raise ModerationPermissionError(by, verb, self)
        self.status, self.moderated_at, self.moderated_by = status, timezone.now(), by
        self.save(update_fields=["status", "moderated_at", "moderated_by"])
