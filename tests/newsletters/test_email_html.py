"""The edition's e-mail: valid, accessible HTML for mail clients, and a plain-text twin."""

from __future__ import annotations

import json
import shutil
import subprocess

import lxml.html
import pytest

from newsletters.rendering import render_edition
from tests.a11y_pages import NODE_MODULES
from tests.factories import make_image_file, make_story
from tests.newsletters.factories import general, make_edition

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def rendered():
    pictured = make_story(
        headline="Ferry returns <for> summer",
        lead_image=make_image_file(1200, 800),
        lead_image_alt="The ferry at the east landing",
    )
    plain = make_story(headline="Council passes budget")
    edition = make_edition(
        general("daily"), stories=[pictured, plain], subject="Tonight", intro="One.\n\nTwo & three."
    )
    return edition, [pictured, plain], render_edition(edition, BASE)


def test_the_html_is_laid_out_with_tables_and_inline_styles(rendered):
    _, _, email = rendered
    doc = lxml.html.fromstring(email.html)
    assert doc.get("lang") == "en"
    assert doc.xpath("//title")[0].text == "Tonight"
    assert not doc.xpath("//style"), "styles are inlined at build time"
    assert doc.xpath("//td[@style]") and doc.xpath("//a[@style]")
    for table in doc.xpath("//table"):
        assert table.get("role") == "presentation"  # layout, not data, for screen readers


def test_every_image_has_alt_text_and_is_the_only_remote_resource(rendered):
    _, (pictured, _), email = rendered
    doc = lxml.html.fromstring(email.html)
    (image,) = doc.xpath("//img")
    assert image.get("alt") == "The ferry at the east landing"
    assert image.get("src").startswith(BASE + "/media/")
    assert not doc.xpath("//script|//link|//iframe|//object|//embed|//video|//audio|//form")
    assert not doc.xpath("//*[@srcset or @background]")
    assert "url(" not in email.html and "@import" not in email.html


def test_links_point_at_the_stories_canonical_urls(rendered):
    _, stories, email = rendered
    doc = lxml.html.fromstring(email.html)
    hrefs = {a.get("href") for a in doc.xpath("//a")}
    for story in stories:
        assert BASE + story.get_absolute_url() in hrefs
        assert BASE + story.get_absolute_url() in email.text
    assert "Ferry returns &lt;for&gt; summer" in email.html  # escaped
    assert "Two &amp; three." in email.html


def test_the_text_part_carries_the_same_stories_and_links(rendered):
    _, stories, email = rendered
    assert "Tonight" in email.text and "Two & three." in email.text
    assert "Ferry returns <for> summer" in email.text  # plain text is not escaped
    assert "Unsubscribe:" in email.text and "Choose your newsletters:" in email.text


def test_personal_links_replace_the_placeholders(rendered):
    _, _, email = rendered
    html, text = email.personalise(
        unsubscribe_url=BASE + "/newsletters/unsubscribe/a&b/", manage_url=BASE + "/m/"
    )
    assert "placeholder" not in html and "placeholder" not in text
    assert "/newsletters/unsubscribe/a&amp;b/" in html and "/newsletters/unsubscribe/a&b/" in text


def vnu_errors(files: list) -> list:
    if not VNU.exists() or shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker (npm ci) and Java are needed")
    result = subprocess.run(  # noqa: S603 -- fixed arguments, our own file
        [
            shutil.which("java"),
            "-Xss4m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            *[str(file) for file in files],
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [
        m for m in json.loads(result.stdout or "{}").get("messages", []) if m["type"] == "error"
    ]


def test_the_html_is_valid(rendered, tmp_path):
    _, _, email = rendered
    file = tmp_path / "edition.html"
    file.write_text(email.html)
    assert not vnu_errors([file])


def test_the_readers_newsletter_pages_are_valid_html(client, tmp_path):
    from django.urls import reverse

    from newsletters.models import Delivery, SignupRequest
    from newsletters.tokens import confirm_token, manage_token, unsubscribe_token
    from tests.newsletters.factories import make_subscriber

    daily = general("daily")
    subscriber = make_subscriber(daily)
    signup = SignupRequest.objects.create(email="new@example.org")
    signup.newsletters.add(daily)
    delivery = Delivery.objects.create(edition=make_edition(daily), subscriber=subscriber)
    pages = {
        "signup": reverse("newsletters:signup"),
        "sent": reverse("newsletters:signup_sent"),
        "confirm": reverse("newsletters:confirm", args=[confirm_token(signup)]),
        "manage": reverse("newsletters:manage", args=[manage_token(subscriber)]) + "?saved=1",
        "unsubscribe": reverse(
            "newsletters:unsubscribe", args=[unsubscribe_token(subscriber, daily.pk, delivery.pk)]
        ),
        "invalid": "/newsletters/manage/nonsense/",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    errors = vnu_errors(files)
    assert not errors, [
        (e["url"].rsplit("/", 1)[-1], e["message"], e.get("extract")) for e in errors
    ]
