"""The three newsletters every site offers (the public pages' form asks for them by kind),
and the roles' rights: editors build and send editions and see subscribers without their
addresses; administrators also see addresses and export or delete a subscriber's data."""

from django.db import migrations

GENERAL = [
    ("daily", "Daily digest", "daily-digest", "The day's stories, every evening.", 10),
    ("weekly", "Weekly digest", "weekly-digest", "The week's best, every Friday.", 20),
    ("breaking", "Breaking news", "breaking-news", "Only when big news breaks.", 30),
]

EDITOR_CODENAMES = [
    "add_edition", "change_edition", "delete_edition", "view_edition", "send_edition",
    "add_editionstory", "change_editionstory", "delete_editionstory", "view_editionstory",
    "view_newsletter", "change_newsletter", "view_subscriber", "view_delivery",
]  # fmt: skip


def create(apps, schema_editor):
    from articles.roles import grant_in_migration

    Newsletter = apps.get_model("newsletters", "Newsletter")
    for kind, name, slug, description, position in GENERAL:
        if not Newsletter.objects.filter(kind=kind).exists():
            Newsletter.objects.create(
                kind=kind, name=name, slug=slug, description=description, position=position
            )
    grant_in_migration(apps, "newsletters", ["Editor"], codename__in=EDITOR_CODENAMES)
    grant_in_migration(apps, "newsletters", ["Administrator"])
    grant_in_migration(apps, "background", ["Administrator"])


def remove(apps, schema_editor):
    apps.get_model("newsletters", "Newsletter").objects.filter(
        kind__in=[kind for kind, *_ in GENERAL], editions__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_newsletters"),
        ("background", "0001_failed_task"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, remove)]
