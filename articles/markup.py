"""The HTML that list pages repeat, written in Python: a story's teaser and the home
page's section blocks (headline lists).

A home page prints about a thousand values in them, and Django's template language
costs several microseconds for each (a variable lookup, a localisation check and an
escape through two wrappers), more than the rest of the page's rendering. Jinja2, the
faster engine Django supports, is not among the project's dependencies, so these few
fragments are plain string formatting instead: each pattern below is the template it
replaced, line for line, and prints the same bytes (`tests/articles/test_markup.py`).

Escaping is the template language's: every value printed goes through `escape`, which
is Django's `conditional_escape` (`html.escape` with quotes, so `'` is `&#x27;` as in
Django's templates) except that it skips the lazy-string wrapper. Nothing is printed
unescaped but what `escape` or these functions returned; a value already marked safe
(`__html__`) is printed as it is, as the template would.
"""

from __future__ import annotations

import html

from django.utils import formats
from django.utils.safestring import SafeString

from articles.models import section_url
from articles.models.addresses import quick_reverser


def escape(value) -> str:
    """`{{ value }}`: the text HTML-escaped, unless it is already safe HTML."""
    if type(value) is str:  # the common case, without the checks below
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


SEP = '<span class="sep" aria-hidden="true"> · </span>'


def bylines_html(groups) -> str:
    """articles/_bylines.html: 'By <a>A</a>, <a>B</a> and <a>C</a>', a group per role."""
    parts = []
    for index, (role, bylines) in enumerate(groups):
        links = [
            f'<a href="{escape(byline.get_absolute_url())}" rel="author">{escape(byline.name)}</a>'
            for byline in bylines
        ]
        # "A", "A and B", "A, B and C": commas, and "and" before the last.
        names = ", ".join(links[:-2] + [" and ".join(links[-2:])]) if links else ""
        parts.append(f'<span class="byline">{escape(role)} {names}</span>')
        if index < len(groups) - 1:
            parts.append(SEP)
    return "".join(parts) + "\n"


def teaser_html(teaser: dict) -> SafeString:
    """A story's teaser (what `articles.templatetags.teasers.teaser_context` worked out):
    its picture, kind, headline, date, section, credits, comment count and dek."""
    url = escape(teaser["url"])
    image_url = teaser["image_url"]
    if image_url:
        sources = "".join(
            f'<source type="{escape(kind)}" srcset="{escape(src)}">'
            for kind, src in teaser["image_sources"]
        )
        width, height = teaser["image_size"]
        picture = (
            f'\n    <a class="teaser__image" href="{url}" tabindex="-1" aria-hidden="true">\n'
            f'      <picture>{sources}<img src="{escape(image_url)}" alt=""'
            f' width="{width}" height="{height}" loading="lazy" decoding="async"></picture>\n'
            "    </a>\n  "
        )
    else:
        picture = ""
    kind = teaser["kind"]
    kind_label = (
        f'<p class="kind-label kind-label--{escape(kind)}">{escape(teaser["kind_label"])}</p>'
        if kind != "news"
        else ""
    )
    level = escape(teaser["level"])
    bylines = teaser["bylines"]
    credits = SEP + bylines_html(bylines) if bylines else ""
    count = teaser["comment_count"]
    comments = (
        f'{SEP}<a class="meta__comments" href="{url}#comments">'
        f"{escape(formats.localize(count))} comment{'' if count == 1 else 's'}</a>"
        if count
        else ""
    )
    text = teaser["text"]
    dek = f'<p class="teaser__dek">{escape(text)}</p>' if text else ""
    return SafeString(
        f'<article class="teaser{" teaser--with-image" if image_url else ""}">\n'
        f"  {picture}\n"
        '  <div class="teaser__text">\n'
        f"    {kind_label}\n"
        f'    <h{level} class="teaser__headline"><a href="{url}">{escape(teaser["headline"])}'
        f"</a></h{level}>\n"
        '    <p class="meta">\n'
        f'      <a class="meta__date" href="{escape(teaser["day_url"])}"><time datetime="'
        f'{escape(teaser["datetime"])}">{escape(teaser["date"])}</time></a>\n'
        f'      {SEP}<a class="meta__section" href="{escape(teaser["section_url"])}">'
        f"{escape(teaser['section_name'])}</a>\n"
        f"      {credits}\n"
        f"      {comments}\n"
        "    </p>\n"
        f"    {dek}\n"
        "  </div>\n"
        "</article>\n"
    )


def section_blocks_html(blocks: list[dict]) -> SafeString:
    """The home page's section blocks (`articles.views.public.section_blocks`): each
    section's name and link, its newest headlines with their dates, and a link to more."""
    out = []
    for block in blocks:
        slug, url, name = escape(block["slug"]), escape(block["url"]), escape(block["name"])
        out.append(
            f'\n        <section class="section-block" aria-labelledby="block-{slug}">\n'
            f'  <h2 class="block-heading" id="block-{slug}"><a href="{url}">{name}</a></h2>\n'
            '  <ul class="headline-list">\n    '
        )
        out.extend(
            "\n      <li>\n"
            f'        <a href="{escape(story["url"])}">{escape(story["headline"])}</a>\n'
            f'        <time datetime="{escape(story["datetime"])}">{escape(story["day"])}</time>\n'
            "      </li>\n    "
            for story in block["stories"]
        )
        out.append(
            "\n  </ul>\n"
            f'  <p class="more"><a href="{url}">More from {name}'
            ' <span aria-hidden="true">→</span></a></p>\n'
            "</section>\n\n      "
        )
    return SafeString("".join(out))


CURRENT = ' aria-current="page"'


def navigation_html(sections, current) -> SafeString:
    """The masthead's section links (base.html), the current section's or its parent's
    marked: `current` is the page's section, or anything else on other pages."""
    marked = {getattr(current, "pk", None), getattr(current, "parent_id", None)} - {None}
    reverser = quick_reverser()
    return SafeString(
        "".join(
            f'\n          <li><a href="{escape(section_url(section.slug, reverser=reverser))}"'
            f"{CURRENT if section.pk in marked else ''}>"
            f"{escape(section.name)}</a></li>\n        "
            for section in sections
        )
    )


SIZES = "(min-width: 52rem) 48rem, 100vw"


def lead_image_html(story, *, eager: bool = True) -> SafeString:
    """A story's lead image as a <figure>: its <picture> in each format and width, its
    caption and credit (the story's words, else the library's); "\n" without one."""
    url = story.lead_image_url
    if not url:
        return SafeString("\n")
    return picture_figure(
        "lead-image",
        url=url,
        sources=story.lead_image_sources(),
        srcset=story.lead_image_srcset(),
        size=story.lead_image_display_size(),
        alt=story.image_alt,
        caption=story.image_caption,
        credit=story.image_credit,
        eager=eager,
    )


def picture_figure(
    css_class: str, *, url, sources, srcset, size, alt, caption, credit, eager: bool
) -> SafeString:
    """A library picture as wide as the text column, in a <figure>: a <source> per modern
    format (`sources`: (MIME type, srcset)), the fallback `url` with its `srcset` ((url,
    width) pairs) and `size`, and the caption and credit if any. A story's lead image,
    and an image placed in its body (library/placements.py)."""
    width, height = size
    source_html = "".join(
        f'<source type="{escape(kind)}" srcset="{escape(each)}" sizes="{SIZES}">\n    '
        for kind, each in sources
    )
    srcset_html = ", ".join(f"{escape(src)} {escape(w)}w" for src, w in srcset)
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    figcaption = ""
    if caption or credit:
        credit_html = f' <span class="credit">{escape(credit)}</span>' if credit else ""
        figcaption = f"\n    <figcaption>{escape(caption)}{credit_html}</figcaption>\n  "
    return SafeString(
        f'\n<figure class="{escape(css_class)}">\n'
        "  <picture>\n"
        f"    {source_html}"
        f'<img src="{escape(url)}"\n'
        f'       srcset="{srcset_html}"\n'
        f'       sizes="{SIZES}"\n'
        f'       width="{escape(width)}" height="{escape(height)}"\n'
        f'       alt="{escape(alt)}"{loading} decoding="async">\n'
        "  </picture>\n"
        f"  {figcaption}\n"
        "</figure>\n\n"
    )


def lead_html(story, teaser: dict) -> SafeString:
    """The home page's lead story (its <article>): `teaser` is its `teaser_context`."""
    url = escape(teaser["url"])
    picture = ""
    if story.lead_image_id:
        picture = (
            f'<a href="{url}" tabindex="-1" aria-hidden="true" class="lead__image">'
            f"{lead_image_html(story)}</a>"
        )
    kind = teaser["kind"]
    kind_label = (
        f'<p class="kind-label kind-label--{escape(kind)}">{escape(teaser["kind_label"])}</p>'
        if kind != "news"
        else ""
    )
    bylines = teaser["bylines"]
    credits = SEP + bylines_html(bylines) if bylines else ""
    return SafeString(
        '    <article class="lead">\n'
        f"      {picture}\n"
        '      <div class="lead__text">\n'
        f"        {kind_label}\n"
        f'        <h3 class="lead__headline"><a href="{url}">{escape(teaser["headline"])}'
        "</a></h3>\n"
        '        <p class="meta">\n'
        f'          <time datetime="{escape(teaser["datetime"])}">{escape(teaser["date"])}</time>\n'
        f'          {SEP}<a href="{escape(teaser["section_url"])}">'
        f"{escape(teaser['section_name'])}</a>\n"
        f"          {credits}\n"
        "        </p>\n"
        f'        <p class="lead__dek">{escape(teaser["text"])}</p>\n'
        "      </div>\n"
        "    </article>"
    )
