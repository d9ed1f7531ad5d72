"""The account an import gives of itself: what happened to every item, by kind."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")

# Kinds that are items of the export (each <item> is counted under exactly one of them);
# other kinds (comments, sections, tags, bylines, redirects) come from inside items
# or from the export's header.
ITEM_LABELS = {
    "post": "Posts",
    "page": "Pages",
    "attachment": "Attachments",
    "nav_menu_item": "Menu items",
    "revision": "Revisions",
    "wp_block": "Reusable blocks",
    "wp_navigation": "Navigation menus",
    "guest-author": "Guest-author profiles",
}
OTHER_LABELS = {
    "comment": "Comments",
    "section": "Sections (categories)",
    "tag": "Tags",
    "byline": "Bylines (authors)",
    "redirect": "Redirects from old URLs",
    # The media library's rows the bodies place and the attachments become, one count
    # per placement or attachment: created, or found again (unchanged; updated when an
    # empty caption or alt was filled), or skipped with the reason (the post keeps its
    # old HTML or a link).
    "library_image": "Library images",
    "gallery": "Library galleries",
    "audio": "Library audio files",
    "video": "Library video files",
    "image link": "Links around pictures",
}
# Skip reasons (wordpress/importer/library.py) that mean a file is not available here.
MEDIA_NOT_FOUND_REASONS = (
    "not found in the uploads folder (kept as a link)",
    "not an upload of the site (kept as a link)",
)
LISTED_PROBLEMS = 20


@dataclass
class Problem:
    kind: str
    wp_id: int | None
    title: str
    reason: str

    def __str__(self) -> str:
        label = self.kind.replace("_", " ")
        ident = f" {self.wp_id}" if self.wp_id is not None else ""
        title = f" “{self.title}”" if self.title else ""
        return f"{label}{ident}{title}: {self.reason}"


@dataclass
class Tally:
    """What one pass of an import, or one batch of it, did.

    Each pass makes its own and returns it; the run adds each into the `ImportSummary`,
    which is the tally of the whole import.
    """

    # kind → outcome → number
    counts: defaultdict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    skip_reasons: Counter = field(default_factory=Counter)  # (kind, reason) → number
    failures: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    shortcodes_removed: Counter = field(default_factory=Counter)
    blocks_removed: Counter = field(default_factory=Counter)
    embeds_kept: int = 0
    embeds_linked: int = 0

    def add(self, kind: str, outcome: str, count: int = 1) -> None:
        if count:
            self.counts[kind][outcome] += count

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[kind][outcome] if kind in self.counts else 0

    def skip(self, kind: str, reason: str) -> None:
        self.add(kind, "skipped")
        self.skip_reasons[(kind, reason)] += 1

    def fail(self, kind: str, wp_id: int | None, title: str, reason: str) -> None:
        self.add(kind, "failed")
        self.failures.append(Problem(kind, wp_id, title, reason))

    def warn(self, kind: str, wp_id: int | None, title: str, reason: str) -> None:
        self.warnings.append(Problem(kind, wp_id, title, reason))

    def __iadd__(self, other: Tally) -> Tally:
        for kind, outcomes in other.counts.items():
            self.counts[kind].update(outcomes)
        self.skip_reasons.update(other.skip_reasons)
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)
        self.shortcodes_removed.update(other.shortcodes_removed)
        self.blocks_removed.update(other.blocks_removed)
        self.embeds_kept += other.embeds_kept
        self.embeds_linked += other.embeds_linked
        return self


@dataclass
class ImportSummary(Tally):
    """The whole import's tally, with what only the run knows: the site, the files."""

    source: str = ""
    site: str = ""
    site_title: str = ""
    dry_run: bool = False
    uploads_given: bool = False
    items_read: Counter = field(default_factory=Counter)
    missing_files: list[str] = field(default_factory=list)
    # Files in the uploads copy refused by the checks of the library's uploads: path → why.
    refused_files: dict[str, str] = field(default_factory=dict)
    control_characters_removed: int = 0
    renditions_made: int = 0
    renditions_pending: int = 0
    library_renditions_pending: int = 0

    @property
    def items_total(self) -> int:
        return sum(self.items_read.values())

    @property
    def items_accounted(self) -> int:
        return sum(sum(self.counts[kind].values()) for kind in self.items_read)

    @property
    def failed(self) -> int:
        return sum(counter["failed"] for counter in self.counts.values())

    @property
    def wrote_anything(self) -> bool:
        return any(
            counter[outcome]
            for counter in self.counts.values()
            for outcome in ("created", "updated")
        )

    def rows(self) -> list[tuple[str, list[int]]]:
        """(label, counts in OUTCOMES order) for each kind, items first."""
        known = list(ITEM_LABELS)
        kinds = sorted(
            self.items_read, key=lambda k: (known.index(k) if k in known else len(known), k)
        )
        rows = []
        for kind in kinds:
            label = ITEM_LABELS.get(kind, f"Other items ({kind})")
            rows.append((label, [self.counts[kind][o] for o in OUTCOMES]))
        for kind, label in OTHER_LABELS.items():
            if kind in self.counts:
                rows.append((label, [self.counts[kind][o] for o in OUTCOMES]))
        return rows

    @property
    def media_not_found(self) -> int:
        """Audio and video a body names whose file is not in the uploads copy (links now)."""
        return sum(
            count
            for (kind, reason), count in self.skip_reasons.items()
            if kind in {"audio", "video"} and reason in MEDIA_NOT_FOUND_REASONS
        )

    def skip_lines(self) -> list[str]:
        return [
            f"{count} {ITEM_LABELS.get(kind, OTHER_LABELS.get(kind, kind)).lower()}: {reason}"
            for (kind, reason), count in sorted(self.skip_reasons.items())
        ]

    def as_text(self) -> str:
        """The summary as the command prints it."""
        lines = []
        name = f"{self.site_title} ({self.site})" if self.site_title else self.site
        lines.append(f"WordPress import of {name} from {self.source}")
        if self.dry_run:
            lines.append("DRY RUN: nothing was written; this is what an import would do.")
        width = max([len(label) for label, _ in self.rows()] + [10])
        lines.append("")
        lines.append(" " * width + "".join(f"{o:>11}" for o in OUTCOMES))
        for label, values in self.rows():
            lines.append(f"{label:<{width}}" + "".join(f"{v:>11}" for v in values))
        lines.append("")
        accounted = self.items_accounted
        lines.append(
            f"{self.items_total} items in the export, {accounted} accounted for above"
            + ("." if accounted == self.items_total else " (MISMATCH: please report it).")
        )
        for note in self.notes():
            lines.append(note.title)
            lines.extend(f"  {line}" for line in note.lines)
        return "\n".join(lines)

    def notes(self) -> list[Note]:
        """Everything the summary says below its table, for the command and the admin alike."""
        notes = []
        if self.skip_reasons:
            notes.append(Note("Skipped:", self.skip_lines()))
        if self.shortcodes_removed:
            notes.append(Note(
                "Shortcodes removed: "
                + ", ".join(f"[{n}] ×{c}" for n, c in self.shortcodes_removed.most_common())
            ))  # fmt: skip
        if self.blocks_removed:
            notes.append(Note(
                "Dynamic blocks dropped (WordPress draws them; no content of their own): "
                + ", ".join(f"{n} ×{c}" for n, c in self.blocks_removed.most_common(10))
                + (" …" if len(self.blocks_removed) > 10 else "")
            ))  # fmt: skip
        if self.renditions_made:
            notes.append(Note(f"Image renditions made: {self.renditions_made}"))
        if self.renditions_pending:
            notes.append(Note(
                f"Lead images of {self.renditions_pending} stories still need their renditions: "
                "run `manage.py generateimages 'library:image:*'` before readers see them."
            ))  # fmt: skip
        if self.library_renditions_pending:
            notes.append(Note(
                f"{self.library_renditions_pending} library images placed in bodies still "
                "need their renditions: run `manage.py generateimages 'library:image:*'`."
            ))  # fmt: skip
        if self.media_not_found:
            notes.append(Note(
                f"Media not found: {self.media_not_found} (audio and video not in the uploads "
                "folder, kept as links to their old address)"
            ))  # fmt: skip
        if self.embeds_kept:
            notes.append(Note(
                f"Embeds kept (allow-listed providers, shown as embeds): {self.embeds_kept}"
            ))  # fmt: skip
        if self.embeds_linked:
            notes.append(Note(
                "Embeds turned into links (providers not on the embeds allow-list): "
                f"{self.embeds_linked}"
            ))  # fmt: skip
        if self.control_characters_removed:
            notes.append(Note(
                "Control characters removed (not allowed in XML): "
                f"{self.control_characters_removed}"
            ))  # fmt: skip
        if self.missing_files and self.uploads_given:
            notes.append(Note(
                f"Files not found in the uploads directory: {len(self.missing_files)} "
                "(the old addresses were kept)",
                _listed(self.missing_files),
            ))  # fmt: skip
        elif self.missing_files:
            notes.append(Note(
                f"No --uploads directory given: {len(self.missing_files)} files were "
                "not copied, and images keep their old addresses."
            ))  # fmt: skip
        if self.refused_files:
            notes.append(Note(
                "Files refused (only JPEG, PNG, GIF and WebP images, and MP3, M4A, MP4, Ogg, "
                "WebM and WAV audio and video within the size limit are imported): "
                f"{len(self.refused_files)} (the old addresses were kept)",
                _listed([f"{path}: {why}" for path, why in self.refused_files.items()]),
            ))  # fmt: skip
        for title, problems in (("Warnings", self.warnings), ("Failed", self.failures)):
            if problems:
                notes.append(Note(f"{title} ({len(problems)}):", _listed(problems)))
        return notes


@dataclass(frozen=True)
class Note:
    """One thing the summary says below its table: a line, and what it lists."""

    title: str
    lines: list[str] = field(default_factory=list)


def _listed(items: list) -> list[str]:
    lines = [str(item) for item in items[:LISTED_PROBLEMS]]
    if len(items) > LISTED_PROBLEMS:
        lines.append(f"… and {len(items) - LISTED_PROBLEMS} more")
    return lines
