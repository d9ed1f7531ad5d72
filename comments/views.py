"""Posting a comment, and the page for replying to one.

Only listed stories (`Story.objects.listed()`) take comments, and only while they
are open. A new comment waits for an editor; the reader is sent back to the story with
a note saying so.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Story
from articles.views.public import StoryDetailView
from newsroom.clients import client_address

from .forms import CommentForm
from .limits import is_rate_limited
from .models import Comment, comments_open

logger = logging.getLogger(__name__)

RATE_LIMITED_MESSAGE = (
    "You have sent several comments in a short time. Please wait a few minutes and "
    "send this one again; what you wrote is still here."
)


def public_story_or_404(story_pk: int) -> Story:
    # The story page answers 404 for a story in an inactive section; so does this.
    return get_object_or_404(Story.objects.listed().select_related("section"), pk=story_pk)


def pending_url(story: Story) -> str:
    return f"{story.get_absolute_url()}?comment=pending#comments"


def render_story_page(
    request: HttpRequest, story: Story, form: CommentForm | None, *, status: int
) -> HttpResponse:
    """The story page, exactly as StoryDetailView builds it, with the reader's form."""
    view = StoryDetailView()
    view.setup(request)
    view.object = view.get_queryset().get(pk=story.pk)
    context = view.get_context_data(object=view.object)
    if form is not None:
        context["comment_form"] = form  # the comments tag shows it while comments are open
    return view.render_to_response(context, status=status)


# Readers post without an account, so there is no session for a CSRF attack to ride on:
# the worst a forged post can do is what anyone can do, leave a comment held for
# moderation, behind the honeypot and the rate limit. Without a CSRF token the story page
# sets no cookie, so it can be cached and served to every reader (articles.caching).
@csrf_exempt
@require_POST
def post_comment(request: HttpRequest, story_pk: int) -> HttpResponse:
    story = public_story_or_404(story_pk)
    form = CommentForm(request.POST, story=story)
    if form.is_honeypot_filled:
        # Answer as if it worked, so the robot learns nothing; store nothing.
        logger.info("Dropped a comment on story %s: the honeypot field was filled.", story.pk)
        return redirect(pending_url(story))
    if not comments_open(story):
        return render_story_page(request, story, None, status=403)
    if not form.is_valid():
        return render_story_page(request, story, form, status=200)
    address = client_address(request)
    if is_rate_limited(address):
        form.add_error(None, RATE_LIMITED_MESSAGE)
        return render_story_page(request, story, form, status=429)
    comment = form.save(commit=False)
    if comment.looks_like_spam:
        # Held for a moderator's look under "Spam"; it is never shown before.
        comment.status = Comment.Status.SPAM
    comment.ip_address = address
    comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    comment.save()
    return redirect(pending_url(story))


@require_GET
def reply(request: HttpRequest, story_pk: int, comment_pk: int) -> HttpResponse:
    """A reply form under the comment it answers (no JavaScript needed)."""
    story = public_story_or_404(story_pk)
    parent = get_object_or_404(Comment.objects.approved().filter(story=story), pk=comment_pk)
    is_open = comments_open(story)
    context = {
        "story": story,
        "parent": parent,
        "comments_open": is_open,
        "comment_form": CommentForm(story=story, initial={"parent": parent}) if is_open else None,
        "section": story.section,
        "page_title": f"Reply to {parent.author_name}",
    }
    return TemplateResponse(request, "comments/reply.html", context)
