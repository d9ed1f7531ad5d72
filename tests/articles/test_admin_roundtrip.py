"""Every change form of every demo object, opened and saved unchanged by each role.

Editors open a story and press Save without touching anything many times a day; so do
reporters with their own drafts. Each save must redirect, change nothing and show no
error, whatever fields are added to a model later. Objects a role may only view open
read-only (and refuse a forced POST); objects it may not see answer 403.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import serializers
from django.urls import reverse

from articles.models import Story
from tests.factories import form_data

pytestmark = pytest.mark.django_db

# Fields a save may move on its own: timestamps and the save counter.
MOVING_FIELDS = {"updated_at", "edit_version", "last_login"}


def state_of(obj) -> dict:
    """The object's stored fields (and a story's bylines and tags), for comparison."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    (data,) = serializers.serialize("python", [fresh])
    fields = {k: _to_the_second(v) for k, v in data["fields"].items() if k not in MOVING_FIELDS}
    if isinstance(fresh, Story):
        fields["credits"] = list(
            fresh.story_bylines.order_by("position", "pk").values_list("byline_id", "role")
        )
        fields["tag_names"] = sorted(fresh.tags.names())
    return fields


def _to_the_second(value):
    # The admin shows and posts times to the second (stories store them so); a form
    # round trip that drops a microsecond changes nothing anyone can see.
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return value


def every_demo_object():
    for model, model_admin in admin.site._registry.items():
        for obj in model_admin.get_queryset(_AnyRequest()).order_by("pk"):
            yield model, model_admin, obj


class _AnyRequest:
    """Enough of a request for get_queryset() of every ModelAdmin here."""

    user = None


@pytest.mark.parametrize("username", ["reporter", "editor", "admin"])
def test_every_change_form_saves_unchanged(client, demo_newsroom, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    saved = 0
    for model, model_admin, obj in list(every_demo_object()):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.get(url)
        request = response.wsgi_request
        label = f"{opts.label} {obj.pk} ({obj}) as {username}"
        if not model_admin.has_view_or_change_permission(request, obj):
            assert response.status_code == 403, label
            continue
        assert response.status_code == 200, label
        html = response.content.decode()
        if not model_admin.has_change_permission(request, obj):
            assert f'id="{opts.model_name}_form"' not in html or "readonly" in html, label
            continue
        before = state_of(obj)
        data = form_data(html, f"{opts.model_name}_form")
        data["_save"] = "Save"
        response = client.post(url, data)
        assert response.status_code == 302, f"{label}: {response.status_code}\n" + "\n".join(
            str(e) for e in (response.context or {}).get("errors", []) if response.context
        )
        assert state_of(obj) == before, label
        saved += 1
    # Every role can save something: the reporter their own draft at least.
    assert saved > 0, f"{username} could save nothing"
