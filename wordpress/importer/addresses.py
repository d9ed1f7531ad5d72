"""Old WordPress addresses: which an item had, and the redirects that keep them working.

Story addresses (permalinks, old slugs, guids, attachment pages) go into
`articles.StoryRedirect`, like any old address of a story; archive addresses
(categories, tags, authors) into `wordpress.LegacyURL`. Both are written in bulk and
repointed when a re-import finds them leading elsewhere.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote, urlsplit

from articles.models import StoryRedirect

from ..models import LegacyURL
from ..summary import Tally
from ..wxr import Post, url_path
from .context import MAX_PATH


def post_paths(post: Post, hosts: Collection[str]) -> list[str]:
    """The post's old addresses that are paths: its permalink, old slugs, its guid."""
    paths: list[str] = []
    permalink = urlsplit(post.link)
    if post.link and not permalink.query:
        path = url_path(post.link)
        if path not in {"", "/"}:
            paths.append(path)
            last = path.rstrip("/").rsplit("/", 1)[-1]
            for old_slug in post.meta.get("_wp_old_slug", []):
                old_slug = unquote(old_slug.strip())
                if old_slug and last:
                    trailing = "/" if path.endswith("/") else ""
                    paths.append(path.rstrip("/")[: -len(last)] + old_slug + trailing)
    guid = urlsplit(post.guid)
    if guid.hostname and guid.hostname in hosts and not guid.query:
        path = url_path(post.guid)
        if path not in {"", "/"} and path not in paths:
            paths.append(path)
    return [p for p in paths if len(p) <= MAX_PATH]


def attachment_page_path(attachment: Post) -> str | None:
    """The path of an attachment's own page on the old site, if it has one."""
    if not attachment.link or urlsplit(attachment.link).query:
        return None
    path = url_path(attachment.link)
    return path if path not in {"", "/"} and len(path) <= MAX_PATH else None


def write_story_redirects(wanted: dict[str, int]) -> Tally:
    """Create or repoint story redirects: old path → story ID."""
    tally = Tally()
    if not wanted:
        return tally
    existing = dict(
        StoryRedirect.objects.filter(old_path__in=wanted).values_list("old_path", "story_id")
    )
    StoryRedirect.objects.bulk_create(
        StoryRedirect(old_path=path, story_id=story_id)
        for path, story_id in wanted.items()
        if path not in existing
    )
    for path, story_id in wanted.items():
        if path not in existing:
            tally.add("redirect", "created")
        elif existing[path] == story_id:
            tally.add("redirect", "unchanged")
        else:
            StoryRedirect.objects.filter(old_path=path).update(story_id=story_id)
            tally.add("redirect", "updated")
    return tally


def write_legacy_urls(wanted: dict[str, tuple[str, int]], *, site: str) -> Tally:
    """Create or repoint archive redirects: old path → (target field, target ID)."""
    tally = Tally()
    wanted = {path: target for path, target in wanted.items() if len(path) <= MAX_PATH}
    if not wanted:
        return tally
    existing = {legacy.old_path: legacy for legacy in LegacyURL.objects.filter(old_path__in=wanted)}
    new = []
    for path, (target, target_id) in wanted.items():
        legacy = existing.get(path)
        if legacy is None:
            new.append(LegacyURL(old_path=path, site=site, **{f"{target}_id": target_id}))
        elif getattr(legacy, f"{target}_id") == target_id:
            tally.add("redirect", "unchanged")
        else:
            legacy.section_id = legacy.tag_id = legacy.byline_id = None
            setattr(legacy, f"{target}_id", target_id)
            legacy.save(update_fields=["section", "tag", "byline"])
            tally.add("redirect", "updated")
    LegacyURL.objects.bulk_create(new)
    tally.add("redirect", "created", len(new))
    return tally
