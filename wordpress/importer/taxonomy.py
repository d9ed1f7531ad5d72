"""The taxonomy pass: authors become bylines, categories sections, tags tags.

`import_terms` takes the export's header: every author, category (with its nesting) and
tag it declares, and their archive addresses (`/author/jane/`, `/category/news/local/`,
`/?cat=4`, `/tag/x/`, `/?tag=x`). Posts may name terms the header left out, so before a
batch is planned `add_terms` makes the ones it has not met yet. Both return `Terms`,
the lookups the stories pass reads, with a tally of what they made; a `Terms` handed
in is never changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import unquote

from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils.text import Truncator
from taggit.models import Tag

from articles.models import RESERVED_SECTION_SLUGS, Byline, Section, unique_slug

from ..content import plain_text
from ..summary import Tally
from ..wxr import Post, Term
from .addresses import write_legacy_urls
from .context import Context, ascii_slug
from .scan import Scan

MAX_POSITION = 30000  # Section.position is a small integer


@dataclass
class Terms:
    """Where the export's terms went: the lookups the stories pass reads."""

    bylines: dict[str, int]  # login, lower-cased → byline ID
    sections: dict[str, Section]  # category slug → section
    sections_by_slug: dict[str, Section]  # section slug → section, old and new
    tags: dict[str, int]  # tag name, lower-cased → tag ID
    # Slugs already given in this import, so two terms never share one.
    byline_slugs: set[str]
    section_slugs: set[str]
    tag_slugs: set[str]
    next_position: int

    def copy(self) -> Terms:
        return dataclasses.replace(
            self,
            bylines=dict(self.bylines),
            sections=dict(self.sections),
            sections_by_slug=dict(self.sections_by_slug),
            tags=dict(self.tags),
            byline_slugs=set(self.byline_slugs),
            section_slugs=set(self.section_slugs),
            tag_slugs=set(self.tag_slugs),
        )

    def named_section(self, slug: str) -> Section:
        """A section the options name (pages, posts without a category)."""
        return self.sections_by_slug[slug]


@dataclass
class TermsMade:
    terms: Terms
    tally: Tally
    # Posts whose terms the database refused: WordPress ID → why.
    refused: dict[int, str] = dataclasses.field(default_factory=dict)


# What a post names ----------------------------------------------------------------


def post_categories(post: Post) -> list[Term]:
    return [
        Term("category", None, slug, name or slug)
        for domain, slug, name in post.terms
        if domain == "category" and slug
    ]


def post_tags(post: Post) -> list[tuple[str, str]]:
    """(slug, name as a tag keeps it) of each of the post's tags."""
    tags = []
    for domain, slug, name in post.terms:
        if domain == "post_tag" and (slug or name):
            name = " ".join(name.split())[:100] or unquote(slug)
            tags.append((slug, name))
    return tags


def tag_key(name: str) -> str:
    return name.lower()


def credits(post: Post, scan: Scan) -> list[tuple[str, str]]:
    """(login, display name) of the post's author, then co-authors and guest authors."""
    logins = [post.creator] if post.creator else []
    names: dict[str, str] = {}
    for domain, slug, name in post.terms:
        if domain != "author":
            continue
        login = slug.removeprefix("cap-") or name
        logins.append(login)
        names[login] = name
    result = []
    for login in logins:
        author = scan.author(login)
        if author is not None:
            result.append((author.login, author.display_name))
        else:
            result.append((login, scan.guest_authors.get(login) or names.get(login) or login))
    return result


# The pass ---------------------------------------------------------------------------


def import_terms(scan: Scan, *, context: Context) -> TermsMade:
    """The header's authors, categories and tags, and their archive addresses."""
    top = Section.objects.aggregate(top=Max("position"))["top"] or 0
    tags, tag_slugs = {}, set()
    for tag_id, name, slug in Tag.objects.values_list("id", "name", "slug"):
        tags[tag_key(name)] = tag_id
        tag_slugs.add(slug)
    existing = Terms(
        bylines={}, sections={},
        sections_by_slug={section.slug: section for section in Section.objects.all()},
        tags=tags, byline_slugs=set(), section_slugs=set(), tag_slugs=tag_slugs,
        next_position=min(top + 1, MAX_POSITION),
    )  # fmt: skip
    writer = _TermWriter(existing, context=context)
    for author in scan.authors.values():
        writer.byline(author.login, author.display_name)
    writer.header_sections(scan.categories)
    writer.header_tags(scan.tags)
    return writer.made()


def add_terms(terms: Terms, posts: list[Post], *, scan: Scan, context: Context) -> TermsMade:
    """The sections, bylines and tags `posts` name that `terms` does not have yet."""
    writer = _TermWriter(terms, context=context)
    options = context.options
    refused = {}
    for post in posts:
        try:
            if post.post_type == "page":
                writer.named_section(options.pages_section, "Pages")
            else:
                categories = post_categories(post)
                for term in categories:
                    writer.section(term)
                if not categories:
                    writer.named_section(options.default_section, "Uncategorized")
            for login, display_name in credits(post, scan):
                writer.byline(login, display_name)
            for slug, name in post_tags(post):
                writer.tag(slug, name)
        except DatabaseError as error:
            refused[post.wp_id] = f"the database refused one of its terms ({error})"
    return writer.made(refused=refused)


class _TermWriter:
    """Makes what is missing from a copy of `terms` (copied on the first change)."""

    def __init__(self, terms: Terms, *, context: Context) -> None:
        self.terms = terms
        self.context = context
        self.tally = Tally()
        self.copied = False

    def made(self, *, refused: dict[int, str] | None = None) -> TermsMade:
        return TermsMade(terms=self.terms, tally=self.tally, refused=refused or {})

    def _writable(self) -> Terms:
        if not self.copied:
            self.terms, self.copied = self.terms.copy(), True
        return self.terms

    # Bylines.

    def byline(self, login: str, display_name: str) -> int:
        key = login.lower()
        if key in self.terms.bylines:
            return self.terms.bylines[key]
        terms = self._writable()
        slug = unique_slug(
            ascii_slug(login, display_name, max_length=140),
            taken=terms.byline_slugs, max_length=150, fallback="author",
        )  # fmt: skip
        terms.byline_slugs.add(slug)
        byline = Byline.objects.filter(slug=slug).first()
        if byline is None:
            with transaction.atomic():
                byline = Byline.objects.create(
                    name=(display_name or login)[:150], slug=slug, kind=Byline.Kind.PERSON
                )
            self.tally.add("byline", "created")
        else:
            self.tally.add("byline", "unchanged")
        terms.bylines[key] = byline.pk
        self.tally += write_legacy_urls(
            {f"/author/{ascii_slug(login) or slug}/": ("byline", byline.pk)},
            site=self.context.site,
        )
        return byline.pk

    # Sections.

    def header_sections(self, categories: list[Term]) -> None:
        created: list[tuple[Term, Section]] = []
        for term in categories:
            section, was_created = self.section(term)
            if was_created:
                created.append((term, section))
        # Nesting, once every section exists; sections that were here already keep theirs.
        for term, section in created:
            parent = self.terms.sections.get(term.parent_slug)
            if parent is not None and parent.pk != section.pk:
                section.parent = parent
                section.save(update_fields=["parent"])
        self.tally += write_legacy_urls(self._category_urls(categories), site=self.context.site)

    def section(self, term: Term) -> tuple[Section, bool]:
        """The section for a category, and whether it was created just now."""
        if term.slug in self.terms.sections:
            return self.terms.sections[term.slug], False
        terms = self._writable()
        mapped = self.context.mapped_sections
        section = mapped.get(term.slug.lower()) or mapped.get(term.name.lower())
        if section is not None:
            terms.sections[term.slug] = section
            return section, False
        # A section already here with this slug is used as it is (see the guide).
        slug = unique_slug(
            ascii_slug(term.slug, term.name),
            taken=lambda slug: slug in terms.section_slugs or slug in RESERVED_SECTION_SLUGS,
            max_length=100, fallback=f"category-{term.term_id or 'x'}",
        )  # fmt: skip
        terms.section_slugs.add(slug)
        section = terms.sections_by_slug.get(slug)
        if section is not None:
            self.tally.add("section", "unchanged")
            terms.sections[term.slug] = section
            return section, False
        with transaction.atomic():
            section = Section.objects.create(
                name=Truncator(term.name).chars(100),
                slug=slug,
                description=plain_text(term.description),
                position=terms.next_position,
            )
        terms.next_position = min(terms.next_position + 1, MAX_POSITION)
        terms.sections_by_slug[slug] = section
        terms.sections[term.slug] = section
        self.tally.add("section", "created")
        return section, True

    def named_section(self, slug: str, name: str) -> Section:
        section = self.terms.sections_by_slug.get(slug)
        if section is None:
            section, _ = self.section(Term("category", None, slug, name))
            self._writable().sections_by_slug[slug] = section
        return section

    def _category_urls(self, categories: list[Term]) -> dict[str, tuple[str, int]]:
        by_slug = {term.slug: term for term in categories}
        base = self.context.options.category_base.strip("/")
        wanted: dict[str, tuple[str, int]] = {}
        for term in categories:
            section = self.terms.sections[term.slug]
            chain, node, seen = [], term, set()
            while node is not None and node.slug not in seen:
                seen.add(node.slug)
                chain.insert(0, unquote(node.slug))
                node = by_slug.get(node.parent_slug)
            wanted[f"/{base}/{'/'.join(chain)}/"] = ("section", section.pk)
            wanted.setdefault(f"/{base}/{unquote(term.slug)}/", ("section", section.pk))
            if term.term_id is not None:
                wanted[f"/?cat={term.term_id}"] = ("section", section.pk)
        return wanted

    # Tags.

    def header_tags(self, declared: list[Term]) -> None:
        terms = self._writable()
        new_tags: dict[str, Tag] = {}
        for term in declared:
            key = tag_key(term.name[:100])
            if key in terms.tags:
                self.tally.add("tag", "unchanged")
            elif key not in new_tags:
                new_tags[key] = Tag(name=term.name[:100], slug=self._tag_slug(term))
        Tag.objects.bulk_create(new_tags.values())
        self.tally.add("tag", "created", len(new_tags))
        for key, tag in new_tags.items():
            if tag.pk is None:  # backends that do not return keys from bulk inserts
                tag.pk = Tag.objects.get(slug=tag.slug).pk
            terms.tags[key] = tag.pk
        base = self.context.options.tag_base.strip("/")
        slugs = dict(Tag.objects.filter(pk__in=terms.tags.values()).values_list("pk", "slug"))
        wanted: dict[str, tuple[str, int]] = {}
        for term in declared:
            tag_id = terms.tags.get(tag_key(term.name[:100]))
            if tag_id is None:
                continue
            old_slug = unquote(term.slug)
            if f"/{base}/{old_slug}/" != f"/tag/{slugs.get(tag_id)}/":
                wanted[f"/{base}/{old_slug}/"] = ("tag", tag_id)
            wanted[f"/?tag={old_slug}"] = ("tag", tag_id)
        self.tally += write_legacy_urls(wanted, site=self.context.site)

    def tag(self, slug: str, name: str) -> int:
        key = tag_key(name)
        if key not in self.terms.tags:
            terms = self._writable()
            tag_slug = self._tag_slug(Term("post_tag", None, slug, name))
            with transaction.atomic():
                tag = Tag.objects.create(name=name, slug=tag_slug)
            terms.tags[key] = tag.pk
            self.tally.add("tag", "created")
        return self.terms.tags[key]

    def _tag_slug(self, term: Term) -> str:
        terms = self._writable()
        slug = unique_slug(
            ascii_slug(term.slug, term.name, max_length=90),
            taken=terms.tag_slugs, max_length=100, fallback=f"tag-{term.term_id or 'x'}",
        )  # fmt: skip
        terms.tag_slugs.add(slug)
        return slug
