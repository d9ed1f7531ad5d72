"""The demo newsroom's content, read from the YAML files in `articles/demo/data/`.

`load_content()` reads `newsroom.yaml` (the marker section, the image credit and the
sections), `bylines.yaml`, `accounts.yaml` and every file in `stories/`, in name order,
and checks them before anything touches the database: a missing or misspelt field, a
choice that does not exist, or a slug that points nowhere is a `DemoContentError` that
names the file and the record.

A story has these fields; the optional ones show their default:

    slug, headline, dek, section     text (`section` is a section slug)
    secondary_sections: []           section slugs
    kind: news                       a `Story.Kind` value
    status: published                a `Story.Status` value
    is_featured: false
    source_name: "", source_url: ""  where a press release came from
    tags                             a list of tag names
    bylines                          credits in order, each `role: byline-slug`
                                     (role a `StoryByline.Role` value), e.g. `- by: staff`
    days_ago                         required when published: how long before the load
                                     it was published; negative schedules it
    updated_hours_later              optional: a material update this long after
    image                            optional: `motif`, `colors` (two palette names) and
                                     `caption`, drawn by `articles.demo.pictures`
    written_by: editor               the demo account that started it (a username)
    body                             HTML, wrapped freely (see `compact_html()`)
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from articles.demo.pictures import MOTIFS, PALETTE
from articles.models import Byline, Story, StoryByline
from articles.roles import ROLES

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoContentError(ValueError):
    """The demo's data files say something the loader cannot build."""


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    parent: str | None
    position: int
    description: str
    # Slugs of the stories pinned above the section's list (its section front).
    pinned: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoByline:
    slug: str
    name: str
    kind: str
    role_line: str
    email: str
    portrait: str | None  # the palette color behind the initials; people only
    bio: str


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    role: str
    is_superuser: bool
    byline: str | None

    @property
    def label(self) -> str:
        return f"{self.role} role"


@dataclass(frozen=True)
class DemoImage:
    motif: str
    colors: tuple[str, str]
    caption: str


@dataclass(frozen=True)
class DemoStory:
    slug: str
    headline: str
    dek: str
    section: str
    secondary_sections: tuple[str, ...]
    kind: str
    status: str
    is_featured: bool
    source_name: str
    source_url: str
    tags: tuple[str, ...]
    bylines: tuple[tuple[str, str], ...]  # (byline slug, role), in credit order
    days_ago: float | None
    updated_hours_later: float | None
    image: DemoImage | None
    written_by: str
    body: str


@dataclass(frozen=True)
class DemoContent:
    marker_section: str  # the demo is recognised by this section
    image_credit: str
    sections: tuple[DemoSection, ...]
    bylines: tuple[DemoByline, ...]
    accounts: tuple[DemoAccount, ...]
    stories: tuple[DemoStory, ...]

    def story_slugs(self) -> list[str]:
        return [story.slug for story in self.stories]

    def tag_names(self) -> set[str]:
        return {name for story in self.stories for name in story.tags}


def compact_html(source: str) -> str:
    """Join the wrapped lines of a body into compact HTML.

    Bodies are written wrapped for reading; the line breaks inside a paragraph are only
    source formatting, so they collapse to single spaces, and none is kept next to a
    block tag.
    """
    text = " ".join(source.split())
    return re.sub(r"\s*(</?(?:p|h2|h3|blockquote|ul|ol|li)>)\s*", r"\1", text)


class _Record:
    """One mapping from a data file, read field by field with errors that say where."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise DemoContentError(f"{where}: expected a mapping of fields, got {data!r}")
        self.data = data
        self.where = where
        self.read: set[str] = set()

    def error(self, message: str) -> DemoContentError:
        return DemoContentError(f"{self.where}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.read.add(key)
        if key not in self.data:
            if default is ...:
                near = difflib.get_close_matches(key, [str(k) for k in self.data], n=1)
                hint = f" (is '{near[0]}' a misspelling?)" if near else ""
                raise self.error(f"'{key}' is missing{hint}")
            return default
        value = self.data[key]
        # YAML reads `yes` as a boolean and `1.0` as a number: say so, not just "wrong".
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            expected = " or ".join(k.__name__ for k in _tuple(kind))
            raise self.error(f"'{key}' should be {expected}, not {value!r} (quote text in YAML)")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value = self.get(key, str, default)
        if key in self.data and not value.strip():
            raise self.error(f"'{key}' is empty")
        return value

    def choice(self, key: str, allowed: list[str], default: Any = ...) -> str:
        value = self.text(key, default)
        if key not in self.data:
            return value
        if value not in allowed:
            raise self.error(f"'{key}' is {value!r}; it must be one of: {', '.join(allowed)}")
        return value

    def texts(self, key: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(key, list, default)
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise self.error(f"'{key}' should list text, not {value!r}")
        return tuple(values)

    def number(self, key: str, default: Any = ...) -> float | None:
        return self.get(key, (int, float), default)

    def done(self) -> None:
        """Refuse fields the loader does not know: a typo must not be silently ignored."""
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.error(f"unknown field(s): {', '.join(unknown)}")


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _read_file(path: Path, key: str, *header: str) -> tuple[list, dict[str, str]]:
    """The records listed under `key` in one file, and the text fields `header` beside them."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DemoContentError(f"{path}: not valid YAML: {error}") from error
    except OSError as error:
        raise DemoContentError(f"{path}: cannot be read: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise DemoContentError(f"{path}: expected a mapping with a list under '{key}'")
    top = _Record(document, str(path))
    records = top.get(key, list)
    fields = {field: top.text(field) for field in header}
    top.done()
    return records, fields


def _read_records(
    path: Path, records: list, what: str, read, *, name: str = "slug", seen: set | None = None
) -> list:
    """`read(record)` for each record, named in errors by its `name` field or position.

    `name` must be unique among the records, and among those in `seen` if given.
    """
    seen = set() if seen is None else seen
    items = []
    for number, data in enumerate(records, start=1):
        label = repr(data[name]) if isinstance(data, dict) and name in data else f"number {number}"
        record = _Record(data, f"{path}, {what} {label}")
        item = read(record)
        record.done()
        if getattr(item, name) in seen:
            raise record.error(f"another {what} has the same {name}")
        seen.add(getattr(item, name))
        items.append(item)
    return items


def _read_sections(path: Path) -> tuple[dict[str, str], list[DemoSection]]:
    records, header = _read_file(path, "sections", "marker_section", "image_credit")
    listed: set[str] = set()

    def read(record: _Record) -> DemoSection:
        section = DemoSection(
            slug=record.text("slug"),
            name=record.text("name"),
            parent=record.text("parent", None),
            position=record.get("position", int),
            description=record.text("description"),
            pinned=record.texts("pinned", ()),
        )
        if section.parent and section.parent not in listed:
            raise record.error(f"parent '{section.parent}' must be listed before it")
        listed.add(section.slug)
        return section

    sections = _read_records(path, records, "section", read)
    if header["marker_section"] not in listed:
        raise DemoContentError(
            f"{path}: marker_section '{header['marker_section']}' is not one of the sections"
        )
    return header, sections


def _read_byline(record: _Record) -> DemoByline:
    return DemoByline(
        slug=record.text("slug"),
        name=record.text("name"),
        kind=record.choice("kind", Byline.Kind.values),
        role_line=record.text("role_line"),
        email=record.text("email", ""),
        portrait=record.choice("portrait", list(PALETTE), None),
        bio=record.text("bio"),
    )


def _read_account(record: _Record, bylines: list[str]) -> DemoAccount:
    return DemoAccount(
        username=record.text("username"),
        password=record.text("password"),
        email=record.text("email"),
        first_name=record.text("first_name"),
        last_name=record.text("last_name"),
        role=record.choice("role", list(ROLES)),
        is_superuser=record.get("is_superuser", bool, False),
        byline=record.choice("byline", bylines, None),
    )


def _read_story(
    record: _Record, sections: list[str], bylines: list[str], accounts: list[str]
) -> DemoStory:
    status = record.choice("status", Story.Status.values, Story.Status.PUBLISHED)
    days_ago = record.number("days_ago", None)
    if status == Story.Status.PUBLISHED and days_ago is None:
        raise record.error("'days_ago' is missing: a published story needs a time")
    if status != Story.Status.PUBLISHED and days_ago is not None:
        raise record.error(f"'days_ago' is given, but a {status} story has no time")
    secondary = record.texts("secondary_sections", [])
    for slug in secondary:
        if slug not in sections:
            raise record.error(f"'secondary_sections' names an unknown section '{slug}'")
    return DemoStory(
        slug=record.text("slug"),
        headline=record.text("headline"),
        dek=record.text("dek"),
        section=record.choice("section", sections),
        secondary_sections=secondary,
        kind=record.choice("kind", Story.Kind.values, Story.Kind.NEWS),
        status=status,
        is_featured=record.get("is_featured", bool, False),
        source_name=record.text("source_name", ""),
        source_url=record.text("source_url", ""),
        tags=record.texts("tags"),
        bylines=_read_credits(record, bylines),
        days_ago=days_ago,
        updated_hours_later=record.number("updated_hours_later", None),
        image=_read_image(record),
        written_by=record.choice("written_by", accounts, "editor"),
        body=compact_html(record.text("body")),
    )


def _read_credits(record: _Record, bylines: list[str]) -> tuple[tuple[str, str], ...]:
    credits = []
    for credit in record.get("bylines", list):
        if not isinstance(credit, dict) or len(credit) != 1:
            raise record.error(f"each of 'bylines' is one `role: byline-slug`, not {credit!r}")
        ((role, slug),) = credit.items()
        if role not in StoryByline.Role.values:
            raise record.error(
                f"'bylines' has the role {role!r}; it must be one of: "
                + ", ".join(StoryByline.Role.values)
            )
        if slug not in bylines:
            raise record.error(f"'bylines' names an unknown byline {slug!r}")
        credits.append((slug, role))
    if not credits:
        raise record.error("'bylines' is empty: every story is credited to someone")
    return tuple(credits)


def _read_image(record: _Record) -> DemoImage | None:
    data = record.get("image", dict, None)
    if data is None:
        return None
    image = _Record(data, f"{record.where}, image")
    colors = image.texts("colors")
    if len(colors) != 2:
        raise image.error(f"'colors' should be two palette colors, not {list(colors)}")
    for color in colors:
        if color not in PALETTE:
            raise image.error(
                f"'colors' has {color!r}, which is not in the palette: {', '.join(PALETTE)}"
            )
    result = DemoImage(
        motif=image.choice("motif", list(MOTIFS)),
        colors=(colors[0], colors[1]),
        caption=image.text("caption"),
    )
    image.done()
    return result


def load_content(directory: Path = DATA_DIR) -> DemoContent:
    """Read and check every data file in `directory`."""
    header, sections = _read_sections(directory / "newsroom.yaml")
    section_slugs = [section.slug for section in sections]
    path = directory / "bylines.yaml"
    bylines = _read_records(path, _read_file(path, "bylines")[0], "byline", _read_byline)
    byline_slugs = sorted(byline.slug for byline in bylines)

    path = directory / "accounts.yaml"
    accounts = _read_records(
        path,
        _read_file(path, "accounts")[0],
        "account",
        lambda record: _read_account(record, byline_slugs),
        name="username",
    )

    usernames = [account.username for account in accounts]

    story_files = sorted((directory / "stories").glob("*.yaml"))
    if not story_files:
        raise DemoContentError(f"{directory / 'stories'}: no story files (*.yaml)")
    stories: list[DemoStory] = []
    slugs: set[str] = set()  # unique across the files
    for path in story_files:
        stories += _read_records(
            path,
            _read_file(path, "stories")[0],
            "story",
            lambda record: _read_story(record, section_slugs, byline_slugs, usernames),
            seen=slugs,
        )
    for section in sections:
        for slug in section.pinned:
            if not any(s.slug == slug and section.slug in (s.section, *s.secondary_sections)
                       for s in stories):  # fmt: skip
                raise DemoContentError(
                    f"newsroom.yaml: section '{section.slug}' pins '{slug}', which is not a "
                    "story filed in it"
                )
    return DemoContent(
        marker_section=header["marker_section"],
        image_credit=header["image_credit"],
        sections=tuple(sections),
        bylines=tuple(bylines),
        accounts=tuple(accounts),
        stories=tuple(stories),
    )


@cache
def demo_content() -> DemoContent:
    """The demo's content, read once per process."""
    return load_content()
