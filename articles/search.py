"""Reader search over listed stories: the query and the snippets (the page: views/search.py).

On PostgreSQL this is full-text search: an English configuration (so "bridges" finds
"bridge"), the headline weighted above the dek above the body, results ranked by
`ts_rank` and a body snippet with the matched words highlighted by `ts_headline`. The
weighted document is exactly the expression of the GIN index made by migration
0005_story_search_index, so PostgreSQL answers the match from the index.

On SQLite (laptops, quick tests) there is no full-text engine to rely on, so every word
must appear somewhere in headline, dek or body (a case-insensitive substring match),
and a headline match ranks above a dek match above a body match. See docs/search.md.

Like every list, the search starts from `Story.objects.listed()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import (
    Case,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from .models import Byline, Section, Story

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
# The body's text holds no markup (articles.text), but ts_headline would still take a
# literal "<script>" in it for a tag and drop it: angle brackets travel as these two
# control characters (never in stored text) and come back in Python.
LESS_THAN = "\x03"
GREATER_THAN = "\x04"

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
    stories = Story.objects.listed()
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
    # Snippets are cut from the body's text here, so it is read with the rows.
    return _word_search(stories.defer(None).defer("body"), q)


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
    body_text = Func(
        F("body_text"), Value("<>"), Value(LESS_THAN + GREATER_THAN), function="translate"
    )
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
        every_word &= (
            Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body_text__icontains=word)
        )
        score += Case(
            When(headline__icontains=word, then=Value(3)),
            When(dek__icontains=word, then=Value(2)),
            When(body_text__icontains=word, then=Value(1)),
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
            piece = piece.replace(LESS_THAN, "<").replace(GREATER_THAN, ">")
            parts.append(SnippetPart(re.sub(r"\s+", " ", piece), is_match))
    return parts


def snippet_around_first_match(body_text: str, words: list[str]) -> list[SnippetPart]:
    """The words around the first match in the body's text, every match marked."""
    if not words:
        return []
    text = " ".join(body_text.split())
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
            story.snippet = snippet_around_first_match(story.body_text, words)
