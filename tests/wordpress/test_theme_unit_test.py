"""The WordPress Theme Unit Test export, imported as an operator would import it.

Counts of everything it holds, a few posts checked field by field, every old address
answering 301, and a second import that changes nothing.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import TestCase
from taggit.models import Tag

from articles.models import Byline, Section, Story, StoryLogEntry, StoryRedirect
from comments.models import Comment
from library.models import Gallery, GalleryImage, Image, MediaFile
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


MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 200  # an ID3 tag: what the library sniffs


def theme_uploads(folder) -> dict[int, str]:
    """A copy of the export's uploads: every attachment's file, each image of a size of
    its own (so no two have the same bytes), the MP3 and the .mov of the video blocks."""
    paths = {}
    for number, element in enumerate(e for e in read_export(THEME_UNIT_TEST) if e.tag == "item"):
        post = read_post(element)
        if post.post_type != "attachment":
            continue
        relative = post.attachment_url.split(".files.wordpress.com/", 1)[1]
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".mp3"):
            path.write_bytes(MP3)
        elif relative.endswith(".mov"):
            path.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 50)  # not on the allow-list
        else:
            path.write_bytes(
                image_bytes(40 + number, 30, "GIF" if relative.endswith(".gif") else "JPEG")
            )
        paths[post.wp_id] = relative
    return paths


class ThemeUnitTestWithUploadsTests(TestCase):
    """The block-editor test export with its uploads: galleries, images, audio and video
    become the media library's, placed in the bodies, and the summary counts them."""

    @classmethod
    def setUpTestData(cls):
        import tempfile
        from pathlib import Path

        cls.folder = Path(tempfile.mkdtemp()) / "uploads"
        cls.paths = theme_uploads(cls.folder)
        cls.output = cls.run_import()

    @classmethod
    def tearDownClass(cls):
        import shutil

        shutil.rmtree(cls.folder.parent, ignore_errors=True)
        super().tearDownClass()

    @classmethod
    def run_import(cls) -> str:
        out = io.StringIO()
        call_command(
            "import_wordpress", str(THEME_UNIT_TEST), "--uploads", str(cls.folder),
            "--no-progress", "--no-renditions", stdout=out,
        )  # fmt: skip
        return out.getvalue()

    def rows(self, output):
        return {line.split("  ")[0]: line.split()[-5:] for line in output.splitlines()}

    def test_summary_counts_the_library(self):
        rows = self.rows(self.output)
        images, galleries = Image.objects.count(), Gallery.objects.count()
        self.assertGreater(galleries, 5)
        # Each picture's image is created once, then reused: created = the images placed.
        placed = {int(n) for body in Story.objects.values_list("body", flat=True)
                  for n in re.findall(r"<p>\[image (\d+)\]</p>", body)}  # fmt: skip
        placed |= set(GalleryImage.objects.values_list("image_id", flat=True))
        created = int(rows["Library images"][0])
        self.assertGreater(len(placed), 25)
        self.assertTrue(len(placed) <= created <= images, (len(placed), created, images))
        # Every attachment is in the library, whether a post shows it or not.
        for wp_id, relative in self.paths.items():
            with self.subTest(attachment=wp_id):
                model = MediaFile if relative.endswith(".mp3") else Image
                if not relative.endswith(".mov"):  # refused
                    self.assertTrue(model.objects.filter(file=f"wordpress/uploads/{relative}"))
        self.assertEqual(int(rows["Library galleries"][0]), galleries)
        # The shortcode makes it, the block finds it, the attachment fills its empty caption.
        self.assertEqual(rows["Library audio files"], ["1", "1", "1", "1", "0"])
        self.assertTrue(MediaFile.objects.get().caption.startswith("St. Louis Blues"))
        self.assertEqual(rows["Library video files"][0], "0")
        self.assertIn("3 library video files: refused by the library's checks", self.output)
        self.assertIn(
            "1 library audio files: not an upload of the site (kept as a link)", self.output
        )
        self.assertIn("Media not found: 1 ", self.output)
        self.assertIn(
            "2013/12/2014-slider-mobile-behavior.mov: its name does not end in", self.output
        )
        self.assertRegex(self.output, r"Embeds kept \(allow-listed providers, shown as embeds\): 6")
        self.assertIn("186 items in the export, 186 accounted for above.", self.output)

    def test_shortcode_gallery_is_a_library_gallery_in_order(self):
        tiled = story(1031)
        [number] = re.findall(r"<p>\[gallery (\d+)\]</p>", tiled.body)
        gallery = Gallery.objects.get(pk=number)
        self.assertEqual(gallery.title, "Post Format: Gallery (Tiled)")
        names = [item.image.file.name for item in gallery.items.all()]
        # [gallery type="rectangular" ids="755,757,758,760,766,763"]: 763 is not in the export.
        self.assertEqual(
            names, [f"wordpress/uploads/{self.paths[i]}" for i in (755, 757, 758, 760, 766)]
        )
        self.assertEqual(gallery.items.first().shown_caption, "Golden Gate Bridge")
        self.assertNotIn("<li>", tiled.body)

    def test_gallery_blocks_old_and_nested(self):
        common = story(1730)  # wp:gallery {"ids": [769, 768, 767, 770, 807, 766]}
        [number] = re.findall(r"<p>\[gallery (\d+)\]</p>", common.body)
        items = list(Gallery.objects.get(pk=number).items.all())
        wanted = [f"wordpress/uploads/{self.paths[i]}" for i in (769, 768, 767, 770, 807, 766)]
        self.assertEqual([i.image.file.name for i in items], wanted)
        self.assertEqual(items[0].shown_caption, "Jericoacoara Ceara Brasil")
        media = story(21)  # the nested form: wp:image blocks inside the gallery
        [number] = re.findall(r"<p>\[gallery (\d+)\]</p>", media.body)
        items = list(Gallery.objects.get(pk=number).items.all())
        self.assertEqual([i.image.file.name for i in items][:2],
                         [f"wordpress/uploads/{self.paths[i]}" for i in (755, 770)])  # fmt: skip
        self.assertEqual(items[1].shown_caption, "Coastline in Huatulco, Oaxaca, Mexico")

    def test_caption_and_image_blocks_are_library_images(self):
        captioned = story(1163)  # [caption id="attachment_754"]
        [number] = re.findall(r"<p>\[image (\d+)\]</p>", captioned.body)
        image = Image.objects.get(pk=number)
        self.assertEqual(image.file.name, f"wordpress/uploads/{self.paths[754]}")
        self.assertEqual(image.caption, "Bell on wharf in San Francisco")
        self.assertEqual(image.alt_text, "Bell on Wharf")
        self.assertEqual(image.title, "Bell on Wharf")  # the attachment's title in WordPress
        self.assertNotIn("<figure>", captioned.body)
        self.assertIn("<p>[image ", story(21).body)  # a wp:image block
        # The same bytes under any name are one library image.
        self.assertEqual(Image.objects.values("sha256").distinct().count(), Image.objects.count())

    def test_imported_inline_images_are_in_use_and_shown_on_the_story_page(self):
        from articles.models import BodyImage

        captioned = story(1163)
        [number] = re.findall(r"<p>\[image (\d+)\]</p>", captioned.body)
        image = Image.objects.get(pk=number)
        # Stories are inserted in bulk: the library still knows the body uses it.
        self.assertTrue(BodyImage.objects.filter(story=captioned, image=image).exists())
        self.assertIn(captioned, image.usages())
        self.assertFalse(Image.objects.unused().filter(pk=image.pk).exists())
        if captioned.is_public:
            page = self.client.get(captioned.get_absolute_url()).content.decode()
            self.assertIn('<figure class="inline-image">', page)
            self.assertNotIn(f"[image {number}]", page)

    def test_audio_becomes_library_audio_and_missing_media_stays_a_link(self):
        shortcode = story(587)
        [number] = re.findall(r"<p>\[audio (\d+)\]</p>", shortcode.body)
        audio = MediaFile.objects.get(pk=number)
        self.assertEqual(audio.kind, "audio")
        self.assertEqual(audio.file.name, f"wordpress/uploads/{self.paths[821]}")
        self.assertEqual(audio.size, len(MP3))
        self.assertIn(
            f"<p>[audio {number}]</p>", story(1730).body
        )  # a wp:audio block: the same file
        self.assertEqual(MediaFile.objects.count(), 1)
        # The video's .mov is refused, and the Wikimedia file is not an upload: links.
        self.assertIn('<a href="https://upload.wikimedia.org/', story(21).body)
        self.assertIn("2014-slider-mobile-behavior.mov", story(1730).body)
        self.assertIn("<p>This is a video block caption.</p>", story(1730).body)

    def test_story_page_shows_the_gallery(self):
        page = self.client.get(story(1031).get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("[gallery", page.content.decode())

    def test_a_second_import_makes_nothing_new(self):
        counts = (Image.objects.count(), Gallery.objects.count(), MediaFile.objects.count(),
                  GalleryImage.objects.count())  # fmt: skip
        again = self.run_import()
        self.assertNotIn("Library galleries", again)  # no post was converted again
        # Converted again (as after a change in WordPress): everything is found again.
        ImportedItem.objects.filter(kind__in=["post", "page"]).update(content_hash="")
        third = self.run_import()
        rows = self.rows(third)
        self.assertEqual(rows["Posts"][:2], ["0", "58"])
        self.assertEqual(rows["Library galleries"][0], "0")
        self.assertEqual(rows["Library images"][0], "0")
        self.assertEqual(rows["Library audio files"][0], "0")
        self.assertEqual(
            counts,
            (Image.objects.count(), Gallery.objects.count(), MediaFile.objects.count(),
             GalleryImage.objects.count()),
        )  # fmt: skip
