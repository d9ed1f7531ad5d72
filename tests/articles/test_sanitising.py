"""Story bodies are sanitised on every path that stores them.

Real cross-site-scripting attempts go in through `Story.save()` (the shell and import
path), `Story.objects.create()` and the admin form. Nothing executable may come out:
not in the stored body and not on the rendered story page. Ordinary newsroom markup
must come through intact.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser

import lxml.html
import pytest
from django.urls import reverse

from articles.html import clean_html
from articles.models import Story
from tests.factories import css, form_data, make_section, make_story

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2024, 1, 2, 16, 0, tzinfo=UTC)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;vascript&colon;alert(1)">click</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href=" \x01javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">styled</p>',
    '<p style="background:url(&quot;javascript:alert(1)&quot;)">styled</p>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<form><button formaction="javascript:alert(1)">go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<a href="https://ok.example/" onmouseover="alert(1)">hover</a>',
    '<img src="https://ok.example/a.jpg" srcset="javascript:alert(1) 1x">',
    '<blockquote cite="javascript:alert(1)">quoted</blockquote>',
    '<q cite="JAVA&#x0A;SCRIPT:alert(1)">quoted</q>',
    '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<select><style></select><img src=x onerror=alert(1)></style>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<p><a href="#" onclick="alert(1)">x</a></p><scr<script>ipt>alert(1)</script>',
]

# What a story body may contain at most (checked independently of the app's own list).
SAFE_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "a", "abbr", "cite", "q", "code", "pre", "blockquote",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

# Never on a story page, whatever the body holds. (The page's own search form is fine.)
DANGEROUS_ELEMENTS = {
    "script", "iframe", "object", "embed", "style", "math", "svg", "base",
    "noscript", "template", "details", "video", "source", "frame", "frameset", "applet",
}  # fmt: skip

# The only script a page may carry: JSON-LD, whose JSON escapes every "<".
JSON_LD = re.compile(r'<script type="application/ld\+json">[^<]*</script>')

BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)


class _Elements(HTMLParser):
    """Collects (tag, attributes) of every element; attribute values come unescaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def dangerous_url(value: str | None) -> bool:
    """True when a URL would run code; browsers drop whitespace and controls in a scheme."""
    compact = "".join(char for char in (value or "") if char > " ")
    return bool(BAD_SCHEME.match(compact))


def assert_nothing_executable(html: str, *, whole_page: bool = False) -> None:
    """No script, event handler, style or code URL; in a body, only allow-listed tags."""
    if whole_page:
        html = JSON_LD.sub("", html)
    assert not re.search(r"<\s*script", html, re.IGNORECASE), html
    for tag, attrs in elements(html):
        if whole_page:
            assert tag not in DANGEROUS_ELEMENTS, (tag, html)
            if tag == "meta":
                assert "http-equiv" not in dict(attrs), html
        else:
            assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, html)
            assert name.lower() not in {"style", "srcdoc", "formaction", "xlink:href"}, (
                tag,
                name,
            )
            assert not dangerous_url(value), (tag, name, value)


def assert_page_safe(html: str) -> None:
    """The whole story page is safe, and its body region holds only allow-listed markup."""
    assert_nothing_executable(html, whole_page=True)
    (body,) = css(lxml.html.fromstring(html), ".story__body")
    inner = escape(body.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
    assert_nothing_executable(inner)


@pytest.fixture
def section():
    return make_section(name="Metro", slug="metro")


def test_checker_detects_the_payloads_unsanitised():
    """Guard: the assertions used below really fail on the raw payloads."""
    for payload in XSS_PAYLOADS:
        if payload.startswith("<!--") or payload.startswith("<xmp>"):
            continue  # harmless to a parser that reads them as a comment or raw text
        with pytest.raises(AssertionError):
            assert_nothing_executable(payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_story_save_sanitises(client, section, payload):
    """The shell path: build a Story and call save()."""
    story = Story(
        headline="Shell story",
        slug="shell-story",
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=PUBLISHED_AT,
        body=f"<p>Before</p>{payload}<p>After</p>",
    )
    story.save()
    stored = Story.objects.get(pk=story.pk).body
    assert_nothing_executable(stored)
    # Text around the payload survives (an unclosed payload may swallow what follows).
    assert stored.startswith("<p>Before</p>")

    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert_page_safe(response.content.decode())


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_objects_create_sanitises(client, section, payload):
    story = Story.objects.create(
        headline="Created story",
        slug="created-story",
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=PUBLISHED_AT,
        body=payload,
    )
    stored = Story.objects.get(pk=story.pk).body
    assert_nothing_executable(stored)
    assert_page_safe(client.get(story.get_absolute_url()).content.decode())


def test_saving_again_sanitises_a_changed_body(section):
    story = make_story(section=section)
    story.body = "<p>Fine</p><img src=x onerror=alert(1)>"
    story.save(update_fields=["body"])
    story.refresh_from_db()
    assert_nothing_executable(story.body)
    assert story.body.startswith("<p>Fine</p>")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_admin_form_sanitises(client, editor_client, section, payload):
    add_url = reverse("admin:articles_story_add")
    data = form_data(editor_client.get(add_url).content.decode(), "story_form")
    data.update(
        {
            "headline": "Desk story",
            "slug": "desk-story",
            "section": str(section.pk),
            "body": f"<p>Lead paragraph.</p>{payload}",
            "_save": "Save",
        }
    )
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get(slug="desk-story")
    assert_nothing_executable(story.body)
    assert story.body.startswith("<p>Lead paragraph.</p>")

    # The change form opens again with the stored body.
    change = editor_client.get(reverse("admin:articles_story_change", args=[story.pk]))
    assert change.status_code == 200
    # The story page shows it as readers would see it (a preview: a payload such as an
    # image without alt text keeps the story from being published at all).
    page = editor_client.get(story.get_absolute_url()).content.decode()
    assert_page_safe(page)


LEGITIMATE_BODY = """
<p>The council met on <strong>Tuesday</strong> and voted <em>unanimously</em>.</p>
<h2>What happens next</h2>
<p>Read the <a href="https://example.org/agenda.pdf" title="Agenda">full agenda</a>
or <a href="mailto:desk@example.org">write to the desk</a>.</p>
<blockquote cite="https://example.org/minutes"><p>“We listened,” the mayor said.</p></blockquote>
<ul><li>Bridge repairs</li><li>New bus routes</li></ul>
<ol start="3"><li>Third item</li></ol>
<figure><img src="https://example.org/photo.jpg" alt="The council chamber" width="800"
height="533"><figcaption>The council chamber on Tuesday.</figcaption></figure>
<h3>Vote by ward</h3>
<table><thead><tr><th scope="col">Ward</th><th scope="col">Yes</th></tr></thead>
<tbody><tr><td>1</td><td>4</td></tr></tbody></table>
"""


def test_legitimate_markup_survives(client, section):
    story = make_story(section=section, body=LEGITIMATE_BODY)
    stored = Story.objects.get(pk=story.pk).body
    found = elements(stored)
    tags = {tag for tag, _ in found}
    for tag in (
        "p", "h2", "h3", "strong", "em", "a", "blockquote", "ul", "ol", "li",
        "figure", "figcaption", "img", "table", "th", "td",
    ):  # fmt: skip
        assert tag in tags, tag
    attributes = {(tag, name): value for tag, attrs in found for name, value in attrs}
    assert attributes[("img", "src")] == "https://example.org/photo.jpg"
    assert attributes[("img", "alt")] == "The council chamber"
    assert attributes[("img", "width")] == "800"
    assert attributes[("blockquote", "cite")] == "https://example.org/minutes"
    assert attributes[("ol", "start")] == "3"
    assert attributes[("th", "scope")] == "col"
    hrefs = [dict(attrs)["href"] for tag, attrs in found if tag == "a"]
    assert hrefs == ["https://example.org/agenda.pdf", "mailto:desk@example.org"]
    # Links get rel="noopener noreferrer".
    assert all(dict(attrs).get("rel") == "noopener noreferrer" for t, attrs in found if t == "a")
    for words in ("“We listened,” the mayor said.", "The council chamber on Tuesday.", "Tuesday"):
        assert words in stored

    html = client.get(story.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/agenda.pdf"' in html
    assert '<img src="https://example.org/photo.jpg" alt="The council chamber"' in html
    assert "<figcaption>The council chamber on Tuesday.</figcaption>" in html


def test_relative_and_fragment_urls_survive():
    cleaned = clean_html(
        '<p><a href="/metro/">Metro</a> <a href="#notes">notes</a></p>'
        '<blockquote cite="/sources/1">q</blockquote>'
    )
    assert '<a href="/metro/"' in cleaned
    assert '<a href="#notes"' in cleaned
    assert '<blockquote cite="/sources/1">' in cleaned


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<p><br></p>", "<script>x</script>"])
def test_empty_bodies_are_stored_empty(empty):
    assert clean_html(empty) == ""


def test_text_that_looks_like_markup_is_escaped_not_dropped():
    cleaned = clean_html("<p>Use 3 &lt; 4 and &lt;script&gt; in text.</p>")
    assert cleaned == "<p>Use 3 &lt; 4 and &lt;script&gt; in text.</p>"
