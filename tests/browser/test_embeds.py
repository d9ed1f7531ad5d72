"""An embed in a real browser: no request to the provider until the reader presses
"Load", then the provider's iframe (from its privacy-friendly host) under the CSP; and
with JavaScript off, a plain link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import make_story

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUTUBE = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
NOCOOKIE = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"
PROVIDER_HOSTS = re.compile(r"youtube|youtu\.be|ytimg|googlevideo|doubleclick|google")

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def watch(context, live_server):
    """Record every request the page makes; answer those off this site with a stub page,
    so nothing leaves the machine and the iframe still loads something."""
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(
        lambda url: not url.startswith(live_server.url),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>player</title>"
        ),
    )
    return requests


def story_with_an_embed():
    return make_story(body=f"<p>Watch the workshop.</p><p>{YOUTUBE}</p><p>After.</p>")


def test_the_facade_loads_the_provider_only_when_asked(chromium, live_server):
    story = story_with_an_embed()
    context = chromium.new_context()
    try:
        requests = watch(context, live_server)
        page = context.new_page()
        page.add_init_script(COLLECT_VIOLATIONS)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server.url + story.get_absolute_url())
        page.wait_for_load_state("networkidle")

        button = page.get_by_role("button", name="Load the video from YouTube")
        assert button.is_visible()
        assert not [url for url in requests if PROVIDER_HOSTS.search(url)], requests
        assert page.locator("iframe").count() == 0

        button.click()
        iframe = page.locator("figure.embed iframe")
        iframe.wait_for()
        assert iframe.get_attribute("src") == NOCOOKIE
        assert iframe.get_attribute("title") == f"YouTube: {YOUTUBE}"
        assert iframe.get_attribute("loading") == "lazy"
        assert "camera" not in (iframe.get_attribute("allow") or "")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "url => [...document.querySelectorAll('iframe')].some(f => f.src === url)", arg=NOCOOKIE
        )
        assert any(url.startswith(NOCOOKIE) for url in requests), requests
        # Only the no-cookie host; never youtube.com itself.
        assert not [url for url in requests if "www.youtube.com" in url], requests
        # The link to the original stays, under the player.
        assert page.locator("figure.embed figcaption a").get_attribute("href") == YOUTUBE
        assert page.evaluate("window.__violations") == []
        assert errors == []
    finally:
        context.close()


def test_without_javascript_the_embed_is_a_plain_link(chromium, live_server):
    story = story_with_an_embed()
    context = chromium.new_context(java_script_enabled=False)
    try:
        requests = watch(context, live_server)
        page = context.new_page()
        page.goto(live_server.url + story.get_absolute_url())
        page.wait_for_load_state("networkidle")
        link = page.get_by_role("link", name=f"YouTube: {YOUTUBE}")
        assert link.get_attribute("href") == YOUTUBE
        assert not page.locator("figure.embed button").is_visible()
        assert page.locator("iframe").count() == 0
        assert not [url for url in requests if PROVIDER_HOSTS.search(url)], requests
    finally:
        context.close()
