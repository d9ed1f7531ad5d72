"""Property-based: whatever contributors, editors and administrators do, in any order,
nothing that is not public reaches a public surface, and a refused step changes nothing.

A hypothesis state machine creates stories and drives them through random sequences of
workflow steps (submit, send back, publish, schedule, unpublish, correct, restore,
move to the trash and back) and
edits, each by a random user in one of the three roles. After every step it reads every
public surface as an anonymous reader, through the page cache (home, section, byline and
tag pages, story pages, feeds, sitemaps, search) and checks that only public stories
are there; and every refused step must leave the database exactly as it was.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import reversion
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from articles.models import Story, WorkflowError
from articles.revisions import story_versions
from articles.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from tests.comments.factories import member
from tests.factories import make_byline, make_section

STEPS = [
    "submit", "request_changes", "publish", "schedule", "unpublish", "correct", "restore",
    "trash", "untrash",
]  # fmt: skip
TAG = "harbor-news"


def surfaces() -> list[str]:
    pages = [
        "/", "/feed/", "/feed/atom/", f"/tag/{TAG}/", f"/tag/{TAG}/feed/",
        "/sitemap-stories.xml", "/news-sitemap.xml", "/search/?q=zqx",
    ]  # fmt: skip
    return pages


def state_of(story: Story) -> tuple:
    """Everything a step can change on a story, read from the database."""
    fresh = Story.objects.get(pk=story.pk)
    return (
        fresh.status, fresh.published_at, fresh.headline, fresh.dek, fresh.edit_version,
        fresh.materially_updated_at, fresh.log_entries.count(), fresh.corrections.count(),
        story_versions(fresh).count(),
    )  # fmt: skip


class Newsroom(RuleBasedStateMachine):
    stories = Bundle("stories")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            self.section = make_section(name="Harbor", slug=f"harbor-{id(self)}")
            self.byline = make_byline()
            self.users = {
                "contributor": member(CONTRIBUTOR),
                "other contributor": member(CONTRIBUTOR),
                "editor": member(EDITOR),
                "administrator": member(ADMINISTRATOR),
            }
        except BaseException:
            # Hypothesis calls teardown() only for a machine that was made: never leave
            # the transaction open for the next test.
            self.teardown()
            raise
        self.reader = Client()
        self.made = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(target=stories, author=st.sampled_from(["contributor", "editor"]))
    def write_a_draft(self, author):
        self.made += 1
        user = self.users[author]
        with reversion.create_revision():
            story = Story.objects.create(
                headline=f"Zqx{self.made}zqx ferry story", slug=f"zqx-{id(self)}-{self.made}",
                dek="A draft.", body="<p>zqx words</p>", section=self.section, created_by=user,
            )  # fmt: skip
            story.story_bylines.create(byline=self.byline)
            story.tags.add(TAG)
        return story

    @rule(story=stories, who=st.sampled_from(["contributor", "other contributor", "editor",
                                               "administrator"]),
          step=st.sampled_from(STEPS))  # fmt: skip
    def take_a_step(self, story, who, step):
        user = self.users[who]
        before = state_of(story)
        story.refresh_from_db()
        try:
            with transaction.atomic():
                self.take(story, user, step)
        except WorkflowError:
            assert state_of(story) == before, f"a refused {step} by the {who} changed the story"

    @rule(story=stories, who=st.sampled_from(["contributor", "other contributor", "editor"]))
    def edit(self, story, who):
        user = self.users[who]
        story.refresh_from_db()
        if story.can_edit(user):
            story.dek = f"Edited by the {who}."
            with reversion.create_revision():
                story.save()
        else:
            # The desk refuses the edit on the server: the change form answers 403.
            desk = Client()
            desk.force_login(user)
            response = desk.post(f"/admin/articles/story/{story.pk}/change/", {"dek": "x"})
            assert response.status_code == 403
            assert Story.objects.get(pk=story.pk).dek != "x"

    def take(self, story: Story, user, step: str) -> None:
        if step == "schedule":
            story.publish(by=user, at=timezone.now() + timedelta(days=1))
        elif step == "publish":
            story.publish(by=user)
        elif step in ("request_changes", "unpublish"):
            getattr(story, step)(by=user, note="Because.")
        elif step == "correct":
            story.correct(by=user, note="A fix.", kind="correction")
        elif step == "restore":
            version = story_versions(story).last()
            if version is None:
                raise WorkflowError("nothing to restore")
            story.restore(version, by=user)
        elif step == "trash":
            story.move_to_trash(by=user)
        elif step == "untrash":
            story.restore_from_trash(by=user)
        else:
            story.submit(by=user)

    @invariant()
    def nothing_hidden_is_public(self):
        stories = list(Story.objects.filter(section=self.section))
        hidden = [s for s in stories if not s.is_public]
        if not hidden:
            return
        pages = [*surfaces(), self.section.get_absolute_url(), f"/byline/{self.byline.slug}/",
                 f"/{self.section.slug}/feed/"]  # fmt: skip
        for path in pages:
            body = self.reader.get(path).content.decode()
            for story in hidden:
                assert story.headline not in body, f"{story.status} story on {path}"
        for story in hidden:
            assert self.reader.get(story.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_no_sequence_of_steps_makes_a_hidden_story_public():
    run_state_machine_as_test(
        Newsroom,
        settings=settings(settings(), max_examples=8, stateful_step_count=8),
    )
