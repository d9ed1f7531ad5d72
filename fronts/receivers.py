"""A layout's change purges the home page (its pages carry the `home` surrogate key)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.caching import keys
from articles.caching.purging import purge

from .models import Front, Pin, SectionBlock


@receiver([post_save, post_delete], sender=Front)
@receiver([post_save, post_delete], sender=Pin)
@receiver([post_save, post_delete], sender=SectionBlock)
def layout_changed(sender, **kwargs) -> None:
    purge({keys.HOME})
