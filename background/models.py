"""What the task queue could not do: a task that failed after its last retry.

Celery retries a task a bounded number of times (each task says how often, with
`max_retries`); when the last attempt fails too, a `FailedTask` row keeps its name, its
arguments and the error, so nothing is lost: the desk lists it (Background tasks ›
Failed tasks), and "Run again" queues it anew.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class FailedTaskQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)


class FailedTask(models.Model):
    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=100, blank=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    error = models.TextField(help_text="The last attempt's error.")
    attempts = models.PositiveIntegerField(default=1)
    failed_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when it was run again or dismissed."
    )

    objects = FailedTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_name} failed {self.failed_at:%Y-%m-%d %H:%M}"

    def run_again(self) -> None:
        """Queue the task again with the same arguments, and mark this failure resolved."""
        from newsroom.celery import app

        task = app.tasks.get(self.task_name)
        if task is not None:  # apply_async runs it at once when there is no broker
            task.apply_async(args=self.args, kwargs=self.kwargs)
        else:
            app.send_task(self.task_name, args=self.args, kwargs=self.kwargs)
        self.resolved_at = timezone.now()
        self.save(update_fields=["resolved_at"])
