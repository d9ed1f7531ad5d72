"""The admin desk, one module per shelf.

- `stories`: the story list and form, declared; `desk`: the desk's own screens around
  a story (steps, previews, share links, revisions, bulk steps); `filters`, `forms`;
- `sections`: sections, bylines, corrections and old addresses;
- `newsdesk`: the staff newsdesk page with its quick-draft form (outside the admin).
"""

from . import sections, stories, tags  # noqa: F401 -- registers the model admins
