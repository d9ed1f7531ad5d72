"""The story list's filters: the questions an editor asks of the desk."""

from __future__ import annotations

from django.contrib import admin

from articles.models import Story


class VisibilityFilter(admin.SimpleListFilter):
    """Public, scheduled or not published: the question an editor asks first."""

    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("public", "Public now"),
            ("scheduled", "Scheduled"),
            ("hidden", "Not published"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "hidden":
            return queryset.exclude(pk__in=Story.objects.published().values("pk")).exclude(
                pk__in=Story.objects.scheduled().values("pk")
            )
        return queryset


class DeskFilter(admin.SimpleListFilter):
    """The desk's everyday views of the story list."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Mine"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("assigned", "Assigned to me"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.filter(created_by=request.user)
            case "review":
                return queryset.filter(status=Story.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "assigned":
                return queryset.filter(assigned_to=request.user)
        return queryset
