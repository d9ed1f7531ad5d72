"""Tags: what a tag's name must hold, and who may make new ones.

A tag's page lives at /tag/<slug>/, so a name with no letter or digit (“!!!”) would get
an empty slug and break every page and sitemap that links to it: such names are refused
in every form, and by a guard on save for every other path. Contributors tag stories
with existing tags; making a new tag needs the tag permission (editors have it), so the
list of tags stays the desk's.

Names match folded (`articles.models.folded`: no case, no accents), and an alias stands
for its tag: typing "cafe" or an alias of "Café" attaches "Café" (`resolve_tag_names`).
A tag's slug is ASCII, because the `<slug:…>` of its address is: "Café" lives at
/tag/cafe/.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from taggit.models import Tag

from articles.models import TagAlias, folded, unique_slug

ADD_TAG_PERMISSION = "taggit.add_tag"


def validate_tag_name(name: str) -> None:
    if not any(char.isalnum() for char in name):
        raise ValidationError(
            "“%(name)s” cannot be a tag: a tag needs at least one letter or digit.",
            code="no_words",
            params={"name": name},
        )


def resolve_tag_names(names: list[str]) -> list[str]:
    """`names` as the tags they mean: an existing tag's own name when one folds the same,
    the main tag's name for an alias, else the name as typed; each once."""
    known = {folded(name): name for name in Tag.objects.values_list("name", flat=True)}
    aliases = dict(TagAlias.objects.values_list("folded_name", "tag__name"))
    resolved: dict[str, str] = {}
    for name in names:
        key = folded(name)
        meant = known.get(key) or aliases.get(key) or name
        resolved.setdefault(folded(meant), meant)
    return list(resolved.values())


def new_tag_names(names: list[str]) -> list[str]:
    """The names among `names` that no tag (or alias) has yet."""
    known = {folded(name) for name in Tag.objects.values_list("name", flat=True)}
    known |= set(TagAlias.objects.values_list("folded_name", flat=True))
    return [name for name in names if folded(name) not in known]


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


def _ascii_slug(sender, instance: Tag, **kwargs) -> None:
    """taggit slugifies keeping accents ("café"), which no tag address can hold."""
    if instance.slug and instance.slug.isascii():
        return
    others = Tag.objects.exclude(pk=instance.pk)
    instance.slug = unique_slug(
        folded(instance.name),
        taken=lambda slug: others.filter(slug=slug).exists(),
        max_length=100,
        fallback="tag",
    )


def connect() -> None:
    pre_save.connect(_refuse_nameless_tag, sender=Tag, dispatch_uid="articles.tag_names")
    pre_save.connect(_ascii_slug, sender=Tag, dispatch_uid="articles.tag_ascii_slugs")
