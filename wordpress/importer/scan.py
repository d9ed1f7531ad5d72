"""Pass one: read the whole export once, writing nothing, and note what items refer to.

Reading every byte first is what makes a truncated or damaged file change nothing: it
raises WXRError before the first story is written. On the way it keeps the header (the
site, its authors, categories and tags), every attachment (posts name them as featured
images and in galleries) and the number of items of each kind, for the summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from ..wxr import (
    Author,
    ItemError,
    Post,
    ReadStats,
    Term,
    read_author,
    read_export,
    read_post,
    read_term,
)
from .context import STORY_KINDS, ascii_slug


@dataclass
class Scan:
    """What the first pass learns: the header, the attachments, the number of items."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)
    categories: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    author_terms: dict[str, Term] = field(default_factory=dict)
    attachments: dict[int, Post] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    thumbnail_users: dict[int, int] = field(default_factory=dict)
    guest_authors: dict[str, str] = field(default_factory=dict)
    items: Counter = field(default_factory=Counter)
    duplicate_attachments: list[Post] = field(default_factory=list)
    control_characters_removed: int = 0
    # Authors by the slug of their login, for posts that name them by slug.
    authors_by_slug: dict[str, Author] = field(default_factory=dict)

    @property
    def site(self) -> str:
        for url in (self.base_blog_url, self.link, self.base_site_url):
            parts = urlsplit(url.strip())
            if parts.hostname:
                return (parts.hostname + parts.path.rstrip("/"))[:200]
        return "unknown-site"

    @property
    def hosts(self) -> set[str]:
        urls = (self.base_blog_url, self.link, self.base_site_url)
        return {urlsplit(url.strip()).hostname or "" for url in urls} - {""}

    def author(self, login: str) -> Author | None:
        return self.authors.get(login) or self.authors_by_slug.get(ascii_slug(login))


def scan_export(path: str | Path) -> Scan:
    """The whole export checked and summed up; raises WXRError for a file that is not one."""
    scan = Scan()
    stats = ReadStats()
    for element in read_export(path, stats):
        tag = element.tag
        if tag == "item":
            _note_item(scan, element)
        elif tag == "wp:author":
            author = read_author(element)
            if author.login:
                scan.authors[author.login] = author
        elif tag in {"wp:category", "wp:tag", "wp:term"}:
            term = read_term(element)
            if term is None:
                continue
            if term.taxonomy == "category":
                scan.categories.append(term)
            elif term.taxonomy == "post_tag":
                scan.tags.append(term)
            elif term.taxonomy == "author":
                scan.author_terms[term.slug] = term
        elif tag in {"title", "link"}:
            setattr(scan, tag, (element.text or "").strip())
        elif tag in {"wp:base_site_url", "wp:base_blog_url"}:
            setattr(scan, tag[3:], (element.text or "").strip())
    scan.control_characters_removed = stats.control_characters_removed
    scan.authors_by_slug = {ascii_slug(a.login): a for a in scan.authors.values()}
    return scan


def _note_item(scan: Scan, element: Element) -> None:
    try:
        post = read_post(element)
    except ItemError:
        scan.items["unknown"] += 1  # reported by the stories pass, which reads it again
        return
    scan.items[post.post_type] += 1
    if post.post_type == "attachment":
        post.content = ""  # its description: not needed, not kept in memory
        post.comments = []
        if post.wp_id in scan.attachments:
            scan.duplicate_attachments.append(post)
            return
        scan.attachments[post.wp_id] = post
        if post.parent:
            scan.children.setdefault(post.parent, []).append(post.wp_id)
    elif post.post_type == "guest-author":
        login = post.first_meta("cap-user_login") or post.name.removeprefix("cap-")
        name = post.first_meta("cap-display_name") or post.display_title
        if login:
            scan.guest_authors[login] = name
    elif post.post_type in STORY_KINDS and post.thumbnail_id:
        scan.thumbnail_users.setdefault(post.thumbnail_id, post.wp_id)
