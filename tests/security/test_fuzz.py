"""No 500 anywhere: every URL pattern and every admin list filter, fed hostile values.

The patterns are read from the URLconf, and the admin's filters from the registered
model admins, so a page or filter added later is fuzzed without anyone remembering to.
Each value of the corpus goes into each place a request can carry one (a path
converter, a query value, a conditional header), one place at a time so the rest of the
request stays valid and the value reaches as deep as it can; hypothesis then mixes
them. Anonymous readers and staff both; any answer of 500 or more is a failure.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.models import PreviewLink, Story, StoryRedirect
from articles.revisions import story_versions
from tests.comments.factories import make_comment
from tests.factories import make_byline, make_section, make_story, make_superuser

# Hostile values: NUL and other controls, overlong, digits int() refuses (², ①, Arabic-
# Indic and full-width digits, which str.isdigit() accepts), huge and negative numbers,
# calendar edges, markup, path tricks, and invisible formatting characters.
CORPUS = [
    "\x00",
    "a\x00b",
    "\x0b",
    "\x1b[2J",
    "\u0085",
    "a" * 4096,
    "²",
    "①",
    "٣٤",
    "１２",
    "9" * 40,
    "-1",
    "0",
    "00",
    "9999",
    "1e9",
    "NaN",
    "last",
    "%",
    "%25",
    "..",
    "'\"<script>alert(1)</script>",
    "é",
    "😀",
    "\u202e",
    "\ufeff",
    " ",
]
# The values a query string carries: every list's page, and the search form's fields.
QUERY_NAMES = ["page", "q", "section", "byline", "date_from", "date_to", "comment"]
# Every page reads `page` (the canonical link) and may read others; the search page reads
# them all, so it gets the whole corpus in each, and other pages a shorter one.
QUERY_CORPUS = ["\x00", "a" * 4096, "²", "9" * 40, "-1", "😀"]
CONDITIONAL_HEADERS = {
    "HTTP_IF_NONE_MATCH": ['"', '"a", W/', "x" * 8000, 'W/"\x7f"'],
    "HTTP_IF_MODIFIED_SINCE": [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 99999 08:49:37 GMT",
        "Mon, 32 Foo 2024 99:99:99 GMT",
        "9" * 40,
    ],
}


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: its route with `{name}` slots, and a valid value for each."""

    name: str
    route: str
    valid: dict[str, str]

    def path(self, **values: str) -> str:
        filled = {**self.valid, **values}
        return "/" + self.route.format(
            **{k: urllib.parse.quote(v, safe="") for k, v in filled.items()}
        )


def url_patterns(patterns=None, prefix: str = ""):
    """Every (route, pattern) of the URLconf, admin excluded, with nested includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def newsletter_links() -> dict[str, str]:
    """Working signed links of the newsletter pages (confirm, manage, unsubscribe)."""
    from newsletters.models import Newsletter, SignupRequest, Subscriber
    from newsletters.tokens import confirm_token, manage_token, unsubscribe_token

    daily, _ = Newsletter.objects.get_or_create(
        kind="daily", defaults={"name": "Daily digest", "slug": "daily-digest"}
    )
    subscriber = Subscriber.objects.create(email="fuzz@example.org", confirmed_at=timezone.now())
    subscriber.newsletters.add(daily)
    signup = SignupRequest.objects.create(email="fuzz@example.org")
    signup.newsletters.add(daily)
    return {
        "confirm": confirm_token(signup),
        "manage": manage_token(subscriber),
        "unsubscribe": unsubscribe_token(subscriber, daily.pk, None),
    }


@pytest.fixture
def newsroom(db):
    """A little of everything, so every pattern has valid values to start from."""
    section = make_section(name="Harbor", slug="harbor")
    byline = make_byline(name="Ada Reporter", slug="ada-reporter")
    story = make_story(section=section, bylines=[byline], tags=["ferries"], slug="ferry")
    make_story(
        section=section, slug="the-draft", status=Story.Status.DRAFT, published_at=None
    )  # fmt: skip
    make_story(section=section, slug="soon", published_at=timezone.now() + timedelta(days=1))
    comment = make_comment(story)
    StoryRedirect.objects.create(old_path="/old/ferry/", story=story)
    chief = make_superuser(username="fuzz-chief")
    version = story_versions(story).first()
    if version is None:
        import reversion

        with reversion.create_revision():
            reversion.add_to_revision(story)
        version = story_versions(story).first()
    link = PreviewLink.objects.create(story=story, version=version, created_by=chief)
    newsletter_tokens = newsletter_links()
    date = timezone.localtime(story.published_at)
    valid = {
        "slug": story.slug,
        "section": section.slug,
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "story_pk": str(story.pk),
        "comment_pk": str(comment.pk),
        "signed": link.signed_token(),
        "path": "nothing-here.jpg",
        "pk": "1",  # a desk inbox entry (notifications), an edition or an import
        "token": newsletter_tokens["manage"],
    }
    per_name = {
        "byline": {"slug": byline.slug},
        "byline_feed": {"slug": byline.slug},
        "byline_feed_atom": {"slug": byline.slug},
        "tag": {"slug": "ferries"},
        "tag_feed": {"slug": "ferries"},
        "tag_feed_atom": {"slug": "ferries"},
        "section": {"slug": section.slug},
        "section_feed": {"slug": section.slug},
        "section_feed_atom": {"slug": section.slug},
        "sitemap-section": {"section": "stories"},
        "confirm": {"token": newsletter_tokens["confirm"]},
        "unsubscribe": {"token": newsletter_tokens["unsubscribe"]},
    }
    patterns = []
    for route, entry in url_patterns():
        names = list(entry.pattern.converters)
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("^", "").replace("$", "")
        values = {**{n: valid[n] for n in names}, **per_name.get(entry.name or "", {})}
        patterns.append(Pattern(entry.name or route, template, values))
    return {"patterns": patterns, "chief": chief, "story": story}


def anonymous() -> Client:
    return Client(raise_request_exception=True)


def staff(chief) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(chief)
    return client


def fetch(client: Client, path: str, failures: list, **headers) -> None:
    """GET `path`; record a 5xx or an exception instead of stopping at the first."""
    try:
        status = client.get(path, **headers).status_code
    except Exception as error:  # noqa: BLE001 -- every failure is collected and reported
        failures.append(f"{path[:200]!r} {headers}: {type(error).__name__}: {error}"[:400])
        return
    if status >= 500:
        failures.append(f"{path[:200]!r} {headers}: {status}")


def fuzz_patterns(client: Client, patterns: list[Pattern], *, paths_only=False) -> list[str]:
    failures: list[str] = []
    for pattern in patterns:
        fetch(client, pattern.path(), failures)
        for slot in pattern.valid:
            for value in CORPUS:
                fetch(client, pattern.path(**{slot: value}), failures)
        if paths_only:
            continue
        names = QUERY_NAMES if pattern.name == "search" else ["page", "comment"]
        corpus = CORPUS if pattern.name == "search" else QUERY_CORPUS
        for name in names:
            for value in corpus:
                query = urllib.parse.urlencode({name: value})
                fetch(client, f"{pattern.path()}?{query}", failures)
        for header, values in CONDITIONAL_HEADERS.items():
            for value in values:
                fetch(client, pattern.path(), failures, **{header: value})
    return failures


def test_the_urlconf_is_read_whole(newsroom):
    """The fuzzed patterns include the nested includes and the sections' catch-alls."""
    names = {pattern.name for pattern in newsroom["patterns"]}
    assert {"home", "story", "archive_day", "shared_preview", "reply", "robots"} <= names


def test_no_public_pattern_answers_500_to_anonymous_readers(newsroom):
    failures = fuzz_patterns(anonymous(), newsroom["patterns"])
    assert not failures, "\n".join(failures[:40])


def test_no_public_pattern_answers_500_to_staff(newsroom):
    # Staff see previews of drafts and bypass the page cache: other code paths.
    # The queries and headers reach the same code as a reader's; hypothesis mixes them in.
    failures = fuzz_patterns(staff(newsroom["chief"]), newsroom["patterns"], paths_only=True)
    assert not failures, "\n".join(failures[:40])


# The admin ------------------------------------------------------------------------------


def changelist_parameters(model_admin, user) -> tuple[set[str], set[str]]:
    """The query parameters the model's change list reads: its filters' parameters, the
    date hierarchy's, search, ordering and paging; and each local field as a lookup
    (Django applies any local field lookup it is given, as `?ip_address=` showed)."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {"q", "o", "p", "e", "all", "_to_field", "_popup"}
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    fields = {
        field.name for field in model_admin.model._meta.concrete_fields if not field.is_relation
    }
    return names, fields - names


# Local fields as lookups get the values their column types refuse; filters get them all.
FIELD_CORPUS = ["not-an-address", "9" * 40, "-1"]
ADMIN_CORPUS = [
    "\x00",
    "a" * 4096,
    "²",
    "9" * 40,
    "-1",
    "not-an-address",
    "2024-13-45",
]


def test_no_admin_change_list_filter_answers_500(newsroom):
    client = staff(newsroom["chief"])
    failures: list[str] = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        filters, fields = changelist_parameters(model_admin, newsroom["chief"])
        for names, corpus in ((filters, ADMIN_CORPUS), (fields, FIELD_CORPUS)):
            for name in sorted(names):
                for value in corpus:
                    fetch(client, f"{url}?{urllib.parse.urlencode({name: value})}", failures)
    assert not failures, "\n".join(failures[:40])


def test_no_admin_autocomplete_answers_500(newsroom):
    client = staff(newsroom["chief"])
    failures: list[str] = []
    url = reverse("admin:autocomplete")
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            for value in ADMIN_CORPUS:
                query = {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field,
                    "term": value,
                }
                fetch(client, f"{url}?{urllib.parse.urlencode(query)}", failures)
                fetch(client, f"{url}?{urllib.parse.urlencode({**query, 'page': value})}", failures)
    assert not failures, "\n".join(failures[:40])


# Hypothesis: mixtures the corpus alone does not try ------------------------------------

values = st.one_of(st.sampled_from(CORPUS), st.text(max_size=40))


@given(data=st.data())
def test_mixed_hostile_requests_never_answer_500(newsroom, data):
    """Any pattern, any slots replaced, any query and headers, as a reader or as staff."""
    pattern = data.draw(st.sampled_from(newsroom["patterns"]), label="pattern")
    replaced = data.draw(
        st.dictionaries(st.sampled_from(sorted(pattern.valid) or ["-"]), values, max_size=3)
    )
    replaced = {k: v for k, v in replaced.items() if k in pattern.valid}
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=3))
    headers = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                header: st.sampled_from(choices) for header, choices in CONDITIONAL_HEADERS.items()
            },
        )
    )
    as_staff = data.draw(st.booleans(), label="as staff")
    client = staff(newsroom["chief"]) if as_staff else anonymous()
    path = pattern.path(**replaced)
    if query:
        path += "?" + urllib.parse.urlencode(query)
    failures: list[str] = []
    fetch(client, path, failures, **headers)
    assert not failures, failures[0]


@pytest.mark.parametrize("query", ["p=²", "page_id=²", "attachment_id=①"])
def test_wordpress_short_links_with_odd_digits_never_answer_500(newsroom, query):
    failures: list[str] = []
    fetch(anonymous(), f"/?{query}", failures)
    assert not failures, failures[0]
