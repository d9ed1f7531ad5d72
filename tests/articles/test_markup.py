"""The HTML written in Python (articles.markup) is the HTML of the templates it replaced,
byte for byte, and escapes every story field wherever the home page shows it.

The templates are kept beside this file (`reference/`) as the definition of that HTML:
each test renders one through Django's template language and compares.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.template import Context, Engine
from django.test import Client

from articles.markup import (
    lead_html,
    lead_image_html,
    navigation_html,
    section_blocks_html,
    teaser_html,
)
from articles.models import Section, Story
from articles.templatetags.teasers import teaser_context
from articles.views.public import section_blocks
from tests.comments.factories import make_comment
from tests.factories import css, make_byline, make_image_file, make_section, make_story

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"
HOSTILE = "Mayor's \"plan\" <script>alert('x')</script> & <b>more</b>"
# As Django's templates escape it (html.escape: &#x27; for ').
ESCAPED = (
    "Mayor&#x27;s &quot;plan&quot; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    " &amp; &lt;b&gt;more&lt;/b&gt;"
)


def reference(name: str, context: dict) -> str:
    """The reference template `name` rendered with `context` (it may include the others,
    and the site's templates, such as articles/_bylines.html)."""
    engine = Engine(dirs=[REFERENCE, settings.BASE_DIR / "templates"])
    return engine.get_template(name).render(Context(context))


def listed(story) -> Story:
    return Story.objects.listed().for_teasers().get(pk=story.pk)


def teaser_variants():
    """Stories that take every branch of the teaser: picture or not, one, two or three
    bylines in one or two roles, none, a dek or the start of the body, a kind label,
    comments."""
    from comments.models import Comment

    a, b, c = (make_byline(name=name) for name in ("Ann", "Bo O'Hara", "Cy <Z>"))
    section = make_section(name="Arts & <Letters>")
    plain = make_story(section=section, bylines=[])
    pictured = make_story(section=section, lead_image=make_image_file(900, 600), bylines=[a])
    two = make_story(section=section, bylines=[a, b], dek="", body="<p>Only the body.</p>")
    three = make_story(
        section=section, bylines=[(a, "by"), (b, "by"), (c, "by"), (c, "photos")], kind="opinion"
    )
    hostile = make_story(section=section, headline=HOSTILE, dek=HOSTILE, bylines=[c])
    commented = make_story(section=section)
    make_comment(commented, status=Comment.Status.APPROVED)
    many = make_story(section=section)
    for _ in range(2):
        make_comment(many, status=Comment.Status.APPROVED)
    return [plain, pictured, two, three, hostile, commented, many]


def test_a_teaser_is_the_html_its_template_wrote_in_every_variant():
    for story in teaser_variants():
        for level in (None, 3):
            context = teaser_context(listed(story), level)
            assert str(teaser_html(context["teaser"])) == reference("story_teaser.html", context)


def test_the_variants_show_what_they_should():
    plain, pictured, two, three, hostile, commented, many = (
        teaser_html(teaser_context(listed(story))["teaser"]) for story in teaser_variants()
    )
    assert "<picture>" in pictured and "<picture>" not in plain
    assert 'class="byline"' not in plain
    assert "Ann</a> and <a" in two and "Only the body." in two
    assert "Ann</a>, <a" in three and "Cy &lt;Z&gt;</a></span>" in three
    assert "Photos by" in three and "kind-label--opinion" in three
    assert ESCAPED in hostile and "<script>" not in hostile
    assert ">1 comment</a>" in commented and ">2 comments</a>" in many


def test_the_lead_and_its_image_are_the_html_their_templates_wrote():
    from library.models import Image

    for story in teaser_variants():
        lead = listed(story)
        html = lead_html(lead, teaser_context(lead)["teaser"])
        assert str(html) == reference("lead.html", {"lead": lead})
        expected = reference("lead_image.html", {"story": lead, "eager": True})
        assert str(lead_image_html(lead)) == expected
    pictured = Story.objects.filter(lead_image__isnull=False).first()
    for caption, credit in (("", ""), ("A <caption>", ""), ("", "Ann & Co"), ("Both", "Too")):
        Image.objects.filter(pk=pictured.lead_image_id).update(caption="", credit="")
        Story.objects.filter(pk=pictured.pk).update(
            lead_image_caption=caption, lead_image_credit=credit, lead_image_alt='A "quote"'
        )
        lead = listed(pictured)
        expected = reference("lead_image.html", {"story": lead, "eager": True})
        assert str(lead_image_html(lead)) == expected
        assert "<figcaption>" in expected or not (caption or credit)


def test_section_blocks_are_the_html_their_template_wrote():
    news = make_section(name="News & <Views>", slug="news")
    sports = make_section(name="Sports", slug="sports")
    for headline in (HOSTILE, "Second", "Third"):
        make_story(section=news, headline=headline)
    make_story(section=sports, headline="Only one")
    blocks = section_blocks()
    assert len(blocks) == 2
    html = section_blocks_html(blocks)
    assert str(html) == reference("section_blocks.html", {"blocks": blocks})
    assert ESCAPED in html and "News &amp; &lt;Views&gt;" in html


def test_the_navigation_is_the_html_its_loop_wrote_and_marks_the_current_section():
    parent = make_section(name="Local <News>", slug="local")
    child = make_section(name="Courts", slug="courts", parent=parent)
    other = make_section(name="Sports & Games", slug="sports")
    sections = list(Section.objects.filter(parent__isnull=True).order_by("position", "name"))
    for current in (None, "", parent, child, other):
        html = navigation_html(sections, current)
        context = {"nav_sections": sections, "section": current}
        assert str(html) == reference("navigation.html", context)
    marked = navigation_html(sections, child)
    assert marked.count('aria-current="page"') == 1
    assert 'href="/local/" aria-current="page">Local &lt;News&gt;</a>' in marked


def test_a_hostile_headline_is_escaped_everywhere_the_home_page_shows_it(settings):
    """As the lead, among the latest, in its section's block and in the navigation."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section(name=HOSTILE, slug="hostile")
    lead = make_story(section=section, headline=HOSTILE, dek=HOSTILE, is_featured=True)
    make_story(section=section, headline=HOSTILE + " 2", dek=HOSTILE)
    byline = make_byline(name=HOSTILE)
    lead.story_bylines.all().delete()
    lead.story_bylines.create(byline=byline, role="by")
    page = Client().get("/").content.decode()
    assert "<script>" not in page.split("</head>", 1)[1]  # the body holds no script
    doc = lxml.html.fromstring(page)
    assert css(doc, ".lead__headline a")[0].text_content() == HOSTILE
    assert [a.text_content() for a in css(doc, ".latest .teaser__headline a")] == [HOSTILE + " 2"]
    block = css(doc, 'section[aria-labelledby="block-hostile"]')[0]
    assert css(block, ".block-heading a")[0].text_content() == HOSTILE
    assert [a.text_content() for a in css(block, ".headline-list a")] == [HOSTILE + " 2", HOSTILE]
    assert HOSTILE in [a.text_content() for a in css(doc, ".site-nav a")]
    assert page.count(ESCAPED) >= 8
