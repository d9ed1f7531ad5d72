"""Untrusted input never answers 500: the audit's reported cases, and the guard that
refuses control characters before any view or query reads them."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.middleware import StoryRedirectMiddleware
from articles.models import StoryLogEntry
from newsroom.middleware import HostileInputMiddleware, hostile_part
from tests.comments.factories import make_comment
from tests.factories import make_story, make_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def staff(superuser_client):
    superuser_client.raise_request_exception = False
    return superuser_client


# The reported cases ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/%00/", "/preview/%00/", "/?cat=%00", "/search/?q=%00"])
def test_nul_in_a_public_address_is_a_bad_request(client, path):
    """A NUL that would have reached the database in a redirect lookup answers 400."""
    make_story()
    assert client.get(path).status_code == 400


def test_the_last_day_of_the_calendar_is_not_found(client):
    """/archive/9999/12/31/ has no day after it: a 404, not an OverflowError."""
    make_story()
    assert client.get("/archive/9999/12/31/").status_code == 404


def test_the_first_day_of_the_calendar_is_not_found(client):
    assert client.get("/archive/0001/01/01/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/story/?kind=%00",
        "/admin/articles/story/?status=%00",
        "/admin/articles/story/?q=%00",
        "/admin/comments/comment/?ip_address=%00",
        "/admin/autocomplete/?app_label=articles&model_name=story&field_name=section&term=%00",
    ],
)
def test_nul_in_a_staff_address_is_a_bad_request(staff, path):
    make_comment(make_story())
    assert staff.get(path).status_code == 400


def test_a_nul_in_a_timeline_note_is_refused_and_nothing_is_written(staff):
    story = make_story()
    url = reverse("admin:articles_story_note", args=[story.pk])
    response = staff.post(url, {"note": "Call the mayor\x00 back"})
    assert response.status_code == 400
    assert not StoryLogEntry.objects.filter(story=story, action="note").exists()


def test_a_nul_in_a_comment_is_refused(client):
    story = make_story()
    response = client.post(
        reverse("comments:post", args=[story.pk]),
        {"author_name": "Ann\x00", "text": "Hello", "author_email": ""},
    )
    assert response.status_code == 400
    assert not story.comments.exists()


# The guard ------------------------------------------------------------------------------

factory = RequestFactory()


@pytest.mark.parametrize(
    "path",
    ["/%00/", "/a%0Ab/", "/tab%09/", "/del%7F/", "/c1%C2%85/", "/?q=%1B", "/?%00=x", "/?page=%0D"],
)
def test_control_characters_in_paths_and_queries_are_refused(path):
    request = factory.get(path)
    assert hostile_part(request) in {"path", "query"}


@pytest.mark.parametrize(
    "path",
    ["/", "/caf%C3%A9/", "/?q=%C2%B2", "/?q=hello+world", "/?q=%E2%80%8D", "/?q=%F0%9F%98%80"],
)
def test_ordinary_addresses_pass(path):
    """Non-ASCII letters, digits and emoji (with joiners) are not control characters."""
    assert hostile_part(factory.get(path)) is None


def test_control_characters_other_than_nul_in_a_form_are_left_to_the_form():
    """A vertical tab pasted into a story is cleaned on save, not refused as an attack."""
    request = factory.post("/", {"body": "one\x0btwo\r\nthree\tfour"})
    assert hostile_part(request) is None
    assert hostile_part(factory.post("/", {"body": "one\x00two"})) == "form"
    assert hostile_part(factory.post("/", {"bo\x00dy": "x"})) == "form"


def test_a_refused_request_reaches_no_view_and_no_query(django_assert_num_queries):
    def view(request):
        raise AssertionError("the view must not run")

    middleware = HostileInputMiddleware(view)
    with django_assert_num_queries(0):
        response = middleware(factory.get("/%00/"))
    assert response.status_code == 400
    assert b"cannot be read" in response.content


def test_the_redirect_middleware_alone_never_sends_a_nul_to_the_database(client):
    """Behind the guard, too: a NUL in a 404's path is no old address, so no lookup."""
    from django.http import HttpResponseNotFound

    middleware = StoryRedirectMiddleware(lambda request: HttpResponseNotFound())
    assert middleware(factory.get("/%00/")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/comments/comment/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/axes/accessfailurelog/",
    ],
)
@pytest.mark.parametrize("value", ["not-an-address", "-1", "999.1.1.1"])
def test_a_list_filtered_by_something_that_is_no_address_resets_its_filters(staff, path, value):
    """PostgreSQL's inet column refused these with a 500; the list checks them first."""
    make_comment(make_story())
    response = staff.get(path, {"ip_address": value})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_comments_from_one_address_can_still_be_listed(staff):
    comment = make_comment(make_story(), ip_address="203.0.113.9")
    make_comment(comment.story, ip_address="198.51.100.1")
    response = staff.get(
        "/admin/comments/comment/", {"ip_address": "203.0.113.9", "moderation": "all"}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [comment]


def test_a_year_too_large_for_a_date_resets_the_filters(staff):
    """Django's own date hierarchy raised OverflowError for it (newsroom/admin_guards.py)."""
    make_story()
    response = staff.get("/admin/articles/story/", {"published_at__year": "9" * 40})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_correction_kind_that_is_not_one_of_the_kinds_is_refused_and_not_stored(staff):
    """The kind is shown to readers, so a forged one must never be stored."""
    from articles.models import Correction, WorkflowError

    story = make_story()
    url = reverse("admin:articles_story_workflow", args=[story.pk, "correct"])
    response = staff.post(url, {"note": "A fix.", "kind": "<b>breaking</b>"})
    assert response.status_code == 302
    assert not Correction.objects.filter(story=story).exists()
    with pytest.raises(WorkflowError, match="kind"):
        story.correct(by=story.created_by or make_superuser(), note="A fix.", kind="bogus")
    assert not Correction.objects.filter(story=story).exists()
