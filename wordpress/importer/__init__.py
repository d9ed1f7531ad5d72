"""Import a WordPress export into the newsroom: the one operation behind the command and
the admin's upload form.

The import is a row of passes. Each takes what it needs and returns what it made (plain
dataclasses, with a `Tally` of what it did); `run.WordPressImport` calls them in order
and adds each result into the `ImportSummary`.

- `scan`: reads the whole export once, writing nothing, so a truncated or damaged file
  changes nothing; notes the header and the attachments items refer to.
- `taxonomy`: authors → bylines, categories → sections, tags → tags, and their archive
  addresses; later, the terms a batch of posts names that the header left out.
- `stories`: reads the export again and imports posts and pages a batch at a time, one
  transaction each: planned one by one (`plans`), written in bulk (`writes`), a story
  the database refuses retried alone, so one broken item is reported and the rest go in.
- `comments`: each story's comments, threads kept, written with the story.
- `library`: while a body is converted, its pictures, galleries, audio and video become
  (or are found again as) the media library's rows, which the body places.
- `attachments`: files copied from the uploads folder, attachment pages redirected, and
  last the new lead images (and library images) resized.

Every story remembers its WordPress site and post ID (`ImportedItem`), with a
fingerprint of the item and the story's edit count. Re-importing skips unchanged items,
updates changed ones, and leaves stories edited here alone unless asked to overwrite.
"""

from .context import IMPORTER_VERSION, ImportConfigError, ImportOptions
from .run import WordPressImport, run_import

__all__ = [
    "IMPORTER_VERSION",
    "ImportConfigError",
    "ImportOptions",
    "WordPressImport",
    "run_import",
]
