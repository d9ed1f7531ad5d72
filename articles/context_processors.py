from django.conf import settings
from django.utils.translation import to_locale

from .distribution.seo import absolute_url, logo_url
from .models import Section


def site(request):
    """The site's name and its navigation, on every page.

    The section list is lazy: pages that do not show navigation (admin) pay nothing.
    """
    page = request.GET.get("page")
    paged = page and page.isdigit() and page != "1"
    canonical = absolute_url(request.path) + (f"?page={page}" if paged else "")
    return {
        "canonical_url": canonical,
        "site_logo_url": logo_url(),
        "site_name": settings.NEWSROOM_SITE_NAME,
        # Open Graph wants a locale such as en_US, not a language code such as en-us.
        "og_locale": to_locale(settings.LANGUAGE_CODE),
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": Section.objects.active().filter(parent__isnull=True),
    }
