"""Plain helpers that build test data with sensible defaults.

Every helper takes keyword overrides for any model field. Slugs and names are unique
through a module-wide counter, so helpers can be called any number of times.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from io import BytesIO

import lxml.html
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Byline, Section, Story, StoryByline
from library.models import Image as LibraryImage

_counter = itertools.count(1)

TEST_PASSWORD = "correct horse battery staple"

_CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "BMP": "bmp"}


def next_number() -> int:
    return next(_counter)


def make_section(**overrides) -> Section:
    """An active top-level section."""
    number = next_number()
    fields = {"name": f"Section {number}", "slug": f"section-{number}", "position": number}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_byline(**overrides) -> Byline:
    """A person byline."""
    number = next_number()
    fields = {"name": f"Reporter {number}", "slug": f"reporter-{number}"}
    fields.update(overrides)
    return Byline.objects.create(**fields)


def make_story(
    *,
    bylines: list[tuple[Byline, str]] | None = None,
    tags: list[str] | None = None,
    secondary_sections: list[Section] | None = None,
    **overrides,
) -> Story:
    """A published story (publication time one hour ago) in a new section by default.

    `bylines` is a list of (byline, role) pairs, credited in that order; a bare Byline
    is credited with the role "by". Without it the story is credited to a new byline,
    so it is ready to publish; `bylines=[]` makes a story with none.
    """
    number = next_number()
    fields = {
        "headline": f"Story number {number}",
        "slug": f"story-{number}",
        "dek": f"The dek of story {number}.",
        "body": f"<p>The body of story {number}.</p>",
        "status": Story.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "section" not in fields:
        fields["section"] = make_section()
    picture = fields.get("lead_image")
    if picture is not None and not isinstance(picture, LibraryImage):
        # A file: it goes into the media library first, as an upload in place would.
        fields["lead_image"] = LibraryImage.objects.create(file=picture)
    story = Story.objects.create(**fields)
    if bylines is None:
        bylines = [make_byline()]
    for position, credit in enumerate(bylines):
        byline, role = credit if isinstance(credit, tuple) else (credit, StoryByline.Role.BY)
        StoryByline.objects.create(story=story, byline=byline, role=role, position=position)
    if tags:
        story.tags.add(*tags)
    if secondary_sections:
        story.secondary_sections.add(*secondary_sections)
    return story


def make_user(username: str | None = None, password: str = TEST_PASSWORD, **overrides):
    """A user who can log in with `password` (not staff unless told)."""
    fields = {"username": username or f"user{next_number()}"}
    fields.update(overrides)
    user = get_user_model()(**fields)
    user.set_password(password)
    user.save()
    return user


def make_editor(**overrides):
    """A staff user holding every permission of the `articles` app and of tags, as the
    Editor role does (not a superuser)."""
    fields = {"is_staff": True}
    fields.update(overrides)
    user = make_user(**fields)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "taggit", "library"])
    )
    return user


def make_superuser(**overrides):
    fields = {"is_staff": True, "is_superuser": True}
    fields.update(overrides)
    return make_user(**fields)


def image_bytes(width: int, height: int, format: str = "JPEG", color=(200, 80, 40)) -> bytes:
    """The encoded bytes of a solid-colour image made with Pillow."""
    buffer = BytesIO()
    mode = "RGBA" if format == "PNG" else "RGB"
    Image.new(mode, (width, height), color).save(buffer, format=format)
    return buffer.getvalue()


def make_image_file(
    width: int, height: int, format: str = "JPEG", name: str | None = None
) -> SimpleUploadedFile:
    """An uploaded image file of the given size and format, generated with Pillow."""
    format = format.upper()
    name = name or f"image-{next_number()}.{_EXTENSIONS.get(format, format.lower())}"
    return SimpleUploadedFile(
        name,
        image_bytes(width, height, format),
        content_type=_CONTENT_TYPES.get(format, "application/octet-stream"),
    )


# --- Reading HTML ----------------------------------------------------------------------

_COMPOUND = re.compile(
    r"""(?P<tag>[a-z0-9*]+)?"""
    r"""(?P<rest>(?:\.[\w-]+|\#[\w-]+|\[[\w-]+(?:="[^"]*")?\])*)$""",
    re.IGNORECASE,
)
_PART = re.compile(r"""\.([\w-]+)|\#([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]""")


def _css_to_xpath(selector: str) -> str:
    """Translate a small subset of CSS (tag, .class, #id, [attr], [attr="v"], descendant)."""
    steps = []
    for compound in selector.split():
        match = _COMPOUND.match(compound)
        if not match:
            raise ValueError(f"Unsupported selector: {selector!r}")
        conditions = []
        for part in _PART.finditer(match["rest"]):
            class_name, element_id, attribute, value = part.groups()
            if class_name:
                conditions.append(
                    f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')"
                )
            elif element_id:
                conditions.append(f"@id='{element_id}'")
            elif value is not None:
                conditions.append(f"@{attribute}='{value}'")
            else:
                conditions.append(f"@{attribute}")
        step = match["tag"] or "*"
        if conditions:
            step += "[" + " and ".join(conditions) + "]"
        steps.append(step)
    return "descendant-or-self::" + "//".join(steps)


def css(element, selector: str) -> list:
    """Elements under `element` (an lxml element) that match a simple CSS selector."""
    return element.xpath(_css_to_xpath(selector))


def form_data(html: str, form_id: str) -> dict[str, str | list[str]]:
    """What a browser would submit from the form `form_id` in `html`, as a dict for POST.

    Hidden inputs (formset management forms), text fields, textareas, selected options
    and ticked checkboxes are included; file inputs, submit buttons and the inline
    formset's `__prefix__` template are not.
    """
    doc = lxml.html.fromstring(html)
    (form,) = doc.xpath(f"//form[@id='{form_id}']")
    data: dict[str, str | list[str]] = {}
    for field in form.xpath(".//input|.//select|.//textarea"):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        if field.tag == "select":
            selected = [
                option.get("value", option.text_content())
                for option in field.xpath(".//option[@selected]")
            ]
            if field.get("multiple") is not None:
                data[name] = selected
            elif selected:
                data[name] = selected[0]
            else:
                options = field.xpath(".//option")
                data[name] = options[0].get("value", "") if options else ""
        elif field.tag == "textarea":
            data[name] = field.text or ""
        else:
            kind = (field.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                continue
            if kind in {"checkbox", "radio"}:
                if field.get("checked") is not None:
                    data[name] = field.get("value", "on")
                continue
            data[name] = field.get("value", "")
    return data
