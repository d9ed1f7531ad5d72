"""The workflow's vocabulary: a story's statuses and every step it can take, in one table.

Each row says everything about one step: the button's label and help text, whether it
needs a note and what the note is called, whether it takes a time, the permission it
needs, when it is open, the message after it, how the timeline names it, and the
`Story` method that takes it. `Story.allowed_actions()`, the desk's buttons and their
dispatch, the messages and the timeline all read this table, so adding a step is one
row (and one model method). The steps themselves, which check, change, keep a revision,
log and signal, are in `articles/models/workflow.py`.

"Scheduled" is not a status: it is Published with a publication time still ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    # Deleted by an editor: kept for NEWSROOM_TRASH_DAYS, restorable, never public.
    TRASHED = "trashed", "In the trash"


PUBLISH_PERMISSION = "articles.publish_story"


def validate_within_horizon(moment) -> None:
    """Refuse a schedule or embargo further ahead than NEWSROOM_SCHEDULE_HORIZON_DAYS.

    A time such as 9999-12-31 is a typo, and stored in UTC it would not even be a year
    Python can show.
    """
    if moment is None:
        return
    horizon = timezone.now() + timedelta(days=settings.NEWSROOM_SCHEDULE_HORIZON_DAYS)
    if moment > horizon:
        raise ValidationError(
            "%(moment)s is too far ahead: schedules and embargoes can be at most "
            "%(days)s days away (until %(horizon)s).",
            code="too_far",
            params={
                "moment": f"{timezone.localtime(moment):%Y-%m-%d %H:%M}",
                "days": settings.NEWSROOM_SCHEDULE_HORIZON_DAYS,
                "horizon": f"{timezone.localtime(horizon):%B %-d, %Y}",
            },
        )


NOT_LIVE = frozenset({Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED})


@dataclass(frozen=True)
class Step:
    name: str
    # The timeline's words: "Published", and "… cannot be published now".
    logged_as: str
    past_tense: str
    # The desk's button; a step without a label is recorded, never offered as a button.
    label: str = ""
    help: str = ""
    # "" (no note), "optional" or "required", and the note's label on the desk.
    note: str = ""
    note_label: str = "Note (optional)"
    # Why a required note is refused when it is missing.
    note_missing: str = "The note is required."
    takes_time: bool = False
    # Other fields the desk asks for with this step (see articles/admin/steps.py).
    fields: tuple[str, ...] = ()
    permission: str = ""
    # Besides the permission: the user must be allowed to edit this story.
    needs_edit_rights: bool = False
    # When the step is open, given the story as it is in the database (the permission is
    # checked apart). The step itself checks this again, with the row locked.
    is_open: Callable | None = None
    done: str = ""
    method: str = ""
    # The step the desk suggests first (its button stands out).
    is_primary: bool = False

    @property
    def is_offered(self) -> bool:
        return bool(self.label)

    @property
    def needs_note(self) -> bool:
        return self.note == "required"


def _may_go_live(story) -> bool:
    return story.status in NOT_LIVE or story.is_scheduled


STEPS: tuple[Step, ...] = (
    Step(
        "submit", "Submitted for review", "submitted",
        label="Submit for review", help="Send the draft to the editors.",
        note="optional", permission="articles.submit_story", needs_edit_rights=True,
        is_open=lambda story: story.status == Status.DRAFT,
        done="submitted for review.", method="submit", is_primary=True,
    ),
    Step(
        "request_changes", "Changes requested", "sent back",
        label="Send back with a note", help="Return it to Draft; say what to change.",
        note="required", note_label="What to change (required)",
        note_missing="Say what needs to change: the note is required.",
        permission=PUBLISH_PERMISSION, is_open=lambda story: story.status == Status.REVIEW,
        done="sent back to Draft with your note.", method="request_changes",
    ),
    Step(
        "publish", "Published", "published",
        label="Publish now", help="It goes live immediately.",
        note="optional", permission=PUBLISH_PERMISSION, is_open=_may_go_live,
        done="published.", method="publish", is_primary=True,
    ),
    Step(
        "schedule", "Scheduled", "scheduled",
        label="Schedule", help="It goes live at the time you set, by itself.",
        note="optional", takes_time=True, permission=PUBLISH_PERMISSION,
        is_open=_may_go_live, done="scheduled.", method="publish",
    ),
    Step(
        "unpublish", "Unpublished", "unpublished",
        label="Unpublish", help="Take it off every public page; give a reason.",
        note="required", note_label="Reason (required)",
        note_missing="Give a reason for unpublishing: it is kept in the log.",
        permission=PUBLISH_PERMISSION, is_open=lambda story: story.status == Status.PUBLISHED,
        done="unpublished; it has left every public page.", method="unpublish",
    ),
    Step(
        "correct", "Correction added", "corrected",
        label="Add a correction", help="A public note on the live story.",
        note="required", note_label="Text readers will see (required)",
        note_missing="The correction needs its text.",
        fields=("kind", "material"), permission="articles.correct_story",
        is_open=lambda story: story.is_public,
        done="correction published on the story.", method="correct",
    ),
    Step(
        "untrash", "Restored from the trash", "restored from the trash",
        label="Restore from the trash",
        help="It comes back as a draft; publish it again when it is ready.",
        note="optional", permission="articles.delete_story",
        is_open=lambda story: story.status == Status.TRASHED,
        done="restored from the trash as a draft.", method="restore_from_trash",
        is_primary=True,
    ),
    # Recorded on the timeline, not offered as buttons.
    # Moving to the trash is the admin's Delete (articles/admin/trash.py).
    Step(
        "trash", "Moved to the trash", "moved to the trash",
        note="optional", permission="articles.delete_story",
        is_open=lambda story: story.status != Status.TRASHED, method="move_to_trash",
    ),
    Step("republish", "Republished", "republished", permission=PUBLISH_PERMISSION),
    Step(
        "restore", "Revision restored", "restored",
        permission="articles.change_story", needs_edit_rights=True, method="restore",
    ),
    Step("assign", "Assigned", "assigned"),
    # Tidying (articles/tidying.py): what a merge of tags or a fold of sections did.
    Step("retag", "Tags merged", "retagged"),
    Step("refile", "Moved to another section", "moved"),
    Step("note", "Note", "noted", note="required", note_missing="The note is empty."),
    # What an import did; taken by the importer only (a trusted caller, see the model).
    Step("import", "Imported", "imported"),
)  # fmt: skip

BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}

# The timeline's action column: every step, named as the timeline shows it.
Action = models.TextChoices(
    "Action", [(row.name.upper(), (row.name, row.logged_as)) for row in STEPS]
)


def action_choices() -> list[tuple[str, str]]:
    """The timeline's choices, read from the table (a callable, so a new row needs no migration)."""
    return Action.choices


def step(name: str) -> Step:
    """The row for `name`; KeyError for a step that does not exist."""
    return BY_NAME[name]


def offered_steps() -> list[Step]:
    return [row for row in STEPS if row.is_offered]


def may_preview(user) -> bool:
    """Staff who may change stories see drafts, scheduled and embargoed stories as readers will."""
    return user.is_authenticated and user.is_staff and user.has_perm("articles.change_story")


def may_take(row: Step, story, user) -> bool:
    """Whether `user` holds what `row` needs on `story` (whatever the story's state)."""
    if not (user.is_active and user.has_perm(row.permission)):
        return False
    return not row.needs_edit_rights or story.can_edit(user)


def is_open(row: Step, story) -> bool:
    return row.is_open is None or bool(row.is_open(story))


def open_steps(story, user) -> list[Step]:
    """The buttons `user` may press on `story` now, in the table's order."""
    if story.pk is None:
        return []
    return [row for row in offered_steps() if may_take(row, story, user) and is_open(row, story)]
