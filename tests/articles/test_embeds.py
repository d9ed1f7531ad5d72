"""Embeds: a provider's URL on a line of its own shows as a facade on the public page.

Through the public surfaces: what a story saved with such a body shows readers, what the
admin's add and change forms store, the CSP header; plus the provider table itself
(articles.embeds.find_embed), which is the allow-list.
"""

from __future__ import annotations

from unittest import mock

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.embeds import FRAME_ORIGINS, find_embed, render_embeds
from articles.models import Story
from tests.articles.test_admin import story_add_data, story_change_data
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
NOCOOKIE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"

# (URL, provider, iframe address; "" for a link-only embed)
PROVIDER_URLS = [
    (YOUTUBE, "youtube", NOCOOKIE),
    ("https://youtu.be/dQw4w9WgXcQ?t=42", "youtube", NOCOOKIE + "?start=42"),
    ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "youtube", NOCOOKIE),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube", NOCOOKIE),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    (
        "https://vimeo.com/76979871/abcdef1234",
        "vimeo",
        "https://player.vimeo.com/video/76979871?dnt=1&h=abcdef1234",
    ),
    ("https://twitter.com/WordPress/status/1057136472321613824", "twitter", ""),
    ("https://x.com/jack/status/20", "twitter", ""),
    (
        "https://www.instagram.com/p/BpmueLLgEn_/?utm_source=ig_share_sheet",
        "instagram",
        "https://www.instagram.com/p/BpmueLLgEn_/embed/",
    ),
    (
        "https://www.facebook.com/6427302910/posts/10156380423617911/",
        "facebook",
        "https://www.facebook.com/plugins/post.php?href="
        "https%3A%2F%2Fwww.facebook.com%2F6427302910%2Fposts%2F10156380423617911%2F",
    ),
    (
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "tiktok",
        "https://www.tiktok.com/player/v1/6718335390845095173",
    ),
    (
        "https://soundcloud.com/forss/flickermood",
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood",
    ),
    (
        "https://open.spotify.com/episode/4cOdK2wGLETKBW3PvgPWqT",
        "spotify",
        "https://open.spotify.com/embed/episode/4cOdK2wGLETKBW3PvgPWqT",
    ),
    (
        "https://www.documentcloud.org/documents/20059068-the-mueller-report",
        "documentcloud",
        "https://embed.documentcloud.org/documents/20059068-the-mueller-report/"
        "?embed=1&responsive=1",
    ),
    ("https://datawrapper.dwcdn.net/dFGJx/3/", "datawrapper", "https://datawrapper.dwcdn.net/dFGJx/3/"),
    ("https://www.datawrapper.de/_/dFGJx/", "datawrapper", "https://datawrapper.dwcdn.net/dFGJx/"),
    (
        "https://public.flourish.studio/visualisation/1234567/",
        "flourish",
        "https://flo.uri.sh/visualisation/1234567/embed",
    ),
    (
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3022",
        "google-maps",
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3022",
    ),
    ("https://www.google.com/maps/place/Oslo/@59.9,10.7,12z", "google-maps", ""),
    ("https://maps.app.goo.gl/AbCd1234", "google-maps", ""),
]  # fmt: skip

NOT_EMBEDS = [
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",  # lookalike host
    "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",  # user name
    "https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ",  # \ is / to browsers
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",  # a port
    "javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "data:text/html,https://youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXc",  # ten characters
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload="x',
    "https://youtu.be/dQw4w9WgXcQ\x00",
    "https://you\x00tu.be/dQw4w9WgXcQ",
    "https://www.google.com/maps/embed?pb=<script>",
    "https://vimeo.com/" + "9" * 500,
    "https://example.org/video.mp4",
]


def public_page(client, body: str) -> str:
    story = make_story(body=body)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def body_of(page: str):
    (body,) = lxml.html.fromstring(page).xpath("//div[@class='story__body']")
    return body


# --- The provider table --------------------------------------------------------------


@pytest.mark.parametrize(("url", "provider", "src"), PROVIDER_URLS)
def test_each_provider_pattern(url, provider, src):
    embed = find_embed(url)
    assert embed is not None, url
    assert (embed.provider.slug, embed.src) == (provider, src)
    if src:
        # The iframe comes from a host CSP's frame-src allows.
        assert any(src.startswith(origin + "/") for origin in FRAME_ORIGINS)


@pytest.mark.parametrize("url", NOT_EMBEDS)
def test_hostile_and_unknown_urls_are_not_embeds(url):
    assert find_embed(url) is None


def test_every_provider_in_the_issue_is_on_the_list():
    names = {find_embed(url).provider.name for url, _, _ in PROVIDER_URLS}
    assert names == {
        "YouTube", "Vimeo", "X (Twitter)", "Instagram", "Facebook", "TikTok", "SoundCloud",
        "Spotify", "DocumentCloud", "Datawrapper", "Flourish", "Google Maps",
    }  # fmt: skip


# --- The public page ------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [f"<p>{YOUTUBE}</p>", f'<p><a href="{YOUTUBE}">{YOUTUBE}</a></p>', f"<p> {YOUTUBE} </p>"],
)
def test_a_url_on_its_own_line_shows_a_facade(client, paragraph):
    page = public_page(client, f"<p>Watch this.</p>{paragraph}<p>After.</p>")
    (figure,) = body_of(page).xpath(".//figure[@class='embed embed--youtube']")
    assert figure.get("data-embed-src") == NOCOOKIE
    assert figure.get("data-embed-provider") == "youtube"
    # Without JavaScript: a link to the original, and a hidden button.
    (link,) = figure.xpath(".//a")
    assert link.get("href") == YOUTUBE
    assert link.text_content() == f"YouTube: {YOUTUBE}"
    (button,) = figure.xpath(".//button")
    assert button.get("hidden") is not None and button.get("type") == "button"
    assert "Load the video from YouTube" in button.text_content()
    # Nothing on the page loads from the provider; the script that would is ours.
    assert "<iframe" not in page
    tree = lxml.html.fromstring(page)
    assert tree.xpath("//script[contains(@src, 'js/embeds.js')]")
    for address in tree.xpath("//@src|//link/@href"):
        assert "youtube" not in address


def test_the_link_text_is_kept_as_the_title(client):
    page = public_page(client, f'<p><a href="{YOUTUBE}">The council <b>meets</b></a></p>')
    # A link with markup inside is not a bare URL: it stays a link.
    assert not body_of(page).xpath(".//figure")
    page = public_page(client, f'<p><a href="{YOUTUBE}">The council meets</a></p>')
    (figure,) = body_of(page).xpath(".//figure")
    assert figure.xpath(".//a")[0].text_content() == "YouTube: The council meets"
    assert figure.get("data-embed-title") == "YouTube: The council meets"


def test_a_link_only_provider_shows_a_link_and_no_button(client):
    page = public_page(client, "<p>https://x.com/jack/status/20</p>")
    (figure,) = body_of(page).xpath(".//figure")
    assert figure.get("data-embed-src") is None
    assert not figure.xpath(".//button")
    assert figure.xpath(".//a/@href") == ["https://x.com/jack/status/20"]
    assert "js/embeds.js" not in page  # no player, no script


@pytest.mark.parametrize(
    "body",
    [
        f"<p>See {YOUTUBE} for more.</p>",  # inside a sentence
        f"<p>{YOUTUBE} {YOUTUBE}</p>",
        f"<ul><li><p>{YOUTUBE}</p></li></ul>",  # not at the top level
        f"<blockquote><p>{YOUTUBE}</p></blockquote>",
        "<p>https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://example.org/video.mp4</p>",
        '<p><a href="https://evil.example/">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>',
    ],
)
def test_other_urls_stay_links_or_text(client, body):
    page = public_page(client, body)
    assert not body_of(page).xpath(".//figure")
    assert "data-embed" not in page and "js/embeds.js" not in page


def test_the_link_target_decides_not_the_link_text(client):
    page = public_page(client, f'<p><a href="{YOUTUBE}">https://evil.example/</a></p>')
    (figure,) = body_of(page).xpath(".//figure")
    assert figure.get("data-embed-src") == NOCOOKIE


def test_forged_embed_markup_in_a_stored_body_is_stripped():
    story = make_story(
        body='<figure class="embed" data-embed-provider="youtube" '
        'data-embed-src="https://evil.example/player"><a href="https://youtu.be/dQw4w9WgXcQ">'
        "x</a></figure>"
        '<p data-embed-src="https://evil.example/">https://youtu.be/dQw4w9WgXcQ</p>'
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
    )
    story.refresh_from_db()
    assert "evil.example" not in story.body
    assert "data-embed" not in story.body and "iframe" not in story.body
    rendered = render_embeds(story.body)
    assert "evil.example" not in rendered
    # The paragraph (its attribute stripped) is an embed again, re-derived from the URL.
    assert rendered.count(f'data-embed-src="{NOCOOKIE}"') == 1


def test_ampersands_and_quotes_in_the_address_are_escaped(client):
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;list=PL1&amp;t=7"
    page = public_page(client, f"<p>{url}</p>")
    (figure,) = body_of(page).xpath(".//figure")
    assert figure.get("data-embed-src") == NOCOOKIE + "?start=7"
    assert figure.xpath(".//a/@href") == [url.replace("&amp;", "&")]


def test_nul_bytes_in_a_body_are_not_an_error(client):
    page = public_page(client, "<p>https://youtu.be/dQw4w9WgXcQ\x00</p><p>ok\x00</p>")
    assert "ok" in page


def test_the_csp_header_allows_exactly_the_provider_frame_hosts(client):
    story = make_story(body=f"<p>{YOUTUBE}</p>")
    header = client.get(story.get_absolute_url())["Content-Security-Policy"]
    (frame_src,) = [d.split()[1:] for d in header.split(";") if d.split()[:1] == ["frame-src"]]
    assert sorted(frame_src) == sorted(["'self'", *FRAME_ORIGINS])
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://www.youtube.com" not in frame_src


# --- The desk -------------------------------------------------------------------------


def test_admin_round_trip_with_a_youtube_url_on_its_own_line(client, editor_client):
    section = make_section()
    body = f'<p>Before.</p><p><a href="{YOUTUBE}">{YOUTUBE}</a></p><p>After.</p>'
    data = story_add_data(
        editor_client, headline="Video", slug="video", body=body, section=str(section.pk)
    )
    response = editor_client.post(reverse("admin:articles_story_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get(slug="video")
    stored = story.body
    # What is stored is the editor's own markup: a link the editor opens as it was made.
    assert "figure" not in stored and f'href="{YOUTUBE}"' in stored

    response = editor_client.post(
        reverse("admin:articles_story_change", args=[story.pk]),
        story_change_data(editor_client, story),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.body == stored


# --- oEmbed (optional) ----------------------------------------------------------------


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def _oembed_answer(url, params, timeout, allow_redirects):
    answer = mock.Mock(status_code=200)
    answer.json.return_value = {"title": "  Never <b>gonna</b>\n give you up  "}
    return answer


def test_with_oembed_on_a_save_fetches_the_title_once(
    client, settings, real_cache, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_OEMBED = True
    with mock.patch("requests.get", side_effect=_oembed_answer) as get:
        with django_capture_on_commit_callbacks(execute=True):
            story = make_story(body=f"<p>{YOUTUBE}</p>")
        with django_capture_on_commit_callbacks(execute=True):
            story.save()
    assert get.call_count == 1  # cached after the first save
    assert get.call_args.kwargs["timeout"] <= 5
    assert get.call_args.kwargs["params"]["url"] == YOUTUBE
    page = client.get(story.get_absolute_url()).content.decode()
    (link,) = body_of(page).xpath(".//figure//a")
    # Plain text, escaped: the provider's markup is not the page's.
    assert link.text_content() == "YouTube: Never <b>gonna</b> give you up"


def test_with_oembed_on_and_no_network_everything_still_works(
    client, settings, real_cache, django_capture_on_commit_callbacks
):
    import requests

    settings.NEWSROOM_OEMBED = True
    with mock.patch("requests.get", side_effect=requests.ConnectionError) as get:
        with django_capture_on_commit_callbacks(execute=True):
            story = make_story(body=f"<p>{YOUTUBE}</p>")
    assert get.called
    page = client.get(story.get_absolute_url()).content.decode()
    assert body_of(page).xpath(".//figure//a")[0].text_content() == f"YouTube: {YOUTUBE}"


def test_with_oembed_off_nothing_is_fetched(
    client, settings, real_cache, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_OEMBED = False
    with mock.patch("requests.get") as get, django_capture_on_commit_callbacks(execute=True):
        story = make_story(body=f"<p>{YOUTUBE}</p>")
        client.get(story.get_absolute_url())
    assert not get.called


def test_with_oembed_on_a_save_that_leaves_the_body_alone_fetches_nothing(
    settings, real_cache, django_capture_on_commit_callbacks
):
    story = make_story(body=f"<p>{YOUTUBE}</p>")
    settings.NEWSROOM_OEMBED = True
    with mock.patch("requests.get") as get, django_capture_on_commit_callbacks(execute=True):
        story.headline = "A new headline"
        story.save(update_fields=["headline"])
        Story.objects.defer("body").get(pk=story.pk).save(update_fields=["dek"])
    assert not get.called
