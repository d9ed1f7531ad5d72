"""The admin's upload form for a WordPress import."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings

from .uploads_zip import check_zip


def server_uploads_dir() -> Path | None:
    """A copy of wp-content/uploads on the server, if the operator configured one.

    Files cannot be uploaded through a form by the thousand, so the form can only point
    at a directory set in NEWSROOM_WORDPRESS_UPLOADS, never at a path an editor types.
    """
    configured = getattr(settings, "NEWSROOM_WORDPRESS_UPLOADS", "")
    return Path(configured) if configured else None


def imports_dir() -> Path:
    """Where uploaded exports wait for the worker: NEWSROOM_IMPORTS_DIR (a directory the
    worker can read, on the same machine or shared), else the system's temporary one."""
    configured = getattr(settings, "NEWSROOM_IMPORTS_DIR", "")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "newsroom-imports"


def _keep(upload, folder: Path, suffix: str) -> str:
    """Copy an uploaded file where the worker can read it; its path."""
    handle, path = tempfile.mkstemp(suffix=suffix, dir=folder)
    with os.fdopen(handle, "wb") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return path


class WordPressImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export",
        help_text="The .xml file from Tools → Export in WordPress. For exports of more than "
        "a few thousand posts, use the import_wordpress command instead (see the "
        "migration guide).",
    )
    dry_run = forms.BooleanField(
        label="Dry run: show what would happen, write nothing",
        required=False,
        initial=True,
    )
    skip_pages = forms.BooleanField(
        label="Leave WordPress pages out (otherwise they become stories in “Pages”)",
        required=False,
    )
    keep_pingbacks = forms.BooleanField(
        label="Import pingbacks and trackbacks as comments", required=False
    )
    overwrite = forms.BooleanField(
        label="Replace stories edited here since the last import", required=False
    )
    use_uploads = forms.BooleanField(
        label="Read images from the server's copy of wp-content/uploads", required=False
    )
    uploads_zip = forms.FileField(
        label="The uploads folder, as a zip file",
        required=False,
        help_text="Optional: wp-content/uploads zipped, for the export's images. Only "
        "JPEG, PNG, GIF and WebP files are kept; anything else is listed in the summary.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        uploads = server_uploads_dir()
        if uploads is None:
            del self.fields["use_uploads"]
        else:
            self.fields["use_uploads"].help_text = str(uploads)
            self.fields["use_uploads"].initial = True

    def clean_uploads_zip(self):
        upload = self.cleaned_data.get("uploads_zip")
        if upload:
            check_zip(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("uploads_zip") and data.get("use_uploads"):
            self.add_error(
                "uploads_zip",
                "Either read the server's copy of the uploads or send a zip, not both.",
            )
        return data

    def queue(self, *, user):
        """Keep the upload where the worker can read it, and queue the import.

        Without a broker the task runs at once, inside this request (as before);
        with one, a worker runs it while the desk's progress page follows it.
        """
        from django.db import transaction

        from .models import ImportRun
        from .tasks import run_import_task

        data = self.cleaned_data
        upload = data["export"]
        folder = imports_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = _keep(upload, folder, ".xml")
        uploads_zip = _keep(data["uploads_zip"], folder, ".zip") if data.get("uploads_zip") else ""
        run = ImportRun.objects.create(
            source_name=upload.name[:255],
            export_path=path,
            created_by=user,
            options={
                "dry_run": data["dry_run"],
                "overwrite": data["overwrite"],
                "import_pages": not data["skip_pages"],
                "keep_pingbacks": data["keep_pingbacks"],
                "use_uploads": bool(data.get("use_uploads")),
                "uploads_zip": uploads_zip,
            },
        )
        transaction.on_commit(lambda: run_import_task.delay(run.pk))
        return run
