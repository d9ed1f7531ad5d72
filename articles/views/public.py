"""Public pages: home, sections, stories, bylines, tags and corrections.

Every list starts from `Story.objects.listed()` (public, in an active section) and loads
what teasers show through `for_teasers()`, so each page runs a fixed number of SQL
queries however many stories it lists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from articles import workflow
from articles.caching import keys
from articles.caching.middleware import expire_page_at
from articles.compiled import CompiledQuery
from articles.models import (
    Byline,
    Correction,
    Section,
    Story,
    StoryByline,
    attach_credits,
    credits_prefetch,
    section_url,
    split_newest_and_featured,
    story_url,
)
from articles.models.addresses import quick_reverser
from library import placements

HOME_LATEST_COUNT = 10
HOME_STORIES_PER_SECTION = 4
HOME_SECTION_CANDIDATES = 400
RELATED_STORIES_COUNT = 3
# What a headline in a section block shows: its words, its address and its date (a
# listed story always has its publication time).
HEADLINE_COLUMNS = ("pk", "headline", "slug", "published_at", "section_id", "section__slug",
                    "section__name")  # fmt: skip


# The home page's latest stories and featured lead, in SQL worked out once (compiled).
HOME_STORIES = CompiledQuery(
    Story,
    lambda now: (
        Story.objects.listed(now)
        .without_body()
        .with_teaser_fields()
        .newest_or_featured(HOME_LATEST_COUNT + 1)
    ),
)


# Their credits: the bylines of the same stories, in order.
HOME_CREDITS = CompiledQuery(
    StoryByline,
    lambda now: (
        StoryByline.objects.filter(
            story__in=Story.objects.listed(now)
            .newest_or_featured(HOME_LATEST_COUNT + 1)
            .values("pk")
        )
        .select_related("byline")
        .order_by("position", "pk")
    ),
)


def sections_with_lineage():
    """Active sections with parents (for breadcrumbs) and active children loaded."""
    return (
        Section.objects.active()
        .select_related("parent__parent__parent")
        .prefetch_related(Prefetch("children", queryset=Section.objects.active()))
    )


class SurrogateKeysMixin:
    """Name what a page shows in its Surrogate-Key header, for caches (articles.caching)."""

    def get_surrogate_keys(self, context) -> set[str]:
        return set()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return keys.set_surrogate_keys(response, self.get_surrogate_keys(context))


class HomeView(SurrogateKeysMixin, TemplateView):
    """The home page: a lead, the latest stories, and a block per section.

    Without a curated layout (the `fronts` app, which subclasses this view), the newest
    featured story leads, the rest are newest first and the blocks follow section order.
    """

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"alert": None, **self.arrange()})
        return context

    def arrange(self) -> dict:
        now = timezone.now()
        rows = HOME_STORIES.instances(now)
        # Their bylines, read beside them rather than prefetched (compiled too).
        attach_credits(rows, HOME_CREDITS.instances(now))
        # The newest featured story leads; without one, the newest story.
        newest, lead = split_newest_and_featured(rows, HOME_LATEST_COUNT + 1)
        lead = lead or (newest[0] if newest else None)
        latest = [story for story in newest if lead and story.pk != lead.pk][:HOME_LATEST_COUNT]
        return self.with_section_blocks(lead, latest)

    def with_section_blocks(self, lead, latest, chosen: list[tuple[int, int]] | None = None):
        """The section blocks under `lead` and `latest`, and the bylines of all of them.

        `chosen` is [(section id, how many stories)] in order; None: every section with
        recent stories, in section order, HOME_STORIES_PER_SECTION each.
        """
        if lead is None:
            return {"lead": None, "latest": [], "section_blocks": []}
        # One query loads the bylines of the lead and the latest (the blocks show none),
        # unless they came with them.
        shown = [lead, *latest]
        if any(
            "story_bylines" not in getattr(story, "_prefetched_objects_cache", {})
            for story in shown
        ):
            prefetch_related_objects(shown, credits_prefetch())
        return {"lead": lead, "latest": latest, "section_blocks": section_blocks(chosen)}

    def get_surrogate_keys(self, context) -> set[str]:
        shown = [context["lead"]] if context["lead"] else []
        shown += context["latest"]
        in_blocks = [line for block in context["section_blocks"] for line in block["stories"]]
        return {
            keys.HOME,
            *keys.teaser_keys(shown),
            *(keys.story(line["pk"]) for line in in_blocks),
            *(keys.section(line["section_id"]) for line in in_blocks),
        }


def section_blocks(chosen: list[tuple[int, int]] | None = None) -> list[dict]:
    """The home page's section blocks: each section's newest headlines.

    `chosen` is [(section id, how many stories)] in order; None: every section with
    recent stories, in section order, HOME_STORIES_PER_SECTION each. A block is a dict
    {"pk", "slug", "name", "url", "stories"}, and each of its stories a dict {"pk",
    "section_id", "headline", "url", "datetime", "day"}: rows rather than model instances,
    with the address and the dates written once here (a page has 160 of them; the
    template only prints them, which is what the template language does fast).
    """
    if chosen is None:
        rows = newest_per_section(HOME_STORIES_PER_SECTION)
    else:
        wanted = dict(chosen)
        rows = [row for row in newest_per_section(max(wanted.values())) if row[4] in wanted]
    blocks: dict[int, dict] = {}
    months: dict[int, str] = {}
    zone = timezone.get_current_timezone()  # what timezone.localtime() would ask each time
    reverser = quick_reverser()  # and the script prefix, which story_url() would ask
    for pk, headline, slug, published_at, section_id, section_slug, section_name, _ in rows:
        block = blocks.get(section_id)
        if block is None:
            block = blocks[section_id] = {
                "pk": section_id, "slug": section_slug, "name": section_name,
                "url": section_url(section_slug, reverser=reverser), "stories": [],
            }  # fmt: skip
        local = published_at.astimezone(zone)
        if local.month not in months:
            months[local.month] = dateformat.format(local, "M")  # "Nov", in the language
        block["stories"].append({
            "pk": pk, "section_id": section_id, "headline": headline,
            "url": story_url(section_slug, local, slug, reverser=reverser),
            "datetime": local.isoformat(),  # what |date:"c" writes
            "day": f"{months[local.month]} {local.day}",  # what |date:"M j" writes
        })  # fmt: skip
    if chosen is None:
        return list(blocks.values())
    return [
        {**blocks[pk], "stories": blocks[pk]["stories"][:count]}
        for pk, count in chosen
        if pk in blocks
    ]


# The newest listed stories' headline columns (compiled: the same SQL on every request).
NEWEST_HEADLINES = CompiledQuery(
    Story,
    lambda now: (
        Story.objects.listed(now)
        .newest_first()
        .values_list(*HEADLINE_COLUMNS, "section__position")[:HOME_SECTION_CANDIDATES]
    ),
)


def newest_per_section(count: int) -> list[list]:
    """The newest `count` listed stories of each section, among the newest
    HOME_SECTION_CANDIDATES of all (so the home page costs the same with 100 or 100,000
    stories in the archive; a section silent for that long has none), in section order
    and newest first, as rows of HEADLINE_COLUMNS and the section's position.

    One pass over an index: the newest stories (the ORM's own query, `listed()` and all)
    are ranked per section where they are read. The ORM can only rank in a query of its
    own, which looked each of them up again by id: twice the database's time.
    """
    sql, params, compiler = NEWEST_HEADLINES.sql_and_compiler(timezone.now())
    columns = "pk, headline, slug, published_at, section_id, section_slug, section_name, position"
    ranked = (
        f"WITH newest ({columns}) AS ({sql})"  # noqa: S608 -- the ORM's SQL; values are parameters
        f" SELECT {columns} FROM (SELECT newest.*, ROW_NUMBER() OVER (PARTITION BY section_id"
        " ORDER BY published_at DESC, pk DESC) AS place FROM newest) ranked"
        " WHERE place <= %s"
        " ORDER BY position, section_name, section_id, published_at DESC, pk DESC"
    )
    with connections[compiler.using].cursor() as cursor:
        cursor.execute(ranked, [*params, count])
        rows = cursor.fetchall()
    # Column values as the ORM would give them (SQLite's times come back as text).
    return list(compiler.results_iter(results=[rows]))


class BoundedCountPaginator(Paginator):
    """Counts at most COUNT_LIMIT stories, so a list page costs the same in a section of
    a thousand stories or of a hundred thousand; pages past the limit are not offered."""

    COUNT_LIMIT = 5000

    @cached_property
    def count(self) -> int:
        # Only ids, in no order: neither the teaser columns (nor the comment counts) nor
        # a sort of every matching story is needed to count.
        return self.object_list.order_by().values("pk")[: self.COUNT_LIMIT].count()


class PublicStoryListView(SurrogateKeysMixin, ListView):
    """A paginated list of public stories, newest first; a page past the end is a 404."""

    paginator_class = BoundedCountPaginator

    paginate_by = settings.NEWSROOM_STORIES_PER_PAGE
    context_object_name = "stories"
    template_name = "articles/story_list.html"

    def get_queryset(self):
        return self.filter_stories(Story.objects.listed()).for_teasers().newest_first()

    def filter_stories(self, stories):
        raise NotImplementedError

    def get_surrogate_keys(self, context) -> set[str]:
        return {*self.list_keys(), *keys.teaser_keys(context["stories"])}

    def list_keys(self) -> set[str]:
        raise NotImplementedError


class SectionView(PublicStoryListView):
    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(sections_with_lineage(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_stories(self, stories):
        return stories.in_section(self.section)

    def get_queryset(self):
        """Newest first, after the stories the desk pinned (SectionPin) while they hold.

        The pins come with the section row (`Section.pinned`), and ordering by them
        costs no query: a pin that ran out, or a story no longer listed, simply drops.
        """
        now = timezone.now()
        pinned, ends = [], []
        for story_id, until in self.section.pinned:
            until = parse_datetime(until) if until else None
            if (until is None or until > now) and story_id not in pinned:
                pinned.append(story_id)
                ends += [until] if until else []
        expire_page_at(self.request, min(ends, default=None))
        return self.filter_stories(Story.objects.listed()).for_teasers().pinned_first(pinned)

    def list_keys(self) -> set[str]:
        return {keys.section(self.section.pk), keys.section_stories(self.section.pk)}

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

    def list_keys(self) -> set[str]:
        return {keys.byline(self.byline.pk), keys.byline_stories(self.byline.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(byline=self.byline, page_title=self.byline.name, **kwargs)


class TagView(PublicStoryListView):
    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Story.objects.listed().tags_in_use(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_stories(self, stories):
        return stories.tagged(self.tag)

    def list_keys(self) -> set[str]:
        return {keys.tag(self.tag.pk), keys.tag_stories(self.tag.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, page_title=self.tag.name, **kwargs)


class StoryDetailView(SurrogateKeysMixin, DetailView):
    """A story at its canonical address; other addresses for it answer 301.

    Staff who may change stories also see drafts and scheduled stories here (a preview),
    and those responses are never cached.
    """

    context_object_name = "story"

    def get_queryset(self):
        # Previews show any story; readers only listed ones (a story in an inactive
        # section is not found).
        stories = Story.objects.all() if self.can_preview() else Story.objects.listed()
        # Bylines are loaded with the related stories' (story_page_context).
        return (
            stories.with_teaser_fields()
            .select_related("section__parent__parent__parent")
            .annotate(has_corrections=Exists(Correction.objects.filter(story=OuterRef("pk"))))
            .prefetch_related("tags", "secondary_sections")
        )

    def get_object(self, queryset=None):
        story = super().get_object(queryset)
        # Most stories have no correction: then the page asks for none (one query fewer).
        if story.has_corrections:
            prefetch_related_objects([story], "corrections")
        else:
            story._prefetched_objects_cache["corrections"] = Correction.objects.none()
        return story

    def can_preview(self) -> bool:
        return workflow.may_preview(self.request.user)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**story_page_context(self.object), **kwargs)

    def get_surrogate_keys(self, context) -> set[str]:
        story = context["story"]
        return {
            # Its related stories come from its section's list.
            keys.section_stories(story.section_id),
            *keys.teaser_keys([story, *context["related_stories"]]),
            *(keys.tag(tag.pk) for tag in story.tags.all()),
            *(keys.section(section.pk) for section in story.secondary_sections.all()),
        }


def story_page_context(story: Story) -> dict:
    """What the story template needs besides the story; shared with the previews."""
    related = list(
        Story.objects.listed()
        .filter(section_id=story.section_id)
        .exclude(pk=story.pk)
        .without_body()
        .with_teaser_fields()
        .newest_first()[:RELATED_STORIES_COUNT]
    )
    # One query for the bylines of the story and of its related stories.
    prefetch_related_objects([story, *related], credits_prefetch())
    return {
        "story": story,
        # The galleries, audio and video the body places: no query when it places none,
        # a fixed number otherwise (library/placements.py).
        "body_placements": placements.load(story.body),
        "related_stories": related,
        "section": story.section,
        "page_title": story.headline,
    }


class CorrectionListView(SurrogateKeysMixin, ListView):
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

    def get_surrogate_keys(self, context) -> set[str]:
        return {keys.CORRECTIONS, *(keys.story(c.story_id) for c in context["corrections"])}
