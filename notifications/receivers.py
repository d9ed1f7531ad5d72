"""Desk events that tell people something: workflow steps, and comments to moderate."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import Truncator

from articles.models import Story
from articles.signals import story_transitioned
from comments.models import Comment

from .models import Kind
from .sending import authors_of, holders_of, notify


def _desk_url(story: Story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


@receiver(story_transitioned)
def step_taken(sender, story: Story, action: str, by, **kwargs) -> None:
    """Sent after the step's transaction commits (articles.models.workflow)."""
    entry = story.log_entries.filter(action=action).order_by("-at", "-pk").first()
    note = entry.note if entry else ""
    if action == "submit":
        notify(
            holders_of("articles.publish_story"), kind=Kind.SUBMITTED, skip=by,
            title=f"Submitted for review: “{story.headline}”", text=note, url=_desk_url(story),
        )  # fmt: skip
    elif action == "request_changes":
        notify(
            authors_of(story), kind=Kind.SENT_BACK, skip=by,
            title=f"Sent back with a note: “{story.headline}”", text=note,
            url=_desk_url(story),
        )  # fmt: skip
    elif action in {"publish", "republish", "schedule"}:
        verb = "Scheduled" if action == "schedule" else "Published"
        notify(
            authors_of(story), kind=Kind.PUBLISHED, skip=by,
            title=f"{verb}: “{story.headline}”", text=note, url=_desk_url(story),
        )  # fmt: skip


@receiver(post_save, sender=Comment)
def comment_posted(sender, instance: Comment, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created or instance.status != Comment.Status.PENDING:
        return

    def tell_moderators() -> None:
        notify(
            holders_of("comments.change_comment"), kind=Kind.COMMENT,
            title=f"A comment awaits moderation on “{instance.story.headline}”",
            text=f"{instance.author_name}: {Truncator(instance.text).chars(300)}",
            url=reverse("admin:comments_comment_change", args=[instance.pk]),
        )  # fmt: skip

    transaction.on_commit(tell_moderators)
