"""Signals the articles app sends. Receivers (cache purges and the like) live in receivers.py."""

from django.dispatch import Signal

# Sent after the transaction commits, with story=, action= (a StoryLogEntry.Action) and by=.
story_transitioned = Signal()

# Sent by `manage.py load_demo` inside its transaction, so other apps add their part of
# the demo (newsletters) without articles importing them: demo_removing before --reset
# deletes the demo, demo_built after it is built (with content= and now=).
demo_removing = Signal()
demo_built = Signal()
