"""Staff in the newsroom's roles, for the tests of the desk."""

from __future__ import annotations

import pytest

from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from tests.comments.factories import member


@pytest.fixture
def contributor(db):
    return member(CONTRIBUTOR, username="casey")


@pytest.fixture
def other_contributor(db):
    return member(CONTRIBUTOR, username="robin")


@pytest.fixture
def desk_editor(db):
    return member(EDITOR, username="eddie")


@pytest.fixture
def administrator(db):
    return member(ADMINISTRATOR, username="ada")
