"""WordPress post content as clean story HTML."""

from __future__ import annotations

import re

from wordpress.content import Attachment, BodyConverter, BodyReport, Placed, autop, make_dek

ATTACHMENTS = {
    5: Attachment(5, "https://example.org/wp-content/uploads/2024/01/a.jpg", "A", "Alt A", "Cap A",
                  parent=1, menu_order=2),
    6: Attachment(6, "https://example.org/wp-content/uploads/2024/01/b.png", "B", "Alt B", "",
                  parent=1, menu_order=1),
    7: Attachment(7, "https://example.org/wp-content/uploads/2024/01/c.pdf", "C", parent=1),
}  # fmt: skip


def convert(raw: str, media=None) -> tuple[str, BodyReport]:
    converter = BodyConverter(
        attachments=ATTACHMENTS,
        children={1: [5, 6, 7]},
        media_url=media or (lambda url: None),
    )
    report = BodyReport()
    return converter.convert(raw, post_id=1, report=report), report


def test_blank_lines_become_paragraphs():
    html, _ = convert("One\nline two\n\nThree\n\n<ul>\n<li>item</li>\n</ul>\nAfter")
    assert html == (
        "<p>One<br>\nline two</p>\n<p>Three</p>\n<ul>\n<li>item</li>\n</ul>\n<p>After</p>"
    )


def test_pre_blocks_are_left_alone():
    assert autop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_block_editor_comments_are_removed():
    html, report = convert(
        "<!-- wp:paragraph -->\n<p>Hello</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
    )
    assert html == "<p>Hello</p>"
    assert report.blocks_removed == {"latest-posts": 1}


def test_caption_becomes_a_figure():
    html, _ = convert(
        '[caption id="attachment_5" align="alignleft" width="300"]<a href="/x"><img '
        'src="https://example.org/a.jpg" alt="A dog" class="wp-image-5"></a> A dog, '
        "<em>running</em>[/caption]"
    )
    assert re.sub(r">\s+<", "><", html) == (
        '<figure><a href="/x" rel="noopener noreferrer"><img src="https://example.org/a.jpg" '
        'alt="A dog"></a><figcaption>A dog, <em>running</em></figcaption></figure>'
    )


def test_caption_attribute_is_the_caption():
    html, _ = convert('[caption caption="From the attribute"]<img src="/a.jpg">[/caption]')
    assert "<figcaption>From the attribute</figcaption>" in html


def test_gallery_lists_its_images():
    html, report = convert('[gallery ids="6,5,99"]')
    assert html.startswith("<ul>")
    assert html.index("b.png") < html.index("a.jpg")
    assert '<img src="https://example.org/wp-content/uploads/2024/01/a.jpg" alt="Alt A">' in html
    assert "<figcaption>Cap A</figcaption>" in html
    assert report.gallery_images_missing == 1


def test_gallery_without_ids_shows_the_posts_images_in_order():
    html, _ = convert("[gallery columns=3]")
    assert html.index("b.png") < html.index("a.jpg")  # menu order
    assert "c.pdf" not in html


def test_gallery_images_use_stored_copies():
    html, _ = convert("[gallery ids=5]", media=lambda url: "/media/wordpress/uploads/x.jpg")
    assert 'src="/media/wordpress/uploads/x.jpg"' in html


def test_embeds_and_bare_video_urls_become_links():
    html, report = convert(
        "Watch:\n\nhttps://www.youtube.com/watch?v=abc\n\n"
        "[embed]https://vimeo.com/123[/embed]\n\n"
        '[audio mp3="https://example.org/a.mp3"]\n\n'
        '<iframe src="https://player.example.com/v/1" width="500"></iframe>'
    )
    for url in [
        "https://www.youtube.com/watch?v=abc", "https://vimeo.com/123",
        "https://example.org/a.mp3", "https://player.example.com/v/1",
    ]:  # fmt: skip
        assert f'<p><a href="{url}" rel="noopener noreferrer">{url}</a></p>' in html
    # Vimeo is on the embeds allow-list (the story page shows it as an embed); a YouTube
    # "id" of three characters, an MP3 and an unknown player are not.
    assert (report.embeds_kept, report.embeds_linked) == (1, 3)
    assert "iframe" not in html


EMBED_BLOCKS = """<!-- wp:paragraph -->
<p>Watch the meeting.</p>
<!-- /wp:paragraph -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ\\u0026t=5","type":"video",\
"providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube">\
<div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5
</div><figcaption class="wp-element-caption">The council, <em>live</em></figcaption></figure>
<!-- /wp:embed -->

<!-- wp:core-embed/spotify {"url":"https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT"} -->
<figure class="wp-block-embed-spotify wp-block-embed"><div class="wp-block-embed__wrapper">
https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT
</div></figure>
<!-- /wp:core-embed/spotify -->

<!-- wp:embed {"url":"https://wordpress.tv/2018/10/14/a-talk/","type":"video"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://wordpress.tv/2018/10/14/a-talk/
</div></figure>
<!-- /wp:embed -->

<!-- wp:core-embed/vimeo -->
<figure class="wp-block-embed-vimeo wp-block-embed"><div class="wp-block-embed__wrapper">
https://vimeo.com/76979871
</div></figure>
<!-- /wp:core-embed/vimeo -->

<!-- wp:embed {"providerNameSlug":"youtube"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper"></div></figure>
<!-- /wp:embed -->
"""


def test_embed_blocks_become_a_url_on_a_line_of_its_own():
    html, report = convert(EMBED_BLOCKS)
    youtube = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5"
    assert html == (
        "<p>Watch the meeting.</p>\n"
        f'<p><a href="{youtube}" rel="noopener noreferrer">{youtube}</a></p>\n'
        "<p>The council, <em>live</em></p>\n"
        '<p><a href="https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT" '
        'rel="noopener noreferrer">https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT</a></p>\n'
        '<p><a href="https://wordpress.tv/2018/10/14/a-talk/" rel="noopener noreferrer">'
        "https://wordpress.tv/2018/10/14/a-talk/</a></p>\n"
        '<p><a href="https://vimeo.com/76979871" rel="noopener noreferrer">'
        "https://vimeo.com/76979871</a></p>"
    )
    # YouTube, Spotify and Vimeo show as embeds; WordPress.tv is not on the allow-list.
    assert (report.embeds_kept, report.embeds_linked) == (3, 1)
    # The block with no address is counted, not silently dropped.
    assert report.blocks_removed == {"embed (no address)": 1}


def test_an_embed_figure_without_block_comments_is_an_embed_too():
    html, report = convert(
        "Before.\n\n"
        '<figure class="wp-block-embed is-provider-vimeo"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/76979871\n</div><figcaption>A film</figcaption></figure>\n\nAfter."
    )
    assert html == (
        "<p>Before.</p>\n"
        '<p><a href="https://vimeo.com/76979871" rel="noopener noreferrer">'
        "https://vimeo.com/76979871</a></p>\n<p>A film</p>\n<p>After.</p>"
    )
    assert (report.embeds_kept, report.embeds_linked) == (1, 0)


def test_unknown_shortcodes_are_removed_and_counted():
    html, report = convert(
        'Before [contact-form-7 id="12" title="Contact"] after.\n\n'
        "[pullquote]Quoted words[/pullquote]\n\n"
        "[rev_slider home]"
    )
    assert html == "<p>Before  after.</p>\n<p>Quoted words</p>"
    assert report.shortcodes_removed == {"contact-form-7": 1, "pullquote": 1, "rev_slider": 1}


def test_editorial_brackets_are_not_shortcodes():
    html, report = convert("He said [sic] it was fine [simple boat]. Escaped: [[gallery]].")
    assert html == "<p>He said [sic] it was fine [simple boat]. Escaped: [gallery].</p>"
    assert not report.shortcodes_removed


def test_unsafe_html_is_sanitised():
    html, _ = convert(
        '<p style="color:red" onclick="x()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">link</a><h1>Big</h1>'
    )
    assert html == '<p>Hi</p>\n<p><a rel="noopener noreferrer">link</a></p>\n<h2>Big</h2>'


def test_dek_from_excerpt_or_body():
    assert make_dek("<p>The <em>excerpt</em>.</p>", "<p>Body</p>") == "The excerpt."
    body = "<figure><img src=x><figcaption>Caption</figcaption></figure><p>" + "word " * 60
    dek = make_dek("", body)
    assert dek.startswith("word word")
    assert dek.endswith("…")
    assert "Caption" not in dek


def test_a_dek_from_a_table_keeps_the_cells_apart():
    """Imported deks used to read "Header labelHeader labelCell 1Cell 2"."""
    body = (
        "<table><thead><tr><th>Header label</th><th>Header label</th></tr></thead>"
        "<tbody><tr><td>Cell 1</td><td>Cell 2</td></tr></tbody></table><p>After.</p>"
    )
    assert make_dek("", body) == "Header label Header label Cell 1 Cell 2 After."


# With a media library ---------------------------------------------------------------


class FakeLibrary:
    """A library that takes files under /uploads/2024/01/ and remembers what it was given."""

    def __init__(self, captions=None):
        self.captions = captions or {}  # url → the caption the library image already has
        self.images: list[tuple[str, str, str]] = []
        self.galleries: list[tuple[str, list]] = []

    def image(self, url, *, alt, caption, report, title=""):
        if "/uploads/2024/01/" not in url:
            report.library.skip("library_image", "not an upload")
            return None
        self.images.append((url, alt, caption))
        return Placed(len(self.images), self.captions.get(url, caption))

    def gallery(self, title, caption, pictures, report):
        self.galleries.append((title, [(p.pk, shown) for p, shown in pictures]))
        return Placed(40 + len(self.galleries), caption)

    def media(self, url, kind, *, caption, report):
        return Placed(7, caption) if url.endswith(".mp3") else None


def convert_with(raw: str, library) -> tuple[str, BodyReport]:
    converter = BodyConverter(
        attachments=ATTACHMENTS, children={1: [5, 6, 7]}, media_url=lambda url: None,
        library=library,
    )  # fmt: skip
    report = BodyReport()
    return converter.convert(raw, post_id=1, report=report, title="Storm night"), report


def test_caption_becomes_a_library_image_of_the_attachment():
    library = FakeLibrary()
    html, _ = convert_with(
        '[caption id="attachment_5"]<img src="https://example.org/wp-content/uploads/2024/01/'
        'a-300x200.jpg" alt="A dog"> A dog, <em>running</em>[/caption]',
        library,
    )
    assert html == "<p>[image 1]</p>"
    # The attachment's own file, not the resized copy; the caption as plain text.
    assert library.images == [(ATTACHMENTS[5].url, "A dog", "A dog, running")]


def test_a_caption_other_than_the_library_images_stays_under_it():
    library = FakeLibrary(captions={ATTACHMENTS[5].url: "Cap A"})
    html, _ = convert_with(
        '<!-- wp:image {"id":5} --><figure class="wp-block-image"><img src="x.jpg" alt="">'
        "<figcaption>Rex, <em>today</em></figcaption></figure><!-- /wp:image -->",
        library,
    )
    assert html == "<p>[image 1]</p>\n<p>Rex, <em>today</em></p>"


def test_gallery_shortcode_becomes_one_placement_in_order():
    library = FakeLibrary()
    html, report = convert_with('[gallery ids="6,5,99"]', library)
    assert html == "<p>[gallery 41]</p>"
    assert library.galleries == [("Storm night", [(1, ""), (2, "Cap A")])]
    assert [url for url, _, _ in library.images] == [ATTACHMENTS[6].url, ATTACHMENTS[5].url]
    assert report.gallery_images_missing == 1


def test_gallery_whose_files_are_not_uploads_stays_a_list():
    html, report = convert_with("[gallery ids=5]", FakeLibrary(captions={}))
    assert html.startswith("<p>[gallery")  # a.jpg is under /uploads/2024/01/
    outside = {9: Attachment(9, "https://cdn.example.net/z.jpg", "Z", "Alt Z", "")}
    converter = BodyConverter(
        attachments=outside, children={}, media_url=lambda url: None, library=FakeLibrary()
    )
    report = BodyReport()
    html = converter.convert("[gallery ids=9]", post_id=1, report=report)
    assert html.count("<li>") == 1
    assert report.library.skip_reasons == {("library_image", "not an upload"): 1}


def test_audio_shortcode_and_block():
    html, _ = convert_with(
        "[audio src=https://example.org/wp-content/uploads/2024/01/talk.mp3]\n\n"
        '<!-- wp:video --><figure class="wp-block-video"><video src="https://example.org/v.mp4">'
        "</video><figcaption>Wind</figcaption></figure><!-- /wp:video -->",
        FakeLibrary(),
    )
    assert html == (
        "<p>[audio 7]</p>\n"
        '<p><a href="https://example.org/v.mp4" rel="noopener noreferrer">'
        "https://example.org/v.mp4</a></p>\n<p>Wind</p>"
    )


def test_a_post_cannot_forge_a_placement():
    html, report = convert_with(
        "[image 7]\n\nText \ue000gallery 3\ue001 here.\n\n[audio 3]\n\n[video 4]\n\n"
        "<p>[ Gallery 12 ]</p>\n\n<ul><li>[ audio 9]</li></ul>",
        FakeLibrary(),
    )
    assert html == "<p>Text gallery 3 here.</p>\n<ul>\n<li></li>\n</ul>"
    assert report.shortcodes_removed["image N (a library placement)"] == 1
    assert report.shortcodes_removed["gallery N (a library placement)"] == 1


def test_the_dek_leaves_out_placements():
    assert make_dek("", "<p>[gallery 4]</p>\n<p>The storm came.</p>") == "The storm came."
