"""Readers subscribe without an account: double opt-in, preferences, unsubscribing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from newsletters.models import Delivery, SignupRequest, Subscriber
from newsletters.tokens import manage_token, unsubscribe_token
from tests.factories import css, make_section, make_story
from tests.newsletters.factories import (
    general,
    link_in,
    make_edition,
    make_section_newsletter,
    make_subscriber,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletters/"


@pytest.fixture(autouse=True)
def signup_settings(settings):
    settings.NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT = "5/1h"
    settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS = 7
    return settings


@pytest.fixture
def sign_up(committed):
    def post(client, email="ann@example.org", kinds=("daily",), **extra):
        data = {"newsletter-email": email, "newsletter-kinds": list(kinds), **extra}
        with committed():
            return client.post(SIGNUP, data)

    return post


def page(response):
    import lxml.html

    return lxml.html.fromstring(response.content.decode())


# --- The form on public pages ------------------------------------------------------------


@pytest.mark.parametrize("where", ["home", "section", "story"])
def test_home_section_and_story_pages_carry_the_signup_form(client, where):
    story = make_story()
    url = {
        "home": "/",
        "section": story.section.get_absolute_url(),
        "story": story.get_absolute_url(),
    }
    doc = page(client.get(url[where]))
    (form,) = css(doc, "form#newsletter-signup")
    assert form.get("action") == SIGNUP
    assert css(form, 'input[name="newsletter-email"][type="email"]')
    labels = [label.text_content().strip() for label in css(form, "label")]
    assert {"Daily digest", "Weekly digest", "Breaking news"} <= set(labels)
    # No CSRF token: the page sets no cookie and stays cacheable.
    assert not css(form, 'input[name="csrfmiddlewaretoken"]')
    assert css(form, 'input[name="newsletter-website"]')  # the honeypot


def test_the_signup_page_offers_sections_newsletters_too(client):
    make_section_newsletter(make_section(name="Schools", slug="schools"))
    doc = page(client.get(SIGNUP))
    labels = [
        label.text_content().strip() for label in css(doc, "form#newsletter-signup-page label")
    ]
    assert "Schools newsletter" in labels


# --- Double opt-in -----------------------------------------------------------------------


def test_signing_up_sends_only_a_confirmation_and_subscribes_nobody(client, sign_up):
    response = sign_up(client, kinds=["daily", "breaking"])
    assert response.status_code == 302 and response["Location"] == "/newsletters/check-your-inbox/"
    assert Subscriber.objects.count() == 0
    (message,) = mail.outbox
    assert message.to == ["ann@example.org"]
    assert "Confirm" in message.subject
    assert "Daily digest" in message.body and "Breaking news" in message.body
    html = message.alternatives[0][0]
    assert link_in(message, "confirm") in html


def test_following_the_link_and_confirming_subscribes(client, sign_up):
    sign_up(client, kinds=["daily", "weekly"])
    confirm = link_in(mail.outbox[0], "confirm")
    # A GET (what link scanners do) only asks.
    assert client.get(confirm).status_code == 200
    assert Subscriber.objects.count() == 0
    response = client.post(confirm)
    assert response.status_code == 302 and "/newsletters/manage/" in response["Location"]
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None
    assert {n.kind for n in subscriber.newsletters.all()} == {"daily", "weekly"}
    assert "your subscription is confirmed" in client.get(response["Location"]).content.decode()
    # Confirming twice changes nothing.
    client.post(confirm)
    assert Subscriber.objects.count() == 1


def test_a_confirmation_link_expires(client, sign_up):
    with freeze_time("2026-03-01 12:00"):
        sign_up(client)
    confirm = link_in(mail.outbox[0], "confirm")
    with freeze_time("2026-03-09 12:00"):
        assert client.post(confirm).status_code == 404
    assert Subscriber.objects.count() == 0


def test_a_tampered_link_is_a_404(client, sign_up):
    sign_up(client)
    confirm = link_in(mail.outbox[0], "confirm")
    assert client.post(confirm.replace("/confirm/", "/confirm/x")).status_code == 404
    for path in ["/newsletters/manage/nonsense/", "/newsletters/unsubscribe/nonsense/"]:
        assert client.get(path).status_code == 404


def test_signing_up_again_never_reveals_whether_an_address_is_subscribed(client, sign_up):
    make_subscriber(general("daily"), email="ann@example.org")
    response = sign_up(client)
    assert response["Location"] == "/newsletters/check-your-inbox/"
    assert Subscriber.objects.get().newsletters.count() == 1  # nothing added before confirming


def test_an_existing_subscriber_adds_newsletters_by_confirming(client, sign_up):
    subscriber = make_subscriber(general("daily"), email="Ann@Example.org")
    sign_up(client, email="ann@example.org", kinds=["breaking"])
    client.post(link_in(mail.outbox[0], "confirm"))
    assert {n.kind for n in subscriber.newsletters.all()} == {"daily", "breaking"}
    assert Subscriber.objects.count() == 1


# --- Abuse ---------------------------------------------------------------------------------


def test_the_honeypot_drops_robots_silently(client, sign_up):
    response = sign_up(client, **{"newsletter-website": "http://spam.example"})
    assert response.status_code == 302
    assert not mail.outbox and not SignupRequest.objects.exists()


def test_sign_ups_are_rate_limited_per_address(client, sign_up):
    for number in range(5):
        assert sign_up(client, email=f"r{number}@example.org").status_code == 302
    response = sign_up(client, email="r9@example.org")
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_one_address_gets_at_most_three_confirmations_a_day(settings, sign_up):
    settings.NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT = "0/1h"
    for number in range(5):
        sign_up(Client(REMOTE_ADDR=f"198.51.100.{number}"), email="victim@example.org")
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    "data",
    [
        {"newsletter-email": "not an address", "newsletter-kinds": ["daily"]},
        {"newsletter-email": "a@example.org", "newsletter-kinds": []},
        {"newsletter-email": "a@example.org", "newsletter-kinds": ["nope"]},
        {"newsletter-email": "a@example.org", "newsletter-newsletters": ["999999999999999999999"]},
        {"newsletter-email": "a@example.org", "newsletter-newsletters": ["-1", "x"]},
        {"newsletter-email": "a" * 5000 + "@example.org", "newsletter-kinds": ["daily"]},
    ],
)
def test_bad_sign_ups_are_shown_again_with_errors_never_a_500(client, data):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
    assert not mail.outbox


def test_a_nul_byte_is_refused_before_anything_reads_it(client):
    response = client.post(SIGNUP, {"newsletter-email": "a\x00@example.org"})
    assert response.status_code == 400


# --- Preferences and unsubscribing -------------------------------------------------------


def test_preferences_change_without_an_account(client):
    daily, weekly = general("daily"), general("weekly")
    subscriber = make_subscriber(daily)
    url = reverse("newsletters:manage", args=[manage_token(subscriber)])
    doc = page(client.get(url))
    assert css(doc, "form#newsletter-preferences-form")
    response = client.post(url, {"newsletters": [weekly.pk]})
    assert response.status_code == 302
    assert list(subscriber.newsletters.all()) == [weekly]
    client.post(url, {})
    assert not subscriber.newsletters.exists()


def test_a_reader_can_delete_their_address(client):
    subscriber = make_subscriber(general("daily"))
    url = reverse("newsletters:manage", args=[manage_token(subscriber)])
    assert client.post(url, {"forget": "1"}).status_code == 200
    assert not Subscriber.objects.exists()
    assert client.get(url).status_code == 404


def test_unsubscribe_link_asks_first_then_unsubscribes_from_that_newsletter(client):
    daily, breaking = general("daily"), general("breaking")
    subscriber = make_subscriber(daily, breaking)
    edition = make_edition(daily)
    delivery = Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")
    url = reverse(
        "newsletters:unsubscribe", args=[unsubscribe_token(subscriber, daily.pk, delivery.pk)]
    )
    page_ = client.get(url)
    assert page_.status_code == 200 and "Daily digest" in page_.content.decode()
    assert subscriber.newsletters.count() == 2  # a GET (a link scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert list(subscriber.newsletters.all()) == [breaking]
    delivery.refresh_from_db()
    assert delivery.unsubscribed_at is not None


def test_one_click_unsubscribe_from_the_mail_client_rfc_8058():
    """The mail client POSTs List-Unsubscribe=One-Click, with no cookie and no CSRF token."""
    daily = general("daily")
    subscriber = make_subscriber(daily)
    url = reverse("newsletters:unsubscribe", args=[unsubscribe_token(subscriber, daily.pk, None)])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not subscriber.newsletters.exists()


def test_subscribed_addresses_appear_on_no_public_page(client):
    make_subscriber(general("daily"), email="secret-reader@example.org")
    story = make_story()
    for url in ["/", story.get_absolute_url(), story.section.get_absolute_url(), SIGNUP]:
        assert "secret-reader" not in client.get(url).content.decode()


def test_the_signup_page_subscribes_to_a_sections_newsletter(client, committed):
    schools = make_section_newsletter(make_section(name="Schools", slug="schools"))
    data = {"newsletter-email": "ann@example.org", "newsletter-page": "1"}
    with committed():
        nothing = client.post(SIGNUP, data)
    assert (
        nothing.status_code == 200 and "Choose at least one newsletter" in nothing.content.decode()
    )
    with committed():
        client.post(SIGNUP, {**data, "newsletter-newsletters": [schools.pk]})
    client.post(link_in(mail.outbox[0], "confirm"))
    assert list(Subscriber.objects.get().newsletters.all()) == [schools]


def test_the_signup_box_is_rendered_once_and_reused(client, monkeypatch):
    from newsroom import forms as tags

    tags._RENDERED.clear()
    calls = []
    original = tags.render_crispy_form
    # The comment form under the story is rendered once the same way; count the box.
    monkeypatch.setattr(
        tags, "render_crispy_form", lambda form: calls.append(type(form).__name__) or original(form)
    )
    story = make_story()
    first = client.get(story.get_absolute_url()).content.decode()
    client.get(story.section.get_absolute_url())
    client.get("/")
    assert calls.count("SignupForm") == 1
    assert 'id="newsletter-signup"' in first and 'action="/newsletters/"' in first
