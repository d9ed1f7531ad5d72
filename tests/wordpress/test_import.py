"""What the importer does with small hand-written exports: one behaviour per test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Byline, Section, Story, StoryRedirect
from comments.models import Comment
from tests.factories import image_bytes, make_section, make_user
from tests.wordpress.exports import (
    AUTHORS,
    WP_11,
    WP_HTTP,
    WP_HTTPS,
    comment,
    export,
    item,
    run_import,
    write,
)
from wordpress.importer import ImportOptions
from wordpress.importer import run_import as import_file
from wordpress.models import ImportedItem, LegacyURL

pytestmark = pytest.mark.django_db


def imported(wp_id: int) -> Story:
    return ImportedItem.objects.select_related("story").get(wp_id=wp_id).story


@pytest.mark.parametrize(
    ("namespace", "version"), [(WP_HTTP, "1.2"), (WP_HTTPS, "1.2"), (WP_11, "1.1")]
)
def test_reads_every_wordpress_namespace(tmp_path, namespace, version):
    path = write(tmp_path, export(item(10, "Council passes budget"), namespace=namespace,
                                  version=version))  # fmt: skip
    output = run_import(path)
    story = imported(10)
    assert story.headline == "Council passes budget"
    assert story.body == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    assert story.dek == "First paragraph. Second paragraph."
    assert story.section.slug == "news"
    assert [c.byline.name for c in story.credited_bylines] == ["Jane Reporter"]
    assert "1 items in the export, 1 accounted for above." in output


def test_dates_use_gmt_or_the_sites_time_zone(tmp_path):
    path = write(tmp_path, export(
        item(1, date="2024-03-01 10:00:00", date_gmt="2024-03-01 16:00:00"),
        item(2, date="2024-07-01 10:00:00", date_gmt=None),
    ))  # fmt: skip
    run_import(path, "--timezone", "America/Chicago")
    assert imported(1).published_at == datetime(2024, 3, 1, 16, 0, tzinfo=UTC)
    assert imported(2).published_at == datetime(2024, 7, 1, 15, 0, tzinfo=UTC)  # CDT is -5


def test_statuses(tmp_path):
    path = write(tmp_path, export(
        item(1, status="publish"),
        item(2, status="future", date_gmt="2099-05-01 12:00:00"),
        item(3, status="draft", date_gmt=None),
        item(4, status="pending"),
        item(5, status="private"),
        item(6, status="trash"),
        item(7, status="auto-draft"),
    ))  # fmt: skip
    output = run_import(path)
    assert imported(1).is_public
    assert imported(2).is_scheduled
    assert imported(2).published_at == datetime(2099, 5, 1, 12, 0, tzinfo=UTC)
    assert imported(3).status == Story.Status.DRAFT
    assert imported(4).status == Story.Status.REVIEW
    assert imported(5).status == Story.Status.DRAFT
    assert "private on WordPress" in imported(5).log_entries.get().note
    assert not ImportedItem.objects.filter(wp_id__in=[6, 7]).exists()
    assert "1 posts: in the WordPress trash" in output
    assert "1 posts: auto-drafts" in output
    assert "7 items in the export, 7 accounted for above." in output


def test_co_authors_and_guest_authors_become_bylines_in_order(tmp_path):
    guest = item(
        90, "Guest author profile", post_type="guest-author", name="cap-alex-guest",
        meta=(("cap-user_login", "alex-guest"), ("cap-display_name", "Alex Guest")), terms=(),
    )  # fmt: skip
    post = item(
        10,
        terms=(
            ("category", "news", "News"),
            ("author", "cap-sam", "sam"),
            ("author", "cap-jane", "jane"),
            ("author", "cap-alex-guest", "alex-guest"),
        ),
    )
    output = run_import(write(tmp_path, export(post, guest)))
    names = [credit.byline.name for credit in imported(10).credited_bylines]
    assert names == ["Jane Reporter", "Sam Editor", "Alex Guest"]
    assert Byline.objects.count() == 3
    assert "Guest-author profiles" in output


def test_missing_upload_is_reported_and_the_import_goes_on(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "harbour.jpg").write_bytes(image_bytes(640, 480))
    attachments = [
        item(
            20, "The harbour", post_type="attachment", status="inherit", parent=10,
            attachment_url="https://news.example.org/wp-content/uploads/2024/03/harbour.jpg",
            meta=(("_wp_attachment_image_alt", "Boats in the harbour at dawn"),),
            excerpt="The harbour at dawn.", link="https://news.example.org/2024/03/01/post-10/harbour/",
        ),
        item(
            21, "Gone", post_type="attachment", status="inherit", parent=11,
            attachment_url="https://news.example.org/wp-content/uploads/2024/03/gone.jpg",
        ),
    ]  # fmt: skip
    body = '<img src="https://news.example.org/wp-content/uploads/2024/03/harbour.jpg" alt="x">'
    posts = [
        item(10, content=body, meta=(("_thumbnail_id", "20"),)),
        item(11, meta=(("_thumbnail_id", "21"),)),
    ]
    output = run_import(write(tmp_path, export(*posts, *attachments)), "--uploads", str(uploads))
    story = imported(10)
    assert story.lead_image.file.name == "wordpress/uploads/2024/03/harbour.jpg"
    assert (story.lead_image.width, story.lead_image.height) == (640, 480)
    assert story.lead_image_alt == "Boats in the harbour at dawn"
    assert story.lead_image_caption == "The harbour at dawn."
    assert default_storage.exists("wordpress/uploads/2024/03/harbour.jpg")
    # Its renditions were made, as saving the story would have made them.
    assert default_storage.exists(story.lead_image.rendition_teaser_fallback.name)
    assert default_storage.exists(story.lead_image.rendition_w480_fallback.name)
    assert f"Image renditions made: {len(story.lead_image.renditions())}" in output
    assert 'src="/media/wordpress/uploads/2024/03/harbour.jpg"' in story.body
    assert not imported(11).lead_image
    assert "Files not found in the uploads directory: 1" in output
    assert "2024/03/gone.jpg" in output
    assert ImportedItem.objects.get(wp_id=20).media == "wordpress/uploads/2024/03/harbour.jpg"
    # Its attachment page leads to the story it belongs to.
    assert StoryRedirect.objects.get(old_path="/2024/03/01/post-10/harbour/").story == story


def test_uploads_never_read_outside_the_directory(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (tmp_path / "secret.jpg").write_bytes(image_bytes(10, 10))
    attachment = item(
        20, "Escape", post_type="attachment", status="inherit", parent=10,
        attachment_url="https://news.example.org/wp-content/uploads/../secret.jpg",
    )  # fmt: skip
    post = item(10, meta=(("_thumbnail_id", "20"),))
    run_import(write(tmp_path, export(post, attachment)), "--uploads", str(uploads))
    assert not imported(10).lead_image
    assert not default_storage.exists("wordpress/secret.jpg")


def test_a_broken_item_is_reported_and_the_import_goes_on(tmp_path):
    path = write(tmp_path, export(
        item(1, "Fine before"),
        item(2, "Bad date", date="yesterday-ish", date_gmt="not a date"),
        item(3, "Fine after"),
    ))  # fmt: skip
    output = run_import(path)
    assert "Failed: post 2 “Bad date”: the date “not a date” is not a date" in output
    assert ImportedItem.objects.filter(wp_id__in=[1, 3]).count() == 2
    assert not ImportedItem.objects.filter(wp_id=2).exists()
    assert "3 items in the export, 3 accounted for above." in output


def test_an_item_the_database_refuses_fails_alone(tmp_path, monkeypatch):
    from wordpress.importer import stories

    original = stories.plan_story

    def plan_with_no_headline(post, *args, **kwargs):
        plan = original(post, *args, **kwargs)
        if post.wp_id == 2:
            plan.fields["headline"] = None  # NOT NULL: refused at once by every database
        return plan

    monkeypatch.setattr(stories, "plan_story", plan_with_no_headline)
    output = run_import(write(tmp_path, export(item(1), item(2, "Refused"), item(3))))
    assert "Failed: post 2 “Refused”: the database refused it" in output
    assert sorted(ImportedItem.objects.values_list("wp_id", flat=True)) == [1, 3]


def test_dry_run_writes_nothing_and_prints_the_same_summary(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024").mkdir(parents=True)
    (uploads / "2024" / "a.jpg").write_bytes(image_bytes(50, 40))
    attachment = item(
        20, "A", post_type="attachment", status="inherit", parent=10,
        attachment_url="https://news.example.org/wp-content/uploads/2024/a.jpg",
    )  # fmt: skip
    path = write(tmp_path, export(item(10, meta=(("_thumbnail_id", "20"),),
                                       comments=(comment(1),)), attachment))  # fmt: skip
    dry = run_import(path, "--dry-run", "--uploads", str(uploads))
    assert "DRY RUN: nothing was written" in dry
    assert not Story.objects.exists()
    assert not Section.objects.exists()
    assert not Tag.objects.exists()
    assert not Byline.objects.exists()
    assert not Comment.objects.exists()
    assert not ImportedItem.objects.exists()
    assert not LegacyURL.objects.exists()
    assert not default_storage.exists("wordpress/uploads/2024/a.jpg")
    real = run_import(path, "--uploads", str(uploads))
    table = [line for line in real.splitlines() if line.startswith(("Posts", "Attach", "Com"))]
    assert table == [
        line for line in dry.splitlines() if line.startswith(("Posts", "Attach", "Com"))
    ]
    assert Story.objects.count() == 1


def test_reimport_updates_what_changed(tmp_path):
    run_import(write(tmp_path, export(item(1, "First headline"), item(2, "Other"))))
    first = imported(1)
    output = run_import(write(tmp_path, export(
        item(1, "Corrected headline", comments=(comment(5, "New comment"),)), item(2, "Other"),
    )))  # fmt: skip
    again = imported(1)
    assert again.pk == first.pk
    assert again.headline == "Corrected headline"
    assert again.comments.get().text == "New comment"
    assert "Posts" in output and Story.objects.count() == 2
    rows = {line.split("  ")[0]: line.split()[-5:] for line in output.splitlines()}
    assert rows["Posts"] == ["0", "1", "1", "0", "0"]


def test_an_edit_made_in_newsroom_survives_a_reimport(tmp_path):
    path = write(tmp_path, export(item(1, "WordPress headline")))
    run_import(path)
    story = imported(1)
    story.headline = "Better headline from the desk"
    story.save()
    changed = write(tmp_path, export(item(1, "WordPress headline, changed")), "changed.xml")
    output = run_import(changed)
    assert imported(1).headline == "Better headline from the desk"
    assert "edited in Newsroom since the last import" in output
    output = run_import(changed, "--overwrite")
    assert imported(1).headline == "WordPress headline, changed"
    assert imported(1).pk == story.pk
    # After the overwrite, the story counts as imported again: no more warnings.
    assert "edited in Newsroom" not in run_import(changed)


def test_short_links_redirect_to_public_stories_only(client, tmp_path):
    path = write(tmp_path, export(
        item(7, "Public"), item(8, "Draft", status="draft"),
        item(9, "Page", post_type="page", name="about", link="https://news.example.org/about/"),
    ))  # fmt: skip
    run_import(path)
    response = client.get("/", {"p": 7})
    assert response.status_code == 301
    assert response["Location"] == imported(7).get_absolute_url()
    assert client.get("/", {"p": 8}).status_code == 200  # the home page, not the draft
    assert client.get("/", {"p": 12345}).status_code == 200
    response = client.get("/", {"page_id": 9})
    assert response["Location"] == imported(9).get_absolute_url()
    response = client.get("/about/")
    assert response.status_code == 301
    assert response["Location"] == imported(9).get_absolute_url()
    response = client.get("/about")  # no trailing slash
    assert response.status_code == 301


def test_category_archives_redirect_to_sections(client, tmp_path):
    run_import(write(tmp_path, export(item(1, terms=(("category", "local", "Local"),)))))
    local = Section.objects.get(slug="local")
    assert local.parent.slug == "news"
    for old in ["/category/news/local/", "/category/local/", "/category/news/local", "/?cat=4"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/local/"
    # Same address in Newsroom: nothing to redirect. No listed story has the tag, so it
    # is not found, as in Newsroom; an old link never loops or lands elsewhere.
    response = client.get("/tag/city-hall/")
    assert response.status_code == 404


def test_section_for_files_categories_under_existing_sections(tmp_path):
    metro = make_section(slug="metro", name="Metro")
    path = write(tmp_path, export(item(1, terms=(("category", "local", "Local"),))))
    run_import(path, "--section-for", "Local=metro")
    assert imported(1).section == metro
    assert not Section.objects.filter(slug="local").exists()
    with pytest.raises(CommandError, match="no section “nowhere”"):
        run_import(path, "--section-for", "news=nowhere")


def test_pages_are_imported_or_skipped_by_a_flag(tmp_path):
    path = write(tmp_path, export(item(1), item(2, "About us", post_type="page", name="about")))
    output = run_import(path, "--skip-pages")
    assert not ImportedItem.objects.filter(wp_id=2).exists()
    assert "1 pages: pages not imported (--skip-pages)" in output
    run_import(path, "--pages-section", "info")
    page = imported(2)
    assert page.section.slug == "info"
    assert page.headline == "About us"


def test_comments_keep_their_state_and_threads(tmp_path):
    comments = (
        comment(1, "First!", approved="1"),
        comment(2, "Reply to first", approved="1", parent=1),
        comment(3, "Awaiting", approved="0"),
        comment(4, "Buy pills", approved="spam"),
        comment(5, "Binned", approved="trash"),
        comment(6, "Linked here", kind="pingback", author="Other blog"),
        comment(7, "<p>Has <strong>HTML</strong><br>and lines</p>", ip="not an ip",
                email="not-an-email", url="javascript:alert(1)"),
    )  # fmt: skip
    path = write(tmp_path, export(item(1, comments=comments)))
    output = run_import(path)
    story = imported(1)
    by_text = {c.text: c for c in Comment.objects.filter(story=story)}
    assert set(by_text) == {"First!", "Reply to first", "Awaiting", "Buy pills",
                            "Has HTML\nand lines"}  # fmt: skip
    assert by_text["First!"].status == Comment.Status.APPROVED
    assert by_text["Reply to first"].parent == by_text["First!"]
    assert by_text["Awaiting"].status == Comment.Status.PENDING
    assert by_text["Buy pills"].status == Comment.Status.SPAM
    odd = by_text["Has HTML\nand lines"]
    assert (odd.ip_address, odd.author_email, odd.author_url) == (None, "", "")
    assert by_text["First!"].created_at == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    assert "1 comments: pingbacks and trackbacks (--keep-pingbacks imports them)" in output
    assert "1 comments: in the WordPress trash" in output
    run_import(path, "--keep-pingbacks", "--overwrite")
    assert Comment.objects.filter(text="Linked here").count() == 1
    assert Comment.objects.filter(text="First!").count() == 1


def test_control_characters_are_dropped(tmp_path):
    data = export(item(1, "Bell\x07 rings", content="Text with \x0b a vertical tab."))
    output = run_import(write(tmp_path, data))
    assert imported(1).headline == "Bell rings"
    assert "Control characters removed (not allowed in XML): 2" in output


def test_slugs_stay_unique(tmp_path):
    existing = Story.objects.create(
        headline="Existing", slug="post-1", section=make_section(), status="draft"
    )
    run_import(write(tmp_path, export(item(1), item(2, name="post-1"))))
    assert existing.slug == "post-1"
    assert imported(1).slug == "post-1-2"
    assert imported(2).slug == "post-1-3"


def test_section_slugs_avoid_the_paths_of_other_pages(tmp_path):
    terms = (("category", "search", "Search"), ("category", "feed", "Feed"))
    run_import(write(tmp_path, export(item(1, terms=terms), header="")))
    assert imported(1).section.slug == "search-2"
    assert list(imported(1).secondary_sections.values_list("slug", flat=True)) == ["feed-2"]


def test_created_by_is_recorded(tmp_path):
    user = make_user(username="migrator", is_staff=True)
    run_import(write(tmp_path, export(item(1))), "--created-by", "migrator")
    assert imported(1).created_by == user


def test_queries_do_not_grow_with_each_story(tmp_path):
    """Stories go in by batch: a hundred posts cost about what ten do."""

    def queries_for(count: int, folder: str) -> int:
        directory = tmp_path / folder
        directory.mkdir()
        items = [item(i, f"Post {i}", comments=(comment(i * 10),)) for i in range(1, count + 1)]
        path = write(directory, export(*items, site=f"https://{folder}.example.org"))
        with CaptureQueriesContext(connection) as queries:
            import_file(path, ImportOptions())
        return len(queries)

    ten, hundred = queries_for(10, "ten"), queries_for(100, "hundred")
    assert hundred < ten + 20, (ten, hundred)


def test_a_story_deleted_in_newsroom_comes_back_only_with_overwrite(tmp_path):
    path = write(tmp_path, export(item(1, comments=(comment(3), comment(4, parent=3)))))
    run_import(path)
    imported(1).delete()
    assert "deleted in Newsroom since the last import" in run_import(path)
    assert not Story.objects.exists()
    run_import(path, "--overwrite")
    story = imported(1)
    assert story.comments.count() == 2
    assert story.comments.get(text="Nice story.", parent__isnull=False).parent is not None


def test_cached_pages_show_the_imported_stories(
    client, tmp_path, settings, django_capture_on_commit_callbacks
):
    """Stories go in by bulk insert, which sends no signals: the import purges the cache."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    make_section(slug="news", name="News")
    for url in ["/", "/news/"]:
        assert "Fresh from WordPress" not in client.get(url).content.decode()
        assert client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        # No new section (creating one would purge every page by itself).
        run_import(write(tmp_path, export(item(1, "Fresh from WordPress"), header=AUTHORS)))
    for url in ["/", "/news/"]:
        assert "Fresh from WordPress" in client.get(url).content.decode()


def test_progress_bar_counts_items():
    from io import StringIO

    from wordpress.management.commands.import_wordpress import ProgressBar

    stream = StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar(5, 10)
    bar(10, 10)
    assert stream.getvalue().endswith("\r[##############################] 10/10 items")
    bar.clear()
    assert stream.getvalue().endswith("\r")


def test_an_id_listed_twice_is_reported(tmp_path):
    attachment = item(
        20, "Photo", post_type="attachment", status="inherit",
        attachment_url="https://news.example.org/wp-content/uploads/a.jpg",
    )  # fmt: skip
    output = run_import(write(tmp_path, export(item(1), item(1), attachment, attachment)))
    assert "Failed: post 1 “A post”: the export lists this ID twice" in output
    assert "Failed: attachment 20 “Photo”: the export lists this ID twice" in output
    assert "4 items in the export, 4 accounted for above." in output
    assert Story.objects.count() == 1


def test_a_post_taken_down_in_wordpress_is_unpublished(tmp_path):
    run_import(write(tmp_path, export(item(1, "Live"))))
    assert imported(1).is_public
    output = run_import(write(tmp_path, export(item(1, "Live", status="draft")), "later.xml"))
    story = imported(1)
    assert story.status == Story.Status.UNPUBLISHED
    assert "changed its status from published to unpublished" in story.log_entries.first().note
    rows = {line.split("  ")[0]: line.split()[-5:] for line in output.splitlines()}
    assert rows["Posts"] == ["0", "1", "0", "0", "0"]


def test_renditions_can_wait_for_generateimages(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024").mkdir(parents=True)
    (uploads / "2024" / "a.jpg").write_bytes(image_bytes(900, 600))
    attachment = item(
        20, "A", post_type="attachment", status="inherit", parent=10,
        attachment_url="https://news.example.org/wp-content/uploads/2024/a.jpg",
    )  # fmt: skip
    path = write(tmp_path, export(item(10, meta=(("_thumbnail_id", "20"),)), attachment))
    output = run_import(path, "--uploads", str(uploads), "--no-renditions")
    story = imported(10)
    assert story.lead_image
    assert not default_storage.exists(story.lead_image.rendition_teaser_fallback.name)
    assert "Lead images of 1 stories still need their renditions" in output


def test_featured_images_go_into_the_media_library_once(tmp_path):
    from library.models import Image as LibraryImage

    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    picture = image_bytes(640, 480)
    # The same photo uploaded twice to WordPress, under two names.
    (uploads / "2024" / "03" / "harbour.jpg").write_bytes(picture)
    (uploads / "2024" / "03" / "harbour-copy.jpg").write_bytes(picture)
    (uploads / "2024" / "03" / "bridge.jpg").write_bytes(image_bytes(300, 200))
    attachments = [
        item(
            20 + number, name, post_type="attachment", status="inherit", parent=10 + number,
            attachment_url=f"https://news.example.org/wp-content/uploads/2024/03/{name}.jpg",
        )
        for number, name in enumerate(["harbour", "harbour-copy", "bridge"])
    ]  # fmt: skip
    posts = [item(10 + n, meta=(("_thumbnail_id", str(20 + n)),)) for n in range(3)]
    posts.append(item(13, meta=(("_thumbnail_id", "20"),)))  # a photo two posts share
    run_import(write(tmp_path, export(*posts, *attachments)), "--uploads", str(uploads))
    assert LibraryImage.objects.count() == 2
    harbour = imported(10).lead_image
    assert imported(11).lead_image == harbour, "the same bytes: the same library image"
    assert imported(13).lead_image == harbour
    assert imported(12).lead_image != harbour
    assert harbour.file.name == "wordpress/uploads/2024/03/harbour.jpg"
    assert default_storage.exists(harbour.rendition_teaser_fallback.name)
