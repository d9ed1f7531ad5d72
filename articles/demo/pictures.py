"""The demo's pictures, drawn with Pillow: nothing is downloaded.

Each lead-image motif is drawn by one function from two palette colors, and described by
one alt-text template next to it, so the description always matches the drawing. Byline
portraits are a colored square with the person's initials. The same seed always draws
the same picture.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]

LEAD_IMAGE_SIZE = (1600, 1000)
PORTRAIT_SIZE = (400, 400)
JPEG_QUALITY = 80

# Color names appear in alt text, so each name must describe its RGB value.
PALETTE: dict[str, RGB] = {
    "amber": (236, 150, 40),
    "charcoal": (52, 54, 60),
    "coral": (234, 112, 96),
    "cream": (243, 234, 210),
    "forest green": (38, 94, 60),
    "gold": (224, 176, 58),
    "lavender": (176, 160, 214),
    "navy": (28, 45, 86),
    "ochre": (196, 146, 52),
    "plum": (104, 52, 104),
    "rose": (214, 138, 158),
    "rust": (174, 82, 42),
    "sage": (138, 168, 128),
    "sky blue": (118, 178, 224),
    "slate": (88, 102, 120),
    "teal": (22, 118, 126),
}


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
    return draw(random.Random(seed), PALETTE[first], PALETTE[second])


def describe_lead_image(motif: str, first: str, second: str) -> str:
    """Alt text for `draw_lead_image()` with the same arguments."""
    _, template = MOTIFS[motif]
    return template.format(first=first, second=second)


def draw_portrait(name: str, colour: str) -> Image.Image:
    """A square of colour with the person's initials: a stand-in for a head shot."""
    background = PALETTE[colour]
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
