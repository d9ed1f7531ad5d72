"""Two editors saving the same story at the same moment: one save wins, the other is
refused with what changed, and nothing either of them wrote is lost.

On PostgreSQL, with two threads (two connections) posting the change form at once: the
form locks the story's row before comparing versions, so the second save waits for the
first to commit and then finds a newer version.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Story
from articles.revisions import story_versions
from tests.factories import form_data, make_editor, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_editors_saving_at_once_one_is_refused_and_nothing_is_lost():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to contend for")
    story = make_story(headline="Council passes budget")
    url = reverse("admin:articles_story_change", args=[story.pk])
    editors = [make_editor(username="fran"), make_editor(username="sam")]
    clients, forms = [], []
    for editor, headline in zip(editors, ["Fran's headline", "Sam's headline"], strict=True):
        client = Client()
        client.force_login(editor)
        data = form_data(client.get(url).content.decode(), "story_form")
        data["headline"] = headline
        clients.append(client)
        forms.append(data)
    assert forms[0]["loaded_version"] == forms[1]["loaded_version"]

    start = threading.Barrier(2)
    responses: list = [None, None]

    def save(index: int) -> None:
        try:
            start.wait(timeout=10)
            responses[index] = clients[index].post(url, forms[index])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 302], "exactly one save wins, the other is refused: " + repr(
        [(r.status_code, r.get("Location")) for r in responses]
    )
    winner = 0 if responses[0].status_code == 302 else 1
    loser = 1 - winner
    refused = responses[loser].content.decode()
    assert "Not saved" in refused
    story.refresh_from_db()
    assert story.headline == forms[winner]["headline"]
    # Nothing lost: the winner's text is saved as a revision, and the refused editor's
    # text is still in the form they get back, to copy and apply again.
    assert any(v.field_dict["headline"] == forms[winner]["headline"] for v in story_versions(story))
    assert forms[loser]["headline"].replace("'", "&#x27;") in refused
    assert Story.objects.filter(pk=story.pk).count() == 1
