"""Request-level helpers: old-address redirects, and the base URL for absolute links."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from newsroom.middleware import has_control_characters

from .distribution.seo import remember_request_base
from .models import Section, SectionRedirect, Story, StoryRedirect, TagRedirect


class StoryRedirectMiddleware:
    """On a 404, look the path up among old addresses (like contrib.redirects): a story's
    old URL, and the old slug of a renamed, merged or folded tag or section (its page and
    its feeds, /tag/<old>/feed/ → /tag/<new>/feed/).

    Only what readers may see is redirected to (a listed story, a tag listed stories
    carry, an active section), so an old link never reveals an unpublished story, and
    never leads to a page that answers 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No old address holds a control character, and a NUL is an error to PostgreSQL.
        if response.status_code != 404 or has_control_characters(request.path):
            return response
        redirect = (
            StoryRedirect.objects.filter(old_path=request.path, story__in=Story.objects.listed())
            .select_related("story__section")
            .first()
        )
        if redirect is not None:
            return HttpResponsePermanentRedirect(redirect.story.get_absolute_url())
        target = moved_list_page(request.path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


# The pages under a tag's or a section's slug that follow it when it moves.
LIST_PAGE_TAILS = ("", "feed/", "feed/atom/")


def moved_list_page(path: str) -> str | None:
    """Where a tag or section page (or feed) at an old slug lives now, or None."""
    parts = path.strip("/").split("/")
    if parts[0] == "tag" and len(parts) >= 2:
        slug, tail = parts[1], "/".join(parts[2:])
        if tail and f"{tail}/" not in LIST_PAGE_TAILS:
            return None
        redirect = (
            TagRedirect.objects.filter(old_slug=slug, tag__in=Story.objects.listed().tags_in_use())
            .select_related("tag")
            .first()
        )
        return f"/tag/{redirect.tag.slug}/{tail + '/' if tail else ''}" if redirect else None
    slug, tail = parts[0], "/".join(parts[1:])
    if not slug or (tail and f"{tail}/" not in LIST_PAGE_TAILS):
        return None
    if Section.objects.filter(slug=slug, is_active=True).exists():
        return None
    redirect = (
        SectionRedirect.objects.filter(old_slug=slug, section__is_active=True)
        .select_related("section")
        .first()
    )
    if redirect is None:
        return None
    return f"{redirect.section.get_absolute_url()}{tail + '/' if tail else ''}"


class RequestBaseMiddleware:
    """Remember the request's scheme and host for absolute URLs in feeds and JSON-LD."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember_request_base(request)
        return self.get_response(request)
