"""Test-run settings switch: fast hashing, plain static storage, local e-mail."""

import os

os.environ.setdefault("NEWSROOM_TESTING", "true")
