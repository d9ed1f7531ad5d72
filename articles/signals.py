"""Signals the articles app sends. Receivers (cache purges and the like) live in receivers.py."""

from django.dispatch import Signal

# Sent after the transaction commits, with story=, action= (a StoryLogEntry.Action) and by=.
story_transitioned = Signal()
