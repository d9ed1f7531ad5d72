"""The demo newsroom: `manage.py load_demo` builds it once, then leaves it alone.

What a newcomer sees after one command: sections with People in the News under News,
dozens of stories with bylines, tags and pictures (one draft, one scheduled), and two
demo logins, but only with DEBUG on. Re-running changes nothing; `--reset` rebuilds
only what the demo made.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from articles.demo import builder, pictures
from articles.demo.content import DemoContentError, demo_content, load_content
from articles.management.commands import load_demo as load_demo_command
from articles.models import Byline, Section, Story, StoryByline
from articles.roles import EDITOR
from tests.factories import make_byline, make_section, make_story, make_user

pytestmark = pytest.mark.django_db

demo = demo_content()
PASSWORDS = {account.username: account.password for account in demo.accounts}


def load_demo(*args: str, debug: bool = True) -> str:
    """Run the command and return what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=debug):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def output(demo_newsroom) -> str:
    """The demo as `load_demo` left it, with DEBUG on; built once for the module."""
    return demo_newsroom.output


def demo_stories():
    return Story.objects.filter(slug__in=demo.story_slugs())


def snapshot() -> dict:
    """Everything that re-running or resetting could change."""
    User = get_user_model()
    return {
        "counts": {
            "stories": Story.objects.count(),
            "sections": Section.objects.count(),
            "bylines": Byline.objects.count(),
            "credits": StoryByline.objects.count(),
            "tags": Tag.objects.count(),
            "users": User.objects.count(),
        },
        "stories": {
            story.slug: (story.pk, story.updated_at, story.edit_version)
            for story in Story.objects.all()
        },
        "sections": dict(Section.objects.values_list("slug", "pk")),
        "bylines": dict(Byline.objects.values_list("slug", "pk")),
        "users": dict(User.objects.values_list("username", "pk")),
    }


# What gets built


def test_sections_include_people_in_the_news_under_news(output):
    sections = Section.objects.filter(slug__in=[s.slug for s in demo.sections])
    assert sections.count() >= 4
    people = Section.objects.get(slug="people-in-the-news")
    assert people.name == "People in the News"
    assert people.parent.slug == "news"
    assert people.parent.parent is None
    assert all(section.description for section in sections)


def test_at_least_30_stories_spread_over_about_two_months(output):
    stories = demo_stories()
    assert stories.count() >= 30
    assert stories.count() == len(demo.stories)
    now = timezone.now()
    published = stories.published()
    oldest = published.order_by("published_at").first().published_at
    assert now - timedelta(days=61) < oldest < now - timedelta(days=45)
    assert published.filter(published_at__gte=now - timedelta(days=2)).exists()


def test_people_in_the_news_has_a_real_list(output):
    people = demo_stories().published().filter(section__slug="people-in-the-news")
    assert people.count() >= 12


def test_exactly_one_draft_and_one_scheduled_story(output):
    stories = demo_stories()
    assert stories.filter(status=Story.Status.DRAFT).count() == 1
    assert stories.scheduled().count() == 1
    scheduled = stories.scheduled().get()
    assert timezone.now() + timedelta(days=2) < scheduled.published_at
    # Everything else is public now.
    assert stories.published().count() == stories.count() - 2


def test_one_featured_story(output):
    featured = demo_stories().filter(is_featured=True)
    assert featured.count() == 1
    assert featured.get().is_public is True


def test_press_release_is_credited_to_the_wire_with_its_source(output):
    story = demo_stories().get(kind=Story.Kind.PRESS_RELEASE)
    assert story.source_name
    assert story.source_url.startswith("https://")
    assert [credit.byline.kind for credit in story.credited_bylines] == [Byline.Kind.WIRE]
    assert "<blockquote>" in story.body
    assert "DOI" in story.body


def test_multi_byline_story_credits_reporters_then_photographer(output):
    story = demo_stories().get(slug="calder-river-footbridge-reopens")
    credits = story.credited_bylines
    assert [(c.byline.slug, c.role) for c in credits] == [
        ("marcus-oyelaran", StoryByline.Role.BY),
        ("tom-kowalczyk", StoryByline.Role.BY),
        ("june-albrecht", StoryByline.Role.PHOTOS),
    ]
    assert [c.position for c in credits] == sorted(c.position for c in credits)


def test_a_story_is_credited_to_the_staff_desk(output):
    staff = Byline.objects.get(name="Staff", kind=Byline.Kind.DESK)
    assert demo_stories().published().filter(bylines=staff).exists()


def test_person_bylines_have_role_bio_private_email_and_portrait(output):
    people = Byline.objects.filter(slug__in=[b.slug for b in demo.bylines], kind=Byline.Kind.PERSON)
    assert people.count() >= 4
    for byline in people:
        assert byline.role_line and byline.bio and byline.email
        assert byline.photo
        assert byline.photo.storage.exists(byline.photo.name)
    assert Byline.objects.filter(kind=Byline.Kind.WIRE).exists()


def test_lead_images_have_alt_text_credit_and_size(output, media_root):
    stories = list(demo_stories())
    with_image = [story for story in stories if story.lead_image]
    # About two thirds carry a picture, so lists show both kinds of teaser.
    assert 0.55 <= len(with_image) / len(stories) <= 0.8
    for story in with_image:
        assert story.image_alt.startswith("Abstract illustration")
        assert story.lead_image_caption
        assert story.image_credit == demo.image_credit
        assert (story.lead_image.width, story.lead_image.height) == (1600, 1000)
        assert Path(story.lead_image.file.path).is_relative_to(media_root)
        assert Path(story.lead_image.file.path).is_file()
    # Different stories, different pictures.
    assert len({story.image_alt for story in with_image}) > len(with_image) // 2
    # One picture of the library is shown by two stories, each with its own caption.
    shared = [s for s in with_image if s.lead_image.lead_image_stories.count() > 1]
    assert len(shared) == 2
    assert shared[0].lead_image_caption != shared[1].lead_image_caption


def test_stories_have_tags_bodies_and_decks(output):
    usage = Counter()
    for story in demo_stories().prefetch_related("tags"):
        names = [tag.name for tag in story.tags.all()]
        assert 2 <= len(names) <= 4, story.slug
        usage.update(names)
        assert story.dek
        paragraphs = len(re.findall(r"<p>", story.body)) - story.body.count("<blockquote><p>")
        assert 3 <= paragraphs <= 6, story.slug
    assert usage.most_common(1)[0][1] >= 3  # tags are shared, so tag pages list several
    bodies = " ".join(demo_stories().values_list("body", flat=True))
    for element in ("<h2>", "<blockquote>", "<ul>", "<a href="):
        assert element in bodies


def test_a_demo_story_shows_an_embed(output, client):
    story = Story.objects.get(slug="council-weighs-budget-pool-repairs")
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"' in page
    assert "<iframe" not in page


def test_people_in_the_news_page_lists_the_stories(output, client):
    response = client.get(reverse("articles:section", kwargs={"slug": "people-in-the-news"}))
    assert response.status_code == 200
    content = response.content.decode()
    people = demo_stories().published().filter(section__slug="people-in-the-news")
    for story in people:
        assert escape(story.headline) in content


# Accounts


def test_demo_accounts_can_log_in_when_debug_is_on(output, client):
    assert "admin-demo-2026" in output and "editor-demo-2026" in output
    for username, password in PASSWORDS.items():
        assert client.login(username=username, password=password) is True
        client.logout()

    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser is True
    editor = User.objects.get(username="editor")
    assert editor.is_staff is True
    assert editor.is_superuser is False
    assert list(editor.groups.values_list("name", flat=True)) == [EDITOR]
    assert editor.has_perm("articles.publish_story") is True
    assert Byline.objects.get(slug="elena-marsh").user == editor


def test_no_demo_accounts_when_debug_is_off():
    output = load_demo(debug=False)
    User = get_user_model()
    assert not User.objects.filter(username__in=PASSWORDS).exists()
    assert "createsuperuser" in output
    assert "admin-demo-2026" not in output
    # The newsroom itself is complete all the same.
    assert demo_stories().count() == len(demo.stories)
    assert Byline.objects.get(slug="elena-marsh").user is None


def test_an_existing_account_with_a_demo_name_is_left_alone():
    own_admin = make_user(username="admin", password="my own password", email="me@example.com")
    output = load_demo()
    own_admin.refresh_from_db()
    assert own_admin.check_password("my own password") is True
    assert own_admin.check_password(PASSWORDS["admin"]) is False
    assert "left unchanged" in output
    assert get_user_model().objects.filter(username="editor").exists()

    load_demo("--reset")
    assert get_user_model().objects.filter(pk=own_admin.pk).exists()


# Running again


def test_running_again_changes_nothing(output):
    before = snapshot()
    second_output = load_demo()
    assert snapshot() == before
    assert "Demo newsroom already loaded; nothing changed" in second_output
    assert "editor-demo-2026" in second_output  # the logins are still shown


def test_reset_rebuilds_with_new_rows_and_the_same_counts(output):
    before = snapshot()
    reset_output = load_demo("--reset")
    after = snapshot()
    assert after["counts"] == before["counts"]
    assert set(after["stories"]) == set(before["stories"])
    old_pks = {pk for pk, _, _ in before["stories"].values()}
    new_pks = {pk for pk, _, _ in after["stories"].values()}
    assert old_pks.isdisjoint(new_pks)
    assert set(before["sections"].values()).isdisjoint(after["sections"].values())
    assert before["users"]["editor"] != after["users"]["editor"]
    assert "Removed the old demo" in reset_output
    assert "Stories: " in reset_output


def test_reset_leaves_content_outside_the_demo_alone(output):
    weather = make_section(name="Weather", slug="weather")
    own_story = make_story(section=weather, bylines=[make_byline()], tags=["budget", "snow"])
    load_demo("--reset")
    own_story.refresh_from_db()
    assert sorted(tag.name for tag in own_story.tags.all()) == ["budget", "snow"]
    assert own_story.credited_bylines


def test_reset_refuses_and_rolls_back_when_other_content_uses_a_demo_section(output):
    make_story(section=Section.objects.get(slug="news"))
    before = snapshot()
    with pytest.raises(CommandError, match="news"):
        load_demo("--reset")
    assert snapshot() == before


def test_refuses_to_build_over_slugs_that_are_taken():
    make_section(name="Business", slug="business")
    with pytest.raises(CommandError, match="business"):
        load_demo()
    assert not demo_stories().exists()
    assert not Section.objects.filter(slug="people-in-the-news").exists()


def test_a_failed_build_leaves_no_rows_and_no_files(monkeypatch, media_root):
    real_build_story = builder.DemoBuilder._build_story
    built = []

    def failing_build_story(self, data, *args):
        if len(built) == 5:
            raise RuntimeError("disk full")
        built.append(data.slug)
        return real_build_story(self, data, *args)

    monkeypatch.setattr(builder.DemoBuilder, "_build_story", failing_build_story)
    with pytest.raises(RuntimeError, match="disk full"):
        load_demo()
    assert not Section.objects.filter(slug__in=[s.slug for s in demo.sections]).exists()
    assert not demo_stories().exists()
    assert not get_user_model().objects.filter(username__in=PASSWORDS).exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


# Pictures


def test_alt_text_names_the_colours_that_were_drawn():
    image = pictures.draw_lead_image("seed", "sun", "navy", "amber")
    alt = pictures.describe_lead_image("sun", "navy", "amber")
    assert image.size == (1600, 1000)
    assert "amber sun" in alt and "navy horizon" in alt
    # The top-left corner is sky, so it is a tint of the sun's colour, not the land's.
    red, green, blue = image.getpixel((0, 0))
    assert red > blue


# The data files

MINIMAL_DATA = {
    "newsroom.yaml": """
        marker_section: news
        image_credit: "Illustration: Test"
        sections:
        - {slug: news, name: News, position: 1, description: The news.}
    """,
    "bylines.yaml": """
        bylines:
        - {slug: staff, name: Staff, kind: desk, role_line: The desk, bio: The newsroom.}
    """,
    "accounts.yaml": "accounts: []",
    "stories/01-news.yaml": """
        stories:
        - slug: a-story
          headline: A story
          dek: What happened.
          section: news
          tags: [one, two]
          bylines: [{by: staff}]
          days_ago: 1
          body: |
            <p>First
            paragraph.</p>
            <p>Second.</p>
    """,
}
STORY_FILE = "stories/01-news.yaml"


def write_data(directory: Path, replace: tuple[str, str] = ("", "")) -> Path:
    """A tiny valid newsroom in `directory`, with one text replaced in the story file."""
    for name, text in MINIMAL_DATA.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text)
        if name == STORY_FILE:
            old, new = replace
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text)
    return directory


def test_the_loader_reads_a_story_and_joins_its_wrapped_body(tmp_path):
    content = load_content(write_data(tmp_path))
    (story,) = content.stories
    assert story.body == "<p>First paragraph.</p><p>Second.</p>"
    assert story.bylines == (("staff", "by"),)
    assert (story.kind, story.status, story.image) == ("news", "published", None)


@pytest.mark.parametrize(
    "replace, message",
    [
        (
            ("headline: A story", "headlne: A story"),
            "'headline' is missing (is 'headlne' a misspelling?)",
        ),
        (("days_ago: 1", "days_ago: 1\n  colour: red"), "unknown field(s): colour"),
        (("section: news", "section: weather"), "'section' is 'weather'; it must be one of"),
        (("{by: staff}", "{by: nobody}"), "unknown byline 'nobody'"),
        (("{by: staff}", "{written: staff}"), "'bylines' has the role 'written'"),
        (("days_ago: 1", ""), "a published story needs a time"),
        (("days_ago: 1", "days_ago: 1\n  status: draft"), "a draft story has no time"),
        (("headline: A story", "headline: yes"), "'headline' should be str, not True"),
        (
            ("days_ago: 1", "days_ago: 1\n  image: {motif: waves, colors: [navy, gold]}"),
            "'motif' is 'waves'",
        ),
        (
            ("days_ago: 1", "days_ago: 1\n  image: {motif: sun, colors: [navy, mauve]}"),
            "'mauve', which is not in the palette",
        ),
    ],
)
def test_a_mistake_in_a_story_names_the_file_the_story_and_the_field(tmp_path, replace, message):
    with pytest.raises(DemoContentError) as raised:
        load_content(write_data(tmp_path, replace))
    assert str(tmp_path / STORY_FILE) in str(raised.value)
    assert "story 'a-story'" in str(raised.value)
    assert message in str(raised.value)


def test_a_story_listed_twice_is_refused(tmp_path):
    write_data(tmp_path)
    (tmp_path / "stories/02-again.yaml").write_text((tmp_path / STORY_FILE).read_text())
    with pytest.raises(
        DemoContentError, match="02-again.yaml, story 'a-story': another story has the same slug"
    ):
        load_content(tmp_path)


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    with pytest.raises(DemoContentError, match=r"01-news\.yaml: not valid YAML"):
        load_content(write_data(tmp_path, ("tags: [one, two]", "tags: [one, two")))


def test_the_command_reports_broken_data_without_touching_the_database(tmp_path, monkeypatch):
    broken = write_data(tmp_path, ("section: news", "section: weather"))
    monkeypatch.setattr(load_demo_command, "demo_content", lambda: load_content(broken))
    with pytest.raises(CommandError, match="data files need fixing: .*story 'a-story'"):
        load_demo()
    assert not Section.objects.exists()
