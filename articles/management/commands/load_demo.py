"""`manage.py load_demo [--reset]`: build The Riverside Ledger, an original demo newsroom.

The content lives in `articles/demo_content.py`; this command turns it into sections,
bylines, stories and tags, draws every picture with Pillow (nothing is downloaded),
and, with DEBUG on only, creates two demo logins with published passwords.

Running it again changes nothing. `--reset` deletes what the demo created (found by the
slugs and usernames in `demo_content`) and builds it afresh. Either way the work happens
in one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

import io
import math
import os
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from taggit.models import Tag

from articles import demo_content as demo
from articles.models import Byline, Section, Story, StoryByline
from articles.roles import ROLES

RGB = tuple[int, int, int]

LEAD_IMAGE_SIZE = (1600, 1000)
PORTRAIT_SIZE = (400, 400)
JPEG_QUALITY = 80
PROGRESS_EVERY = 10


# Pictures --------------------------------------------------------------------------
#
# Each motif is drawn by one function from two palette colours, and described by one
# alt-text template next to it, so the description always matches the drawing.


def _mix(a: RGB, b: RGB, amount: float) -> RGB:
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def _lighter(colour: RGB, amount: float) -> RGB:
    return _mix(colour, (255, 255, 255), amount)


def _darker(colour: RGB, amount: float) -> RGB:
    return _mix(colour, (0, 0, 0), amount)


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    # A 256-step greyscale ramp, stretched, blends two flat colours far faster than
    # drawing the image line by line.
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _draw_hills(rng: random.Random, land: RGB, sky: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    image = _vertical_gradient(LEAD_IMAGE_SIZE, sky, _lighter(sky, 0.45))
    draw = ImageDraw.Draw(image)
    for layer in range(3):
        baseline = height * (0.5 + 0.15 * layer)
        amplitude = height * (0.08 - 0.02 * layer)
        waves = rng.uniform(0.8, 1.8)
        phase = rng.uniform(0, math.tau)
        ridge = [
            (x, baseline - amplitude * math.sin(phase + waves * math.tau * x / width))
            for x in range(0, width + 40, 40)
        ]
        # Far hills are paler, as haze makes them look.
        colour = _mix(_lighter(land, 0.35), _darker(land, 0.2), layer / 2)
        draw.polygon([*ridge, (width, height), (0, height)], fill=colour)
    return image


def _draw_circles(rng: random.Random, background: RGB, circles: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    image = _vertical_gradient(
        LEAD_IMAGE_SIZE, _lighter(background, 0.12), _darker(background, 0.2)
    )
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(7, 10)):
        radius = rng.randint(90, 300)
        x, y = rng.randint(0, width), rng.randint(0, height)
        # Slightly different shades keep overlapping circles distinguishable.
        shade = _mix(circles, background, rng.uniform(0.0, 0.3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    return image


def _draw_stripes(rng: random.Random, first: RGB, second: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    image = _vertical_gradient(LEAD_IMAGE_SIZE, _lighter(first, 0.1), _darker(first, 0.15))
    draw = ImageDraw.Draw(image)
    band = rng.randint(100, 170)
    for x in range(-height, width + height, band * 2):
        draw.polygon(
            [(x, height), (x + band, height), (x + band + height, 0), (x + height, 0)],
            fill=second,
        )
    return image


def _draw_river(rng: random.Random, fields: RGB, water: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    image = _vertical_gradient(LEAD_IMAGE_SIZE, _lighter(fields, 0.35), _darker(fields, 0.1))
    draw = ImageDraw.Draw(image)
    # Furrows closer together near the top suggest distance.
    y = 40.0
    while y < height:
        draw.line((0, y, width, y), fill=_darker(fields, 0.12), width=3)
        y += 12 + y * 0.12
    phase = rng.uniform(0, math.tau)
    left, right = [], []
    for y in range(0, height + 20, 20):
        depth = y / height
        centre = width * 0.5 + width * 0.22 * math.sin(phase + depth * 3.2)
        half_width = 18 + 160 * depth  # wider as it nears the viewer
        left.append((centre - half_width, y))
        right.append((centre + half_width, y))
    draw.polygon(left + right[::-1], fill=water)
    return image


def _draw_skyline(rng: random.Random, buildings: RGB, sky: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    image = _vertical_gradient(LEAD_IMAGE_SIZE, sky, _lighter(sky, 0.5))
    draw = ImageDraw.Draw(image)
    street = int(height * 0.85)
    x = 0
    while x < width:
        building_width = rng.randint(90, 220)
        top = street - rng.randint(120, 380)
        draw.rectangle((x, top, x + building_width, height), fill=buildings)
        x += building_width + rng.randint(0, 40)
    # A church steeple and a water tower make it read as a small town, not a city.
    steeple = rng.randint(200, width // 2 - 100)
    draw.rectangle((steeple - 40, street - 480, steeple + 40, height), fill=buildings)
    draw.polygon(
        [(steeple - 52, street - 480), (steeple + 52, street - 480), (steeple, street - 680)],
        fill=buildings,
    )
    tower = rng.randint(width // 2 + 150, width - 200)
    for leg in (-70, 70):
        draw.line((tower + leg, street, tower + leg * 0.6, street - 430), fill=buildings, width=14)
    draw.ellipse((tower - 110, street - 560, tower + 110, street - 400), fill=buildings)
    draw.rectangle((0, street, width, height), fill=_darker(buildings, 0.3))
    return image


def _draw_sun(rng: random.Random, land: RGB, sun: RGB) -> Image.Image:
    width, height = LEAD_IMAGE_SIZE
    horizon = int(height * rng.uniform(0.6, 0.7))
    image = _vertical_gradient(LEAD_IMAGE_SIZE, _lighter(sun, 0.7), _lighter(sun, 0.35))
    draw = ImageDraw.Draw(image)
    centre_x, radius = rng.randint(width // 3, 2 * width // 3), rng.randint(150, 230)
    centre_y = horizon - radius // 3
    draw.ellipse(
        (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=sun
    )
    ground = _vertical_gradient((width, height - horizon), land, _darker(land, 0.35))
    image.paste(ground, (0, horizon))
    return image


MOTIFS: dict[str, tuple[Callable[[random.Random, RGB, RGB], Image.Image], str]] = {
    "hills": (_draw_hills, "Abstract illustration of layered {first} hills under a {second} sky"),
    "circles": (
        _draw_circles,
        "Abstract illustration of overlapping {second} circles on a {first} background",
    ),
    "stripes": (_draw_stripes, "Abstract illustration of diagonal {first} and {second} stripes"),
    "river": (
        _draw_river,
        "Abstract illustration of a {second} river winding through striped {first} fields",
    ),
    "skyline": (
        _draw_skyline,
        "Abstract illustration of a small-town skyline with a steeple and a water tower, "
        "in {first} against a {second} sky",
    ),
    "sun": (_draw_sun, "Abstract illustration of a {second} sun low over a {first} horizon"),
}


def draw_lead_image(seed: str, motif: str, first: str, second: str) -> Image.Image:
    """The picture for one story; the same seed always draws the same picture."""
    draw, _ = MOTIFS[motif]
    return draw(random.Random(seed), demo.PALETTE[first], demo.PALETTE[second])


def describe_lead_image(motif: str, first: str, second: str) -> str:
    """Alt text for `draw_lead_image()` with the same arguments."""
    _, template = MOTIFS[motif]
    return template.format(first=first, second=second)


def draw_portrait(name: str, colour: str) -> Image.Image:
    """A square of colour with the person's initials: a stand-in for a head shot."""
    background = demo.PALETTE[colour]
    image = Image.new("RGB", PORTRAIT_SIZE, background)
    draw = ImageDraw.Draw(image)
    width, height = PORTRAIT_SIZE
    draw.ellipse((40, 40, width - 40, height - 40), fill=_lighter(background, 0.18))
    # First and last name, so "Ruth Ann Pierce" reads RP.
    parts = name.split()
    initials = (parts[0][0] + parts[-1][0]).upper() if len(parts) > 1 else parts[0][0].upper()
    font = ImageFont.load_default(size=150)
    # Centre by the drawn box, which works for FreeType and bitmap fonts alike.
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    position = ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top)
    draw.text(position, initials, font=font, fill=(250, 247, 240))
    return image


def jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return ContentFile(buffer.getvalue())


# The demo in the database ----------------------------------------------------------


def demo_is_loaded() -> bool:
    """True when the demo's marker section or any of its stories exists."""
    return (
        Section.objects.filter(slug=demo.PEOPLE_SECTION_SLUG).exists()
        or Story.objects.filter(slug__in=demo.story_slugs()).exists()
    )


def demo_accounts():
    """The demo's own accounts: right username *and* the demo e-mail address.

    Matching the address as well means a real account that happens to be called
    "admin" is never reported, reset or deleted as a demo login.
    """
    query = Q(pk__in=[])
    for account in demo.ACCOUNTS:
        query |= Q(username=account["username"], email=account["email"])
    return get_user_model().objects.filter(query)


def _tags_query() -> Q:
    # Tags are case-insensitive in this project, so match names the same way.
    query = Q(pk__in=[])
    for name in demo.tag_names():
        query |= Q(name__iexact=name)
    return query


def role_group(name: str) -> Group:
    """The group of one of the newsroom's roles (see `articles.roles`).

    The demo uses the real roles, so the demo editor sees exactly what an Editor would.
    The roles migration creates the groups; if one was deleted since, it is recreated
    from the same definition. An existing group is never changed.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        spec = ROLES[name]
        query = Q(content_type__app_label__in=spec.get("apps", []))
        for dotted in spec["permissions"]:
            app_label, codename = dotted.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
    return group


class DemoBuilder:
    """Removes and builds the demo's rows; the command wraps both in a transaction."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.storage_writes: list[tuple[Storage, str]] = []

    # Removing

    def remove(self) -> None:
        """Delete the demo's stories, accounts, bylines, sections and unused tags."""
        old_files: list[tuple[Storage, str]] = []
        stories = list(Story.objects.filter(slug__in=demo.story_slugs()))
        old_files += [(s.lead_image.storage, s.lead_image.name) for s in stories if s.lead_image]
        Story.objects.filter(pk__in=[story.pk for story in stories]).delete()
        accounts = list(demo_accounts())
        demo_accounts().delete()

        kept: list[str] = []
        bylines = list(Byline.objects.filter(slug__in=[b["slug"] for b in demo.BYLINES]))
        for byline in bylines:
            if self._delete_unless_protected(byline):
                if byline.photo:
                    old_files.append((byline.photo.storage, byline.photo.name))
            else:
                kept.append(f"byline '{byline.slug}' (credited on other stories)")

        # Children before parents: a parent section is protected while it has children.
        sections = sorted(
            Section.objects.filter(slug__in=[s["slug"] for s in demo.SECTIONS]),
            key=lambda section: len(section.ancestors()),
            reverse=True,
        )
        for section in sections:
            if not self._delete_unless_protected(section):
                kept.append(f"section '{section.slug}' (has other stories or sections)")

        unused_tags = Tag.objects.filter(_tags_query())
        for relation in Tag._meta.related_objects:
            unused_tags = unused_tags.filter(**{f"{relation.name}__isnull": True})
        tags, _ = unused_tags.delete()

        if kept:
            # Raising rolls the whole reset back, so nothing is half-deleted.
            raise CommandError(
                "Cannot reset: content outside the demo uses "
                + "; ".join(kept)
                + ". Move or delete that content first."
            )
        self.log(
            f"Removed the old demo: {len(stories)} stories, {len(bylines)} bylines, "
            f"{len(sections)} sections, {tags} tags, {len(accounts)} accounts."
        )
        # Files are not transactional: delete them only once the deletion is committed.
        transaction.on_commit(lambda: self._delete_files(old_files))

    @staticmethod
    def _delete_unless_protected(instance) -> bool:
        try:
            # A savepoint keeps the outer transaction usable if the delete is refused.
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            return False
        return True

    @staticmethod
    def _delete_files(files: list[tuple[Storage, str]]) -> None:
        for storage, name in files:
            storage.delete(name)
            # Its renditions, made when the image was saved, sit in a folder of their own
            # (imagekit's "source name as path" naming).
            folder = f"{settings.IMAGEKIT_CACHEFILE_DIR}/{os.path.splitext(name)[0]}"
            if storage.exists(folder):
                for rendition in storage.listdir(folder)[1]:
                    storage.delete(f"{folder}/{rendition}")

    def discard_new_files(self) -> None:
        """Delete the files written by a build whose transaction was rolled back."""
        self._delete_files(self.storage_writes)

    # Building

    def check_slugs_are_free(self) -> None:
        """Refuse to build over sections or bylines that belong to someone else."""
        taken = [
            *Section.objects.filter(slug__in=[s["slug"] for s in demo.SECTIONS]).values_list(
                "slug", flat=True
            ),
            *Byline.objects.filter(slug__in=[b["slug"] for b in demo.BYLINES]).values_list(
                "slug", flat=True
            ),
        ]
        if taken:
            raise CommandError(
                "The demo needs these slugs, which are already in use: "
                + ", ".join(sorted(taken))
                + ". Load the demo into an empty database, or run with --reset to delete "
                "them first."
            )

    def build(self, *, now: datetime, with_accounts: bool) -> dict[str, int]:
        sections = self._build_sections()
        users = self._build_accounts() if with_accounts else {}
        bylines = self._build_bylines(users)
        stories = self._build_stories(now, sections, bylines, users.get("editor"))
        return {
            "sections": len(sections),
            "bylines": len(bylines),
            "stories": stories,
            "accounts": len(users),
        }

    def _save_file(self, field_file, name: str, content: ContentFile) -> None:
        field_file.save(name, content, save=False)
        self.storage_writes.append((field_file.storage, field_file.name))

    def _build_sections(self) -> dict[str, Section]:
        sections: dict[str, Section] = {}
        # The data lists parents before their children.
        for data in demo.SECTIONS:
            section = Section(
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                position=data["position"],
                parent=sections[data["parent"]] if data["parent"] else None,
            )
            section.full_clean()
            section.save()
            sections[section.slug] = section
        self.log(f"  Sections: {len(sections)}")
        return sections

    def _build_accounts(self) -> dict:
        """Create the demo logins, leaving any existing account of the same name alone."""
        User = get_user_model()
        users = {}
        for data in demo.ACCOUNTS:
            if User.objects.filter(username=data["username"]).exists():
                self.log(
                    f"  Account '{data['username']}' already exists and is not the demo's; "
                    "left unchanged (its password is not the demo password)."
                )
                continue
            user = User(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                is_staff=True,
                is_superuser=data["is_superuser"],
            )
            user.set_password(data["password"])
            user.save()
            if data["group"]:
                user.groups.add(role_group(data["group"]))
            users[user.username] = user
        self.log(f"  Accounts: {', '.join(users) or 'none'}")
        return users

    def _build_bylines(self, users: dict) -> dict[str, Byline]:
        account_for_byline = {
            data["byline"]: users.get(data["username"]) for data in demo.ACCOUNTS if data["byline"]
        }
        bylines: dict[str, Byline] = {}
        for data in demo.BYLINES:
            byline = Byline(
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                role_line=data["role_line"],
                bio=data["bio"],
                email=data["email"],
                user=account_for_byline.get(data["slug"]),
            )
            if data.get("portrait"):
                portrait = draw_portrait(data["name"], data["portrait"])
                self._save_file(byline.photo, f"{data['slug']}.jpg", jpeg(portrait))
            byline.full_clean()
            byline.save()
            bylines[byline.slug] = byline
        self.log(f"  Bylines: {len(bylines)}")
        return bylines

    def _build_stories(self, now, sections, bylines, created_by) -> int:
        total = len(demo.STORIES)
        for number, data in enumerate(demo.STORIES, start=1):
            self._build_story(data, now, sections, bylines, created_by)
            if number % PROGRESS_EVERY == 0 or number == total:
                self.log(f"  Stories: {number}/{total}")
        return total

    def _build_story(self, data, now, sections, bylines, created_by) -> Story:
        status = data.get("status", Story.Status.PUBLISHED)
        published_at = None
        if status == Story.Status.PUBLISHED:
            published_at = now - timedelta(days=data["days_ago"])
        story = Story(
            headline=data["headline"],
            slug=data["slug"],
            dek=data["dek"],
            body=data["body"],
            section=sections[data["section"]],
            kind=data.get("kind", Story.Kind.NEWS),
            status=status,
            published_at=published_at,
            is_featured=data.get("is_featured", False),
            source_name=data.get("source_name", ""),
            source_url=data.get("source_url", ""),
            created_by=created_by,
        )
        if published_at and data.get("updated_hours_later"):
            story.materially_updated_at = published_at + timedelta(
                hours=data["updated_hours_later"]
            )
        if image := data.get("image"):
            first, second = image["colors"]
            picture = draw_lead_image(data["slug"], image["motif"], first, second)
            self._save_file(story.lead_image, f"{data['slug']}.jpg", jpeg(picture))
            story.lead_image_alt = describe_lead_image(image["motif"], first, second)
            story.lead_image_caption = image["caption"]
            story.lead_image_credit = demo.IMAGE_CREDIT
        # The same validation as the admin, so the demo can never hold a story that an
        # editor could not have saved.
        story.full_clean()
        story.save()
        story.secondary_sections.set(
            [sections[slug] for slug in data.get("secondary_sections", [])]
        )
        StoryByline.objects.bulk_create(
            StoryByline(story=story, byline=bylines[slug], role=role, position=position)
            for position, (slug, role) in enumerate(data["bylines"])
        )
        story.tags.add(*data["tags"])
        return story


class Command(BaseCommand):
    help = (
        f"Build The Riverside Ledger, an original demo newsroom: sections, bylines, "
        f"{len(demo.STORIES)} stories with generated pictures, and (with DEBUG on) demo "
        "logins. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo's stories, sections, bylines, tags and accounts, then rebuild.",
        )
        parser.add_argument(
            "--site-url",
            default=demo.SITE_URL,
            help=f"The address printed for the site (default: {demo.SITE_URL}).",
        )

    def handle(self, *args, reset: bool, site_url: str, **options) -> None:
        self.verbosity = options["verbosity"]
        if not reset and demo_is_loaded():
            self.stdout.write(
                "Demo newsroom already loaded; nothing changed. "
                "Run with --reset to delete it and build it again."
            )
            self.print_logins(site_url)
            return

        builder = DemoBuilder(log=self.progress)
        with_accounts = settings.DEBUG
        try:
            with transaction.atomic():
                if reset:
                    self.progress("Removing the demo newsroom...")
                    builder.remove()
                builder.check_slugs_are_free()
                self.progress(f"Building the demo newsroom for {settings.NEWSROOM_SITE_NAME}...")
                counts = builder.build(now=timezone.now(), with_accounts=with_accounts)
        except BaseException:
            builder.discard_new_files()
            raise

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom loaded: {counts['stories']} stories in {counts['sections']} "
                f"sections by {counts['bylines']} bylines."
            )
        )
        self.print_logins(site_url)

    def progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def print_logins(self, site_url: str) -> None:
        """A boxed summary of where to look and how to log in."""
        site_url = site_url.rstrip("/") + "/"
        lines = [
            "Demo logins",
            "",
            f"Site:  {site_url}",
            f"Desk:  {site_url}admin/",
            "",
        ]
        accounts = {user.username for user in demo_accounts()}
        shown = [data for data in demo.ACCOUNTS if data["username"] in accounts]
        if shown:
            lines += [
                f"{data['username']:<8}  {data['password']:<18}  {data['label']}" for data in shown
            ]
            lines += ["", "Local demo only: these passwords are public."]
            if not settings.DEBUG:
                lines += ["DEBUG is off: delete these accounts before the site goes public."]
        else:
            lines += [
                "No demo accounts: they are created only with DEBUG on,",
                "because their passwords are published.",
                "Create your own: python manage.py createsuperuser",
            ]
        width = max(len(line) for line in lines)
        border = "+" + "-" * (width + 2) + "+"
        self.stdout.write("")
        self.stdout.write(border)
        for line in lines:
            self.stdout.write(f"| {line:<{width}} |")
        self.stdout.write(border)
