"""What the story page shows of the comments, loaded in at most one query.

Kept apart from views.py because articles.views imports it: the comment views in turn
use the story page's view to re-render it with a form's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Story

from .forms import CommentForm
from .models import Comment, comments_close_at, comments_open


@dataclass
class Thread:
    """A top-level comment and every approved reply under it, oldest first."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def comment_threads(story: Story) -> list[Thread]:
    """Approved comments on `story`, one level deep: replies to replies join the thread.

    One query, with each reply's parent loaded, and none at all when the count that
    `for_teasers()` annotates says there is nothing to show.
    """
    if getattr(story, "comment_count", None) == 0:
        return []
    approved = list(Comment.objects.approved().filter(story_id=story.pk).select_related("parent"))
    by_pk = {comment.pk: comment for comment in approved}

    def root_of(comment: Comment) -> Comment:
        # A reply whose parent is not approved (pending, spam, deleted) stands on its own.
        root, seen = comment, set()
        while root.parent_id in by_pk and root.parent_id not in seen:
            seen.add(root.parent_id)
            root = by_pk[root.parent_id]
        return root

    roots = {comment.pk: root_of(comment) for comment in approved}
    threads = {pk: Thread(comment) for pk, comment in by_pk.items() if roots[pk] is comment}
    for comment in approved:
        root = roots[comment.pk]
        if root is not comment:
            threads.setdefault(root.pk, Thread(root)).replies.append(comment)
    return list(threads.values())


def comments_context(story: Story) -> dict:
    """The comments part of the story page: threads, and a form while comments are open."""
    is_open = comments_open(story)
    return {
        "comments": comment_threads(story),
        "comments_open": is_open,
        "comments_close_at": comments_close_at(story) if is_open else None,
        "comment_form": CommentForm(story=story) if is_open else None,
    }
