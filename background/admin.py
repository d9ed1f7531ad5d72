"""Failed tasks on the desk: what failed, why, and "Run again"."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from .models import FailedTask


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "failed_at", "attempts", "short_error", "is_resolved"]
    list_filter = ["task_name", ("resolved_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "task_name", "task_id", "args", "kwargs", "error", "attempts", "failed_at",
        "resolved_at",
    ]  # fmt: skip
    actions = ["run_again", "dismiss"]

    @admin.display(description="error")
    def short_error(self, failed: FailedTask) -> str:
        return failed.error[:120]

    @admin.display(boolean=True, description="resolved")
    def is_resolved(self, failed: FailedTask) -> bool:
        return failed.resolved_at is not None

    def has_add_permission(self, request) -> bool:
        return False  # rows are made by the queue only

    @admin.action(permissions=["change"], description="Run the selected tasks again")
    def run_again(self, request, queryset) -> None:
        count = 0
        for failed in queryset.unresolved():
            failed.run_again()
            count += 1
        self.message_user(request, f"{count} task(s) queued again.")

    @admin.action(permissions=["change"], description="Dismiss the selected failures")
    def dismiss(self, request, queryset) -> None:
        count = queryset.unresolved().update(resolved_at=timezone.now())
        self.message_user(request, f"{count} failure(s) dismissed.")
