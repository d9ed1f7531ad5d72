"""Editors and administrators arrange the home page."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import grant_in_migration

    grant_in_migration(apps, "fronts", ["Editor", "Administrator"])


class Migration(migrations.Migration):
    dependencies = [
        ("fronts", "0001_layouts"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
