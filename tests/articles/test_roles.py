"""The roles are always there: made by a migration, and made again after a flush (which
is also what a test database goes through between transactional tests)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR


@pytest.mark.django_db(transaction=True)
def test_the_roles_come_back_after_the_database_is_flushed():
    def permissions() -> dict[str, set[str]]:
        return {
            group.name: {
                f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
            }
            for group in Group.objects.prefetch_related("permissions__content_type")
        }

    made_by_migrations = permissions()
    call_command("flush", interactive=False, verbosity=0)
    remade = permissions()
    # What the migrations granted: a permission a later migration grants is in the
    # roles' definition too (articles.roles, "granted_later").
    for role, granted in made_by_migrations.items():
        assert granted <= remade[role], (role, granted - remade[role])
    # Contributors and editors get exactly that; administrators get every permission of
    # their apps (a remade role may hold one a migration forgot to grant, never fewer).
    assert remade[CONTRIBUTOR] == made_by_migrations[CONTRIBUTOR]
    assert remade[EDITOR] == made_by_migrations[EDITOR]
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
