"""Reader search over public stories: the form, the query and the page.

On PostgreSQL this is full-text search: an English configuration (so "bridges" finds
"bridge"), the headline weighted above the dek above the body, results ranked by
`ts_rank` and a body snippet with the matched words highlighted by `ts_headline`. The
weighted document is exactly the expression of the GIN index made by migration
0005_story_search_index, so PostgreSQL answers the match from the index.

On SQLite (laptops, quick tests) there is no full-text engine to rely on, so every word
must appear somewhere in headline, dek or body (a case-insensitive substring match),
and a headline match ranks above a dek match above a body match. See docs/search.md.

Like every public surface, the search starts from `Story.objects.published()`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.generic import ListView

from .models import Byline, Section, Story, StoryByline

MAX_QUERY_LENGTH = 200
# The SQLite fallback runs three LIKEs per word; a cap keeps a long query cheap.
MAX_FALLBACK_WORDS = 8
LATEST_ON_EMPTY_PAGE = 5

# PostgreSQL text-search configuration: English stemming and stop words.
SEARCH_CONFIG = "english"

# ts_headline wraps matches in these. They are control characters that never occur in
# a sanitised body (the query strips them anyway), so after the database returns the
# snippet, Python can split on them and let the template escape every piece of text:
# no HTML from the body, and no HTML built here, ever reaches the page unescaped.
MATCH_START = "\x01"
MATCH_STOP = "\x02"
# Tags become spaces before ts_headline sees the body; the markers are removed too.
TAGS_AND_MARKERS = rf"<[^>]*>|[{MATCH_START}{MATCH_STOP}]"

SNIPPET_WORDS_AROUND = 15


class StoredSearchDocument(Expression):
    """The story's weighted full-text document, stored by PostgreSQL (migration 0007).

    Headline (A) above dek (B) above body (C), in English, computed once per save and
    indexed with GIN. The column is not a model field because SQLite has no equivalent;
    this expression names it on whatever alias the query gives the story table.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def story_search_vector() -> StoredSearchDocument:
    return StoredSearchDocument()


# --- The form -------------------------------------------------------------------------


class DatePicker(forms.DateInput):
    """A browser date picker. It only accepts YYYY-MM-DD, so other text is not echoed."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        return value


class SearchForm(forms.Form):
    """What a reader searches for, and where; every field is optional."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Words from a headline or story"}),
        error_messages={
            "max_length": (
                f"That search is too long. Use a few words (at most {MAX_QUERY_LENGTH} characters)."
            ),
            "null_characters_not_allowed": (
                "That search contains characters that cannot be searched for. Type the words again."
            ),
        },
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.active(),
        required=False,
        empty_label="All sections",
        error_messages={"invalid_choice": "Choose a section from the list."},
    )
    byline = forms.ModelChoiceField(
        label="Written by",
        queryset=Byline.objects.none(),  # set in __init__: only bylines with public stories
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a name from the list."},
    )
    date_from = forms.DateField(
        label="Published on or after",
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": "Enter a date such as 2024-03-31."},
    )
    date_to = forms.DateField(
        label="Published on or before",
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": "Enter a date such as 2024-03-31."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["byline"].queryset = Byline.objects.filter(
            Exists(
                StoryByline.objects.filter(
                    byline=OuterRef("pk"), story__in=Story.objects.published()
                )
            )
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("articles:search")
        self.helper.form_id = "search-form"
        # A GET form changes nothing, so it needs no CSRF token (and pages stay cacheable).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("q"),
            Fieldset("Narrow the results", "section", "byline", "date_from", "date_to"),
            # A nameless button, so "&submit=Search" does not clutter the address.
            StrictButton("Search", type="submit", css_class="btn-primary"),
        )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        # Control and formatting characters can't be typed meaningfully; drop them.
        query = "".join(ch for ch in query if unicodedata.category(ch) not in {"Cc", "Cf"})
        query = " ".join(query.split())
        if query and not re.search(r"\w", query):
            raise forms.ValidationError(
                "Search for at least one word or number: punctuation alone matches nothing.",
                code="no_words",
            )
        return query

    def clean(self) -> dict:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", "This date is before the first date; swap them or change one."
            )
        return cleaned

    def has_criteria(self) -> bool:
        """True when the reader asked for anything: words or at least one filter."""
        return self.is_valid() and any(self.cleaned_data.values())


# --- The query ------------------------------------------------------------------------


def search_stories(
    *,
    q: str = "",
    section: Section | None = None,
    byline: Byline | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Story]:
    """Public stories matching the words and filters, best match first, teaser-ready.

    Without words, the filtered stories come newest first.
    """
    # A story in an inactive section answers 404, so results must not link to it.
    stories = Story.objects.published().filter(section__is_active=True)
    if section is not None:
        # Secondary sections count, as on the section page.
        stories = stories.in_section(section)
    if byline is not None:
        stories = stories.by_byline(byline)
    if date_from is not None:
        stories = stories.filter(published_at__gte=start_of_local_day(date_from))
    if date_to is not None and date_to < date.max:
        stories = stories.filter(published_at__lt=start_of_local_day(date_to + timedelta(1)))
    stories = stories.for_teasers()
    if not q:
        return stories.newest_first()
    if connections[stories.db].vendor == "postgresql":
        return _full_text_search(stories, q)
    return _word_search(stories, q)


def start_of_local_day(day: date) -> datetime:
    """Midnight at the start of `day` in the site's time zone, as readers count days."""
    return timezone.make_aware(datetime.combine(day, time.min))


# Ranking reads each matching story's whole text, so only the newest matches are ranked:
# a common word in a 100,000-story archive must not mean ranking 30,000 stories.
RANKED_MATCHES = 300


def _full_text_search(stories: QuerySet[Story], q: str) -> QuerySet[Story]:
    query = search_query(q)
    # The GIN index finds the matches; ranking happens only among the newest of them.
    newest_matches = (
        stories.alias(document=story_search_vector())
        .filter(document=query)
        .order_by("-published_at", "-pk")
        .values("pk")[:RANKED_MATCHES]
    )
    # An alias, not an annotation: computed only to sort the page query, not again by the
    # paginator's count. Snippets come later, for one page only.
    return (
        stories.filter(pk__in=newest_matches)
        .alias(rank=SearchRank(story_search_vector(), query))
        .order_by("-rank", "-published_at", "-pk")
    )


def search_query(q: str) -> SearchQuery:
    # websearch syntax never raises on odd input: quotes, "or", "-word" all just work.
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def marked_snippets(story_ids: list[int], q: str, *, using: str) -> dict[int, str]:
    """ts_headline over each story's body text, matches between the marker characters.

    A separate query over one page of stories: ts_headline is the costliest part of a
    search, and in the main query it would run for every match, not just 20.
    """
    query = search_query(q)
    body_text = Func(F("body"), Value(TAGS_AND_MARKERS), Value(" "), Value("g"),
                     function="regexp_replace")  # fmt: skip
    headline = SearchHeadline(
        body_text,
        query,
        config=SEARCH_CONFIG,
        start_sel=MATCH_START,
        stop_sel=MATCH_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return dict(
        Story.objects.using(using)
        .filter(pk__in=story_ids)
        .annotate(marked=headline)
        .values_list("pk", "marked")
    )


def fallback_words(q: str) -> list[str]:
    """The distinct words of `q` without surrounding punctuation, for the SQLite search."""
    words: dict[str, str] = {}
    for raw in q.split():
        word = raw.strip("\"'“”‘’«»()[]{}<>.,;:!?¿¡-–—*+/\\|")
        if word and re.search(r"\w", word):
            words.setdefault(word.casefold(), word)
    return list(words.values())[:MAX_FALLBACK_WORDS]


def _word_search(stories: QuerySet[Story], q: str) -> QuerySet[Story]:
    words = fallback_words(q)
    if not words:
        return stories.none()
    every_word = Q()
    score = Value(0)
    for word in words:
        every_word &= Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        score += Case(
            When(headline__icontains=word, then=Value(3)),
            When(dek__icontains=word, then=Value(2)),
            When(body__icontains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    # An alias, as on PostgreSQL: only the page query computes it, to sort.
    return stories.filter(every_word).alias(rank=score).order_by("-rank", "-published_at", "-pk")


# --- Snippets -------------------------------------------------------------------------


@dataclass(frozen=True)
class SnippetPart:
    """A run of snippet text; the template wraps matched runs in <mark> and escapes all."""

    text: str
    is_match: bool = False


def snippet_from_markers(marked: str | None) -> list[SnippetPart]:
    """Parts of a ts_headline result, split at the match markers; [] when nothing matched."""
    if not marked or MATCH_START not in marked:
        return []
    parts: list[SnippetPart] = []
    is_match = False
    for piece in re.split(f"([{MATCH_START}{MATCH_STOP}])", marked):
        if piece in (MATCH_START, MATCH_STOP):
            is_match = piece == MATCH_START
        elif piece:
            # The body is stored as HTML, so its text still holds entities such as &amp;.
            parts.append(SnippetPart(re.sub(r"\s+", " ", html.unescape(piece)), is_match))
    return parts


def snippet_around_first_match(body_html: str, words: list[str]) -> list[SnippetPart]:
    """The words around the first match in the body's text, every match marked."""
    if not words:
        return []
    text = " ".join(html.unescape(strip_tags(body_html)).split())
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)),
        re.IGNORECASE,
    )
    first = pattern.search(text)
    if first is None:
        return []
    spans = [(token.start(), token.end()) for token in re.finditer(r"\S+", text)]
    index = next(i for i, (start, end) in enumerate(spans) if end > first.start())
    window = spans[max(0, index - SNIPPET_WORDS_AROUND) : index + SNIPPET_WORDS_AROUND + 1]
    start, end = window[0][0], window[-1][1]
    excerpt = text[start:end]
    parts = [SnippetPart("… ")] if start > 0 else []
    position = 0
    for match in pattern.finditer(excerpt):
        if match.start() > position:
            parts.append(SnippetPart(excerpt[position : match.start()]))
        parts.append(SnippetPart(match.group(), is_match=True))
        position = match.end()
    if position < len(excerpt):
        parts.append(SnippetPart(excerpt[position:]))
    if end < len(text):
        parts.append(SnippetPart(" …"))
    return parts


def attach_snippets(stories: list[Story], q: str) -> None:
    """Give each story a `snippet`: body text around the match, or [] when none."""
    if not stories or not q:
        return
    using = stories[0]._state.db
    if connections[using].vendor == "postgresql":
        marked = marked_snippets([story.pk for story in stories], q, using=using)
        for story in stories:
            story.snippet = snippet_from_markers(marked.get(story.pk))
    else:
        words = fallback_words(q)
        for story in stories:
            story.snippet = snippet_around_first_match(story.body, words)


# --- The page -------------------------------------------------------------------------


class SearchView(ListView):
    """The search page: the form, then results 20 a page; never indexed by robots.

    An invalid search shows the form with its errors and no results, never an error
    page; an empty one shows a hint and the latest stories.
    """

    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = settings.NEWSROOM_STORIES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # Unbound on a bare /search/, so the first visit shows no "required" errors.
        self.form = SearchForm(request.GET or None)
        self.searched = self.form.is_bound and self.form.has_criteria()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.searched:
            return Story.objects.none()
        return search_stories(**self.form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.searched:
            page = context["page_obj"]
            page.object_list = list(page.object_list)
            attach_snippets(page.object_list, self.form.cleaned_data["q"])
            context["stories"] = context["object_list"] = page.object_list
        latest = []
        if not self.searched and not self.form.errors:
            latest = (
                Story.objects.published()
                .filter(section__is_active=True)
                .for_teasers()
                .newest_first()[:LATEST_ON_EMPTY_PAGE]
            )
        query = self.form.cleaned_data.get("q", "") if self.searched else ""
        context.update(
            form=self.form,
            searched=self.searched,
            query=query,
            latest_stories=latest,
            page_title=f"Search: {query}" if query else "Search",
        )
        return context
