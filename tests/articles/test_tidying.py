"""Tag and section hygiene: merge, rename, alias and fold without breaking a link."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import Section, SectionRedirect, Story, TagAlias, TagRedirect
from articles.tidying import TidyingError, fold_section, likely_duplicate_tags, within_edits
from tests.factories import form_data, make_section, make_story

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def merge(client, tags, survivor: str, apply: bool = True):
    data = {"ids": ",".join(str(t.pk) for t in tags), "survivor": survivor}
    if apply:
        data["apply"] = "1"
    return client.post(reverse("admin:taggit_tag_merge"), data)


@pytest.fixture
def linden():
    a = make_story(headline="Potholes on Linden St", tags=["Linden St", "roads"])
    b = make_story(headline="Linden Street fair", tags=["Linden Street"])
    c = make_story(headline="linden street trees", tags=["linden street x", "Linden St"])
    tags = list(Tag.objects.filter(name__in=["Linden St", "Linden Street", "linden street x"]))
    return a, b, c, tags


# Merging -------------------------------------------------------------------------------


def test_the_merge_previews_what_it_will_change_and_changes_nothing(desk_editor, linden):
    a, b, c, tags = linden
    editor = logged_in(desk_editor)
    start = editor.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge_selected", "_selected_action": [t.pk for t in tags]},
    )
    assert start.status_code == 302 and "/merge/?ids=" in start["Location"]
    assert editor.get(start["Location"]).status_code == 200
    preview = merge(editor, tags, "Linden Street", apply=False).content.decode()
    assert "What it will change" in preview
    # The stories that change; one that has only the survivor already does not.
    assert a.headline in preview and c.headline in preview
    assert b.headline not in preview
    assert Tag.objects.filter(name__in=["Linden St", "linden street x"]).count() == 2


def test_merging_three_tags_keeps_every_story_and_redirects_every_old_address(desk_editor, linden):
    a, b, c, tags = linden
    old = {t.name: t.slug for t in tags}
    reader = Client()
    assert reader.get(f"/tag/{old['Linden St']}/").status_code == 200
    response = merge(logged_in(desk_editor), tags, "Linden Street")
    assert response.status_code == 302
    survivor = Tag.objects.get(name="Linden Street")
    assert set(Tag.objects.filter(name__icontains="linden")) == {survivor}
    assert sorted(a.tags.names()) == ["Linden Street", "roads"]  # its other tag kept
    assert list(c.tags.names()) == ["Linden Street"]  # once, not twice
    for slug in (old["Linden St"], old["linden street x"]):
        for tail in ["", "feed/", "feed/atom/"]:
            moved = reader.get(f"/tag/{slug}/{tail}")
            assert moved.status_code == 301, (slug, tail)
            assert moved["Location"] == f"/tag/{survivor.slug}/{tail}"
            assert reader.get(moved["Location"]).status_code == 200
    page = reader.get(f"/tag/{survivor.slug}/").content.decode()
    assert all(h in page for h in [a.headline, b.headline, c.headline])
    entry = a.log_entries.latest("pk")
    assert (entry.action, entry.by) == ("retag", desk_editor)
    assert "merged into “Linden Street”" in entry.note
    # The old names are aliases now.
    assert TagAlias.objects.filter(tag=survivor, name="Linden St").exists()


def test_a_merge_into_a_new_name_makes_the_tag(desk_editor, linden):
    *_, tags = linden
    merge(logged_in(desk_editor), tags, "Linden Avenue")
    assert set(Tag.objects.filter(name__icontains="linden").values_list("name", flat=True)) == {
        "Linden Avenue"
    }
    assert TagRedirect.objects.filter(tag__name="Linden Avenue").count() == 3


def test_an_old_tag_link_never_redirects_to_a_404(desk_editor):
    draft = make_story(status=Story.Status.DRAFT, published_at=None, tags=["Zoning"])
    make_story(status=Story.Status.DRAFT, published_at=None, tags=["zoning board"])
    tags = list(Tag.objects.filter(name__in=["Zoning", "zoning board"]))
    merge(logged_in(desk_editor), tags, "Zoning")  # only drafts carry the survivor
    assert Client().get("/tag/zoning-board/").status_code == 404
    draft.publish(by=desk_editor)
    assert Client().get("/tag/zoning-board/").status_code == 301


def test_contributors_cannot_merge_tags(contributor, linden):
    *_, tags = linden
    assert merge(logged_in(contributor), tags, "Linden Street").status_code == 403
    assert Tag.objects.filter(name="Linden St").exists()


# Renaming -----------------------------------------------------------------------------


def test_renaming_a_tag_keeps_its_old_address(desk_editor):
    make_story(tags=["Covid"])
    tag = Tag.objects.get(name="Covid")
    editor = logged_in(desk_editor)
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = form_data(editor.get(url).content.decode(), "tag_form")
    data.update(name="COVID-19", slug="covid-19")
    assert editor.post(url, data).status_code == 302
    moved = Client().get("/tag/covid/feed/")
    assert (moved.status_code, moved["Location"]) == (301, "/tag/covid-19/feed/")


def test_renaming_a_section_keeps_its_pages_and_its_stories_addresses(desk_editor):
    section = make_section(name="Schools", slug="schools")
    story = make_story(section=section)
    old_story_url = story.get_absolute_url()
    section.slug, section.name = "education", "Education"
    section.save()
    reader = Client()
    for old, new in [("/schools/", "/education/"), ("/schools/feed/", "/education/feed/")]:
        moved = reader.get(old, {"page": "1"})
        assert (moved.status_code, moved["Location"]) == (301, f"{new}?page=1")
    story_moved = reader.get(old_story_url)
    assert story_moved.status_code == 301
    assert reader.get(story_moved["Location"]).status_code == 200
    # Taking the old slug again gives it back to the new section: no redirect hides it.
    make_section(name="Schools again", slug="schools")
    assert not SectionRedirect.objects.filter(old_slug="schools").exists()
    assert reader.get("/schools/").status_code == 200


# Aliases and folding of names -----------------------------------------------------------


def test_typing_an_alias_or_a_differently_accented_name_attaches_the_main_tag(desk_editor):
    make_story(tags=["Café"])
    cafe = Tag.objects.get(name="Café")
    assert cafe.slug == "cafe"
    TagAlias.objects.create(tag=cafe, name="Coffee shops")
    story = make_story(headline="Espresso", tags=[])
    editor = logged_in(desk_editor)
    url = reverse("admin:articles_story_change", args=[story.pk])
    data = form_data(editor.get(url).content.decode(), "story_form")
    data["tags"] = "cafe, COFFEE SHOPS"
    assert editor.post(url, data).status_code == 302
    assert list(story.tags.names()) == ["Café"]
    assert Tag.objects.count() == 1


def test_a_contributor_may_type_an_existing_tag_in_other_letters(contributor):
    make_story(tags=["Café"])
    story = make_story(status=Story.Status.DRAFT, published_at=None, created_by=contributor)
    client = logged_in(contributor)
    url = reverse("admin:articles_story_change", args=[story.pk])
    data = form_data(client.get(url).content.decode(), "story_form")
    data["tags"] = "CAFE"
    assert client.post(url, data).status_code == 302
    assert list(story.tags.names()) == ["Café"]


def test_accented_and_non_latin_tags_get_addresses_a_url_can_hold(client):
    story = make_story(tags=["Crème brûlée", "東京"])
    slugs = set(Tag.objects.values_list("slug", flat=True))
    assert all(slug.isascii() and slug for slug in slugs)
    assert client.get(story.get_absolute_url()).status_code == 200
    for slug in slugs:
        assert client.get(f"/tag/{slug}/").status_code == 200


def test_the_tag_form_refuses_a_slug_no_address_can_hold(desk_editor):
    make_story(tags=["Harbor"])
    tag = Tag.objects.get(name="Harbor")
    editor = logged_in(desk_editor)
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = form_data(editor.get(url).content.decode(), "tag_form")
    data["slug"] = "hafen-ü"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "only the letters a–z" in response.content.decode()


# Folding a section ------------------------------------------------------------------------


def test_folding_a_section_moves_its_stories_and_redirects_its_pages(desk_editor):
    news = make_section(name="News", slug="news")
    briefs = make_section(name="Briefs", slug="briefs")
    story = make_story(section=briefs, headline="Library hours change")
    old_url = story.get_absolute_url()
    admin = logged_in(desk_editor)
    response = admin.post(
        reverse("admin:articles_section_changelist"),
        {"action": "fold_selected", "_selected_action": [briefs.pk], "apply": "1",
         "into": news.pk, "keep_as_secondary": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.section == news and list(story.secondary_sections.all()) == [briefs]
    briefs.refresh_from_db()
    assert not briefs.is_active
    reader = Client()
    for old, new in [("/briefs/", "/news/"), ("/briefs/feed/atom/", "/news/feed/atom/")]:
        moved = reader.get(old)
        assert (moved.status_code, moved["Location"]) == (301, new)
    moved = reader.get(old_url)
    assert moved.status_code == 301 and reader.get(moved["Location"]).status_code == 200
    assert "Library hours change" in reader.get("/news/").content.decode()
    assert story.log_entries.latest("pk").action == "refile"
    # Unfold: active again, its own page answers.
    briefs.is_active = True
    briefs.save()
    assert reader.get("/briefs/").status_code == 200


def test_a_section_cannot_fold_into_itself_or_its_own_child(desk_editor):
    parent = make_section(name="Sports")
    child = make_section(name="Soccer", parent=parent)
    with pytest.raises(TidyingError):
        fold_section(parent, parent, keep_as_secondary=False, by=desk_editor)
    with pytest.raises(TidyingError):
        fold_section(parent, child, keep_as_secondary=False, by=desk_editor)
    assert Section.objects.get(pk=parent.pk).is_active


def test_contributors_cannot_fold_sections(contributor):
    a, b = make_section(), make_section()
    response = logged_in(contributor).post(
        reverse("admin:articles_section_changelist"),
        {"action": "fold_selected", "_selected_action": [a.pk], "apply": "1", "into": b.pk},
    )
    assert response.status_code in (200, 302, 403)  # the action is not even offered
    assert Section.objects.get(pk=a.pk).is_active
    with pytest.raises(TidyingError):
        fold_section(a, b, keep_as_secondary=False, by=contributor)


# Finding the mess -----------------------------------------------------------------------------


def test_the_tidy_page_lists_likely_duplicates_and_unused_tags(desk_editor):
    make_story(tags=["Linden St", "linden-st", "COVID-19", "Covid-19s", "Library", "Libraries"])
    make_story(tags=["Elections", "Electons"])
    Tag.objects.create(name="Forgotten")
    groups, unused = likely_duplicate_tags()
    found = [sorted(t.name for t in group.tags) for group in groups]
    assert ["Linden St", "linden-st"] in found
    assert ["Libraries", "Library"] in found
    assert ["Elections", "Electons"] in found
    assert [t.name for t in unused] == ["Forgotten"]
    page = logged_in(desk_editor).get(reverse("admin:taggit_tag_tidy")).content.decode()
    assert "Forgotten" in page and "Merge…" in page


def test_edit_distance():
    assert within_edits("harbor", "harbour", 1)
    assert within_edits("elections", "electons", 2)
    assert not within_edits("library", "liberty", 2)


@pytest.mark.parametrize("ids", ["9" * 40, "²,①", "-1", "", "1,,x", ",".join(["1"] * 500)])
def test_the_merge_page_refuses_odd_ids_without_an_error(desk_editor, ids):
    response = logged_in(desk_editor).get(reverse("admin:taggit_tag_merge"), {"ids": ids})
    assert response.status_code in (200, 302)


def test_an_alias_another_tag_has_is_a_form_error(desk_editor):
    make_story(tags=["Harbor", "Docks"])
    harbor, docks = Tag.objects.get(name="Harbor"), Tag.objects.get(name="Docks")
    TagAlias.objects.create(tag=harbor, name="Waterfront")
    editor = logged_in(desk_editor)
    url = reverse("admin:taggit_tag_change", args=[docks.pk])
    data = form_data(editor.get(url).content.decode(), "tag_form")
    data["aliases-0-name"] = "WATERFRONT"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "already an alias of “Harbor”" in response.content.decode()
    data["aliases-0-name"] = "Quay"
    assert editor.post(url, data).status_code == 302
    assert TagAlias.objects.get(name="Quay").tag == docks
