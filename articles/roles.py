"""The newsroom's roles, as auth groups with permissions.

Used by the data migration that creates them (so every install has the same roles) and
by tests. Permissions are named "app_label.codename".
"""

from __future__ import annotations

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
ADMINISTRATOR = "Administrator"

_STORY_BYLINES = [
    "articles.add_storybyline", "articles.change_storybyline",
    "articles.delete_storybyline", "articles.view_storybyline",
]  # fmt: skip

ROLES: dict[str, dict] = {
    CONTRIBUTOR: {
        "description": (
            "Writes stories: creates them, edits only their own drafts and submits them "
            "for review. Cannot publish, schedule or unpublish."
        ),
        "permissions": [
            "articles.add_story",
            "articles.change_story",
            "articles.view_story",
            "articles.submit_story",
            *_STORY_BYLINES,
            "articles.view_section",
            "articles.view_byline",
            "articles.view_storylogentry",
            "articles.add_previewlink",
            "articles.view_previewlink",
            "taggit.view_tag",
        ],  # fmt: skip
        # Granted by later migrations (library 0002, 0100): contributors find images,
        # galleries and audio/video in the library and add new ones; changing one
        # everyone shares is the editors'.
        "granted_later": [
            "library.add_image",
            "library.view_image",
            *(
                f"library.{action}_{model}"
                for action in ("add", "view")
                for model in ("gallery", "galleryimage", "mediafile")
            ),
        ],  # fmt: skip
    },
    EDITOR: {
        "description": (
            "Runs the desk: edits any story, sends stories back with notes, publishes, "
            "schedules, unpublishes and corrects them, and manages sections and bylines."
        ),
        "permissions": [
            "articles.add_story",
            "articles.change_story",
            "articles.delete_story",
            "articles.view_story",
            "articles.submit_story",
            "articles.edit_any_story",
            "articles.publish_story",
            "articles.correct_story",
            *_STORY_BYLINES,
            "articles.add_section",
            "articles.change_section",
            "articles.view_section",
            "articles.add_byline",
            "articles.change_byline",
            "articles.view_byline",
            "articles.view_storylogentry",
            "articles.view_correction",
            "articles.change_correction",
            "articles.add_previewlink",
            "articles.change_previewlink",
            "articles.view_previewlink",
            "articles.view_storyredirect",
            "articles.add_storyredirect",
            "articles.change_storyredirect",
            "articles.delete_storyredirect",
            "taggit.add_tag",
            "taggit.change_tag",
            "taggit.view_tag",
            "users.view_user",
        ],  # fmt: skip
        # Granted by later migrations (comments 0002, articles 0013 and 0014, fronts
        # 0002, newsletters 0002); listed here so a recreated role has them too. The
        # roles migration does not read this.
        "granted_later": [
            "comments.view_comment",
            "comments.change_comment",
            "comments.delete_comment",
            # Tag aliases (articles 0013) and section fronts' pins (articles 0014).
            "articles.add_tagalias",
            "articles.change_tagalias",
            "articles.delete_tagalias",
            "articles.view_tagalias",
            "articles.add_sectionpin",
            "articles.change_sectionpin",
            "articles.delete_sectionpin",
            "articles.view_sectionpin",
            # Arranging the home page (fronts 0002).
            "fronts.add_front",
            "fronts.change_front",
            "fronts.delete_front",
            "fronts.view_front",
            "fronts.add_pin",
            "fronts.change_pin",
            "fronts.delete_pin",
            "fronts.view_pin",
            "fronts.add_sectionblock",
            "fronts.change_sectionblock",
            "fronts.delete_sectionblock",
            "fronts.view_sectionblock",
            # Newsletters (newsletters 0002): build, preview, send and schedule editions;
            # subscribers without their addresses.
            "newsletters.add_edition",
            "newsletters.change_edition",
            "newsletters.delete_edition",
            "newsletters.view_edition",
            "newsletters.send_edition",
            "newsletters.add_editionstory",
            "newsletters.change_editionstory",
            "newsletters.delete_editionstory",
            "newsletters.view_editionstory",
            "newsletters.view_newsletter",
            "newsletters.change_newsletter",
            "newsletters.view_subscriber",
            "newsletters.view_delivery",
            # The media library (library 0002).
            "library.add_image",
            "library.change_image",
            "library.delete_image",
            "library.view_image",
            # Galleries, audio and video (library 0100).
            *(
                f"library.{action}_{model}"
                for action in ("add", "change", "delete", "view")
                for model in ("gallery", "galleryimage", "mediafile")
            ),
        ],  # fmt: skip
    },
    ADMINISTRATOR: {
        "description": (
            "Everything an editor can do, plus deleting sections and bylines, and managing "
            "staff accounts and their roles."
        ),
        # Every permission of these apps.
        "apps": [
            "articles",
            "taggit",
            "users",
            "auth",
            "reversion",
            "comments",
            "fronts",
            "newsletters",
            "background",
            "library",
        ],  # fmt: skip
        "permissions": [],
    },
}


def ensure_role(name: str):
    """The group of one of the roles, recreated from its definition if it is missing.

    An existing group is never changed: an operator may have adjusted it.
    """
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, created = Group.objects.get_or_create(name=name)
    if created:
        spec = ROLES[name]
        query = Q(content_type__app_label__in=spec.get("apps", []))
        for dotted in [*spec["permissions"], *spec.get("granted_later", [])]:
            app_label, codename = dotted.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
        # The description the staff pages show beside the role (users.RoleDescription).
        django_apps.get_model("users", "RoleDescription").objects.update_or_create(
            group=group, defaults={"description": spec["description"]}
        )
    return group


def ensure_roles(sender, **kwargs) -> None:
    """After `migrate` (and after a test database is flushed, which also sends
    post_migrate), every role exists. Runs once, for the last app, when every app's
    permissions have been made."""
    from django.apps import apps

    # post_migrate is sent once per app that has models, in INSTALLED_APPS order.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not with_models or sender is not with_models[-1]:
        return
    for name in ROLES:
        ensure_role(name)


def grant_in_migration(apps, app_label: str, roles: list[str], **permission_filter) -> None:
    """From a data migration: give `roles` the permissions of `app_label` that match
    `permission_filter` (e.g. codename__endswith="_tagalias").

    Django makes permissions only after every migration ran, so they are made here first,
    from the migration's own (historical) models.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    permissions = list(
        apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, **permission_filter
        )
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=roles):
        group.permissions.add(*permissions)
