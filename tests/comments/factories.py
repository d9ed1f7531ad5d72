"""Helpers for the comment tests (the shared ones live in tests/factories.py)."""

from __future__ import annotations

import lxml.html
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.roles import CONTRIBUTOR, EDITOR
from comments.models import Comment
from tests.factories import make_user, next_number


def make_comment(story, **overrides) -> Comment:
    """An approved comment on `story` (pass status= for another state)."""
    number = next_number()
    fields = {
        "author_name": f"Reader {number}",
        "author_email": f"reader{number}@example.org",
        "text": f"Comment number {number}.",
        "status": Comment.Status.APPROVED,
        "ip_address": "203.0.113.7",
    }
    fields.update(overrides)
    return Comment.objects.create(story=story, **fields)


def member(role: str, **overrides):
    """A staff user in one of the newsroom's roles (auth groups made by migrations)."""
    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_moderator(**overrides):
    return member(EDITOR, **overrides)


def make_contributor(**overrides):
    return member(CONTRIBUTOR, **overrides)


def post_url(story) -> str:
    return reverse("comments:post", kwargs={"story_pk": story.pk})


def comment_data(**overrides) -> dict:
    """What a reader submits: name, e-mail and text, the honeypot left empty."""
    data = {
        "author_name": "Dana Whitfield",
        "author_email": "dana@example.org",
        "text": "The bridge closure hit our street hard.",
        "parent": "",
        "website": "",
    }
    data.update(overrides)
    return data


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def text_of(element) -> str:
    return " ".join(element.text_content().split())
