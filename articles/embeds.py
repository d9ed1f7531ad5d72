"""Embeds: a provider's URL on a line of its own becomes a privacy-friendly facade.

An editor pastes, say, a YouTube address as a paragraph of its own. The stored body
keeps exactly that: a paragraph holding the address (as text or as a link), which the
body editor, feeds, newsletters and search all understand. Only the public story page
turns it into an embed, when it renders the body (`render_embeds`), so:

- Nothing an editor or an import stores can smuggle an iframe in. The sanitiser
  (articles/html.py) allows no iframe and no `data-embed-*` attribute; the facade is
  made here, from the provider table below, and the iframe address is re-derived from
  the URL's checked parts (an 11-character video id, digits…), never copied from input.
- The reader's browser makes no request to the provider until the reader asks: the
  facade is a link, plus a "load" button that static/js/embeds.js shows and that swaps
  in the iframe. Without JavaScript it stays a plain link.
- Nothing here needs the network. Where NEWSROOM_OEMBED is on, titles fetched from the
  providers' oEmbed endpoints (articles/tasks.py) replace the bare address in the link;
  they are read from the cache, and a miss leaves the address.

The provider table is the allow-list. CSP's frame-src (newsroom/settings.py) is built
from the same table (`FRAME_ORIGINS`), so the loaded iframe can come from exactly these
hosts. This module imports nothing from Django at import time (articles.html neither):
settings read it.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from articles.html import replace_matches, top_level_paragraphs, top_level_pattern

# Longer than any real provider address; a longer "URL" is not an embed.
MAX_URL_LENGTH = 2000

# Scheme, a host of letters, digits, dots and hyphens (no user name, no port, no
# backslash, which browsers read as a slash), then a path without whitespace or quotes.
# Anything else is not an embed, so the link a reader sees and the host we checked are
# the same host.
_URL_SHAPE = re.compile(r"https?://[a-z0-9.-]+(?:/[^\s\\<>\"'`]*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # what the editor pasted, as the link a reader can always follow
    # The iframe's address, or "" for providers whose iframe needs their script or an
    # API key (the facade is then a link only).
    src: str


# A pattern's builder gets the path's match and the query string's values, and returns
# the iframe address ("" for a link-only embed) or None when the URL does not fit.
Builder = Callable[[re.Match, dict[str, list[str]]], str | None]


@dataclass(frozen=True)
class Pattern:
    hosts: frozenset[str]
    path: re.Pattern
    build: Builder


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    noun: str  # "the video", for the button: "Load the video from YouTube"
    frame_origin: str  # where its iframes come from ("" for link-only providers)
    patterns: tuple[Pattern, ...]

    def match(self, url: str) -> Embed | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        query = parse_qs(parts.query)
        for pattern in self.patterns:
            if host not in pattern.hosts:
                continue
            found = pattern.path.fullmatch(parts.path or "/")
            if found is None:
                continue
            src = pattern.build(found, query)
            if src is not None:
                return Embed(provider=self, url=url, src=src)
        return None


def _hosts(*names: str) -> frozenset[str]:
    return frozenset(names)


def _path(expression: str) -> re.Pattern:
    # Trailing slashes are optional everywhere; ids are restricted to what providers use.
    return re.compile(expression + r"/?")


def _first(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[0] if values else ""


_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_SECONDS = re.compile(r"(\d{1,6})s?")


def _youtube(video_id: str, query: dict[str, list[str]]) -> str | None:
    if not _YOUTUBE_ID.fullmatch(video_id):
        return None
    src = f"https://www.youtube-nocookie.com/embed/{video_id}"
    start = _SECONDS.fullmatch(_first(query, "t") or _first(query, "start"))
    return f"{src}?start={int(start.group(1))}" if start else src


def _link_only(match: re.Match, query: dict[str, list[str]]) -> str:
    return ""


def _instagram(kind: str, code: str) -> str:
    # IGTV ("tv") posts are ordinary posts now.
    return f"https://www.instagram.com/{'p' if kind == 'tv' else kind}/{code}/embed/"


def _facebook(page: str, kind: str, post: str) -> str:
    # Facebook's embedded-post plugin takes the post's canonical address, rebuilt here
    # from its checked parts.
    plugin = "post" if kind == "posts" else "video"
    address = quote(f"https://www.facebook.com/{page}/{kind}/{post}/", safe="")
    return f"https://www.facebook.com/plugins/{plugin}.php?href={address}"


_YOUTUBE_HOSTS = _hosts("youtube.com", "www.youtube.com", "m.youtube.com")
_TWITTER_HOSTS = _hosts(
    "twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com"
)
_FACEBOOK_HOSTS = _hosts("facebook.com", "www.facebook.com", "m.facebook.com")
_GOOGLE_HOSTS = _hosts("google.com", "www.google.com")

PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "youtube", "YouTube", "the video", "https://www.youtube-nocookie.com",
        (
            Pattern(_YOUTUBE_HOSTS, _path(r"/watch"),
                    lambda m, q: _youtube(_first(q, "v"), q)),
            Pattern(_YOUTUBE_HOSTS | {"www.youtube-nocookie.com"},
                    _path(r"/(?:embed|shorts|live|v)/(?P<id>[A-Za-z0-9_-]{11})"),
                    lambda m, q: _youtube(m["id"], q)),
            Pattern(_hosts("youtu.be"), _path(r"/(?P<id>[A-Za-z0-9_-]{11})"),
                    lambda m, q: _youtube(m["id"], q)),
        ),
    ),
    Provider(
        "vimeo", "Vimeo", "the video", "https://player.vimeo.com",
        (
            Pattern(_hosts("vimeo.com", "www.vimeo.com", "player.vimeo.com"),
                    _path(r"(?:/video|/channels/[\w-]+)?/(?P<id>\d{1,12})(?:/(?P<hash>[0-9a-f]{6,20}))?"),
                    # dnt=1: Vimeo's player sets no tracking cookies.
                    lambda m, q: f"https://player.vimeo.com/video/{m['id']}?dnt=1"
                    + (f"&h={m['hash']}" if m["hash"] else "")),
        ),
    ),
    Provider(
        "twitter", "X (Twitter)", "the post", "",
        # An X post's iframe is made by X's widgets.js: a link only, never their script.
        (Pattern(_TWITTER_HOSTS, _path(r"/\w{1,15}/status(?:es)?/\d{1,25}"), _link_only),),
    ),
    Provider(
        "instagram", "Instagram", "the post", "https://www.instagram.com",
        (
            Pattern(_hosts("instagram.com", "www.instagram.com"),
                    _path(r"(?:/[\w.]{1,30})?/(?P<kind>p|reel|tv)/(?P<code>[\w-]{5,40})"),
                    lambda m, q: _instagram(m["kind"], m["code"])),
        ),
    ),
    Provider(
        "facebook", "Facebook", "the post", "https://www.facebook.com",
        (
            Pattern(_FACEBOOK_HOSTS,
                    _path(r"/(?P<page>[\w.-]{1,80})/(?P<kind>posts|videos)/(?P<id>[\w.-]{1,80})"),
                    lambda m, q: _facebook(m["page"], m["kind"], m["id"])),
        ),
    ),
    Provider(
        "tiktok", "TikTok", "the video", "https://www.tiktok.com",
        (
            Pattern(_hosts("tiktok.com", "www.tiktok.com", "m.tiktok.com"),
                    _path(r"/@[\w.-]{1,40}/video/(?P<id>\d{1,25})"),
                    lambda m, q: f"https://www.tiktok.com/player/v1/{m['id']}"),
        ),
    ),
    Provider(
        "soundcloud", "SoundCloud", "the audio", "https://w.soundcloud.com",
        (
            Pattern(_hosts("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"),
                    _path(r"/(?P<track>[\w-]{1,100}/(?:sets/)?[\w-]{1,200})"),
                    lambda m, q: "https://w.soundcloud.com/player/?url="
                    + quote(f"https://soundcloud.com/{m['track']}", safe="")),
        ),
    ),
    Provider(
        "spotify", "Spotify", "the audio", "https://open.spotify.com",
        (
            Pattern(_hosts("open.spotify.com"),
                    _path(r"(?:/intl-[a-z]{2}(?:-[a-z]{2})?)?/(?P<kind>track|album|playlist|episode|show|artist)/(?P<id>[A-Za-z0-9]{22})"),
                    lambda m, q: f"https://open.spotify.com/embed/{m['kind']}/{m['id']}"),
        ),
    ),
    Provider(
        "documentcloud", "DocumentCloud", "the document", "https://embed.documentcloud.org",
        (
            Pattern(_hosts("documentcloud.org", "www.documentcloud.org", "embed.documentcloud.org"),
                    _path(r"/documents/(?P<id>\d{1,12}(?:-[\w-]{1,200})?)(?:\.html)?"),
                    lambda m, q: f"https://embed.documentcloud.org/documents/{m['id']}/?embed=1&responsive=1"),
        ),
    ),
    Provider(
        "datawrapper", "Datawrapper", "the chart", "https://datawrapper.dwcdn.net",
        (
            Pattern(_hosts("datawrapper.dwcdn.net"),
                    _path(r"/(?P<id>[A-Za-z0-9]{5})(?:/(?P<version>\d{1,4}))?"),
                    lambda m, q: f"https://datawrapper.dwcdn.net/{m['id']}/"
                    + (f"{m['version']}/" if m["version"] else "")),
            Pattern(_hosts("www.datawrapper.de", "datawrapper.de"),
                    _path(r"/_/(?P<id>[A-Za-z0-9]{5})"),
                    lambda m, q: f"https://datawrapper.dwcdn.net/{m['id']}/"),
        ),
    ),
    Provider(
        "flourish", "Flourish", "the graphic", "https://flo.uri.sh",
        (
            Pattern(_hosts("public.flourish.studio", "flo.uri.sh"),
                    _path(r"/(?P<kind>visualisation|story)/(?P<id>\d{1,12})(?:/embed)?"),
                    lambda m, q: f"https://flo.uri.sh/{m['kind']}/{m['id']}/embed"),
        ),
    ),
    Provider(
        "google-maps", "Google Maps", "the map", "https://www.google.com",
        (
            # Google's "Embed a map" address: the only map iframe that needs no API key.
            Pattern(_GOOGLE_HOSTS, _path(r"/maps/embed"),
                    lambda m, q: _google_map(_first(q, "pb"))),
            # Any other map address (a place, a search, a short link): a link only.
            Pattern(_GOOGLE_HOSTS, _path(r"/maps(?:/[^/]+)*"), _link_only),
            Pattern(_hosts("maps.google.com"), _path(r"(?:/[^/]+)*"), _link_only),
            Pattern(_hosts("maps.app.goo.gl"), _path(r"/[A-Za-z0-9]{4,40}"), _link_only),
        ),
    ),
)  # fmt: skip

_PB = re.compile(r"![0-9A-Za-z!._~%*-]{1,1500}")


def _google_map(pb: str) -> str | None:
    if not _PB.fullmatch(pb):
        return None
    return f"https://www.google.com/maps/embed?pb={quote(pb, safe='!._~*-')}"


PROVIDERS_BY_SLUG = {provider.slug: provider for provider in PROVIDERS}

# What CSP's frame-src must allow, and nothing more.
FRAME_ORIGINS = sorted({p.frame_origin for p in PROVIDERS if p.frame_origin})


def find_embed(url: str) -> Embed | None:
    """The embed that `url` makes, or None when it is not an allow-listed provider's."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH or not _URL_SHAPE.fullmatch(url):
        return None
    for provider in PROVIDERS:
        embed = provider.match(url)
        if embed is not None:
            return embed
    return None


# Rendering ------------------------------------------------------------------------

# The body is nh3's output (articles/html.py): every attribute in double quotes with `"`
# escaped, paragraphs without attributes. A top-level paragraph that holds only a link,
# or only an address, is a candidate.
_PARAGRAPH = top_level_pattern(
    r"<p>\s*(?:<a\s+href=\"(?P<href>[^\"]*)\"[^>]*>(?P<text>[^<]*)</a>"
    r"|(?P<bare>https?://[^\s<]+))\s*</p>"
)


def _candidates(body: str):
    """(match, embed, link text) for each top-level paragraph that is only a provider's URL."""
    for token in top_level_paragraphs(_PARAGRAPH, body):
        url = html.unescape(token["href"] if token["href"] is not None else token["bare"])
        embed = find_embed(url)
        if embed is not None:
            text = html.unescape(token["text"] or "").strip()
            yield token, embed, ("" if text == url else text)


def embeds_in(body: str) -> list[Embed]:
    """The embeds the public page shows for `body`."""
    return [embed for _, embed, _ in _candidates(body or "")]


def render_embeds(body: str) -> str:
    """The sanitised `body` with each top-level paragraph that is only a provider's URL
    replaced by its facade. Everything else is returned as it was."""
    if "http" not in body:
        return body
    from django.utils.safestring import mark_safe

    found = list(_candidates(body))
    if not found:
        return body
    titles = _known_titles([embed.url for _, embed, _ in found])
    facades = [
        (token, facade(embed, title=titles.get(embed.url) or text)) for token, embed, text in found
    ]
    return mark_safe(replace_matches(body, facades))  # noqa: S308 - sanitised body, facades by format_html


def facade(embed: Embed, *, title: str = "") -> str:
    """The markup that stands in for the provider's iframe until the reader asks for it."""
    from django.utils.html import format_html

    provider = embed.provider
    link = format_html(
        '<a class="embed__link" href="{}" rel="noopener noreferrer">'
        '<span class="embed__provider">{}:</span> {}</a>',
        embed.url,
        provider.name,
        title or embed.url,
    )
    if not embed.src:
        return format_html(
            '<figure class="embed embed--{}" data-embed-provider="{}">{}</figure>',
            provider.slug,
            provider.slug,
            link,
        )
    return format_html(
        '<figure class="embed embed--{}" data-embed-provider="{}" data-embed-src="{}"'
        ' data-embed-title="{}">{}'
        '<button type="button" class="embed__load" hidden>Load {} from {}</button>'
        '<small class="embed__note" hidden>Loading it connects your browser to {}.</small>'
        "</figure>",
        provider.slug,
        provider.slug,
        embed.src,
        f"{provider.name}: {title or embed.url}",
        link,
        provider.noun,
        provider.name,
        provider.name,
    )


# oEmbed (optional) ----------------------------------------------------------------

# Endpoints that answer without an API key. Instagram and Facebook need one; Google Maps
# has none: their links keep the address.
OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "twitter": "https://publish.twitter.com/oembed",
    "tiktok": "https://www.tiktok.com/oembed",
    "soundcloud": "https://soundcloud.com/oembed",
    "spotify": "https://open.spotify.com/oembed",
    "documentcloud": "https://api.www.documentcloud.org/api/oembed/",
    "datawrapper": "https://api.datawrapper.de/v3/oembed",
    "flourish": "https://app.flourish.studio/api/v1/oembed",
}
OEMBED_CACHE_SECONDS = 7 * 24 * 3600
MAX_TITLE_LENGTH = 300


def oembed_cache_key(url: str) -> str:
    return "embed-title:" + hashlib.sha256(url.encode()).hexdigest()


def _known_titles(urls: list[str]) -> dict[str, str]:
    """Titles fetched earlier by oEmbed, from the cache; nothing when oEmbed is off."""
    from django.conf import settings

    if not getattr(settings, "NEWSROOM_OEMBED", False):
        return {}
    from django.core.cache import cache

    keys = {oembed_cache_key(url): url for url in urls}
    return {keys[key]: title for key, title in cache.get_many(list(keys)).items() if title}


def fetch_title(embed: Embed, *, timeout: float = 3.0) -> str:
    """The title the provider's oEmbed endpoint gives for `embed`, cached; "" on failure."""
    from django.core.cache import cache

    endpoint = OEMBED_ENDPOINTS.get(embed.provider.slug)
    if endpoint is None:
        return ""
    key = oembed_cache_key(embed.url)
    cached = cache.get(key)
    if cached is not None:
        return cached
    import requests

    title = ""
    try:
        response = requests.get(
            endpoint,
            params={"url": embed.url, "format": "json"},
            timeout=timeout,
            allow_redirects=False,
        )
        if response.status_code == 200:
            data = response.json()
            value = data.get("title") if isinstance(data, dict) else None
            if isinstance(value, str):
                # Plain text only: format_html escapes it when the facade is made.
                title = " ".join(value.split())[:MAX_TITLE_LENGTH]
    except (requests.RequestException, ValueError):
        title = ""
    # A failure is remembered for an hour, so a page view never waits on a provider.
    cache.set(key, title, OEMBED_CACHE_SECONDS if title else 3600)
    return title
