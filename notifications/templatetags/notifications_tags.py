"""The desk inbox on other desk pages: how many entries are unread."""

from django import template

register = template.Library()


@register.simple_tag
def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return user.notifications.unread().count()
