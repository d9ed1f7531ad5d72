"""The comments pass: a post's comments, written with the story they belong to.

Comments keep their state (approved, pending, spam), author, e-mail, website, IP
address, date and thread; their HTML becomes the plain text comments store. Pingbacks
and trackbacks are left out unless asked for, and so is anything in the WordPress
trash. A comment imported once is never imported again (`ImportedItem.comment_ids`).
"""

from __future__ import annotations

import html
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.models import Story

from ..summary import Tally
from ..wxr import ItemError, Post, WPComment, parse_wp_date
from .context import Context

NOT_INSTALLED = "the comments app is not installed"


@dataclass
class CommentsWritten:
    tally: Tally = field(default_factory=Tally)
    # For each story written: WordPress comment ID → ID of the comment made from it.
    ids: list[dict[str, int]] = field(default_factory=list)


def skip_reason(comment: WPComment, *, context: Context) -> str | None:
    """Why a comment is not imported, or None when it is."""
    if not context.comments_installed:
        return NOT_INSTALLED
    if comment.is_ping and not context.options.keep_pingbacks:
        return "pingbacks and trackbacks (--keep-pingbacks imports them)"
    if comment.approved in {"trash", "post-trashed"}:
        return "in the WordPress trash"
    return None


def written_at(comment: WPComment, *, context: Context) -> datetime:
    """When the comment was written: its GMT time, else its local time, else now.

    ItemError when it has a date and neither time can be read.
    """
    unreadable = ""
    for raw, zone in ((comment.raw_date_gmt, UTC), (comment.raw_date, context.time_zone)):
        try:
            when = parse_wp_date(raw)
        except ItemError:
            unreadable = unreadable or raw.strip()
            continue
        if when is not None:
            return when.replace(tzinfo=zone)
    if unreadable:
        raise ItemError(f"its date “{unreadable}” is not a date")
    return timezone.now()


def count_comments(post: Post, outcome: str, *, context: Context, reason: str = "") -> Tally:
    """The post's comments counted as `outcome`, for a post that is not written again."""
    tally = Tally()
    for comment in post.comments:
        why = skip_reason(comment, context=context)
        if why or outcome == "skipped":
            tally.skip("comment", why or reason)
            continue
        try:
            written_at(comment, context=context)
        except ItemError as error:
            _fail(tally, comment, post, error)  # never imported: say so again
            continue
        tally.add("comment", outcome)
    return tally


def write_comments(
    pairs: list[tuple[Post, Story]], *, context: Context, known: dict[int, int]
) -> CommentsWritten:
    """The comments of each (post, story) not imported before (`known`: WordPress ID → ID)."""
    written = CommentsWritten(ids=[{str(k): v for k, v in known.items()} for _ in pairs])
    tally = written.tally
    if not context.comments_installed:
        for post, _story in pairs:
            for _comment in post.comments:
                tally.skip("comment", NOT_INSTALLED)
        return written
    from comments.models import Comment

    statuses = {"1": Comment.Status.APPROVED, "spam": Comment.Status.SPAM}
    made: list[tuple[int, WPComment, Comment]] = []
    for index, (post, story) in enumerate(pairs):
        for comment in post.comments:
            reason = skip_reason(comment, context=context)
            if reason:
                tally.skip("comment", reason)
                continue
            if comment.wp_id in known:
                tally.add("comment", "unchanged")
                continue
            try:
                created_at = written_at(comment, context=context)
            except ItemError as error:
                _fail(tally, comment, post, error)
                continue
            made.append(
                (index, comment, Comment(
                    story=story,
                    author_name=Truncator(" ".join(comment.author.split())).chars(100)
                    or "Anonymous",
                    author_email=_valid_email(comment.email),
                    author_url=comment.url if _web_address(comment.url) else "",
                    text=_comment_text(comment.content),
                    status=statuses.get(comment.approved, Comment.Status.PENDING),
                    ip_address=_valid_ip(comment.ip),
                    created_at=created_at,
                ))
            )  # fmt: skip
    tally.add("comment", "created", len(made))
    # A thread level at a time, so every reply goes in with its parent's key.
    created: dict[tuple[int, int], int] = {}
    pending = made
    while pending:
        waiting_for = {(index, c.wp_id) for index, c, _ in pending}
        ready, waiting = [], []
        for entry in pending:
            index, wp_comment, comment = entry
            key = (index, wp_comment.parent)
            if wp_comment.parent and key in created:
                comment.parent_id = created[key]
            elif wp_comment.parent in known:
                comment.parent_id = known[wp_comment.parent]
            elif wp_comment.parent and key in waiting_for:
                waiting.append(entry)
                continue
            ready.append(entry)  # a reply to a comment not imported stands alone
        if not ready:  # replies that point at each other: break the loop
            ready, waiting = waiting, []
        Comment.objects.bulk_create([comment for _, _, comment in ready])
        for index, wp_comment, comment in ready:
            created[(index, wp_comment.wp_id)] = comment.pk
            written.ids[index][str(wp_comment.wp_id)] = comment.pk
        pending = waiting
    return written


def _fail(tally: Tally, comment: WPComment, post: Post, error: ItemError) -> None:
    """A comment that cannot be imported fails alone: its story goes in without it."""
    where = f"{post.post_type} {post.wp_id} “{post.display_title}”"
    tally.fail("comment", comment.wp_id, "", f"{error}; {where} was imported without it")


def _valid_email(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 254:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _web_address(value: str) -> bool:
    return bool(value) and len(value) <= 200 and value.lower().startswith(("http://", "https://"))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _comment_text(content: str) -> str:
    """A comment's HTML as the plain text comments store (shown as typed, never run)."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", content or "", flags=re.IGNORECASE)
    text = _plain_lines(strip_tags(text))
    return text or "(empty comment)"


def _plain_lines(text: str) -> str:
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
