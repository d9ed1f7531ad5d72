"""Create the newsroom's roles (Contributor, Editor, Administrator) as groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.roles import ROLES

    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    RoleDescription = apps.get_model("users", "RoleDescription")
    for name, spec in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        RoleDescription.objects.update_or_create(
            group=group, defaults={"description": spec["description"]}
        )
        permissions = []
        for dotted in spec["permissions"]:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        permissions += Permission.objects.filter(
            content_type__app_label__in=spec.get("apps", [])
        )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    from articles.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("users", "0002_role_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
