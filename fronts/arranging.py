"""What readers see of a layout: pins that still hold, slots filled by the newest stories.

The public rule comes first: only listed stories (`Story.objects.listed()`) are ever
shown. A pinned story that is unpublished, embargoed or moved out of view is skipped at
once, and comes back if it returns; an expired pin, or an empty slot, is filled by the
newest listed story, so the front is never empty and never stale. The pinned and the
newest stories come from one query, ordered by pin first.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Story
from articles.views.public import HOME_LATEST_COUNT

from .models import Front, Pin

UNPINNED = 10_000


def snapshot(front: Front) -> dict:
    """The layout's pins and blocks as plain data, for `Front.arrangement`."""
    return {
        "pins": [
            {
                "slot": pin.slot,
                "story": pin.story_id,
                "until": pin.until.isoformat() if pin.until else None,
            }
            for pin in front.pins.order_by("position", "pk")
        ],  # fmt: skip
        "blocks": [
            [block.section_id, block.stories]
            for block in front.section_blocks.order_by("position", "pk")
        ],
    }


def holding_pins(front: Front, now: datetime) -> list[dict]:
    """The pins whose time has not run out, lead first, then the top stories in order."""
    pins = []
    for pin in front.arrangement.get("pins", []):
        until = parse_datetime(pin["until"]) if pin.get("until") else None
        if until is None or until > now:
            pins.append({**pin, "until": until})
    pins.sort(key=lambda pin: pin["slot"] != Pin.Slot.LEAD)
    return pins


def next_change(front: Front, upcoming: Front | None, now: datetime) -> datetime | None:
    """When the front changes by itself: a pin or the alert runs out, the next layout."""
    moments = [pin["until"] for pin in holding_pins(front, now) if pin["until"]]
    if front.alert_text and front.alert_until and front.alert_until > now:
        moments.append(front.alert_until)
    if upcoming is not None:
        moments.append(upcoming.goes_live_at)
    return min(moments, default=None)


def arrange(front: Front, now: datetime | None = None) -> dict:
    """The lead, the top stories and the chosen section blocks' sections, for `front`."""
    now = now or timezone.now()
    pins = holding_pins(front, now)
    lead_pins = [pin["story"] for pin in pins if pin["slot"] == Pin.Slot.LEAD][:1]
    top_pins = [pin["story"] for pin in pins if pin["slot"] == Pin.Slot.TOP]
    rank = {story: 0 for story in lead_pins}
    for position, story in enumerate(top_pins, start=1):
        rank.setdefault(story, position)
    stories = Story.objects.listed().with_teaser_fields()
    if rank:
        stories = stories.alias(
            pin_rank=Case(
                *(When(pk=story, then=Value(value)) for story, value in rank.items()),
                default=Value(UNPINNED),
                output_field=IntegerField(),
            )  # fmt: skip
        ).order_by("pin_rank", "-published_at", "-pk")
    else:
        stories = stories.newest_first()
    rows = list(stories[: HOME_LATEST_COUNT + 1 + len(rank)])
    pinned = {story.pk: story for story in rows if story.pk in rank}
    newest = [story for story in rows if story.pk not in rank]
    lead = pinned.get(lead_pins[0]) if lead_pins else None
    if lead is None and newest:
        lead = newest.pop(0)  # the empty or expired lead slot: the newest story
    top = [pinned[story] for story in top_pins if story in pinned and story not in lead_pins]
    latest = [*top, *(story for story in newest if story is not lead)][:HOME_LATEST_COUNT]
    alert = None
    if front.alert_text and (front.alert_until is None or front.alert_until > now):
        alert = {"text": front.alert_text, "link": front.alert_link}
    blocks = [tuple(block) for block in front.arrangement.get("blocks", [])] or None
    return {"lead": lead, "latest": latest, "alert": alert, "blocks": blocks}
