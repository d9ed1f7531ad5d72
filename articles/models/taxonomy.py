"""Tidy tags and sections without breaking a link: aliases, and old addresses.

- `folded()` is the one comparison of names: case and accents fold away, so "Cafe",
  "café" and "CAFÉ" are the same tag.
- A `TagAlias` is another name for a tag: typing it in a story's tag field attaches the
  tag. Merging leaves the merged tags' names as aliases of the survivor.
- A `TagRedirect` and a `SectionRedirect` keep an old slug (from a rename, a merge or a
  fold) pointing at its tag or section, so the old pages and feeds answer a permanent
  redirect (articles/middleware.py) instead of a 404.
"""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.text import slugify
from taggit.models import Tag

from .sections import Section


def folded(name: str) -> str:
    """`name` without case or accents, and with its spaces tidied: the key names match on."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def ascii_slug(name: str) -> str:
    """A slug URLs can hold (`<slug:…>` is ASCII): "Café Ümlaut" → "cafe-umlaut"."""
    return slugify(folded(name))


class TagAlias(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100)
    folded_name = models.CharField(max_length=100, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tag alias"
        verbose_name_plural = "tag aliases"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.tag}"

    def save(self, *args, **kwargs):
        self.folded_name = folded(self.name)
        super().save(*args, **kwargs)


class TagRedirect(models.Model):
    old_slug = models.SlugField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"/tag/{self.old_slug}/ → {self.tag}"


class SectionRedirect(models.Model):
    old_slug = models.SlugField(max_length=100, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"/{self.old_slug}/ → {self.section}"
