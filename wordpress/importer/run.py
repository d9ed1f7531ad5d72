"""One run of the import: the passes in order, their results composed into the summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from ..content import Attachment, BodyConverter, plain_text
from ..media import MediaLibrary
from ..summary import ImportSummary, Tally
from ..wxr import Post
from .attachments import import_attachments, resize_lead_images
from .context import Context, ImportOptions, batched
from .library import LibraryWriter
from .scan import Scan, scan_export
from .stories import import_stories
from .taxonomy import import_terms

ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """Counts what is done of a phase for the progress bar: "1,234/10,000 items"."""

    def __init__(self, report: ProgressCallback | None, total: int, unit: str) -> None:
        self.report = report
        self.total = total
        self.unit = unit
        self.done = 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.report:
            self.report(self.done, self.total, self.unit)


class WordPressImport:
    """One run of the import; `run()` returns the summary (see the package docstring)."""

    def __init__(
        self,
        path: str | Path,
        options: ImportOptions | None = None,
        *,
        source_name: str = "",
        progress: ProgressCallback | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.options = options or ImportOptions()
        self.source_name = source_name or self.path.name
        self.progress = progress
        self.log = log or (lambda line: None)
        # Wrong options are refused before the export is read.
        self.context = Context.resolve(self.options)

    def run(self) -> ImportSummary:
        scan = scan_export(self.path)
        context = self.context.for_site(scan.site, scan.hosts)
        summary = ImportSummary(
            source=self.source_name,
            site=context.site,
            site_title=scan.title,
            dry_run=self.options.dry_run,
            uploads_given=self.options.uploads is not None,
            items_read=scan.items,
            control_characters_removed=scan.control_characters_removed,
        )
        media = MediaLibrary(
            self.options.uploads, site_hosts=scan.hosts, write=not self.options.dry_run
        )
        if self.options.dry_run:
            with transaction.atomic():
                self._import(scan, context, media, summary)
                transaction.set_rollback(True)
        else:
            self._import(scan, context, media, summary)
        summary.missing_files = media.missing
        summary.refused_files = media.refused
        return summary

    def _import(
        self, scan: Scan, context: Context, media: MediaLibrary, summary: ImportSummary
    ) -> None:
        progress = Progress(self.progress, scan.items.total(), "items")
        with transaction.atomic():
            made = import_terms(scan, context=context)
        self._record(summary, made.tally)
        library = LibraryWriter(media, created_by=self.options.created_by)
        converter = BodyConverter(
            attachments={wp_id: _attachment(post) for wp_id, post in scan.attachments.items()},
            children=scan.children,
            media_url=media.url_for,
            library=library,
        )
        story_ids: set[int] = set()
        with_images: list[int] = []
        for done in import_stories(
            self.path, scan=scan, terms=made.terms, context=context, converter=converter,
            media=media,
        ):  # fmt: skip
            self._record(summary, done.tally)
            story_ids |= done.ids
            with_images += done.stories_with_images
            progress.advance(done.items)
        for done in import_attachments(
            scan, context=context, media=media, story_ids=story_ids, library=library
        ):
            self._record(summary, done.tally)
            progress.advance(done.items)
        self._resize_library_images(library.new_image_ids, summary)
        if not with_images or self.options.dry_run:
            return
        if not self.options.renditions:
            summary.renditions_pending = len(with_images)
            return
        resizing = Progress(self.progress, len(with_images), "lead images resized")
        resizing.advance(0)
        for resized in resize_lead_images(with_images, batch_size=self.options.batch_size):
            summary.renditions_made += resized.renditions
            summary.warnings.extend(resized.warnings)
            resizing.advance(resized.items)

    def _resize_library_images(self, image_ids: list[int], summary: ImportSummary) -> None:
        """Renditions of the library images the bodies' pictures became (inserted in bulk,
        so never "saved": no rendition task was queued for them)."""
        if not image_ids or self.options.dry_run:
            return
        if not self.options.renditions:
            summary.library_renditions_pending = len(image_ids)
            return
        from library.models import Image

        for chunk in batched(image_ids, self.options.batch_size):
            for image in Image.objects.filter(pk__in=chunk):
                try:
                    image.generate_renditions()
                    summary.renditions_made += len(image.renditions())
                except (OSError, ValueError) as error:
                    reason = f"its renditions could not be made ({error})"
                    summary.warn("library_image", image.pk, image.title, reason)

    def _record(self, summary: ImportSummary, tally: Tally) -> None:
        summary += tally
        for problem in tally.failures:
            self.log(f"Failed: {problem}")


def _attachment(post: Post) -> Attachment:
    """What the body converter needs to know of an attachment, for galleries."""
    return Attachment(
        wp_id=post.wp_id,
        url=post.attachment_url,
        title=post.display_title,
        alt=post.first_meta("_wp_attachment_image_alt") or post.display_title,
        caption=plain_text(post.excerpt),
        parent=post.parent,
        menu_order=post.menu_order,
    )


def run_import(
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    source_name: str = "",
    progress: ProgressCallback | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the export at `path`; raises WXRError (nothing written) for a bad file."""
    return WordPressImport(path, options, source_name=source_name, progress=progress, log=log).run()
