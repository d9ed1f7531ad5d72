"""The desk's newsletters: build, preview, send and schedule; who may; subscribers' data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.roles import ADMINISTRATOR
from newsletters.models import Delivery, Edition, SignupRequest, Subscriber
from tests.comments.factories import member
from tests.factories import form_data, make_section, make_story
from tests.newsletters.factories import (
    general,
    make_edition,
    make_section_newsletter,
    make_subscriber,
)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(edition) -> str:
    return reverse("admin:newsletters_edition_change", args=[edition.pk])


def test_a_new_edition_is_prefilled_with_the_newest_stories_of_its_section(desk_editor):
    schools = make_section(name="Schools", slug="schools")
    older = make_story(section=schools, published_at=timezone.now() - timedelta(days=2))
    newer = make_story(section=schools, published_at=timezone.now() - timedelta(hours=1))
    make_story(section=make_section(), published_at=timezone.now())  # another section
    make_story(section=schools, status="draft")
    newsletter = make_section_newsletter(schools)
    client = logged_in(desk_editor)
    add = reverse("admin:newsletters_edition_add")
    data = form_data(client.get(add).content.decode(), "edition_form")
    data.update(newsletter=str(newsletter.pk), subject="Schools this week", intro="Hello.")
    response = client.post(add, data)
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert [item.story for item in edition.items.all()] == [newer, older]
    assert edition.created_by == desk_editor


def test_a_digest_is_prefilled_from_the_newest_stories_without_a_curated_front(desk_editor):
    stories = [make_story(published_at=timezone.now() - timedelta(hours=n)) for n in range(8)]
    client = logged_in(desk_editor)
    add = reverse("admin:newsletters_edition_add")
    data = form_data(client.get(add).content.decode(), "edition_form")
    data.update(newsletter=str(general("daily").pk), subject="Tonight")
    client.post(add, data)
    assert [item.story for item in Edition.objects.get().items.all()] == stories[:6]


def test_saving_an_edition_unchanged_changes_nothing(desk_editor):
    edition = make_edition(general("daily"), stories=[make_story(), make_story()])
    client = logged_in(desk_editor)
    before = list(edition.items.values_list("story_id", "position"))
    html = client.get(change_url(edition)).content.decode()
    response = client.post(change_url(edition), form_data(html, "edition_form"))
    assert response.status_code == 302
    assert list(edition.items.values_list("story_id", "position")) == before
    fresh = Edition.objects.get(pk=edition.pk)
    assert (fresh.subject, fresh.intro, fresh.status) == (edition.subject, edition.intro, "draft")


def test_previews_show_the_email_and_its_plain_text(desk_editor):
    story = make_story(headline="Levee repairs finish early")
    edition = make_edition(general("daily"), stories=[story], subject="Evening news")
    client = logged_in(desk_editor)
    html = client.get(reverse("admin:newsletters_edition_preview", args=[edition.pk]))
    assert html.status_code == 200 and "Levee repairs finish early" in html.content.decode()
    text = client.get(reverse("admin:newsletters_edition_preview-text", args=[edition.pk]))
    assert text["Content-Type"].startswith("text/plain")
    assert "Levee repairs finish early" in text.content.decode()


def test_an_editor_sends_from_the_desk_and_sees_the_counts(
    desk_editor, django_capture_on_commit_callbacks
):
    daily = general("daily")
    readers = [make_subscriber(daily) for _ in range(3)]
    edition = make_edition(daily)
    client = logged_in(desk_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:newsletters_edition_send", args=[edition.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    Delivery.objects.filter(subscriber=readers[0]).update(unsubscribed_at=timezone.now())
    page = client.get(change_url(edition)).content.decode()
    assert "3 sent · 0 failed · 0 pending · 1 unsubscribed" in page
    listing = client.get(reverse("admin:newsletters_edition_changelist")).content.decode()
    assert edition.subject in listing
    # A sent edition is read-only: its form saves nothing and there is no Send button.
    assert 'id="send-now"' not in page


def test_an_editor_schedules_and_unschedules(desk_editor):
    edition = make_edition(general("daily"))
    client = logged_in(desk_editor)
    at = timezone.localtime() + timedelta(days=1)
    client.post(
        reverse("admin:newsletters_edition_schedule", args=[edition.pk]),
        {"send_at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    edition.refresh_from_db()
    assert edition.status == "scheduled" and edition.send_at is not None
    client.post(reverse("admin:newsletters_edition_unschedule", args=[edition.pk]))
    edition.refresh_from_db()
    assert edition.status == "draft"


@pytest.mark.parametrize("when", ["99999-01-01T00:00", "2000-01-01T00:00", "\u0000", "x" * 5000])
def test_a_nonsense_schedule_is_refused_without_a_500(desk_editor, when):
    edition = make_edition(general("daily"))
    response = logged_in(desk_editor).post(
        reverse("admin:newsletters_edition_schedule", args=[edition.pk]), {"send_at": when}
    )
    assert response.status_code in (302, 400)
    edition.refresh_from_db()
    assert edition.status == "draft"


def test_reporters_cannot_build_or_send_editions(contributor, django_capture_on_commit_callbacks):
    daily = general("daily")
    make_subscriber(daily)
    edition = make_edition(daily)
    client = logged_in(contributor)
    assert client.get(reverse("admin:newsletters_edition_changelist")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:newsletters_edition_send", args=[edition.pk]))
    assert response.status_code == 403
    assert not mail.outbox


def test_editors_see_subscribers_but_not_their_addresses(desk_editor):
    subscriber = make_subscriber(general("daily"), email="private@example.org")
    client = logged_in(desk_editor)
    listing = client.get(reverse("admin:newsletters_subscriber_changelist"))
    assert listing.status_code == 200 and "private@example.org" not in listing.content.decode()
    form = client.get(reverse("admin:newsletters_subscriber_change", args=[subscriber.pk]))
    assert form.status_code == 200 and "private@example.org" not in form.content.decode()
    search = client.get(reverse("admin:newsletters_subscriber_changelist") + "?q=private")
    assert "private@example.org" not in search.content.decode()


def test_an_operator_exports_and_deletes_a_subscribers_data():
    operator = member(ADMINISTRATOR, username="opal")
    subscriber = make_subscriber(general("daily"), email="leaving@example.org")
    SignupRequest.objects.create(email="leaving@example.org", ip_address="203.0.113.9")
    make_subscriber(general("daily"), email="staying@example.org")
    client = logged_in(operator)
    changelist = reverse("admin:newsletters_subscriber_changelist")
    assert "leaving@example.org" in client.get(changelist).content.decode()
    exported = client.post(
        changelist, {"action": "export_data", "_selected_action": [subscriber.pk]}
    )
    data = json.loads(exported.content)
    assert data[0]["subscriber"]["email"] == "leaving@example.org"
    assert data[0]["signup_requests"][0]["ip_address"] == "203.0.113.9"
    asked = client.post(changelist, {"action": "delete_data", "_selected_action": [subscriber.pk]})
    assert asked.status_code == 200 and Subscriber.objects.count() == 2
    client.post(
        changelist,
        {"action": "delete_data", "_selected_action": [subscriber.pk], "confirmed": "yes"},
    )
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["staying@example.org"]
    assert not SignupRequest.objects.exists()


def test_the_export_and_delete_command(capsys):
    from django.core.management import call_command

    make_subscriber(general("weekly"), email="cmd@example.org")
    call_command("newsletter_subscriber", "export", "cmd@example.org")
    assert json.loads(capsys.readouterr().out)["subscriber"]["newsletters"] == ["Weekly digest"]
    call_command("newsletter_subscriber", "delete", "cmd@example.org")
    assert not Subscriber.objects.exists()


def test_failed_tasks_are_listed_on_the_desk(administrator):
    from background.models import FailedTask

    FailedTask.objects.create(task_name="newsletters.send_batch", args=[1, 2, 3], error="Boom")
    page = logged_in(administrator).get(reverse("admin:background_failedtask_changelist"))
    assert page.status_code == 200 and "newsletters.send_batch" in page.content.decode()


def test_the_newsdesk_shows_failed_tasks_to_administrators_only(administrator, desk_editor):
    from background.models import FailedTask

    FailedTask.objects.create(task_name="newsletters.send_batch", error="Boom")
    FailedTask.objects.create(task_name="x", error="old", resolved_at=timezone.now())
    newsdesk = reverse("articles:newsdesk")
    assert "Failed background tasks (1)" in logged_in(administrator).get(newsdesk).content.decode()
    page = logged_in(desk_editor).get(newsdesk).content.decode()
    assert "Failed background tasks" not in page
    assert reverse("admin:newsletters_edition_changelist") in page


@pytest.mark.parametrize("view", ["preview", "preview-text", "send", "schedule", "unschedule"])
def test_huge_ids_in_the_desks_addresses_are_404_not_500(desk_editor, view):
    url = reverse(f"admin:newsletters_edition_{view}", args=[10**30])
    client = logged_in(desk_editor)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code == 404


def test_huge_import_ids_are_404_not_500(superuser_client):
    for name in ["import_run", "import_status"]:
        url = reverse(f"admin:wordpress_importeditem_{name}", args=[10**30])
        assert superuser_client.get(url).status_code == 404
