"""Previews: a story exactly as readers will see it, before they can.

Staff open previews from the desk; a reviewer without an account opens a signed share
link. Previews are never cached and never indexed.
"""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views import View

from articles.models import PreviewLink, Story
from articles.revisions import snapshot

from .public import story_page_context


def render_preview(request, story: Story, *, shared: bool = False):
    """The story page exactly as readers will see it, never cached and never indexed."""
    context = story_page_context(story)
    context.update(is_preview=True, is_shared_preview=shared)
    response = TemplateResponse(request, "articles/story_detail.html", context)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class SharedPreviewView(View):
    """A reviewer without an account sees the revision a signed link was made for.

    Tampered, expired and revoked links are 404s, and so is every link while the story
    is under embargo. Nothing here touches the admin or the reader's session.
    """

    def get(self, request, signed: str):
        link = PreviewLink.from_signed(signed)
        if link is None or link.story.is_embargoed:
            raise Http404("This preview link is not valid.")
        return render_preview(request, snapshot(link.version), shared=True)
