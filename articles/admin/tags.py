"""Tags on the desk: names that can be addresses, and a shelf only editors see."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.tags import validate_tag_name


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        validate_tag_name(name)
        return name


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagForm

    def has_module_permission(self, request) -> bool:
        # Reporters tag stories from the story form; the list of tags is the editors'.
        return request.user.has_perm("taggit.change_tag")
