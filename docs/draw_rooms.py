"""Draw docs/rooms.png: the project's rooms (apps and packages) and who imports whom.

Usage, from the project folder:
    .venv/bin/python docs/draw_rooms.py

Each room is a folder or module of the project (ROOMS below); an arrow A → B means code in
A imports code in B. Rooms stand above everything they import, so arrows point down; an
arrow pointing up would be a cycle, and the script says so. It reads the code with `ast`
(nothing is run) and draws with Pillow. Tests, migrations and the docs are left out.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "rooms.png"

# (room, what it holds): the first prefix a module matches names its room.
ROOMS: list[tuple[str, str, tuple[str, ...]]] = [
    # The project's URLconf includes every app's URLs: it stands on top of them all.
    ("newsroom.urls", "the URLconf: every app's pages", ("newsroom.urls",)),
    # The project's infrastructure, which the apps use: settings, guards, the cache.
    ("newsroom", "settings, guards, cache, admin site", ("newsroom",)),
    ("articles.site", "URLs, middleware, context", (
        "articles.urls", "articles.apps", "articles.middleware", "articles.context_processors",
        "articles.templatetags",
    )),
    ("articles.admin", "the desk: stories, steps, newsdesk", ("articles.admin",)),
    ("articles.views", "public pages", ("articles.views",)),
    ("articles.distribution", "feeds, sitemaps, SEO", ("articles.distribution",)),
    ("articles.search", "reader and desk search", ("articles.search",)),
    ("articles.caching", "keys, purges, page cache", ("articles.caching",)),
    ("articles.demo", "the demo newsroom", ("articles.demo", "articles.management")),
    ("articles.models", "stories, sections, steps", ("articles.models", "articles.revisions")),
    ("articles.workflow", "the steps' table", ("articles.workflow",)),
    ("articles.tidying", "tags: rules, aliases, merges", ("articles.tags", "articles.tidying")),
    ("articles (basics)", "text, HTML, images, roles", ("articles",)),
    ("comments", "reader comments", ("comments",)),
    ("notifications", "desk inbox, e-mail", ("notifications",)),
    ("fronts", "the curated home page", ("fronts",)),
    ("wordpress", "the WXR importer", ("wordpress",)),
    ("newsletters", "sign-ups, editions, sending", ("newsletters",)),
    ("background", "failed tasks of the queue", ("background",)),
    ("backups", "backup and restore", ("backups",)),
    ("users", "accounts, roles", ("users",)),
]  # fmt: skip
SKIPPED_PARTS = {"migrations", "tests", "__pycache__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room_of(module: str) -> str | None:
    for name, _, prefixes in ROOMS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return name
    return None


def imports_of(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def read_arrows() -> tuple[dict[str, set[str]], dict[str, int]]:
    arrows: dict[str, set[str]] = defaultdict(set)
    lines: dict[str, int] = defaultdict(int)
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "docs", "tests", "bench", "node_modules"}:
            continue
        if SKIPPED_PARTS & set(relative.parts):
            continue
        module = module_name(path)
        source = room_of(module)
        if source is None:
            continue
        lines[source] += len(path.read_text().splitlines())
        for imported in imports_of(path, module):
            target = room_of(imported)
            if target and target != source:
                arrows[source].add(target)
    return arrows, lines


def floors(rooms: list[str], arrows: dict[str, set[str]]) -> dict[str, int]:
    """Each room one floor above the highest room it imports (floor 0: imports none)."""
    floor: dict[str, int] = {}

    def place(room: str, visiting: tuple[str, ...] = ()) -> int:
        if room in floor:
            return floor[room]
        if room in visiting:
            print(f"cycle: {' -> '.join([*visiting, room])}", file=sys.stderr)
            return 0
        below = [place(other, (*visiting, room)) for other in arrows.get(room, ())]
        floor[room] = 1 + max(below) if below else 0
        return floor[room]

    for room in rooms:
        place(room)
    return floor


def draw(rooms, arrows, lines, floor) -> None:
    box_w, box_h, gap_x, gap_y, margin = 230, 64, 30, 70, 40
    by_floor: dict[int, list[str]] = defaultdict(list)
    for room in rooms:
        by_floor[floor[room]].append(room)
    top = max(by_floor)
    widest = max(len(row) for row in by_floor.values())
    width = margin * 2 + widest * box_w + (widest - 1) * gap_x
    height = margin * 2 + 40 + (top + 1) * box_h + top * gap_y
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    bold = ImageFont.load_default(size=16)
    small = ImageFont.load_default(size=12)
    pen.text(
        (margin, 12),
        "Newsroom's rooms: an arrow A -> B means code in A imports code in B",
        fill="black",
        font=bold,
    )
    where: dict[str, tuple[int, int]] = {}
    for level, row in by_floor.items():
        y = margin + 40 + (top - level) * (box_h + gap_y)
        row_width = len(row) * box_w + (len(row) - 1) * gap_x
        x = (width - row_width) // 2
        for room in sorted(row):
            where[room] = (x, y)
            x += box_w + gap_x
    for source, targets in arrows.items():
        sx, sy = where[source]
        for target in targets:
            tx, ty = where[target]
            start = (sx + box_w // 2, sy + box_h)
            end = (tx + box_w // 2, ty)
            colour = (200, 40, 40) if floor[target] >= floor[source] else (120, 130, 150)
            pen.line([start, end], fill=colour, width=2)
            pen.polygon([end, (end[0] - 5, end[1] - 10), (end[0] + 5, end[1] - 10)], fill=colour)
    for room, (x, y) in where.items():
        description = next(text for name, text, _ in ROOMS if name == room)
        pen.rounded_rectangle([x, y, x + box_w, y + box_h], radius=8, fill=(234, 241, 250),
                              outline=(40, 70, 120), width=2)  # fmt: skip
        pen.text((x + 10, y + 8), room, fill=(20, 30, 60), font=bold)
        pen.text((x + 10, y + 30), description, fill=(60, 60, 60), font=small)
        pen.text((x + 10, y + 46), f"{lines[room]:,} lines", fill=(110, 110, 110), font=small)
    image.save(OUT, optimize=True)


def main() -> None:
    arrows, lines = read_arrows()
    rooms = [name for name, _, _ in ROOMS if lines.get(name)]
    floor = floors(rooms, arrows)
    draw(rooms, arrows, lines, floor)
    for room in sorted(rooms, key=lambda r: (-floor[r], r)):
        print(f"floor {floor[room]}  {room:24} → {', '.join(sorted(arrows.get(room, ()))) or '—'}")
    print(f"Drawn: {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
