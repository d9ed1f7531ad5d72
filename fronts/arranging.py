"""What readers see of a layout: pins that still hold, slots filled by the newest stories.

The public rule comes first: only listed stories (`Story.objects.listed()`) are ever
shown. A pinned story that is unpublished, embargoed or moved out of view is skipped at
once, and comes back if it returns; an expired pin, or an empty slot, is filled by the
newest listed story, so the front is never empty and never stale. The pinned and the
newest stories come from one query, ordered by pin first.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Story
from articles.views.public import HOME_LATEST_COUNT

from .models import Front, Pin


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


def arrange(front: Front, now: datetime | None = None) -> dict:
    """The lead, the top stories, the alert and the chosen section blocks for `front`, and
    when that changes by itself (a pin or the alert runs out)."""
    now = now or timezone.now()
    pins = holding_pins(front, now)
    ends = [pin["until"] for pin in pins if pin["until"]]
    lead_pins = [pin["story"] for pin in pins if pin["slot"] == Pin.Slot.LEAD][:1]
    top_pins = [pin["story"] for pin in pins if pin["slot"] == Pin.Slot.TOP]
    # The lead first, then the top stories in order, each once.
    order = list(dict.fromkeys([*lead_pins, *top_pins]))
    stories = Story.objects.listed().without_body().with_teaser_fields().pinned_first(order)
    rows = list(stories[: HOME_LATEST_COUNT + 1 + len(order)])
    pinned = {story.pk: story for story in rows if story.pk in order}
    newest = [story for story in rows if story.pk not in pinned]
    lead = pinned.get(lead_pins[0]) if lead_pins else None
    if lead is None and newest:
        lead = newest.pop(0)  # the empty or expired lead slot: the newest story
    top = [pinned[story] for story in top_pins if story in pinned and story not in lead_pins]
    latest = [*top, *newest][:HOME_LATEST_COUNT]
    alert = None
    if front.alert_text and (front.alert_until is None or front.alert_until > now):
        alert = {"text": front.alert_text, "link": front.alert_link}
        ends += [front.alert_until] if front.alert_until else []
    blocks = [tuple(block) for block in front.arrangement.get("blocks", [])] or None
    return {"lead": lead, "latest": latest, "alert": alert, "blocks": blocks,
            "changes_at": min(ends, default=None)}  # fmt: skip
