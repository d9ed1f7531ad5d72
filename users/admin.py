from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from .models import RoleDescription, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "role_names"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())


class RoleDescriptionInline(admin.StackedInline):
    model = RoleDescription
    can_delete = False
    verbose_name_plural = "description"


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(BaseGroupAdmin):
    """Groups are the newsroom's roles: Contributor, Editor, Administrator."""

    list_display = ["name", "description"]
    inlines = [RoleDescriptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")

    @admin.display(description="what it is for")
    def description(self, group: Group) -> str:
        role = getattr(group, "role", None)
        return role.description if role else ""
