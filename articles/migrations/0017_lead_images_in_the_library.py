"""Stories' lead images move into the media library.

Each distinct lead-image file becomes one library image under the same file name (no
bytes are copied: the library points at the file where it is), with the first story's
alt text, caption and credit as its defaults; every story keeps its own words too, so
nothing it showed changes. Reversible: the story's file column comes back from its
library image.

Renditions of the moved images are made afterwards, outside the migration:
`manage.py generateimages "library:image:*"` (docs/editors-guide.md).
"""

import hashlib
import json
import os

from django.db import migrations, models


def title_from(name):
    stem = os.path.splitext(os.path.basename(name))[0]
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:255] or "Untitled image"


def sha256_of(field_file):
    try:
        digest = hashlib.sha256()
        with field_file.storage.open(field_file.name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except (OSError, ValueError):  # a lost file: the story still gets its library entry
        return ""


def into_the_library(apps, schema_editor):
    Story = apps.get_model("articles", "Story")
    Image = apps.get_model("library", "Image")
    by_name = {}
    stories = Story.objects.exclude(legacy_lead_image="").order_by("pk")
    for story in stories.iterator(chunk_size=500):
        name = story.legacy_lead_image.name
        image = by_name.get(name)
        if image is None:
            image = Image.objects.filter(file=name).first()
        if image is None:
            image = Image.objects.create(
                file=name,
                title=title_from(name),
                alt_text=story.lead_image_alt,
                caption=story.lead_image_caption,
                credit=story.lead_image_credit,
                width=story.lead_image_width,
                height=story.lead_image_height,
                uploaded_by_id=story.created_by_id,
                uploaded_at=story.created_at,
                sha256=sha256_of(story.legacy_lead_image),
            )
        by_name[name] = image
        Story.objects.filter(pk=story.pk).update(lead_image=image)


def revisions_into_the_library(apps, schema_editor):
    """Stories' saved revisions name the file; they now name the library image (or
    none), so an old revision still opens, compares and restores."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    Image = apps.get_model("library", "Image")
    story_type = ContentType.objects.filter(app_label="articles", model="story").first()
    if story_type is None:
        return
    by_name = dict(Image.objects.values_list("file", "pk"))
    versions = Version.objects.filter(content_type=story_type, format="json")
    for version in versions.iterator(chunk_size=500):
        try:
            objects = json.loads(version.serialized_data)
        except ValueError:
            continue
        changed = False
        for obj in objects:
            fields = obj.get("fields", {})
            if isinstance(fields.get("lead_image"), str):
                fields["lead_image"] = by_name.get(fields["lead_image"]) or None
                changed = True
            for gone in ("lead_image_width", "lead_image_height"):
                changed |= fields.pop(gone, None) is not None
        if changed:
            Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(objects))


def out_of_the_library(apps, schema_editor):
    Story = apps.get_model("articles", "Story")
    for story in Story.objects.exclude(lead_image=None).select_related("lead_image"):
        Story.objects.filter(pk=story.pk).update(
            legacy_lead_image=story.lead_image.file.name,
            lead_image_width=story.lead_image.width,
            lead_image_height=story.lead_image.height,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_story_newest_first_index"),
        ("library", "0001_images"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="story", name="lead_image_has_alt_text"),
        migrations.RenameField("story", "lead_image", "legacy_lead_image"),
        migrations.AddField(
            model_name="story",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Choose a picture from the media library, or upload a new one below.",
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="lead_image_stories",
                to="library.image",
            ),
        ),
        migrations.RunPython(into_the_library, out_of_the_library, elidable=False),
        # Old revisions are rewritten one way only: undoing the move leaves them naming
        # library images, which the restored file column cannot read (an old revision
        # then shows no lead image).
        migrations.RunPython(revisions_into_the_library, migrations.RunPython.noop),
        migrations.RemoveField(model_name="story", name="legacy_lead_image"),
        migrations.RemoveField(model_name="story", name="lead_image_width"),
        migrations.RemoveField(model_name="story", name="lead_image_height"),
        migrations.AlterField(
            model_name='story',
            name='lead_image_alt',
            field=models.CharField(blank=True, help_text="What the picture shows, for readers who cannot see it. Leave empty to use the library's alt text.", max_length=300, verbose_name='alt text'),
        ),
        migrations.AlterField(
            model_name='story',
            name='lead_image_caption',
            field=models.CharField(blank=True, help_text="Leave empty to use the library's.", max_length=500, verbose_name='caption'),
        ),
        migrations.AlterField(
            model_name='story',
            name='lead_image_credit',
            field=models.CharField(blank=True, help_text="Leave empty to use the library's.", max_length=200, verbose_name='credit'),
        ),
    ]
