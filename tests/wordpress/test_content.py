"""WordPress post content as clean story HTML."""

from __future__ import annotations

import re

from wordpress.content import Attachment, BodyConverter, BodyReport, autop, make_dek

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
