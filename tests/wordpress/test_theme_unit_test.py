"""The WordPress Theme Unit Test export, imported as an operator would import it.

Counts of everything it holds, a few posts checked field by field, every old address
answering 301, and a second import that changes nothing.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import TestCase
from taggit.models import Tag

from articles.models import Byline, Section, Story, StoryLogEntry, StoryRedirect
from comments.models import Comment
from tests.factories import image_bytes
from tests.wordpress.exports import THEME_UNIT_TEST
from wordpress.models import ImportedItem, LegacyURL
from wordpress.wxr import read_export, read_post


def story(wp_id: int) -> Story:
    return ImportedItem.objects.select_related("story__section").get(wp_id=wp_id).story


class ThemeUnitTestImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        call_command("import_wordpress", str(THEME_UNIT_TEST), "--no-progress", stdout=out)
        cls.output = out.getvalue()

    def test_summary_accounts_for_every_item(self):
        self.assertIn("186 items in the export, 186 accounted for above.", self.output)
        rows = {line.split("  ")[0]: line.split()[-5:] for line in self.output.splitlines()}
        self.assertEqual(rows["Posts"], ["58", "0", "0", "0", "0"])
        self.assertEqual(rows["Pages"], ["21", "0", "0", "0", "0"])
        self.assertEqual(rows["Attachments"], ["37", "0", "0", "0", "0"])
        self.assertEqual(rows["Menu items"], ["0", "0", "0", "70", "0"])
        self.assertEqual(rows["Comments"], ["29", "0", "0", "4", "0"])
        self.assertIn("4 comments: pingbacks and trackbacks", self.output)

    def test_counts(self):
        self.assertEqual(Story.objects.count(), 58 + 21)
        self.assertEqual(ImportedItem.objects.filter(kind="post").count(), 58)
        self.assertEqual(ImportedItem.objects.filter(kind="page").count(), 21)
        self.assertEqual(ImportedItem.objects.filter(kind="attachment").count(), 37)
        # 68 categories and the section pages go in.
        self.assertEqual(Section.objects.count(), 69)
        # The 110 declared tags, plus "Columns", "Sample" and "test tag" that only posts name.
        self.assertEqual(Tag.objects.count(), 113)
        self.assertEqual(
            sorted(Byline.objects.values_list("name", flat=True)),
            ["Theme Buster", "Theme Reviewer"],
        )
        # 57 post and 21 page permalinks, 1 old slug, 13 old guids, 35 attachment pages.
        self.assertEqual(StoryRedirect.objects.count(), 127)
        # 68 category archives (+10 short forms of nested ones), 68 ?cat=, 110 ?tag=, 2 authors.
        self.assertEqual(LegacyURL.objects.count(), 258)
        self.assertEqual(Comment.objects.count(), 29)
        self.assertEqual(Comment.objects.filter(status="pending").count(), 3)
        self.assertEqual(Comment.objects.filter(status="approved").count(), 26)

    def test_sections_keep_the_category_nesting(self):
        self.assertEqual(Section.objects.filter(parent__isnull=False).count(), 10)
        child_2 = Section.objects.get(slug="child-2")
        self.assertEqual([s.slug for s in child_2.ancestors()], ["parent", "child-1"])
        grandchild = Section.objects.get(slug="grandchild-category")
        self.assertEqual(
            [s.slug for s in grandchild.ancestors()], ["parent-category", "child-category-03"]
        )
        self.assertEqual(Section.objects.get(slug="6-1").name, "6.1")

    def test_scheduled_post(self):
        scheduled = story(1153)
        self.assertEqual(scheduled.headline, "Scheduled")
        self.assertEqual(scheduled.status, Story.Status.PUBLISHED)
        self.assertEqual(scheduled.published_at, datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC))
        self.assertIs(scheduled.is_scheduled, True)
        self.assertNotIn(scheduled, Story.objects.published())
        self.assertEqual(scheduled.section.slug, "unpublished")

    def test_draft(self):
        draft = story(1164)
        self.assertEqual(draft.headline, "Draft")
        self.assertEqual(draft.status, Story.Status.DRAFT)
        self.assertIsNone(draft.published_at)
        self.assertEqual(draft.slug, "draft")  # WordPress had no slug for it yet
        self.assertEqual(draft.body, "<p>This post is drafted and not published yet.</p>\n"
                         "<p>It should not be displayed by the theme.</p>")  # fmt: skip
        self.assertEqual(list(draft.tags.names()), ["content περιεχόμενο"])

    def test_sticky_post_is_featured(self):
        sticky = story(1241)
        self.assertIs(sticky.is_featured, True)
        self.assertEqual(sticky.headline, "Template: Sticky")
        self.assertEqual(sticky.slug, "template-sticky")
        self.assertEqual(sticky.published_at, datetime(2012, 1, 7, 14, 7, 21, tzinfo=UTC))
        self.assertEqual(sticky.section.slug, "classic")
        self.assertEqual([s.slug for s in sticky.secondary_sections.all()], ["uncategorized"])
        self.assertEqual(sorted(sticky.tags.names()), ["sticky", "template"])
        self.assertEqual(Story.objects.filter(is_featured=True).count(), 1)
        self.assertTrue(sticky.dek.startswith("This is a sticky post. There are a few things"))

    def test_caption_becomes_a_figure(self):
        captioned = story(1163)
        self.assertEqual(captioned.headline, "Post Format: Image (Caption)")
        self.assertIn("<figure>", captioned.body)
        self.assertIn("<figcaption>Bell on wharf in San Francisco</figcaption>", captioned.body)
        self.assertIn('alt="Bell on Wharf"', captioned.body)
        self.assertNotIn("[caption", captioned.body)
        self.assertEqual([b.byline.name for b in captioned.credited_bylines], ["Theme Buster"])

    def test_longest_title(self):
        longest = story(1175)
        self.assertEqual(
            longest.headline,
            "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu",
        )
        self.assertEqual(longest.slug, "title-should-not-overflow-the-content-area")

    def test_title_markup_is_plain_text(self):
        self.assertEqual(story(1173).headline, "Markup: Title With Markup")
        self.assertEqual(
            story(1174).headline,
            "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>",
        )

    def test_password_protected_post_is_a_draft_with_a_note(self):
        protected = story(1168)
        self.assertEqual(protected.status, Story.Status.DRAFT)
        note = protected.log_entries.get(action=StoryLogEntry.Action.IMPORT).note
        self.assertIn("password-protected", note)

    def test_featured_image_without_uploads_is_reported(self):
        self.assertFalse(story(1011).lead_image)
        self.assertIn("No --uploads directory given", self.output)

    def test_excerpt_is_the_dek(self):
        self.assertEqual(
            story(993).dek,
            "This is a user-defined post excerpt. It should be displayed in place of the post "
            "content in archive-index pages. It can be longer than the automatically generated "
            "excerpts, and can have HTML tags.",
        )

    def test_bodies_are_clean(self):
        for body in Story.objects.values_list("body", flat=True):
            self.assertNotIn("<!-- wp:", body)
            self.assertNotIn("<script", body)
            self.assertNotIn("[gallery", body)
            self.assertNotIn("style=", body)

    def test_gallery_and_embeds(self):
        gallery = story(1031)
        self.assertEqual(gallery.body.count("<li>"), 5)  # the sixth image is not in the export
        youtube = story(1161)
        self.assertIn(
            '<a href="https://www.youtube.com/watch?v=SQEQr7c0-dw" rel="noopener noreferrer">',
            youtube.body,
        )

    def test_embed_blocks_become_embeds_on_the_story_page(self):
        """Post 1738's core-embed blocks (X, YouTube, Facebook, Instagram, WordPress.tv)."""
        post = story(1738)
        self.assertNotIn("wp-block-embed", post.body)
        self.assertIn("<p>Twitter,&nbsp; wide width</p>", post.body)  # the caption, kept
        page = self.client.get(post.get_absolute_url()).content.decode()
        for provider in ["twitter", "youtube", "facebook", "instagram"]:
            self.assertIn(f'data-embed-provider="{provider}"', page)
        self.assertIn('data-embed-src="https://www.youtube-nocookie.com/embed/ex8fMxXJDJw"', page)
        self.assertIn('<a href="https://wordpress.tv/2018/10/14/', page)  # not allow-listed
        self.assertRegex(
            self.output, r"Embeds kept \(allow-listed providers, shown as embeds\): \d+"
        )

    def test_pages_are_stories_in_their_own_section(self):
        about = story(2)
        self.assertEqual(about.section.slug, "pages")
        self.assertEqual(about.headline, "About The Tests")

    def test_comment_threads(self):
        post = story(1148)
        comments = Comment.objects.filter(story=post)
        self.assertEqual(comments.count(), 20)
        replies = comments.exclude(parent=None)
        self.assertGreater(replies.count(), 0)
        for reply in replies:
            self.assertEqual(reply.parent.story_id, post.pk)
        self.assertIs(story(1150).allow_comments, False)

    def test_every_old_address_redirects(self):
        """Each public post and page answers at its permalink, its ?p= link and its guid."""
        checked = 0
        for element in read_export(THEME_UNIT_TEST):
            if element.tag != "item":
                continue
            post = read_post(element)
            if post.post_type not in {"post", "page"}:
                continue
            imported = story(post.wp_id)
            link = urlsplit(post.link)
            address = link.path.replace("//", "/") + (f"?{link.query}" if link.query else "")
            response = self.client.get(address)
            if not imported.is_public:
                self.assertNotEqual(response.status_code, 301, address)
                continue
            self.assertRedirects(
                response,
                imported.get_absolute_url(),
                status_code=301,
                fetch_redirect_response=False,
            )
            short = self.client.get(
                "/", {"page_id" if post.post_type == "page" else "p": post.wp_id}
            )
            self.assertRedirects(
                short, imported.get_absolute_url(), status_code=301, fetch_redirect_response=False
            )
            checked += 1
        self.assertEqual(checked, 55 + 21)
        self.assertEqual(self.client.get(story(1241).get_absolute_url()).status_code, 200)

    def test_attachment_pages_redirect_to_their_story(self):
        response = self.client.get("/2010/08/07/post-format-image-caption/triforce-wallpaper/")
        self.assertRedirects(
            response, story(1163).get_absolute_url(), status_code=301,
            fetch_redirect_response=False,
        )  # fmt: skip

    def test_archives_redirect(self):
        for old, new in [
            ("/category/parent/child-1/child-2/", "/child-2/"),
            ("/category/child-2/", "/child-2/"),
            ("/category/child-2", "/child-2/"),
            ("/category/classic/page/3/", "/classic/"),
            ("/?cat=1043329", "/child-2/"),
            ("/?tag=content-2", "/tag/content-2/"),
            ("/author/themedemos/", "/byline/themedemos/"),
        ]:
            with self.subTest(old=old):
                response = self.client.get(old)
                self.assertRedirects(response, new, status_code=301, fetch_redirect_response=False)

    def test_reimport_changes_nothing(self):
        versions = dict(Story.objects.values_list("pk", "edit_version"))
        counts = (
            Story.objects.count(), Section.objects.count(), Tag.objects.count(),
            Byline.objects.count(), StoryRedirect.objects.count(), LegacyURL.objects.count(),
            Comment.objects.count(), ImportedItem.objects.count(),
        )  # fmt: skip
        out = io.StringIO()
        call_command("import_wordpress", str(THEME_UNIT_TEST), "--no-progress", stdout=out)
        again = out.getvalue()
        rows = {line.split("  ")[0]: line.split()[-5:] for line in again.splitlines()}
        self.assertEqual(rows["Posts"], ["0", "0", "58", "0", "0"])
        self.assertEqual(rows["Pages"], ["0", "0", "21", "0", "0"])
        self.assertEqual(rows["Attachments"], ["0", "0", "37", "0", "0"])
        self.assertEqual(rows["Comments"], ["0", "0", "29", "4", "0"])
        self.assertEqual(dict(Story.objects.values_list("pk", "edit_version")), versions)
        self.assertEqual(
            counts,
            (
                Story.objects.count(), Section.objects.count(), Tag.objects.count(),
                Byline.objects.count(), StoryRedirect.objects.count(),
                LegacyURL.objects.count(), Comment.objects.count(),
                ImportedItem.objects.count(),
            ),
        )  # fmt: skip


@pytest.mark.django_db
def test_featured_image_from_the_uploads_copy(tmp_path):
    """With a copy of wp-content/uploads, featured images become lead images."""
    uploads = tmp_path / "uploads"
    for relative, size in [
        ("2013/03/featured-image-horizontal.jpg", (1200, 675)),
        ("2013/03/featured-image-vertical.jpg", (400, 800)),
    ]:
        (uploads / relative).parent.mkdir(parents=True, exist_ok=True)
        (uploads / relative).write_bytes(image_bytes(*size))
    out = io.StringIO()
    call_command(
        "import_wordpress", str(THEME_UNIT_TEST), "--uploads", str(uploads), "--no-progress",
        stdout=out,
    )  # fmt: skip
    horizontal = story(1011)
    assert horizontal.headline == "Template: Featured Image (Horizontal)"
    assert (
        horizontal.lead_image.file.name == "wordpress/uploads/2013/03/featured-image-horizontal.jpg"
    )
    assert (horizontal.lead_image.width, horizontal.lead_image.height) == (1200, 675)
    assert horizontal.lead_image_alt == "Horizontal Featured Image"
    assert horizontal.lead_image.file.storage.exists(horizontal.lead_image.file.name)
    assert story(1016).lead_image.height == 800
    assert ImportedItem.objects.get(wp_id=1022).media == horizontal.lead_image.file.name
    # The other attachments' files were not in the copy: reported, not fatal.
    assert "Files not found in the uploads directory: " in out.getvalue()
    assert "2008/06/canola2.jpg" in out.getvalue()
    assert Story.objects.count() == 79
