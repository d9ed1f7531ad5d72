"""Old WordPress addresses answer 301 with the new one.

Short links (`/?p=123`, `/?page_id=2`, `/?attachment_id=9`, `/?cat=5`, `/?tag=x`) are
caught before the view, because "/" is the home page and would answer 200. Archive
addresses (`/category/news/local/`, `/tag/x/`, `/author/jane/`) and story addresses
that differ only by a trailing or doubled slash are looked up when the page is a 404,
after `articles.middleware.StoryRedirectMiddleware` had its try.

Only listed stories are redirected to (`Story.objects.listed()`), so an old link
never reveals a draft nor lands on a 404; otherwise the request goes on as if nothing happened.
So it does for hostile values: an ID that is not ASCII digits (`?p=²`) or one no
database holds, and any path or value with a control character (NUL above all, which
PostgreSQL refuses), are never looked up.
"""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import HttpResponsePermanentRedirect

from articles.models import Story, StoryRedirect

from .models import ImportedItem, LegacyURL
from .wxr import MAX_ID

SHORT_LINK_PARAMETERS = ("p", "page_id", "attachment_id")
ARCHIVE_PARAMETERS = ("cat", "tag")
_PAGED = re.compile(r"/page/\d+/?$")
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def wordpress_id(value: str) -> int | None:
    """The ID of a short link (`?p=123`), or None for anything a database cannot look up.

    Not `str.isdigit()`: it accepts "²" and "①", which int() refuses.
    """
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def is_hostile(value: str) -> bool:
    """Whether `value` holds a control character, which no old address ever had."""
    return bool(_CONTROL_CHARACTERS.search(value))


class LegacyURLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and request.GET and request.path == "/":
            redirect = self.short_link(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        if request.GET:
            redirect = self.short_link(request)
            if redirect is not None:
                return redirect
        return self.old_path(request) or response

    def short_link(self, request) -> HttpResponsePermanentRedirect | None:
        for parameter in SHORT_LINK_PARAMETERS:
            wp_id = wordpress_id(request.GET.get(parameter, ""))
            if wp_id is not None:
                return self._item_redirect(wp_id, parameter)
        for parameter in ARCHIVE_PARAMETERS:
            value = request.GET.get(parameter, "")
            if value and not is_hostile(value):
                return self._legacy_redirect([f"/?{parameter}={value}"])
        return None

    def _item_redirect(self, wp_id: int, parameter: str) -> HttpResponsePermanentRedirect | None:
        items = ImportedItem.objects.filter(wp_id=wp_id)
        if parameter == "attachment_id":
            items = items.filter(kind=ImportedItem.Kind.ATTACHMENT)
        public = items.filter(story__in=Story.objects.listed()).select_related("story__section")
        item = public.first()
        if item is not None:
            return HttpResponsePermanentRedirect(item.story.get_absolute_url())
        if parameter == "attachment_id":
            # An attachment on no public story: its page led to the file itself.
            attachment = items.exclude(media="").filter(story=None).first()
            if attachment is not None:
                return HttpResponsePermanentRedirect(default_storage.url(attachment.media))
        return None

    def old_path(self, request) -> HttpResponsePermanentRedirect | None:
        if is_hostile(request.path):
            return None
        path = re.sub(r"/{2,}", "/", request.path)
        candidates = {path, path.rstrip("/") + "/" if path != "/" else path, path.rstrip("/")}
        unpaged = _PAGED.sub("/", path)
        candidates.add(unpaged)
        candidates.discard("")
        redirect = self._legacy_redirect(sorted(candidates))
        if redirect is not None:
            return redirect
        old = (
            StoryRedirect.objects.filter(old_path__in=candidates, story__in=Story.objects.listed())
            .select_related("story__section")
            .first()
        )
        if old is not None:
            return HttpResponsePermanentRedirect(old.story.get_absolute_url())
        return None

    def _legacy_redirect(self, paths: list[str]) -> HttpResponsePermanentRedirect | None:
        for legacy in LegacyURL.objects.filter(old_path__in=paths).select_related(
            "section", "tag", "byline"
        ):
            target = legacy.target_url()
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return None
