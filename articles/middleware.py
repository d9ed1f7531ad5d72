"""Request-level helpers: old-address redirects, and the base URL for absolute links."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from newsroom.middleware import has_control_characters

from .distribution.seo import remember_request_base
from .models import Story, StoryRedirect


class StoryRedirectMiddleware:
    """On a 404, look the path up among old story addresses (like contrib.redirects).

    Only listed stories are redirected to, so an old link never reveals an unpublished
    story, and never leads to a page that answers 404.
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
        if redirect is None:
            return response
        return HttpResponsePermanentRedirect(redirect.story.get_absolute_url())


class RequestBaseMiddleware:
    """Remember the request's scheme and host for absolute URLs in feeds and JSON-LD."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember_request_base(request)
        return self.get_response(request)
