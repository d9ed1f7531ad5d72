"""Tags: what a tag's name must hold, and who may make new ones.

A tag's page lives at /tag/<slug>/, so a name with no letter or digit (“!!!”) would get
an empty slug and break every page and sitemap that links to it: such names are refused
in every form, and by a guard on save for every other path. Contributors tag stories
with existing tags; making a new tag needs the tag permission (editors have it), so the
list of tags stays the desk's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils.text import slugify
from taggit.models import Tag

ADD_TAG_PERMISSION = "taggit.add_tag"


def validate_tag_name(name: str) -> None:
    if not slugify(name):
        raise ValidationError(
            "“%(name)s” cannot be a tag: a tag needs at least one letter or digit.",
            code="no_words",
            params={"name": name},
        )


def new_tag_names(names: list[str]) -> list[str]:
    """The names among `names` that no tag has yet (tags are case-insensitive)."""
    existing = {name.casefold() for name in Tag.objects.values_list("name", flat=True)}
    return [name for name in names if name.casefold() not in existing]


def check_tag_names(names: list[str], user) -> None:
    """Refuse names that cannot be tags, and new tags from someone who may not make them."""
    problems = []
    for name in names:
        try:
            validate_tag_name(name)
        except ValidationError as error:
            problems.extend(error.error_list)
    if user is not None and not user.has_perm(ADD_TAG_PERMISSION):
        for name in new_tag_names(names):
            problems.append(
                ValidationError(
                    "There is no tag “%(name)s” yet, and only editors make new tags: "
                    "choose an existing tag, or ask an editor to add it.",
                    code="new_tag",
                    params={"name": name},
                )
            )
    if problems:
        raise ValidationError(problems)


def _refuse_nameless_tag(sender, instance: Tag, **kwargs) -> None:
    validate_tag_name(instance.name)


def connect() -> None:
    pre_save.connect(_refuse_nameless_tag, sender=Tag, dispatch_uid="articles.tag_names")
