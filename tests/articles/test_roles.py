"""The roles are always there: made by a migration, and made again after a flush (which
is also what a test database goes through between transactional tests)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR


@pytest.mark.django_db(transaction=True)
def test_the_roles_come_back_after_the_database_is_flushed():
    call_command("flush", interactive=False, verbosity=0)
    editor = Group.objects.get(name=EDITOR)
    assert "desk" in editor.role.description
    assert editor.permissions.filter(codename="publish_story").exists()
    assert editor.permissions.filter(codename="change_comment").exists()
    assert not editor.permissions.filter(codename="empty_trash").exists()
    assert Group.objects.get(name=ADMINISTRATOR).permissions.filter(codename="empty_trash").exists()
    contributor = Group.objects.get(name=CONTRIBUTOR)
    assert not contributor.permissions.filter(codename="publish_story").exists()


@pytest.mark.django_db
def test_an_existing_role_is_left_as_the_operator_set_it():
    from articles.roles import ensure_role

    editor = Group.objects.get(name=EDITOR)
    editor.permissions.remove(*editor.permissions.filter(codename="correct_story"))
    ensure_role(EDITOR)
    assert not editor.permissions.filter(codename="correct_story").exists()
