"""The approved-comment count on teasers and story pages, without a query per teaser."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import StoryByline
from comments.models import Comment
from tests.articles.test_queries import EXPECTED_QUERIES
from tests.comments.factories import comment_data, make_comment, make_moderator, page, post_url
from tests.factories import css, make_byline, make_section, make_story

pytestmark = pytest.mark.django_db

# As pinned in tests/articles/test_queries.py. The story page loads its approved comments
# in one more query, and only when the annotated count says there are any.
SECTION_QUERIES = EXPECTED_QUERIES["section"]
STORY_QUERIES = EXPECTED_QUERIES["story"]
STORY_QUERIES_WITH_COMMENTS = STORY_QUERIES + 1


def teaser_counts(html: str) -> dict[str, str]:
    """Headline -> the comment count its teaser shows ("" for none)."""
    counts = {}
    for teaser in css(lxml.html.fromstring(html), "article.teaser"):
        headline = " ".join(css(teaser, ".teaser__headline a")[0].text_content().split())
        links = css(teaser, "a.meta__comments")
        counts[headline] = links[0].text_content().strip() if links else ""
    return counts


def test_count_shows_approved_comments_only(client):
    section = make_section()
    byline = make_byline()
    story = make_story(section=section, headline="Busy", bylines=[byline], tags=["Roads"])
    quiet = make_story(section=section, headline="Quiet", bylines=[byline], tags=["Roads"])
    for _ in range(3):
        make_comment(story)
    make_comment(story, parent=story.comments.first())  # replies count too
    make_comment(story, status=Comment.Status.PENDING)
    make_comment(story, status=Comment.Status.SPAM)
    make_comment(quiet, status=Comment.Status.PENDING)

    tag_url = reverse("articles:tag", kwargs={"slug": story.tags.get().slug})
    for url in (section.get_absolute_url(), byline.get_absolute_url(), tag_url):
        assert teaser_counts(client.get(url).content.decode()) == {
            "Busy": "4 comments",
            "Quiet": "",
        }, url

    doc = page(client.get(story.get_absolute_url()))
    meta = " ".join(css(doc, ".story__meta .meta")[0].text_content().split())
    assert meta.endswith("· 4 comments")
    assert " ".join(css(doc, "#comments-heading")[0].text_content().split()) == "4 comments"
    # The quiet story is "related" on the busy one's page: its teaser shows no count.
    assert teaser_counts(client.get(story.get_absolute_url()).content.decode()) == {"Quiet": ""}


def test_one_comment_is_singular(client):
    story = make_story()
    make_comment(story)
    html = client.get(story.section.get_absolute_url()).content.decode()
    assert teaser_counts(html) == {story.headline: "1 comment"}


def test_count_appears_once_a_posted_comment_is_approved(client):
    story = make_story(headline="Counted")
    client.post(post_url(story), comment_data())
    home = reverse("articles:home")
    make_story(section=story.section)  # the lead; "Counted" is then a teaser in Latest
    assert "1 comment" not in client.get(home).content.decode()

    Comment.objects.get().approve(by=make_moderator())

    assert teaser_counts(client.get(home).content.decode())["Counted"] == "1 comment"
    section_page = client.get(story.section.get_absolute_url()).content.decode()
    assert teaser_counts(section_page)["Counted"] == "1 comment"


def test_marking_as_spam_removes_it_from_the_count(client):
    story = make_story()
    comment = make_comment(story)
    make_comment(story)
    comment.mark_spam(by=make_moderator())
    html = client.get(story.section.get_absolute_url()).content.decode()
    assert teaser_counts(html) == {story.headline: "1 comment"}


def test_home_page_section_blocks_list_headlines_beside_counted_teasers(client):
    """The latest stories carry their comment counts; the section blocks, which show
    headlines and dates only, are read as rows of just those (no counts, no bodies)."""
    now = timezone.now()
    sections = [make_section(), make_section()]
    for number in range(10):
        story = make_story(
            section=sections[number % 2], published_at=now - timedelta(hours=number + 1)
        )
        make_comment(story)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert all(story.comment_count == 1 for story in response.context["latest"])
    for block in response.context["section_blocks"]:
        assert len(block["stories"]) == 4
        for story in block["stories"]:
            assert set(story) == {"pk", "section_id", "headline", "url", "datetime", "day"}
            assert story["headline"] in response.content.decode()


# --- Query counts ----------------------------------------------------------------------


def build_section(comments_per_story: int) -> dict:
    """A section of 25 stories with bylines and tags, each with `comments_per_story`
    approved comments (plus pending and spam ones that must not count)."""
    now = timezone.now()
    section = make_section()
    bylines = [make_byline() for _ in range(3)]
    stories = []
    for number in range(25):
        story = make_story(
            section=section,
            published_at=now - timedelta(hours=number + 1),
            bylines=[(bylines[number % 3], StoryByline.Role.BY)],
            tags=[f"Topic {number % 4}"],
            secondary_sections=[make_section()] if number == 0 else None,
        )
        stories.append(story)
        for _ in range(comments_per_story):
            parent = make_comment(story)
            make_comment(story, parent=parent)
            make_comment(story, status=Comment.Status.PENDING)
            make_comment(story, status=Comment.Status.SPAM)
    return {"section": section.get_absolute_url(), "story": stories[0].get_absolute_url()}


@pytest.mark.parametrize("comments_per_story", [0, 1, 8])
def test_section_page_query_count_is_constant(
    client, django_assert_num_queries, comments_per_story
):
    urls = build_section(comments_per_story)
    with django_assert_num_queries(SECTION_QUERIES):
        response = client.get(urls["section"])
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("comments_per_story", "queries"),
    [(0, STORY_QUERIES), (1, STORY_QUERIES_WITH_COMMENTS), (8, STORY_QUERIES_WITH_COMMENTS)],
)
def test_story_page_query_count_is_constant(
    client, django_assert_num_queries, comments_per_story, queries
):
    urls = build_section(comments_per_story)
    with django_assert_num_queries(queries):
        response = client.get(urls["story"])
    assert response.status_code == 200
    assert len(response.context["comments"]) == comments_per_story
