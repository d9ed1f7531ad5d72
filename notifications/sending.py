"""Who is told what: recipients for each desk event, and the sending itself."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from articles.distribution.seo import absolute_url

from .models import Kind, MutedKind, Notification

logger = logging.getLogger(__name__)


def holders_of(permission: str):
    """Active staff who hold `permission`, directly, through a role, or as superusers."""
    app_label, codename = permission.split(".")
    directly = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    through_a_role = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(directly | through_a_role | Q(is_superuser=True))
        .distinct()
    )


def authors_of(story) -> list:
    """The story's people: who created it and the staff accounts behind its bylines."""
    people = {story.created_by} if story.created_by_id else set()
    people.update(
        credit.byline.user
        for credit in story.story_bylines.select_related("byline__user")
        if credit.byline.user_id
    )
    return [person for person in people if person.is_active]


def notify(
    recipients: Iterable, *, kind: str, title: str, text: str, url: str, skip=None
) -> list[Notification]:
    """An inbox entry and an e-mail for each recipient who has not turned `kind` off."""
    wanted = {person.pk: person for person in recipients if person is not None}
    if skip is not None:
        wanted.pop(skip.pk, None)
    muted = set(
        MutedKind.objects.filter(user_id__in=wanted, kind=kind).values_list("user_id", flat=True)
    )
    made = []
    for pk, person in wanted.items():
        if pk in muted:
            continue
        made.append(
            Notification.objects.create(
                recipient=person, kind=kind, title=title, text=text, url=url
            )
        )
        if person.email:
            send_one(person, kind=kind, title=title, text=text, url=url)
    return made


def send_one(person, *, kind: str, title: str, text: str, url: str) -> None:
    context = {
        "person": person,
        "title": title,
        "text": text,
        "url": absolute_url(url),
        "settings_url": absolute_url(reverse("notifications:settings")),
        "site_name": settings.NEWSROOM_SITE_NAME,
        "kind": Kind(kind).label,
    }
    body = render_to_string("notifications/email.txt", context)
    try:
        send_mail(f"[{settings.NEWSROOM_SITE_NAME}] {title}", body, None, [person.email])
    except OSError as error:
        # The inbox entry stands; a mail server that is down must not undo the step.
        logger.warning("Could not e-mail %s about “%s”: %s", person.email, title, error)
