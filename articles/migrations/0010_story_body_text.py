"""Keep each story's body text beside its HTML, and search that text only.

The search document (migration 0007) read the body's HTML, so attribute values were
words: `?q=noopener` found every story with a link, and an image's file name matched.
It now reads `body_text`, made on save by `articles.text.html_to_text`, which also keeps
paragraphs, list items and table cells apart.
"""

from django.db import migrations, models

from articles.text import html_to_text

INDEX_NAME = "story_search_document"


def document(body_column: str) -> str:
    return f"""
    setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE({body_column}, '')), 'C')
    """


def fill_body_text(apps, schema_editor):
    Story = apps.get_model("articles", "Story")
    batch = []
    for story in Story.objects.only("pk", "body").iterator(chunk_size=500):
        story.body_text = html_to_text(story.body)
        batch.append(story)
        if len(batch) >= 500:
            Story.objects.bulk_update(batch, ["body_text"])
            batch = []
    Story.objects.bulk_update(batch, ["body_text"])


def search_column(body_column: str):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("articles", "Story")._meta.db_table)
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document(body_column)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {INDEX_NAME} ON {table} USING gin (search_document)"
        )

    return change


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_log_actions_from_the_workflow_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="body_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The body's text (articles.text.html_to_text), made on save: for "
                "teasers, feeds, diffs and search, which must never read markup.",
            ),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(search_column("body_text"), search_column("body"), elidable=False),
    ]
