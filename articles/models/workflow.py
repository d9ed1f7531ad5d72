"""Workflow steps on a story: one core that checks, changes, keeps a revision, logs and signals.

Every change of status, every public correction and every restored revision goes through
`Workflow._take()`: it checks the user's permission (from the step's row in
`articles.workflow`) and the story's state with the row locked, makes the change, saves
the story inside a django-reversion revision, records a `StoryLogEntry`, and sends
`story_transitioned` once the transaction commits, all in one transaction. The public
methods (`submit`, `publish`, `correct`, …) are one-line façades that say what changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from articles import workflow
from articles.signals import story_transitioned
from articles.workflow import Status


class WorkflowError(Exception):
    """A workflow step that cannot be taken."""


class WorkflowStateError(WorkflowError):
    """The story is not in a state that allows the step, or the step lacks what it needs."""


class WorkflowPermissionError(WorkflowError, PermissionDenied):
    """The user may not take this step. A PermissionDenied, so views answer 403."""

    def __init__(self, user, verb: str, story) -> None:
        super().__init__(f"{user} may not {verb} “{story}”.")


class StoryLogEntry(models.Model):
    """One line of a story's timeline: a step or an internal note (never public)."""

    Action = workflow.Action

    story = models.ForeignKey("Story", on_delete=models.CASCADE, related_name="log_entries")
    action = models.CharField(max_length=20, choices=workflow.action_choices)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "timeline entry"
        verbose_name_plural = "timeline"

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def changed_status(self) -> bool:
        return self.from_status != self.to_status

    @classmethod
    def imported(cls, story, *, by, note: str) -> StoryLogEntry:
        """The timeline's first line for a story an import wrote in bulk (unsaved)."""
        return cls(
            story=story, action=workflow.Action.IMPORT, from_status=story.status,
            to_status=story.status, by=by, note=note.strip(),
        )  # fmt: skip


@dataclass(frozen=True)
class Logged:
    """What a step's change says about itself: logged as another step, or another note."""

    step: str = ""
    note: str = ""


class Workflow:
    """The workflow steps of `Story` (a mixin: the fields are the story's)."""

    def can_edit(self, user) -> bool:
        """Editors may edit any story; contributors only their own drafts."""
        if not user.is_active or not user.has_perm("articles.change_story"):
            return False
        if user.has_perm("articles.edit_any_story"):
            return True
        return self.created_by_id == user.pk and self.status == Status.DRAFT

    def publication_checklist(self) -> list[tuple[str, bool]]:
        """What a story needs before it can go live, each with whether it has it."""
        from articles.text import html_to_text, images_without_alt

        lead_image_ok = not self.lead_image_id or bool(self.image_alt)
        return [
            ("a headline", bool(self.headline.strip())),
            ("a body", bool(html_to_text(self.body).strip())),
            ("at least one byline", self.pk is not None and self.story_bylines.exists()),
            ("a section", self.section_id is not None),
            ("alt text on every image", lead_image_ok and images_without_alt(self.body) == 0),
        ]

    def publication_problems(self) -> list[str]:
        """What the story still lacks before it can go live; empty when it is ready."""
        return [need for need, has_it in self.publication_checklist() if not has_it]

    def allowed_actions(self, user) -> list[str]:
        """The steps `user` may take now, for the desk to offer."""
        return [row.name for row in workflow.open_steps(self, user)]

    # The steps.

    def submit(self, *, by, note: str = "") -> StoryLogEntry:
        """Send a draft to the editors for review."""
        return self._take("submit", by=by, note=note, change=self._set_status(Status.REVIEW))

    def request_changes(self, *, by, note: str) -> StoryLogEntry:
        """Send a story in review back to Draft, with a note saying what to change."""
        return self._take(
            "request_changes", by=by, note=note, change=self._set_status(Status.DRAFT)
        )

    def publish(self, *, by, at=None, note: str = "") -> StoryLogEntry:
        """Publish now, or schedule for `at`; never before the embargo."""
        name = "schedule" if at is not None and at > timezone.now() else "publish"
        return self._take(name, by=by, note=note, change=lambda: self._go_live(at))

    def unpublish(self, *, by, note: str, trusted: bool = False) -> StoryLogEntry:
        """Take a published or scheduled story off every public page, saying why.

        `trusted` is for the importer alone (a WordPress take-down): it skips the
        user's permission, never the state check.
        """
        return self._take(
            "unpublish", by=by, note=note, trusted=trusted,
            change=self._set_status(Status.UNPUBLISHED),
        )  # fmt: skip

    def correct(self, *, by, note: str, kind: str, material: bool = False) -> StoryLogEntry:
        """Add a public correction, clarification, update or editor's note to a live story."""
        from .desk import Correction

        if kind not in Correction.Kind.values:
            raise WorkflowStateError("Choose the kind of note from the list.")

        def change() -> Logged:
            correction = self.corrections.create(
                kind=kind, text=note.strip(), is_material=material, created_by=by
            )
            if material:
                self.materially_updated_at = correction.created_at
            return Logged(note=f"{correction.get_kind_display()}: {correction.text}")

        return self._take("correct", by=by, note=note, change=change)

    def restore(self, version, *, by) -> StoryLogEntry:
        """Make `version` the current text, bylines, tags and sections, as a new revision.

        Status and publication times are kept: restoring text is not a workflow step.
        """
        from articles.revisions import revert_to

        saved_at = timezone.localtime(version.revision.date_created)
        return self._take(
            "restore", by=by, note=f"Restored the revision of {saved_at:%B %-d, %Y, %H:%M}.",
            change=lambda: revert_to(self, version),
        )  # fmt: skip

    def move_to_trash(self, *, by, note: str = "") -> StoryLogEntry:
        """Delete, recoverably: off every public page at once, restorable by an editor.

        The trash keeps it for NEWSROOM_TRASH_DAYS; after that `manage.py empty_trash`
        deletes it, and before that only an administrator can (articles.empty_trash).
        """

        def change() -> None:
            self.status, self.trashed_at, self.trashed_by = Status.TRASHED, timezone.now(), by
            self.is_featured = False

        return self._take("trash", by=by, note=note, change=change)

    def restore_from_trash(self, *, by, note: str = "") -> StoryLogEntry:
        """Bring a story back from the trash as a draft (as WordPress does): it goes live
        again only when an editor publishes it, so nothing reappears unseen."""

        def change() -> None:
            self.status, self.trashed_at, self.trashed_by = Status.DRAFT, None, None

        return self._take("untrash", by=by, note=note, change=change)

    def apply_import_status(self, status: str, *, by, note: str) -> StoryLogEntry:
        """Record the status a re-import gives the story (the importer is a trusted caller)."""
        return self._take("import", by=by, note=note, trusted=True, change=self._set_status(status))

    def add_note(self, *, by, text: str) -> StoryLogEntry:
        """Leave an internal note on the story's timeline; readers never see it."""
        if not (by.is_staff and by.has_perm("articles.view_story")):
            raise WorkflowPermissionError(by, "add a note to", self)
        if not text.strip():
            raise WorkflowStateError(workflow.step("note").note_missing)
        return self.log_entries.create(
            action=workflow.Action.NOTE, from_status=self.status, to_status=self.status,
            by=by, note=text.strip(),
        )  # fmt: skip

    # The changes the steps make.

    def _set_status(self, status: str) -> Callable[[], None]:
        def change() -> None:
            self.status = status

        return change

    def _go_live(self, at) -> Logged | None:
        now = timezone.now()
        when = at or now
        try:
            workflow.validate_within_horizon(when)
        except ValidationError as error:
            raise WorkflowStateError(" ".join(error.messages)) from error
        missing = self.publication_problems()
        if missing:
            raise WorkflowStateError(
                "It is not ready to publish: it still needs " + ", ".join(missing) + "."
            )
        if self.embargo_until and when < self.embargo_until:
            raise WorkflowStateError(
                "This story is embargoed until "
                f"{timezone.localtime(self.embargo_until):%B %-d, %Y, %H:%M}; "
                "it cannot be published or scheduled before then."
            )
        was_unpublished = self.status == Status.UNPUBLISHED
        self.status, self.published_at = Status.PUBLISHED, when
        return Logged(step="republish") if when <= now and was_unpublished else None

    # The core.

    @transaction.atomic
    def _take(self, name: str, *, by, note: str = "", change, trusted: bool = False):
        row = workflow.step(name)
        if not trusted and not workflow.may_take(row, self, by):
            raise WorkflowPermissionError(by, row.label.lower() or row.past_tense, self)
        note = note.strip()
        if row.needs_note and not note:
            raise WorkflowStateError(row.note_missing)
        # Lock the row and read the story from the database, so two editors acting at
        # once cannot both take a step from the same state.
        type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        self.refresh_from_db()
        before = self.status
        if not workflow.is_open(row, self):
            raise WorkflowStateError(
                f"This story is {Status(before).label.lower()}; it cannot be {row.past_tense} now."
            )
        said = change() or Logged()
        logged = workflow.step(said.step or name)
        with reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment(logged.logged_as)
            self.save()
        entry = self.log_entries.create(
            action=logged.name, from_status=before, to_status=self.status, by=by,
            note=said.note or note,
        )  # fmt: skip
        transaction.on_commit(
            lambda: story_transitioned.send(
                sender=type(self), story=self, action=logged.name, by=by
            )
        )
        return entry
