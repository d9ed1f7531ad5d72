"""Fill the configured database with a realistic archive, fast (bulk inserts).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        python bench/seed.py --stories 100000

500 bylines, 40 sections (one large, as a news section is), 5,000 tags, bodies of about
700 words, lead images on a third of the stories, approved comments; and "People in the
News", a section that holds every story as its second section (like the Wagtail peer's
one section of all its stories, `../shared/peers/wagtail`). Everything goes
in with bulk inserts, in batches, with a progress line. Run on an empty database (it
refuses to add to one that already has stories, unless --force).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from PIL import Image  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import (  # noqa: E402
    Byline,
    Section,
    SectionListing,
    Story,
    StoryByline,
    StoryTag,
)
from comments.models import Comment  # noqa: E402
from library.models import Image as LibraryImage  # noqa: E402

WORDS = (
    "council budget river levee school board mayor vote harbor ferry library museum "
    "festival clinic hospital nurse teacher student graduate scholarship award farmer "
    "market bridge road county sheriff fire station volunteer church choir theater "
    "season team coach championship park trail storm flood repair grant funding plan "
    "hearing resident neighbor family business owner bakery restaurant opening downtown "
    "history anniversary celebration community member director manager president report "
    "study research university science health water energy solar wind housing rent tax"
).split()
BATCH = 2000


def progress(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r  {label}: {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, words: int = 700) -> str:
    paragraphs, count = [], 0
    while count < words:
        size = rng.randint(40, 90)
        paragraphs.append(
            "<p>" + " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(size // 12)) + "</p>"
        )
        count += size
    return "".join(paragraphs)


def make_images(count: int) -> list[tuple[str, int, int]]:
    storage = storages["default"]
    images = []
    for number in range(count):
        buffer = BytesIO()
        color = ((number * 53) % 255, (number * 97) % 255, (number * 31) % 255)
        Image.new("RGB", (1600, 1000), color).save(buffer, "JPEG", quality=80)
        name = storage.save(f"bench/lead-{number}.jpg", ContentFile(buffer.getvalue()))
        images.append((name, 1600, 1000))
    return images


def seed(stories: int, *, seed_value: int = 2026) -> None:
    rng = random.Random(seed_value)
    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    print(f"Seeding {stories:,} stories into {settings.DATABASES['default']['NAME']}")

    with transaction.atomic():
        sections = Section.objects.bulk_create(
            [
                Section(name=f"Section {n:02d}" if n else "News", slug=f"section-{n:02d}"
                        if n else "news", position=n, description=sentence(rng, 12))
                for n in range(40)
            ]
        )  # fmt: skip
        # Every story lists it as a secondary section: a section as large as the archive.
        everyone = Section.objects.create(
            name="People in the News", slug="people-in-the-news", position=40,
            description="Every story in the archive, newest first.",
        )  # fmt: skip
        bylines = Byline.objects.bulk_create(
            [
                Byline(name=f"Reporter {n:03d}", slug=f"reporter-{n:03d}",
                       role_line="Staff Writer", bio=sentence(rng, 20))
                for n in range(500)
            ]
        )  # fmt: skip
        tags = Tag.objects.bulk_create(
            [Tag(name=f"topic {n:04d}", slug=f"topic-{n:04d}") for n in range(5000)]
        )
    # Library images, inserted like the stories (their renditions are made at the end).
    images = LibraryImage.objects.bulk_create(
        LibraryImage(file=name, title=name, width=width, height=height)
        for name, width, height in make_images(24)
    )
    print(f"  sections, bylines, tags and images: {time.monotonic() - started:.1f}s")

    # News holds 30 % of the archive, so its page 50 exists at 10,000 stories.
    weights = [30] + [70 / 39] * 39
    span = timedelta(days=5 * 365).total_seconds()
    created = 0
    while created < stories:
        size = min(BATCH, stories - created)
        batch = []
        for offset in range(size):
            number = created + offset
            headline = sentence(rng, rng.randint(6, 12))[:-1]
            image = images[number % len(images)] if number % 3 == 0 else None
            published = now - timedelta(seconds=rng.random() * span + 60)
            batch.append(
                Story(
                    headline=headline,
                    slug=f"{slugify(headline)[:150]}-{number}",
                    dek=sentence(rng, 25),
                    body=body(rng),
                    section=rng.choices(sections, weights)[0],
                    status=Story.Status.PUBLISHED,
                    published_at=published,
                    created_at=published,
                    lead_image=image,
                    lead_image_alt="A generated picture" if image else "",
                    edit_version=1,
                )
            )
        with transaction.atomic():
            # Bodies are generated clean; bulk_create skips save(), and its sanitiser.
            Story.objects.bulk_create(batch)
            StoryByline.objects.bulk_create(
                [
                    StoryByline(story=story, byline=byline, position=position)
                    for story in batch
                    for position, byline in enumerate(rng.sample(bylines, rng.randint(1, 2)))
                ]
            )
            Story.secondary_sections.through.objects.bulk_create(
                [Story.secondary_sections.through(story=story, section=everyone) for story in batch]
            )
            # Bulk inserts send no signals: where each story is listed, by hand.
            SectionListing.objects.bulk_create(
                [SectionListing(story=story, section=story.section) for story in batch]
                + [SectionListing(story=story, section=everyone) for story in batch]
            )
            StoryTag.objects.bulk_create(
                [
                    StoryTag(content_object=story, tag=tag)
                    for story in batch
                    for tag in rng.sample(tags, 3)
                ]
            )
            Comment.objects.bulk_create(
                [
                    Comment(
                        story=story, author_name="Reader", author_email="reader@example.org",
                        text=sentence(rng, 20), status=Comment.Status.APPROVED,
                        created_at=story.published_at + timedelta(hours=1),
                    )
                    for story in batch
                    for _ in range(rng.choice((0, 0, 1, 2)))
                ]
            )  # fmt: skip
        created += size
        progress("stories", created, stories)
    with connection.cursor() as cursor:
        # As autovacuum would soon: statistics, and the visibility map that lets counts
        # read an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    # Bulk inserts send no signals, so make the renditions the way an operator would.
    print("  making image renditions (manage.py generateimages)")
    call_command("generateimages", "library:image:*", stdout=StringIO())
    print(f"Seeded {stories:,} stories in {time.monotonic() - started:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--force", action="store_true", help="add to a non-empty database")
    options = parser.parse_args()
    if Story.objects.exists() and not options.force:
        sys.exit("This database already has stories; use an empty one (or --force).")
    seed(options.stories)


if __name__ == "__main__":
    main()
