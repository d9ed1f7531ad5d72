from django.conf import settings

from .models import Section


def site(request):
    """The site's name and its navigation, on every page.

    The section list is lazy: pages that do not show navigation (admin) pay nothing.
    """
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": Section.objects.active().filter(parent__isnull=True),
    }
