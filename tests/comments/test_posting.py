"""Readers posting comments: the form, moderation by default, and the guards against abuse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import PreviewLink, Story
from comments.limits import RateLimit, parse_rate
from comments.models import Comment
from tests.comments.factories import comment_data, make_comment, page, post_url, text_of
from tests.factories import css, form_data, make_section, make_story

pytestmark = pytest.mark.django_db

THANKS = "Thanks — your comment is awaiting moderation."


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 30
    settings.NEWSROOM_COMMENT_RATE_LIMIT = "3/10m"
    settings.NEWSROOM_COMMENT_MAX_LENGTH = 3000
    return settings


@pytest.fixture
def story(db) -> Story:
    return make_story(headline="Bridge closes for repairs")


# --- The form --------------------------------------------------------------------------


def test_story_page_shows_the_crispy_comment_form(client, story):
    doc = page(client.get(story.get_absolute_url()))
    (form,) = css(doc, "form#comment-form")
    assert form.get("method") == "post"
    assert form.get("action") == post_url(story)
    # No CSRF token, so the page sets no cookie and can be cached for every reader.
    assert not css(form, 'input[name="csrfmiddlewaretoken"]')
    for name in ("author_name", "author_email"):
        (field,) = css(form, f'input[name="{name}"]')
        assert "form-control" in field.get("class")
    (textarea,) = css(form, 'textarea[name="text"]')
    assert textarea.get("maxlength") == "3000"
    assert css(form, 'input.btn.btn-primary[type="submit"]')
    assert "Never shown; only the editors see it." in text_of(form)


def test_honeypot_is_hidden_from_people(client, story):
    doc = page(client.get(story.get_absolute_url()))
    (honeypot,) = css(doc, 'form#comment-form input[name="website"]')
    assert honeypot.get("tabindex") == "-1"
    assert honeypot.get("autocomplete") == "off"
    wrapper = honeypot.xpath("ancestor::div[contains(@class, 'visually-hidden')]")
    assert wrapper and wrapper[0].get("aria-hidden") == "true"


# --- Posting ---------------------------------------------------------------------------


def test_posted_comment_waits_for_moderation_and_is_not_shown(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    data = form_data(html, "comment-form")
    data.update(comment_data(text="Nobody told the bus company."))

    response = client.post(post_url(story), data, HTTP_USER_AGENT="TestBrowser/1.0")

    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?comment=pending#comments"
    comment = Comment.objects.get()
    assert comment.story == story
    assert comment.status == Comment.Status.PENDING
    assert (comment.author_name, comment.author_email) == ("Dana Whitfield", "dana@example.org")
    assert comment.ip_address == "127.0.0.1"
    assert comment.user_agent == "TestBrowser/1.0"
    assert comment.parent is None

    thanks = client.get(response["Location"]).content.decode()
    assert THANKS in thanks
    assert "Nobody told the bus company." not in thanks
    assert "1 comment" not in thanks


def test_posting_works_with_csrf_checks_on(story):
    """Anonymous comments need no CSRF token, and the story page sets no cookie."""
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(story.get_absolute_url())
    assert not response.cookies
    data = form_data(response.content.decode(), "comment-form")
    assert "csrfmiddlewaretoken" not in data
    data.update(comment_data())
    assert browser.post(post_url(story), data).status_code == 302
    assert Comment.objects.count() == 1


def test_reply_form_posts_with_csrf_checks_on(story):
    parent = make_comment(story)
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(reverse("comments:reply", args=[story.pk, parent.pk])).content.decode()
    data = form_data(html, "comment-form")
    data.update(comment_data(parent=str(parent.pk)))
    assert browser.post(post_url(story), data).status_code == 302


def test_thanks_note_only_after_posting(client, story):
    assert THANKS not in client.get(story.get_absolute_url()).content.decode()


def test_posting_needs_post(client, story):
    assert client.get(post_url(story)).status_code == 405


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Story.Status.DRAFT, "published_at": None},
        {"status": Story.Status.REVIEW, "published_at": None},
        {"status": Story.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
        {"embargo_until": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "review", "unpublished", "scheduled", "embargoed"],
)
def test_story_that_is_not_public_refuses_comments(client, hidden):
    story = make_story(**hidden)
    response = client.post(post_url(story), comment_data())
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_story_in_inactive_section_refuses_comments(client):
    story = make_story(section=make_section(is_active=False))
    assert client.post(post_url(story), comment_data()).status_code == 404
    assert not Comment.objects.exists()


def test_unknown_story_is_404(client):
    response = client.post(reverse("comments:post", kwargs={"story_pk": 999999}), comment_data())
    assert response.status_code == 404


# --- Honeypot --------------------------------------------------------------------------


def test_filled_honeypot_pretends_success_and_stores_nothing(client, story):
    response = client.post(post_url(story), comment_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?comment=pending#comments"
    assert not Comment.objects.exists()


# --- Invalid input ---------------------------------------------------------------------


def test_invalid_form_rerenders_story_page_keeping_what_was_typed(client, story):
    typed = "A long thought about the bridge,\nwith a second line & <angle> brackets."
    response = client.post(post_url(story), comment_data(author_email="not-an-address", text=typed))
    assert response.status_code == 200
    assert not Comment.objects.exists()
    doc = page(response)
    assert text_of(css(doc, "h1.story__headline")[0]) == "Bridge closes for repairs"
    (form,) = css(doc, "form#comment-form")
    assert css(form, 'input[name="author_name"]')[0].get("value") == "Dana Whitfield"
    assert css(form, 'input[name="author_email"]')[0].get("value") == "not-an-address"
    assert css(form, 'textarea[name="text"]')[0].text.strip("\r\n") == typed
    assert "is-invalid" in css(form, 'input[name="author_email"]')[0].get("class")
    assert "Enter a valid email address." in text_of(form)


@pytest.mark.parametrize("missing", ["author_name", "author_email", "text"])
def test_name_email_and_text_are_required(client, story, missing):
    response = client.post(post_url(story), comment_data(**{missing: "   "}))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_name_longer_than_100_characters_is_refused(client, story):
    response = client.post(post_url(story), comment_data(author_name="N" * 101))
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert not Comment.objects.exists()
    assert client.post(post_url(story), comment_data(author_name="N" * 100)).status_code == 302


def test_text_longer_than_the_setting_is_refused(client, story, settings):
    settings.NEWSROOM_COMMENT_MAX_LENGTH = 50
    response = client.post(post_url(story), comment_data(text="x" * 51))
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 50 characters" in html
    assert "x" * 51 in html  # kept for the reader to shorten
    assert not Comment.objects.exists()
    assert client.post(post_url(story), comment_data(text="x" * 50)).status_code == 302


def test_line_break_counts_as_one_character(client, story, settings):
    """Browsers send CRLF but count one character per line break in maxlength."""
    settings.NEWSROOM_COMMENT_MAX_LENGTH = 10
    assert client.post(post_url(story), comment_data(text="abcd\r\nefgh")).status_code == 302
    assert Comment.objects.get().text == "abcd\nefgh"


# --- Rate limit ------------------------------------------------------------------------


def test_rate_limit_per_address(client, story):
    for number in range(3):
        response = client.post(post_url(story), comment_data(text=f"Comment {number}"))
        assert response.status_code == 302

    response = client.post(post_url(story), comment_data(text="One more thought."))

    assert response.status_code == 429
    html = response.content.decode()
    assert "several comments in a short time" in html
    assert "One more thought." in html  # nothing lost
    assert Comment.objects.count() == 3

    other = client.post(
        post_url(story), comment_data(text="From next door."), REMOTE_ADDR="198.51.100.4"
    )
    assert other.status_code == 302


def test_rate_limit_window_passes(client, story):
    start = timezone.now()
    with freeze_time(start):
        for _ in range(3):
            client.post(post_url(story), comment_data())
        assert client.post(post_url(story), comment_data()).status_code == 429
    with freeze_time(start + timedelta(minutes=10, seconds=1)):
        assert client.post(post_url(story), comment_data()).status_code == 302


def test_rate_limit_counts_comments_on_every_story(client, story):
    other = make_story()
    for _ in range(3):
        make_comment(other, ip_address="127.0.0.1", status=Comment.Status.PENDING)
    assert client.post(post_url(story), comment_data()).status_code == 429


def test_rate_limit_can_be_switched_off(client, story, settings):
    settings.NEWSROOM_COMMENT_RATE_LIMIT = "0/1m"
    for _ in range(5):
        assert client.post(post_url(story), comment_data()).status_code == 302


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3/10m", RateLimit(3, timedelta(minutes=10))),
        ("5/h", RateLimit(5, timedelta(hours=1))),
        (" 20 / 1d ", RateLimit(20, timedelta(days=1))),
        ("0/1m", RateLimit(0, timedelta(minutes=1))),
    ],
)
def test_rate_setting_is_parsed(value, expected):
    assert parse_rate(value) == expected


@pytest.mark.parametrize("value", ["3", "3/10", "three/10m", "3/0m", "3/10w", ""])
def test_bad_rate_setting_is_a_system_check_error(settings, value):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(value)
    settings.NEWSROOM_COMMENT_RATE_LIMIT = value
    assert "comments.E001" in [error.id for error in run_checks()]


# --- Closing ---------------------------------------------------------------------------


def test_comments_closed_per_story(client):
    story = make_story(allow_comments=False)
    make_comment(story, text="An earlier approved comment.")

    html = client.get(story.get_absolute_url()).content.decode()
    assert "Comments are closed." in html
    assert 'id="comment-form"' not in html
    assert "An earlier approved comment." in html  # still shown

    response = client.post(post_url(story), comment_data())
    assert response.status_code == 403
    assert "Comments are closed." in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_close_by_themselves_after_the_set_days(client):
    published = timezone.now() - timedelta(hours=1)
    story = make_story(published_at=published)

    with freeze_time(published + timedelta(days=30) - timedelta(minutes=1)):
        assert 'id="comment-form"' in client.get(story.get_absolute_url()).content.decode()
        assert client.post(post_url(story), comment_data()).status_code == 302

    with freeze_time(published + timedelta(days=30, minutes=1)):
        html = client.get(story.get_absolute_url()).content.decode()
        assert "Comments are closed." in html
        assert 'id="comment-form"' not in html
        assert client.post(post_url(story), comment_data()).status_code == 403
    assert Comment.objects.count() == 1


def test_close_after_days_is_a_setting(client, settings):
    story = make_story(published_at=timezone.now() - timedelta(days=5))
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 3
    assert client.post(post_url(story), comment_data()).status_code == 403
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 0  # never close by themselves
    old = make_story(published_at=timezone.now() - timedelta(days=4000))
    assert client.post(post_url(old), comment_data()).status_code == 302


# --- Previews --------------------------------------------------------------------------


def test_staff_preview_of_a_draft_has_no_comment_form(client, editor):
    draft = make_story(status=Story.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'id="comment-form"' not in response.content.decode()


def test_admin_preview_of_a_public_story_has_no_comment_form(client, superuser, story):
    client.force_login(superuser)
    response = client.get(reverse("admin:articles_story_preview", args=[story.pk]))
    assert response.status_code == 200
    assert 'id="comment-form"' not in response.content.decode()


def test_shared_preview_link_has_no_comment_form(client, superuser, story):
    make_comment(story, author_email="kept.private@example.org")
    client.force_login(superuser)
    client.post(reverse("admin:articles_story_share", args=[story.pk]))
    link = PreviewLink.objects.get(story=story)
    client.logout()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comment-form"' not in html
    assert "kept.private" not in html


# --- Replies ---------------------------------------------------------------------------


def test_reply_page_posts_a_reply_to_the_comment(client, story):
    parent = make_comment(story, author_name="Ola", text="Where do the buses go now?")
    response = client.get(reverse("comments:reply", args=[story.pk, parent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Where do the buses go now?" in html
    assert 'name="robots" content="noindex' in html
    data = form_data(html, "comment-form")
    assert data["parent"] == str(parent.pk)
    data.update(author_name="Pat", author_email="pat@example.org", text="Down Elm Street.")

    assert client.post(post_url(story), data).status_code == 302
    reply = Comment.objects.get(author_name="Pat")
    assert reply.parent == parent
    assert reply.status == Comment.Status.PENDING


def test_story_page_links_to_the_reply_page(client, story):
    parent = make_comment(story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert reverse("comments:reply", args=[story.pk, parent.pk]) in html


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_cannot_reply_to_a_comment_readers_cannot_see(client, story, status):
    hidden = make_comment(story, status=status)
    assert client.get(reverse("comments:reply", args=[story.pk, hidden.pk])).status_code == 404
    response = client.post(post_url(story), comment_data(parent=str(hidden.pk)))
    assert response.status_code == 200
    assert "not available any more" in response.content.decode()
    assert Comment.objects.count() == 1


def test_cannot_reply_across_stories(client, story):
    elsewhere = make_comment(make_story())
    response = client.post(post_url(story), comment_data(parent=str(elsewhere.pk)))
    assert response.status_code == 200
    assert Comment.objects.count() == 1
    assert client.get(reverse("comments:reply", args=[story.pk, elsewhere.pk])).status_code == 404


# --- Likely spam ------------------------------------------------------------------------


def test_a_comment_with_several_links_is_held_as_likely_spam(client, story):
    text = "Great deals http://a.example www.b.example https://c.example/x"
    response = client.post(post_url(story), comment_data(text=text))
    assert response.status_code == 302  # the reader is told it awaits moderation
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "Great deals" not in client.get(story.get_absolute_url()).content.decode()


def test_a_comment_with_one_link_awaits_moderation_as_usual(client, story):
    client.post(post_url(story), comment_data(text="Minutes: https://city.example/minutes"))
    assert Comment.objects.get().status == Comment.Status.PENDING
