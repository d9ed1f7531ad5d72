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
    },
    ADMINISTRATOR: {
        "description": (
            "Everything an editor can do, plus deleting sections and bylines, and managing "
            "staff accounts and their roles."
        ),
        # Every permission of these apps.
        "apps": ["articles", "taggit", "users", "auth", "reversion", "comments"],
        "permissions": [],
    },
}
