"""Public pages: home, sections, stories, bylines and tags.

Every queryset starts from `Story.objects.published()`, the one definition of public,
and loads what teasers show through `for_teasers()`, so each page runs a fixed number
of SQL queries however many stories it lists.
"""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from comments.selectors import comments_context

from .models import Byline, Correction, PreviewLink, Section, Story
from .revisions import snapshot

HOME_LATEST_COUNT = 10
HOME_STORIES_PER_SECTION = 4
RELATED_STORIES_COUNT = 3


def sections_with_lineage():
    """Active sections with parents (for breadcrumbs) and active children loaded."""
    return (
        Section.objects.active()
        .select_related("parent__parent__parent")
        .prefetch_related(Prefetch("children", queryset=Section.objects.active()))
    )


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = Story.objects.published().filter(section__is_active=True).for_teasers()
        lead = public.order_by("-is_featured", "-published_at", "-pk").first()
        latest = []
        section_blocks = []
        if lead is not None:
            latest = list(public.exclude(pk=lead.pk).newest_first()[:HOME_LATEST_COUNT])
            per_section = public.latest_per_section(HOME_STORIES_PER_SECTION).order_by(
                "section__position", "section__name", "section_id", "-published_at", "-pk"
            )
            section_blocks = [
                {"section": stories[0].section, "stories": stories}
                for stories in (
                    list(group) for _, group in groupby(per_section, key=lambda s: s.section_id)
                )
            ]
        context.update(lead=lead, latest=latest, section_blocks=section_blocks)
        return context


class PublicStoryListView(ListView):
    """A paginated list of public stories, newest first; a page past the end is a 404."""

    paginate_by = settings.NEWSROOM_STORIES_PER_PAGE
    context_object_name = "stories"
    template_name = "articles/story_list.html"

    def get_queryset(self):
        # A story in an inactive section answers 404, so lists must not link to it.
        stories = Story.objects.published().filter(section__is_active=True)
        return self.filter_stories(stories).for_teasers().newest_first()

    def filter_stories(self, stories):
        raise NotImplementedError


class SectionView(PublicStoryListView):
    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(sections_with_lineage(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_stories(self, stories):
        return stories.in_section(self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, page_title=self.section.name, **kwargs
        )


class BylineView(PublicStoryListView):
    template_name = "articles/byline_detail.html"

    def get(self, request, *args, **kwargs):
        self.byline = get_object_or_404(Byline, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_stories(self, stories):
        return stories.by_byline(self.byline)

    def get_context_data(self, **kwargs):
        return super().get_context_data(byline=self.byline, page_title=self.byline.name, **kwargs)


class TagView(PublicStoryListView):
    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_stories(self, stories):
        return stories.tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, page_title=self.tag.name, **kwargs)


class StoryDetailView(DetailView):
    """A story at its canonical address; other addresses for it answer 301.

    Staff who may change stories also see drafts and scheduled stories here (a preview),
    and those responses are never cached.
    """

    context_object_name = "story"

    def get_queryset(self):
        stories = Story.objects.all() if self.can_preview() else Story.objects.published()
        return (
            stories.for_teasers()
            .select_related("section__parent__parent__parent")
            .prefetch_related("tags", "secondary_sections", "corrections")
        )

    def can_preview(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.is_staff and user.has_perm("articles.change_story")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)
        if not self.object.section.is_active and not self.can_preview():
            raise Http404("This story's section is not active.")
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**story_page_context(self.object), **kwargs)


def story_page_context(story: Story) -> dict:
    """What the story template needs besides the story; shared with the previews."""
    related = (
        Story.objects.published()
        .filter(section_id=story.section_id)
        .exclude(pk=story.pk)
        .for_teasers()
        .newest_first()[:RELATED_STORIES_COUNT]
    )
    return {
        "story": story,
        "related_stories": related,
        "section": story.section,
        "page_title": story.headline,
        # Approved comments (one query, none when the count is 0) and the form while open.
        **comments_context(story),
    }


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


class CorrectionListView(ListView):
    """Every correction and clarification on public stories, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30

    def get_queryset(self):
        return (
            Correction.objects.public()
            .filter(kind__in=[Correction.Kind.CORRECTION, Correction.Kind.CLARIFICATION])
            .select_related("story__section")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title="Corrections and clarifications", **kwargs)
