"""Contributors find and add library images; editors also change and delete them;
administrators hold every permission of the library (articles.roles)."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import grant_in_migration

    grant_in_migration(
        apps,
        "library",
        ["Contributor"],
        codename__in=["add_image", "view_image"],
    )
    grant_in_migration(
        apps,
        "library",
        ["Editor"],
        codename__in=["add_image", "change_image", "delete_image", "view_image"],
    )
    grant_in_migration(apps, "library", ["Administrator"])


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_images"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
