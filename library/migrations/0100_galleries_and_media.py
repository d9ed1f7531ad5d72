"""Galleries and audio/video files (library/media.py); contributors add them, editors
also change and delete them, as for images (0002_desk_permissions)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import library.media


def grant(apps, schema_editor):
    from articles.roles import grant_in_migration

    models = ["gallery", "galleryimage", "mediafile"]
    grant_in_migration(
        apps,
        "library",
        ["Contributor"],
        codename__in=[f"{action}_{model}" for action in ("add", "view") for model in models],
    )
    grant_in_migration(
        apps,
        "library",
        ["Editor"],
        codename__in=[
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in models
        ],
    )
    grant_in_migration(apps, "library", ["Administrator"])


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_desk_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Gallery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='For finding the gallery; readers see it above the pictures.', max_length=255)),
                ('caption', models.CharField(blank=True, help_text='Optional: a line under the whole gallery.', max_length=500)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='library_galleries', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'galleries',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='GalleryImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('caption', models.CharField(blank=True, help_text="Empty: the image's own caption.", max_length=500)),
                ('gallery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='library.gallery')),
                ('image', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='gallery_items', to='library.image')),
            ],
            options={
                'verbose_name': 'gallery picture',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='MediaFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(help_text='MP3, M4A, MP4, Ogg, WebM or WAV.', max_length=255, upload_to=library.media.stored_media_name, validators=[django.core.validators.FileExtensionValidator(['mp3', 'm4a', 'mp4', 'm4v', 'ogg', 'oga', 'opus', 'ogv', 'webm', 'wav']), library.media.validate_media_file])),
                ('kind', models.CharField(blank=True, choices=[('audio', 'Audio'), ('video', 'Video')], help_text='Empty: worked out from the file (a WebM or MP4 is taken as video, an Ogg as audio).', max_length=5)),
                ('title', models.CharField(blank=True, help_text="Empty: the file's name.", max_length=255)),
                ('caption', models.CharField(blank=True, max_length=500)),
                ('credit', models.CharField(blank=True, max_length=200)),
                ('captions', models.FileField(blank=True, help_text='Optional: a WebVTT (.vtt) file of captions in English.', max_length=255, upload_to=library.media.stored_captions_name, validators=[django.core.validators.FileExtensionValidator(['vtt']), library.media.validate_captions_file], verbose_name='captions track')),
                ('duration', models.PositiveIntegerField(blank=True, help_text='Optional.', null=True, verbose_name='duration (seconds)')),
                ('uploaded_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                ('size', models.PositiveBigIntegerField(editable=False, null=True, verbose_name='size (bytes)')),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='library_media_files', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'audio or video file',
                'verbose_name_plural': 'audio and video files',
                'ordering': ['-uploaded_at', '-pk'],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
