"""The home page as its live layout arranges it, and the desk's preview of any layout."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from articles.caching.middleware import expire_page_at
from articles.compiled import CompiledQuery
from articles.views.public import HomeView

from .arranging import arrange
from .models import Front, split_live_and_next

# The live and the next layout, asked on every home page (compiled: the same SQL each time).
LIVE_OR_NEXT = CompiledQuery(Front, lambda now: Front.objects.live_or_next(now))


class CuratedHomeView(HomeView):
    """The home page. With no layout ever published it is arranged as before (the newest
    featured story leads); with one, as the live layout says."""

    def layout(self) -> tuple[Front | None, Front | None]:
        now = timezone.now()
        return split_live_and_next(LIVE_OR_NEXT.instances(now), now)

    def arrange(self) -> dict:
        now = timezone.now()
        self.front, upcoming = self.layout()
        if upcoming is not None:
            # A scheduled layout takes over at its time, on every cache too.
            expire_page_at(self.request, upcoming.goes_live_at)
        if self.front is None:
            return super().arrange()
        arranged = arrange(self.front, now)
        expire_page_at(self.request, arranged["changes_at"])
        return {
            **self.with_section_blocks(arranged["lead"], arranged["latest"], arranged["blocks"]),
            "alert": arranged["alert"],
        }


class PreviewHomeView(CuratedHomeView):
    """Any layout, draft or scheduled, exactly as readers would see it now (staff only)."""

    def layout(self):
        if not self.request.user.has_perm("fronts.view_front"):
            raise Http404
        return get_object_or_404(Front, pk=self.kwargs["pk"]), None

    def render_to_response(self, context, **response_kwargs):
        context["previewing"] = self.front
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response


# Served inside the admin (FrontAdmin.get_urls), whose admin_view asks for a staff login.
preview = PreviewHomeView.as_view()
