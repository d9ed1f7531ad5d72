from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import to_locale

from .caching import keys
from .compiled import CompiledQuery
from .distribution.seo import absolute_url, logo_url
from .models import Section

# The query, compiled once (articles.compiled): the same SQL on every page.
NAVIGATION = CompiledQuery(
    Section,
    lambda now: (
        Section.objects.active()
        .filter(parent__isnull=True)
        .only("pk", "name", "slug", "position", "parent_id")
    ),
    timed=False,
)

# A safety net: a section changed without a signal (a bulk update) shows within this.
NAVIGATION_SECONDS = 60


def navigation() -> list[Section]:
    """The active top-level sections, from the cache: one query a minute, not a page."""
    sections = cache.get(keys.NAVIGATION_ENTRY)
    if sections is None:
        sections = NAVIGATION.instances()
        cache.set(keys.NAVIGATION_ENTRY, sections, NAVIGATION_SECONDS)
    return sections


def site(request):
    """The site's name and its navigation, on every page.

    The section list is lazy: pages that do not show navigation (admin) pay nothing,
    and it comes from the cache (`navigation`), so most pages pay no query for it.
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
        "nav_sections": SimpleLazyObject(navigation),
    }
