from django import template

register = template.Library()


@register.simple_tag
def failed_task_count(user) -> int:
    """Failed tasks not yet run again or dismissed, for those who may see them (else 0)."""
    if not user.has_perm("background.view_failedtask"):
        return 0
    from ..models import FailedTask

    return FailedTask.objects.unresolved().count()
