"""Let the Editor and Administrator roles moderate comments (view, change, delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_ROLES = ["Editor", "Administrator"]
CODENAMES = ["view_comment", "change_comment", "delete_comment"]


def moderator_permissions(apps):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="comments", codename__in=CODENAMES)


def grant(apps, schema_editor):
    permissions = list(moderator_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name__in=MODERATOR_ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    permissions = list(moderator_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name__in=MODERATOR_ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        # The roles (auth groups) are created there.
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
