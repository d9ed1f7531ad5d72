"""What readers see of comments: approved ones only, as plain text, threaded, never an e-mail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.safestring import mark_safe

from comments.models import Comment
from comments.templatetags.comments_tags import comment_text
from tests.comments.factories import (
    comment_data,
    make_comment,
    make_moderator,
    page,
    post_url,
    text_of,
)
from tests.factories import css, make_story

pytestmark = pytest.mark.django_db

XSS_NAME = '<script>alert("name")</script>'
XSS_TEXT = (
    "<img src=x onerror=alert(1)> <b>bold</b> "
    '<a href="javascript:alert(2)">click</a> javascript:alert(3)'
)


def comments_section(client, story):
    doc = page(client.get(story.get_absolute_url()))
    (section,) = css(doc, "section#comments")
    return section


# --- Only approved comments ------------------------------------------------------------


def test_only_approved_comments_are_shown(client):
    story = make_story()
    make_comment(story, text="Approved and visible.")
    make_comment(story, text="Still waiting.", status=Comment.Status.PENDING)
    make_comment(story, text="Buy cheap watches.", status=Comment.Status.SPAM)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "Approved and visible." in html
    assert "Still waiting." not in html
    assert "Buy cheap watches." not in html


def test_approving_a_posted_comment_shows_it(client):
    story = make_story()
    client.post(post_url(story), comment_data(text="Worth the wait."))
    assert "Worth the wait." not in client.get(story.get_absolute_url()).content.decode()

    Comment.objects.get().approve(by=make_moderator())

    section = comments_section(client, story)
    assert "Worth the wait." in text_of(section)
    assert "Dana Whitfield" in text_of(section)


# --- Threads ---------------------------------------------------------------------------


def test_replies_sit_under_their_comment_one_level_deep(client):
    story = make_story()
    first = make_comment(story, author_name="Ola", text="First thought.")
    reply = make_comment(story, author_name="Pat", text="A reply.", parent=first)
    make_comment(story, author_name="Quinn", text="A reply to the reply.", parent=reply)
    make_comment(story, author_name="Rae", text="Second thread.")
    make_comment(story, text="Pending reply.", parent=first, status=Comment.Status.PENDING)

    section = comments_section(client, story)

    threads = section.xpath("./ol[@class='comment-list']/li")
    assert len(threads) == 2
    first_thread, second_thread = threads
    assert text_of(css(first_thread, ".comment__author")[0]) == "Ola"
    replies = css(first_thread, "ol.comment-list--replies li")
    assert [text_of(css(li, ".comment__author")[0]) for li in replies] == ["Pat", "Quinn"]
    assert "in reply to Pat" in text_of(replies[1])
    assert "in reply to" not in text_of(replies[0])
    assert "Pending reply." not in text_of(section)
    assert "Second thread." in text_of(second_thread)


def test_reply_to_a_hidden_comment_stands_on_its_own(client):
    story = make_story()
    hidden = make_comment(story, text="Marked as spam later.", status=Comment.Status.SPAM)
    make_comment(story, author_name="Sam", text="Replying to it.", parent=hidden)

    section = comments_section(client, story)

    assert len(section.xpath("./ol[@class='comment-list']/li")) == 1
    assert "Replying to it." in text_of(section)
    assert "Marked as spam later." not in text_of(section)


# --- Plain text, escaped ---------------------------------------------------------------


def test_html_in_name_and_text_is_shown_as_typed_never_run(client):
    story = make_story()
    make_comment(story, author_name=XSS_NAME, text=XSS_TEXT)

    html = client.get(story.get_absolute_url()).content.decode()
    section = comments_section(client, story)

    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not css(section, "script")
    assert not css(section, "img")
    assert not css(section, "b")
    assert not section.xpath(".//a[starts-with(@href, 'javascript')]")
    assert not section.xpath(".//*[@onerror]")
    assert XSS_NAME in text_of(section)


def test_posted_xss_is_escaped_after_approval(client):
    story = make_story()
    client.post(post_url(story), comment_data(author_name=XSS_NAME, text=XSS_TEXT))
    Comment.objects.get().approve(by=make_moderator())

    section = comments_section(client, story)

    assert not css(section, "script") and not css(section, "img")
    assert XSS_NAME in text_of(section)


def test_bare_links_become_nofollow_ugc_links(client):
    story = make_story()
    make_comment(story, text="Map: https://example.org/detour?x=1&y=2. And (http://example.com).")

    section = comments_section(client, story)

    links = section.xpath(".//div[@class='comment__text']//a")
    assert [link.get("href") for link in links] == [
        "https://example.org/detour?x=1&y=2",
        "http://example.com",
    ]
    assert {link.get("rel") for link in links} == {"nofollow ugc"}


def test_line_breaks_are_kept(client):
    story = make_story()
    make_comment(story, text="First paragraph.\n\nSecond, line one\nline two")

    section = comments_section(client, story)

    paragraphs = section.xpath(".//div[@class='comment__text']/p")
    assert len(paragraphs) == 2
    assert "<p>Second, line one<br>line two</p>" in client.get(story.get_absolute_url()).text


def test_author_website_is_linked_only_when_it_is_a_web_address(client):
    story = make_story()
    make_comment(story, author_name="Has site", author_url="https://dana.example/")
    make_comment(story, author_name="Sneaky", author_url="javascript:alert(1)")

    section = comments_section(client, story)

    links = css(section, ".comment__author a")
    assert [(link.get("href"), link.get("rel")) for link in links] == [
        ("https://dana.example/", "nofollow ugc noopener")
    ]
    assert "Sneaky" in text_of(section)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>hi</b>", "<p>&lt;b&gt;hi&lt;/b&gt;</p>"),
        (
            "see https://example.org/a",
            '<p>see <a href="https://example.org/a" rel="nofollow ugc">https://example.org/a</a></p>',
        ),
        ('x rel="nofollow" y', "<p>x rel=&quot;nofollow&quot; y</p>"),
        ("a\nb", "<p>a<br>b</p>"),
        # Text marked safe somewhere else is still reader text.
        (mark_safe("<i>x</i>"), "<p>&lt;i&gt;x&lt;/i&gt;</p>"),  # noqa: S308
    ],
)
def test_comment_text_filter(text, expected):
    assert comment_text(text) == expected


# --- The e-mail address stays private --------------------------------------------------


def test_email_never_appears_on_public_pages(client):
    story = make_story()
    comment = make_comment(story, author_email="private.reader@example.org")
    client.post(post_url(story), comment_data(author_email="second.reader@example.org"))
    Comment.objects.get(author_email="second.reader@example.org").approve(by=make_moderator())

    pages = [
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:home"),
        reverse("comments:reply", args=[story.pk, comment.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "private.reader" not in html, url
        assert "second.reader" not in html, url
