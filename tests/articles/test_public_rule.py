"""The public rule on every public page.

A story is public when its status is Published and its publication time has passed
(`Story.objects.published()`). Drafts, stories in review, unpublished stories and
scheduled stories must never reach a reader: not in any list, and their own address
answers 404, for anonymous visitors and for logged-in accounts without staff rights.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles.models import Story, StoryByline
from tests.factories import make_byline, make_section, make_story, make_user

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = ["draft", "review", "unpublished", "scheduled"]


@pytest.fixture
def world():
    """One public story and one hidden story of each kind, sharing section, byline and tag.

    The hidden ones are featured and newer, so they would lead every list if the rule
    were broken anywhere. They also list a second section as a secondary section.
    """
    now = timezone.now()
    section = make_section(name="Metro", slug="metro")
    other = make_section(name="County", slug="county")
    byline = make_byline(name="Ana Reyes", slug="ana-reyes")
    common = {"section": section, "bylines": [(byline, StoryByline.Role.BY)], "tags": ["Floods"]}

    public = make_story(
        headline="Public river story",
        published_at=now - timedelta(days=1),
        secondary_sections=[other],
        **common,
    )
    hidden = {
        "draft": make_story(
            headline="Draft river story",
            status=Story.Status.DRAFT,
            published_at=now - timedelta(minutes=5),
            is_featured=True,
            secondary_sections=[other],
            **common,
        ),
        "review": make_story(
            headline="Review river story",
            status=Story.Status.REVIEW,
            published_at=now - timedelta(minutes=5),
            is_featured=True,
            secondary_sections=[other],
            **common,
        ),
        "unpublished": make_story(
            headline="Unpublished river story",
            status=Story.Status.UNPUBLISHED,
            published_at=now - timedelta(minutes=5),
            is_featured=True,
            secondary_sections=[other],
            **common,
        ),
        "scheduled": make_story(
            headline="Scheduled river story",
            status=Story.Status.PUBLISHED,
            published_at=now + timedelta(hours=2),
            is_featured=True,
            secondary_sections=[other],
            **common,
        ),
    }
    tag = public.tags.get()
    return {
        "section": section,
        "other": other,
        "byline": byline,
        "tag": tag,
        "public": public,
        "hidden": hidden,
        "list_urls": {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "secondary section": other.get_absolute_url(),
            "byline": byline.get_absolute_url(),
            "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
            # The public story's page lists related stories from its section.
            "story": public.get_absolute_url(),
        },
    }


@pytest.mark.parametrize("page", ["home", "section", "secondary section", "byline", "tag", "story"])
def test_lists_show_only_public_stories(client, world, page):
    """Every list on every public page shows the public story and none of the hidden ones."""
    response = client.get(world["list_urls"][page])
    assert response.status_code == 200
    html = response.content.decode()
    if page != "story":  # the story page is the public story itself
        assert world["public"].get_absolute_url() in html
        assert "Public river story" in html
    for kind, story in world["hidden"].items():
        assert story.headline not in html, f"{kind} story listed on the {page} page"
        assert story.get_absolute_url() not in html


@pytest.mark.parametrize("page", ["home", "section", "byline", "tag"])
def test_lists_for_logged_in_reader_show_only_public_stories(reader_client, world, page):
    """Logging in without staff rights changes nothing on list pages."""
    html = reader_client.get(world["list_urls"][page]).content.decode()
    assert "Public river story" in html
    for story in world["hidden"].values():
        assert story.headline not in html


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_url_is_404_for_anonymous(client, world, kind):
    response = client.get(world["hidden"][kind].get_absolute_url())
    assert response.status_code == 404
    assert world["hidden"][kind].headline not in response.content.decode()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_url_is_404_for_logged_in_reader(reader_client, world, kind):
    response = reader_client.get(world["hidden"][kind].get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_url_is_404_for_staff_without_change_permission(client, world, kind):
    """Being staff is not enough to preview: the change permission is needed too."""
    client.force_login(make_user(is_staff=True))
    assert client.get(world["hidden"][kind].get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_at_a_wrong_address_is_404_not_a_redirect(client, world, kind):
    """A redirect to the canonical address would reveal that the hidden story exists."""
    story = world["hidden"][kind]
    url = reverse(
        "articles:story",
        kwargs={"section": "county", "year": 2001, "month": 1, "day": 1, "slug": story.slug},
    )
    assert client.get(url).status_code == 404


def test_public_story_url_is_200_for_everyone(client, reader_client, world):
    # reader_client and client are the same client object, logged in as the reader.
    assert reader_client.get(world["public"].get_absolute_url()).status_code == 200
    reader_client.logout()
    response = client.get(world["public"].get_absolute_url())
    assert response.status_code == 200
    assert "Public river story" in response.content.decode()


def test_public_story_is_cacheable_and_has_no_preview_banner(client, world):
    response = client.get(world["public"].get_absolute_url())
    assert "no-store" not in response.get("Cache-Control", "")
    assert "preview-notice" not in response.content.decode()


def test_scheduled_story_appears_when_its_time_comes(client):
    """Nothing needs to happen at publication time: the clock alone makes it public."""
    section = make_section()
    byline = make_byline()
    go_live = timezone.now() + timedelta(hours=3)
    story = make_story(
        headline="Council vote results",
        section=section,
        published_at=go_live,
        bylines=[byline],
        tags=["Council"],
    )
    tag_url = reverse("articles:tag", kwargs={"slug": story.tags.get().slug})
    pages = [
        reverse("articles:home"),
        section.get_absolute_url(),
        byline.get_absolute_url(),
        tag_url,
    ]

    with freeze_time(go_live - timedelta(seconds=1)):
        assert client.get(story.get_absolute_url()).status_code == 404
        for url in pages:
            assert "Council vote results" not in client.get(url).content.decode(), url

    with freeze_time(go_live + timedelta(seconds=1)):
        assert client.get(story.get_absolute_url()).status_code == 200
        for url in pages:
            assert "Council vote results" in client.get(url).content.decode(), url


def test_story_published_exactly_now_is_public(client):
    """The rule is `published_at <= now`: the first instant counts."""
    go_live = timezone.now() + timedelta(hours=1)
    story = make_story(published_at=go_live)
    with freeze_time(go_live):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_published_queryset_matches_the_rule(world):
    public = set(Story.objects.published())
    assert public == {world["public"]}
    assert set(Story.objects.scheduled()) == {world["hidden"]["scheduled"]}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_editor_can_preview_hidden_story_uncached(editor_client, world, kind):
    """Staff with the change permission see a preview, marked as such and never cached."""
    story = world["hidden"][kind]
    response = editor_client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert story.headline in html
    assert 'class="preview-notice"' in html
    assert "Readers cannot see this story" in html
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "max-age=0"):
        assert directive in cache_control
    if kind == "scheduled":
        assert "it is scheduled for" in html
    else:
        assert f"its status is {story.get_status_display()}" in html


def test_editor_preview_does_not_leak_hidden_stories_into_lists(editor_client, world):
    """Staff see the public site as readers do; only a story's own page previews."""
    for page in ("home", "section", "byline", "tag"):
        html = editor_client.get(world["list_urls"][page]).content.decode()
        for story in world["hidden"].values():
            assert story.headline not in html


@pytest.fixture
def inactive_world():
    """A public story whose home section is inactive, also listed in an active section."""
    closed = make_section(name="Closed desk", slug="closed", is_active=False)
    active = make_section(name="Open desk", slug="open")
    byline = make_byline()
    story = make_story(
        headline="Story in a closed section",
        section=closed,
        bylines=[byline],
        tags=["Archive"],
        secondary_sections=[active],
    )
    return {"story": story, "closed": closed, "active": active, "byline": byline}


def test_story_in_inactive_section_is_404_for_readers(client, inactive_world):
    assert client.get(inactive_world["story"].get_absolute_url()).status_code == 404
    assert client.get(inactive_world["closed"].get_absolute_url()).status_code == 404


def test_story_in_inactive_section_is_not_listed_anywhere(client, inactive_world):
    """Lists never link to a story whose page would answer 404."""
    story = inactive_world["story"]
    urls = [
        reverse("articles:home"),
        inactive_world["active"].get_absolute_url(),
        inactive_world["byline"].get_absolute_url(),
    ]
    # Its tag has no listed story, so the tag page is not found, like an unknown tag.
    tag = story.tags.get()
    assert client.get(reverse("articles:tag", kwargs={"slug": tag.slug})).status_code == 404
    assert client.get(reverse("articles:tag_feed", kwargs={"slug": tag.slug})).status_code == 404
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert story.get_absolute_url() not in response.content.decode(), url


# Corrections, redirects and deleted stories: no list or redirect leads to a 404.


def test_corrections_page_skips_stories_in_inactive_sections(client, inactive_world):
    story = inactive_world["story"]
    story.corrections.create(kind="correction", text="The bridge opened in 1931.")
    html = client.get(reverse("articles:corrections")).content.decode()
    assert "The bridge opened in 1931." not in html
    assert story.get_absolute_url() not in html


def test_corrections_page_skips_hidden_stories(client, world):
    for story in world["hidden"].values():
        story.corrections.create(kind="correction", text=f"Fixed in {story.headline}.")
    world["public"].corrections.create(kind="correction", text="Fixed in the public one.")
    html = client.get(reverse("articles:corrections")).content.decode()
    assert "Fixed in the public one." in html
    for story in world["hidden"].values():
        assert f"Fixed in {story.headline}." not in html


@pytest.mark.parametrize("middleware", ["story redirect", "wordpress"])
def test_old_address_of_story_in_inactive_section_is_404_not_a_redirect(
    client, inactive_world, middleware
):
    """Both redirect middlewares send readers only to pages that answer 200."""
    from articles.models import StoryRedirect

    story = inactive_world["story"]
    # The WordPress middleware also tries the path with doubled slashes collapsed.
    old = "/old-address/" if middleware == "story redirect" else "/old-address//"
    StoryRedirect.objects.create(old_path="/old-address/", story=story)
    response = client.get(old)
    assert response.status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_old_address_of_hidden_story_is_404(client, world, kind):
    from articles.models import StoryRedirect

    StoryRedirect.objects.create(old_path=f"/old/{kind}/", story=world["hidden"][kind])
    assert client.get(f"/old/{kind}/").status_code == 404


def test_every_redirect_lands_on_a_page_that_answers_200(client, world, inactive_world):
    from articles.models import StoryRedirect

    StoryRedirect.objects.create(old_path="/old/public/", story=world["public"])
    for story in [*world["hidden"].values(), inactive_world["story"]]:
        StoryRedirect.objects.create(old_path=f"/old/{story.pk}/", story=story)
    for redirect in StoryRedirect.objects.all():
        response = client.get(redirect.old_path)
        if response.status_code == 301:
            assert client.get(response["Location"]).status_code == 200, redirect.old_path
        else:
            assert response.status_code == 404, redirect.old_path


def test_deleted_story_disappears_everywhere(client, world):
    from articles.models import StoryRedirect

    public = world["public"]
    url = public.get_absolute_url()
    StoryRedirect.objects.create(old_path="/old/deleted/", story=public)
    public.corrections.create(kind="correction", text="A deleted story's correction.")
    for page in world["list_urls"].values():
        client.get(page)  # warm the page cache
    public.delete()
    assert client.get(url).status_code == 404
    assert client.get("/old/deleted/").status_code == 404
    assert "A deleted story" not in client.get(reverse("articles:corrections")).content.decode()
    for name, page in world["list_urls"].items():
        if name in {"story", "tag"}:  # its own page; its tag now has no listed story
            assert client.get(page).status_code == 404, name
            continue
        assert "Public river story" not in client.get(page).content.decode(), name


def test_the_preview_banner_ends_its_sentence_once(client, django_user_model):
    """ "3:30 p.m." ends the sentence already: no "p.m.." in the banner."""
    from tests.factories import make_editor

    story = make_story(published_at=timezone.now() + timedelta(days=3))
    client.force_login(make_editor())
    html = client.get(story.get_absolute_url()).content.decode()
    assert "it is scheduled for" in html
    assert ".m.." not in html
