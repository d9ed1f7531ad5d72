"""Tags on the desk: names that can be addresses, aliases, merging, and the mess to tidy.

The list of tags is the editors' shelf (reporters tag stories from the story form). From
it: **Merge selected tags…** (a preview of every story it changes, then the merge, see
`articles.tidying`), and **Tidy tags**, the likely duplicates and the unused tags.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.models import TagAlias, folded
from articles.tags import validate_tag_name
from articles.tidying import (
    TIDY_TAGS_PERMISSION,
    TidyingError,
    likely_duplicate_tags,
    merge_tags,
    plan_tag_merge,
)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        validate_tag_name(name)
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug.isascii():
            raise forms.ValidationError(
                "A tag's address holds only the letters a–z, digits, hyphens and underscores."
            )
        return slug


class TagAliasForm(forms.ModelForm):
    class Meta:
        model = TagAlias
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        validate_tag_name(name)
        taken = TagAlias.objects.filter(folded_name=folded(name)).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"“{name}” is already an alias of “{taken.first().tag}”.")
        return name


class TagAliasFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name or form.cleaned_data.get("DELETE"):
                continue
            if folded(name) in seen:
                raise forms.ValidationError(f"“{name}” is listed twice.")
            seen.add(folded(name))


class TagAliasInline(admin.TabularInline):
    model = TagAlias
    form = TagAliasForm
    formset = TagAliasFormSet
    extra = 1
    fields = ["name"]
    verbose_name_plural = "Aliases (typing one of these in a story's tags attaches this tag)"


class MergeForm(forms.Form):
    survivor = forms.CharField(
        label="Merge into", max_length=100,
        help_text="One of the tags above, or a new name. Case and accents do not matter.",
    )  # fmt: skip


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagForm
    inlines = [TagAliasInline]
    list_display = ["name", "slug", "story_count"]
    # taggit's own merge keeps no redirect, no alias and no timeline: ours replaces it.
    actions = ["merge_selected"]

    def has_module_permission(self, request) -> bool:
        # Reporters tag stories from the story form; the list of tags is the editors'.
        return request.user.has_perm(TIDY_TAGS_PERMISSION)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles_storytag_items"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, tag: Tag) -> int:
        return tag.story_count

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("merge/", wrap(self.merge_view), name="taggit_tag_merge"),
            path("tidy/", wrap(self.tidy_view), name="taggit_tag_tidy"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "tidy_url": reverse("admin:taggit_tag_tidy")}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Merge selected tags…", permissions=["change"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:taggit_tag_merge')}?ids={ids}")

    def merge_view(self, request):
        if not request.user.has_perm(TIDY_TAGS_PERMISSION):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        # Row numbers only: ASCII digits of a size a primary key can have.
        ids = [
            int(part) for part in raw.split(",")[:200]
            if part.isascii() and part.isdigit() and len(part) <= 18
        ]  # fmt: skip
        tags = list(Tag.objects.filter(pk__in=ids).order_by("name"))
        if not tags:
            messages.error(request, "Choose the tags to merge in the list first.")
            return HttpResponseRedirect(reverse("admin:taggit_tag_changelist"))
        biggest = max(tags, key=lambda tag: (tag.articles_storytag_items.count(), -tag.pk))
        form = MergeForm(request.POST or None, initial={"survivor": biggest.name})
        plan, problem = None, None
        if form.is_valid():
            try:
                plan = plan_tag_merge(tags, form.cleaned_data["survivor"])
            except TidyingError as error:
                problem = str(error)
            if plan is not None and "apply" in request.POST:
                survivor = merge_tags(plan, by=request.user)
                messages.success(
                    request,
                    f"Merged into “{survivor}”: {len(plan.changes)} "
                    f"{'story' if len(plan.changes) == 1 else 'stories'} changed; the old "
                    "tag pages and feeds redirect to it.",
                )
                return HttpResponseRedirect(reverse("admin:taggit_tag_change", args=[survivor.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge tags",
            "tags": tags,
            "ids": ",".join(str(tag.pk) for tag in tags),
            "form": form,
            "plan": plan,
            "problem": problem,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)

    def tidy_view(self, request):
        if not request.user.has_perm(TIDY_TAGS_PERMISSION):
            raise PermissionDenied
        groups, unused = likely_duplicate_tags()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Tidy tags",
            "groups": [(group, ",".join(str(tag.pk) for tag in group.tags)) for group in groups],
            "unused": unused,
        }
        return TemplateResponse(request, "admin/taggit/tag/tidy.html", context)
