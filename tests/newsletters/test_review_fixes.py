"""What a review of the newsletters found, held: no address spelled out through the
desk's filters, no 500 from odd digits, a confirmation link that works once, a subject
that cannot break its header, and sent editions that stay."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletters.models import Delivery, Edition, Subscriber
from newsletters.sending import build_message
from tests.newsletters.factories import general, link_in, make_edition, make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletters/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("lookup", ["email", "email__startswith", "email__regex"])
def test_editors_cannot_spell_out_addresses_through_the_subscriber_filters(
    desk_editor, administrator, lookup
):
    make_subscriber(general("daily"), email="secret@example.org")
    url = reverse("admin:newsletters_subscriber_changelist")
    editor = logged_in(desk_editor)
    assert editor.get(url).status_code == 200
    refused = editor.get(url, {lookup: "secret"})
    assert refused.status_code == 400
    assert b"secret@example.org" not in refused.content
    # Administrators may look addresses up (an exact one that is not an address is
    # merely an invalid filter: the list again, with a note).
    assert logged_in(administrator).get(url, {lookup: "secret"}).status_code in (200, 302)


def test_editors_do_not_see_the_mail_servers_refusals(desk_editor):
    subscriber = make_subscriber(general("daily"), email="refused@example.org")
    edition = make_edition(general("daily"))
    delivery = Delivery.objects.create(
        edition=edition, subscriber=subscriber, status="failed",
        error="{'refused@example.org': (550, b'no such user')}",
    )  # fmt: skip
    page = logged_in(desk_editor).get(
        reverse("admin:newsletters_delivery_change", args=[delivery.pk])
    )
    assert page.status_code == 200
    assert b"refused@example.org" not in page.content
    listed = logged_in(desk_editor).get(
        reverse("admin:newsletters_delivery_changelist"), {"error__contains": "refused"}
    )
    assert listed.status_code == 400


@pytest.mark.parametrize("odd", ["²", "٣", "1" * 5000, "9" * 25])
def test_odd_digits_in_a_sign_up_are_a_form_error_not_a_500(client, odd):
    response = client.post(
        SIGNUP, {"newsletter-email": "a@example.org", "newsletter-newsletters": [odd]}
    )
    assert response.status_code == 200
    assert not mail.outbox


def test_a_confirmation_link_works_once(client, committed):
    with committed():
        client.post(
            SIGNUP, {"newsletter-email": "ann@example.org", "newsletter-kinds": ["daily", "weekly"]}
        )
    confirm = link_in(mail.outbox[0], "confirm")
    client.post(confirm)
    subscriber = Subscriber.objects.get()
    subscriber.newsletters.remove(general("weekly"))  # the reader drops one later
    assert client.post(confirm).status_code == 302
    assert {n.kind for n in subscriber.newsletters.all()} == {"daily"}
    subscriber.delete()  # and then deletes their address
    assert client.post(confirm).status_code == 404
    assert not Subscriber.objects.exists()


def test_a_line_break_in_a_subject_cannot_break_the_message():
    subscriber = make_subscriber(general("daily"))
    edition = make_edition(general("daily"), subject="Tonight\nBcc: everyone@example.org")
    delivery = Delivery.objects.create(edition=edition, subscriber=subscriber)
    from newsletters.rendering import render_edition

    message = build_message(edition, render_edition(edition, "http://testserver"), delivery,
                            "http://testserver")  # fmt: skip
    built = message.message()  # would raise BadHeaderError with the line break
    assert built["Subject"] == "Tonight Bcc: everyone@example.org"
    assert "Bcc" not in built


def test_an_edition_that_went_out_cannot_be_deleted(desk_editor):
    sent = make_edition(general("daily"), status=Edition.Status.SENT)
    draft = make_edition(general("daily"))
    editor = logged_in(desk_editor)
    assert (
        editor.get(reverse("admin:newsletters_edition_delete", args=[sent.pk])).status_code == 403
    )
    changelist = reverse("admin:newsletters_edition_changelist")
    both = {"action": "delete_selected", "_selected_action": [sent.pk, draft.pk], "post": "yes"}
    assert editor.post(changelist, both).status_code == 403  # all or nothing, as Django does
    assert Edition.objects.count() == 2
    only_the_draft = {**both, "_selected_action": [draft.pk]}
    assert editor.post(changelist, only_the_draft).status_code == 302
    assert list(Edition.objects.all()) == [sent]


def test_a_scheduled_edition_whose_stories_were_all_pulled_goes_back_to_the_desk(
    desk_editor, committed
):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    from newsletters.tasks import send_due_editions

    daily = general("daily")
    make_subscriber(daily)
    with freeze_time("2026-05-04 06:00"):
        edition = make_edition(daily)
        with committed():
            edition.schedule(by=desk_editor, at=timezone.now() + timedelta(minutes=5))
        story = edition.stories.get()
        story.status = "draft"
        story.save()
    with freeze_time("2026-05-04 06:06"), committed():
        assert send_due_editions() == 0
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT
    assert not mail.outbox


def test_a_reader_who_unsubscribes_during_a_send_is_not_sent_to(committed):
    from newsletters.sending import prepare_deliveries, send_batch

    daily = general("daily")
    staying, leaving = make_subscriber(daily), make_subscriber(daily)
    edition = make_edition(daily, status=Edition.Status.SENDING, site_url="http://testserver")
    prepare_deliveries(edition)
    leaving.newsletters.remove(daily)  # after the deliveries were laid out
    pks = sorted(edition.deliveries.values_list("pk", flat=True))
    assert send_batch(edition.pk, pks[0], pks[-1]) == 1
    assert [message.to for message in mail.outbox] == [[staying.email]]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
