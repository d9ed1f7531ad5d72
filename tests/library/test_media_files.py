"""Audio and video files: uploaded into the library only if their bytes are the
container their name says and they are under the size limit, with an optional WebVTT
captions track; placed in a story's body as `[audio 3]` / `[video 4]`."""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Story
from library.media import MediaFile, sniff_container
from tests.articles.test_queries import EXPECTED_QUERIES, SIZES, build_newsroom
from tests.factories import form_data, make_story

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/library/mediafile/add/"

# The first bytes of each container, padded to look like a file.
PADDING = b"\x00" * 256
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + PADDING
MP3_FRAME = b"\xff\xfb\x90\x64" + PADDING
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + PADDING
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + PADDING
OGG = b"OggS\x00\x02" + PADDING
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + PADDING
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + PADDING
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n"


def media_upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def upload(client, file, captions=None, **fields):
    data = {"kind": "", "title": "", "caption": "", "credit": "", "duration": "", "_save": "Save"}
    data.update(fields)
    data["file"] = file
    if captions is not None:
        data["captions"] = captions
    return client.post(ADD_URL, data)


def make_media(name: str, data: bytes, captions: bytes | None = None, **fields) -> MediaFile:
    media = MediaFile(file=media_upload(name, data), **fields)
    if captions is not None:
        media.captions = SimpleUploadedFile("captions.vtt", captions)
    media.full_clean()
    media.save()
    return media


# --- Uploading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("Interview with the mayor.MP3", MP3_ID3, "audio"),
        ("tagless.mp3", MP3_FRAME, "audio"),
        ("voice memo.m4a", M4A, "audio"),
        ("The flood, from the air.mp4", MP4, "video"),
        ("choir.ogg", OGG, "audio"),
        ("clip.webm", WEBM, "video"),
        ("bells.wav", WAV, "audio"),
    ],
)
def test_each_allowed_container_is_accepted(client, desk_editor, name, data, kind):
    client.force_login(desk_editor)
    response = upload(client, media_upload(name, data))
    assert response.status_code == 302, response.context["adminform"].form.errors
    media = MediaFile.objects.get()
    assert (media.kind, media.size, media.uploaded_by) == (kind, len(data), desk_editor)
    assert re.fullmatch(
        r"library/media/\d{4}/\d{2}/[a-z0-9-]+-[0-9a-f]{8}\.[a-z0-9]+", media.file.name
    )
    assert default_storage.exists(media.file.name)
    assert media.title


@pytest.mark.parametrize(
    "name, data",
    [
        ("page.mp4", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("drawing.mp4", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("page.html", b"<html></html>"),
        ("song.mp3", MP4),  # a real container, but not the one its name says
        ("movie.webm", OGG),
        ("program.exe", b"MZ\x90\x00" + PADDING),
        ("nul\x00.mp4", b"\x00" * 300),
        ("empty.mp3", b""),
        ("film.mkv", WEBM),
    ],
)
def test_a_disguised_or_unlisted_file_is_refused(client, desk_editor, name, data):
    client.force_login(desk_editor)
    response = upload(client, media_upload(name, data))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not MediaFile.objects.exists()


def test_a_file_over_the_limit_is_refused(client, desk_editor, settings):
    settings.NEWSROOM_MAX_MEDIA_BYTES = 1000
    client.force_login(desk_editor)
    response = upload(client, media_upload("long.mp3", MP3_ID3 + b"\x00" * 1000))
    errors = response.context["adminform"].form.errors["file"]
    assert "the limit is 1000" in errors[0]
    assert upload(client, media_upload("short.mp3", MP3_ID3)).status_code == 302


def test_the_kind_must_fit_the_file(client, desk_editor):
    client.force_login(desk_editor)
    response = upload(client, media_upload("song.mp3", MP3_ID3), kind="video")
    assert response.context["adminform"].form.errors["kind"]
    # A WebM may hold sound only.
    assert upload(client, media_upload("song.webm", WEBM), kind="audio").status_code == 302
    assert MediaFile.objects.get().mime_type == "audio/webm"


@pytest.mark.parametrize(
    "name, data, accepted",
    [
        ("captions.vtt", VTT, True),
        ("captions.vtt", b"\xef\xbb\xbfWEBVTT - with a title\n\n", True),
        ("captions.vtt", b"WEBVTT", True),
        ("captions.vtt", b"<html><script>alert(1)</script></html>", False),
        ("captions.vtt", b"WEBVTTX\n", False),
        ("captions.vtt", b"WEBVTT\n\xff\xfe\x00", False),
        ("captions.srt", b"1\n00:00:00,000 --> 00:00:02,000\nHello.\n", False),
        ("captions.srt", VTT, False),
    ],
)
def test_the_captions_track_must_be_webvtt(client, desk_editor, name, data, accepted):
    client.force_login(desk_editor)
    response = upload(
        client, media_upload("clip.mp4", MP4), captions=SimpleUploadedFile(name, data)
    )
    if accepted:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert MediaFile.objects.get().captions.name.endswith(".vtt")
    else:
        assert response.context["adminform"].form.errors["captions"]


def test_sniffing_reads_only_the_signatures():
    assert sniff_container(b"") == ""
    assert sniff_container(b"\xff\xf9") == ""  # ADTS AAC (layer 00), not on the list
    assert sniff_container(b"\xff\xfb") == "mp3"
    assert sniff_container(b"\xff\xe0") == ""  # frame sync with a reserved layer
    assert sniff_container(b"RIFF\x00\x00\x00\x00AVI ") == ""


def test_the_desk_page_shows_the_line_to_paste_and_round_trips(client, desk_editor):
    media = make_media("clip.mp4", MP4, captions=VTT, caption="The flood.", credit="Desk")
    client.force_login(desk_editor)
    url = reverse("admin:library_mediafile_change", args=[media.pk])
    page = client.get(url).content.decode()
    assert "Copy this line into the story's body" in page
    assert f"[video {media.pk}]" in page
    before = MediaFile.objects.filter(pk=media.pk).values().get()
    response = client.post(url, {**form_data(page, "mediafile_form"), "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MediaFile.objects.filter(pk=media.pk).values().get() == before


def test_a_placed_file_cannot_be_deleted(client, desk_editor):
    media = make_media("song.mp3", MP3_ID3)
    story = make_story(body=f"<p>[audio {media.pk}]</p>")
    client.force_login(desk_editor)
    page = client.get(reverse("admin:library_mediafile_change", args=[media.pk])).content.decode()
    assert story.headline in page
    client.post(reverse("admin:library_mediafile_delete", args=[media.pk]), {"post": "yes"})
    assert MediaFile.objects.filter(pk=media.pk).exists()
    Story.objects.filter(pk=story.pk).update(body="<p>No more.</p>")
    client.post(reverse("admin:library_mediafile_delete", args=[media.pk]), {"post": "yes"})
    assert not MediaFile.objects.filter(pk=media.pk).exists()


# --- The story page -------------------------------------------------------------------


def figures_on(page: str) -> list:
    # (libxml2 does not know that <source> and <track> are void: it nests what follows
    # them, so the tests look for them with .//)
    (body,) = lxml.html.fromstring(page).xpath("//div[@class='story__body']")
    return body.xpath(".//figure[contains(@class, 'media')]")


def test_a_placed_video_has_native_controls_and_its_captions(client):
    video = make_media("clip.mp4", MP4, captions=VTT, caption="The flood.", credit="Ann Lens")
    story = make_story(body=f"<p>Watch:</p><p>[video {video.pk}]</p>")
    (figure,) = figures_on(client.get(story.get_absolute_url()).content.decode())
    (player,) = figure.xpath("./video")
    assert player.get("controls") is not None and player.get("preload") == "metadata"
    (source,) = player.xpath(".//source")
    assert (source.get("src"), source.get("type")) == (video.file.url, "video/mp4")
    (track,) = player.xpath(".//track")
    assert track.get("kind") == "captions" and track.get("srclang") == "en"
    assert track.get("src") == video.captions.url and track.get("default") is not None
    assert "The flood." in figure.xpath("string(figcaption)")
    assert "Ann Lens" in figure.xpath("string(figcaption)")


def test_a_placed_audio_file_loads_nothing_until_played(client):
    audio = make_media("song.mp3", MP3_ID3, title="The council meeting")
    story = make_story(body=f"<p>[audio {audio.pk}]</p>")
    (figure,) = figures_on(client.get(story.get_absolute_url()).content.decode())
    (player,) = figure.xpath("./audio")
    assert player.get("preload") == "none" and player.get("controls") is not None
    assert player.xpath(".//source/@type") == ["audio/mpeg"]
    assert not player.xpath(".//track")
    assert figure.xpath("string(figcaption)") == "The council meeting"


def test_the_wrong_kind_or_a_missing_file_shows_nothing(client):
    audio = make_media("song.mp3", MP3_ID3)
    story = make_story(body=f"<p>[video {audio.pk}]</p><p>[audio {audio.pk + 1000}]</p>")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert figures_on(response.content.decode()) == []


def test_the_story_page_loads_every_file_in_one_query(client, django_assert_num_queries):
    urls = build_newsroom(SIZES["small"])
    files = [make_media(f"clip-{n}.mp4", MP4, captions=VTT) for n in range(3)]
    files.append(make_media("song.mp3", MP3_ID3))
    story = Story.objects.get(pk=Story.objects.published().order_by("-published_at")[0].pk)
    body = "".join(f"<p>[{media.kind} {media.pk}]</p>" for media in files)
    Story.objects.filter(pk=story.pk).update(body=body)
    with django_assert_num_queries(EXPECTED_QUERIES["story"] + 1):
        response = client.get(urls["story"])
    assert len(figures_on(response.content.decode())) == 4


def test_captions_from_a_media_host_ask_for_cors(client, settings):
    # A <track> from another origin loads only with CORS; on the site's own origin the
    # player needs no crossorigin attribute (which would make CORS necessary).
    video = make_media("clip.mp4", MP4, captions=VTT)
    story = make_story(body=f"<p>[video {video.pk}]</p>")
    (figure,) = figures_on(client.get(story.get_absolute_url()).content.decode())
    assert figure.xpath("./video/@crossorigin") == []
    settings.MEDIA_URL = "https://media.example/"
    story.save()  # a change purges the cached page
    (figure,) = figures_on(client.get(story.get_absolute_url()).content.decode())
    assert figure.xpath("./video/@crossorigin") == ["anonymous"]
    assert figure.xpath(".//track/@src")[0].startswith("https://media.example/")
