"""What a WordPress import leaves behind: which item became which story, and old addresses.

`ImportedItem` lets a second import of the same export update stories instead of
duplicating them, and notice when an editor changed a story here in the meantime.
`LegacyURL` keeps the old archive addresses (categories, tags, authors) that are not a
story's; old story addresses go into `articles.StoryRedirect` like any other.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Byline, Section, Story


class ImportedItem(models.Model):
    """One WordPress post, page or attachment, and the story it became."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"

    site = models.CharField(
        max_length=200,
        help_text="The WordPress site it came from: host and path of its address.",
    )
    wp_id = models.PositiveBigIntegerField("WordPress ID")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=255, blank=True)
    story = models.ForeignKey(
        Story,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wordpress_items",
        help_text="The story the post or page became; for an attachment, the story it belongs to.",
    )
    story_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "The story's edit count right after the import. A different count means "
            "someone edited the story here, and a re-import leaves it alone."
        ),
    )
    media = models.CharField(
        "stored file", max_length=500, blank=True, help_text="For attachments: the copied file."
    )
    content_hash = models.CharField(
        max_length=64, help_text="Fingerprint of the WordPress item; unchanged means skip."
    )
    comment_ids = models.JSONField(
        default=dict, blank=True, help_text="WordPress comment ID → comment imported from it."
    )
    first_imported_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="unique_wordpress_item")
        ]
        # /?p=ID short links look an item up by its ID alone.
        indexes = [models.Index(fields=["wp_id"], name="wordpress_item_wp_id")]
        permissions = [("import_wordpress", "Can import WordPress exports")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.wp_id} from {self.site}"


class LegacyURL(models.Model):
    """An old WordPress archive address (category, tag or author) and where it leads now."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="As readers request it, e.g. /category/news/local/ or /?cat=12.",
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    byline = models.ForeignKey(
        Byline, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    site = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "legacy URL"
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(section__isnull=False, tag__isnull=True, byline__isnull=True)
                    | Q(section__isnull=True, tag__isnull=False, byline__isnull=True)
                    | Q(section__isnull=True, tag__isnull=True, byline__isnull=False)
                ),
                name="legacy_url_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.old_path

    def target_url(self) -> str | None:
        """Where the old address leads now, or None when that page is not public."""
        if self.section_id is not None:
            return self.section.get_absolute_url() if self.section.is_active else None
        if self.tag_id is not None:
            # A tag page with no listed story answers 404: no redirect may land there.
            if not Story.objects.listed().tagged(self.tag).exists():
                return None
            return reverse("articles:tag", kwargs={"slug": self.tag.slug})
        return self.byline.get_absolute_url()


class ImportRun(models.Model):
    """One import started from the desk, run by the task queue; its page shows progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the queue"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    source_name = models.CharField("export", max_length=255)
    export_path = models.CharField(
        max_length=500, help_text="The uploaded file, kept until the import ends."
    )
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    unit = models.CharField(max_length=50, blank=True)
    # The summary as the import page renders it (admin/wordpress/_summary.html, escaped
    # by the template), kept so the page can show it after the worker is gone.
    summary_html = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.source_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    # Progress also goes to the cache: a dry run imports inside a transaction that is
    # rolled back, so its writes to this row are seen by no other connection.
    def _progress_key(self) -> str:
        return f"wordpress.import-progress.{self.pk}"

    def record_progress(self, done: int, total: int, unit: str) -> None:
        cache.set(self._progress_key(), (done, total, unit), 24 * 3600)
        ImportRun.objects.filter(pk=self.pk).update(done=done, total=total, unit=unit)

    def with_latest_progress(self) -> ImportRun:
        """This run, with the newest progress its import has recorded."""
        if not self.is_finished:
            latest = cache.get(self._progress_key())
            if latest and latest[0] >= self.done:
                self.done, self.total, self.unit = latest
        return self
