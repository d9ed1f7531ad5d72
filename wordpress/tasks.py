"""The desk's WordPress import, run on the task queue so no web request waits for it.

An import may be run again safely (items already imported are updated or skipped, never
duplicated), so a retry after a lost database connection is harmless.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from celery import shared_task
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .importer import ImportConfigError, ImportOptions, run_import
from .wxr import WXRError

# Progress is written at most this often, so a large import is not slowed by it.
PROGRESS_SECONDS = 0.5


@shared_task(
    name="wordpress.run_import",
    autoretry_for=(OperationalError,),
    max_retries=2,
    retry_backoff=30,
)
def run_import_task(run_id: int) -> None:
    from django.contrib.auth import get_user_model

    from . import uploads_zip as uploads_zip_module
    from .forms import imports_dir, server_uploads_dir
    from .models import ImportRun

    run = ImportRun.objects.get(pk=run_id)
    if run.status == ImportRun.Status.DONE:  # delivered again after it finished
        return
    if run.status == ImportRun.Status.FAILED and not Path(run.export_path).exists():
        return  # a refused file (its error is on the page): nothing is left to import
    # Queued, interrupted (a killed worker) or failed on the way (run again from the
    # desk's failed tasks): the import is written to be run again, so it starts over.
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.RUNNING, error="", finished_at=None
    )
    options = dict(run.options)
    use_uploads = options.pop("use_uploads", False)
    uploads_zip = options.pop("uploads_zip", "")
    uploads = server_uploads_dir() if use_uploads else None
    unpacked, left_out = None, {}
    if uploads_zip:
        if not Path(uploads_zip).is_file():
            _finish(run_id, status=ImportRun.Status.FAILED, error="The uploads zip is gone.")
            return
        unpacked = imports_dir() / f"uploads-{run_id}"
        uploads_zip_module.remove(unpacked)  # a run interrupted half way
        try:
            uploads, left_out = uploads_zip_module.unpack(Path(uploads_zip), unpacked)
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            uploads_zip_module.remove(unpacked)
            _finish(
                run_id, status=ImportRun.Status.FAILED, error=f"The uploads zip is damaged: {error}"
            )
            return
    user = get_user_model().objects.filter(pk=run.created_by_id).first()
    import_options = ImportOptions(uploads=uploads, created_by=user, **options)
    last = [0.0]

    def progress(done: int, total: int, unit: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS or done >= total:
            last[0] = now
            # Its own small write, outside the import's transactions (and, for a dry
            # run's, in the cache), so the page sees it.
            run.record_progress(done, total, unit)

    try:
        summary = run_import(
            run.export_path, import_options, source_name=run.source_name, progress=progress
        )
        # Left out of the zip: listed with the files the import refused.
        summary.refused_files.update({f"(zip) {name}": why for name, why in left_out.items()})
    except (WXRError, ImportConfigError) as error:
        _finish(run_id, status=ImportRun.Status.FAILED, error=str(error))
        return
    except Exception as error:
        # Retried (a lost connection) or not, the page must not say "Importing" forever:
        # it shows the error, and the desk's failed tasks keep the task to run again.
        last_try = not isinstance(error, OperationalError) or (
            run_import_task.request.retries >= run_import_task.max_retries
        )
        if last_try:
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
        raise
    finally:
        uploads_zip_module.remove(unpacked)
    html = render_to_string("admin/wordpress/_summary.html", {"summary": summary})
    _finish(run_id, status=ImportRun.Status.DONE, summary_html=html)


def _finish(run_id: int, **fields) -> None:
    from .models import ImportRun

    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        ImportRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **fields)
    for kept in (run.export_path, run.options.get("uploads_zip")):
        if kept and Path(kept).exists():
            os.unlink(kept)
