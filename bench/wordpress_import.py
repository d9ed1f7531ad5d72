"""Benchmark the WordPress import: generate an export of N posts, import it, time it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python bench/wordpress_import.py --posts 10000 --flush

The export is written to /tmp (authors with co-authors, nested categories, tags,
threaded comments, classic and block-editor content with [caption] shortcodes, some
drafts, scheduled and sticky posts, and featured images with a matching uploads
directory). The import then runs in this process against the configured database, and
the script prints the import's summary, the wall time and the peak memory (RSS) of the
process. Run it again with --skip-generate to time a re-import (nothing changed).

`--flush` empties the database (and the bench's media directory) first, and is refused
unless the database's name contains "bench", so it cannot wipe a real newsroom.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "council budget river school bridge library election mayor transit housing water "
    "festival museum harbour market teacher nurse farmer court police fire park road "
    "storm flood permit zoning tax levy grant clinic college league season coach "
    "volunteer neighbour business owner worker union contract vote meeting agenda "
    "report plan study survey record history future community family city county"
).split()


def sentence(rng: random.Random, words: int) -> str:
    chosen = rng.choices(WORDS, k=words)
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def generate(path: Path, uploads: Path, posts: int, seed: int = 7) -> None:
    """Write an export of `posts` posts (streamed: the file is never held in memory)."""
    rng = random.Random(seed)
    authors = [(f"author{n}", f"Author Number {n}") for n in range(1, 26)]
    categories = [(f"topic-{n}", f"Topic {n}", "") for n in range(1, 41)]
    categories += [(f"sub-{n}", f"Subtopic {n}", f"topic-{n % 40 + 1}") for n in range(1, 21)]
    tags = [(f"tag-{n}", f"Tag {n}") for n in range(1, 801)]
    uploads.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    picture = uploads / "_source.jpg"
    Image.new("RGB", (1200, 800), (90, 120, 160)).save(picture, "JPEG", quality=70)
    image = picture.read_bytes()
    site = "https://bench.example.org"
    next_id = 100_000
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>Bench Gazette</title><link>{site}</link><wp:wxr_version>1.2</wp:wxr_version>"
            f"<wp:base_site_url>{site}</wp:base_site_url>"
            f"<wp:base_blog_url>{site}</wp:base_blog_url>\n"
        )
        for login, name in authors:
            out.write(
                f"<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n"
            )
        for number, (slug, name, parent) in enumerate(categories, start=1):
            out.write(
                f"<wp:category><wp:term_id>{number}</wp:term_id>"
                f"<wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for number, (slug, name) in enumerate(tags, start=1000):
            out.write(
                f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        comment_id = 1
        for number in range(1, posts + 1):
            wp_id = number
            day = 1 + number % 28
            month = 1 + number % 12
            date = f"2020-{month:02d}-{day:02d} {number % 24:02d}:15:00"
            status = "draft" if number % 20 == 0 else "future" if number % 97 == 0 else "publish"
            if status == "future":
                date = f"2099-{month:02d}-{day:02d} 09:00:00"
            slug = f"bench-story-{number}"
            title = sentence(rng, rng.randint(5, 11))[:-1]
            paragraphs = [paragraph(rng) for _ in range(rng.randint(4, 8))]
            thumbnail = ""
            attachment = ""
            if number % 10 == 0:
                next_id += 1
                relative = f"2020/{month:02d}/photo-{number}.jpg"
                (uploads / relative).parent.mkdir(parents=True, exist_ok=True)
                (uploads / relative).write_bytes(image)
                url = f"{site}/wp-content/uploads/{relative}"
                thumbnail = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{next_id}</wp:meta_value></wp:postmeta>"
                )
                attachment = (
                    f"<item><title>Photo {number}</title>"
                    f"<link>{site}/2020/{month:02d}/{day:02d}/{slug}/photo-{number}/</link>"
                    f"<wp:post_id>{next_id}</wp:post_id><wp:post_parent>{wp_id}</wp:post_parent>"
                    "<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                    f"<wp:attachment_url>{url}</wp:attachment_url>"
                    "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                    f"<wp:meta_value>{cdata('A photo for story ' + str(number))}</wp:meta_value>"
                    "</wp:postmeta></item>\n"
                )
                paragraphs.insert(
                    1,
                    f'[caption id="attachment_{next_id}" width="600"]<img src="{url}" '
                    f'alt="Photo {number}" width="600" height="400"> Photo {number}.[/caption]',
                )
            if number % 3 == 0:
                content = "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
                )
            else:
                content = "\n\n".join(paragraphs)
            terms = [rng.choice(categories), rng.choice(categories)]
            term_xml = "".join(
                f'<category domain="category" nicename="{s}">{cdata(n)}</category>'
                for s, n, _ in terms
            )
            term_xml += "".join(
                f'<category domain="post_tag" nicename="{s}">{cdata(n)}</category>'
                for s, n in rng.sample(tags, rng.randint(2, 6))
            )
            author = rng.choice(authors)
            if number % 8 == 0:
                co_author = rng.choice(authors)
                term_xml += (
                    f'<category domain="author" nicename="cap-{co_author[0]}">'
                    f"{cdata(co_author[0])}</category>"
                )
            comments = []
            first = comment_id
            for n in range(rng.randint(0, 6)):
                parent = first if n % 3 == 2 else 0
                approved = "0" if n % 7 == 5 else "1"
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata('Reader ' + str(comment_id))}</wp:comment_author>"
                    "<wp:comment_author_email>reader@example.org</wp:comment_author_email>"
                    "<wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(sentence(rng, 14))}</wp:comment_content>"
                    f"<wp:comment_approved>{approved}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
                comment_id += 1
            out.write(
                f"<item><title>{cdata(title)}</title>"
                f"<link>{site}/2020/{month:02d}/{day:02d}/{slug}/</link>"
                f"<dc:creator>{cdata(author[0])}</dc:creator>"
                f'<guid isPermaLink="false">{site}/?p={wp_id}</guid>'
                f"<content:encoded>{cdata(content)}</content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
                "<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                f"<wp:post_password></wp:post_password>"
                f"<wp:is_sticky>{int(number % 1000 == 1)}</wp:is_sticky>"
                f"{term_xml}{thumbnail}{''.join(comments)}</item>\n"
            )
            out.write(attachment)
        out.write("</channel>\n</rss>\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--flush", action="store_true", help="empty the (bench) database first")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the export")
    parser.add_argument(
        "--no-renditions", action="store_true", help="time the import without resizing images"
    )
    parser.add_argument("--directory", type=Path, default=Path(tempfile.gettempdir()) / "wp-bench")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "true")  # a local secret key; queries are not logged below
    os.environ.setdefault("MEDIA_ROOT", str(arguments.directory / "media"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False  # no query log: it would grow with the import
    export_path = arguments.directory / f"export-{arguments.posts}.xml"
    uploads = arguments.directory / f"uploads-{arguments.posts}"
    if not arguments.skip_generate:
        arguments.directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        generate(export_path, uploads, arguments.posts)
        size = export_path.stat().st_size / 1024 / 1024
        print(f"Generated {export_path} ({size:.1f} MB) in {time.monotonic() - started:.1f} s")
    if arguments.flush:
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise SystemExit(f"Refusing to flush “{name}”: use a database named *bench*.")
        call_command("flush", interactive=False, verbosity=0)
        media = Path(settings.MEDIA_ROOT)
        if media.is_relative_to(arguments.directory) and media.exists():
            shutil.rmtree(media)  # copies and renditions of the last run

    from wordpress.importer import ImportOptions, run_import

    before = peak_rss_mb()
    started = time.monotonic()
    options = ImportOptions(uploads=uploads, renditions=not arguments.no_renditions)
    phases: dict[str, float] = {}

    def note_phase(done: int, total: int, unit: str) -> None:
        phases.setdefault(unit, time.monotonic())

    summary = run_import(export_path, options, progress=note_phase)
    elapsed = time.monotonic() - started
    print(summary.as_text())
    print(
        f"\n{arguments.posts:,} posts on {connection.vendor}: {elapsed:.1f} s "
        f"({arguments.posts / elapsed:,.0f} posts/s); peak RSS {peak_rss_mb():.0f} MB "
        f"(after start-up {before:.0f} MB); export "
        f"{export_path.stat().st_size / 1024 / 1024:.1f} MB; {os.cpu_count()} CPUs"
    )
    if "lead images resized" in phases:
        resizing = time.monotonic() - phases["lead images resized"]
        print(
            f"Of which resizing {summary.renditions_made:,} lead-image renditions: "
            f"{resizing:.1f} s; everything else: {elapsed - resizing:.1f} s"
        )


if __name__ == "__main__":
    main()
