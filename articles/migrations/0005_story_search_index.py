"""A GIN index over the weighted full-text document of a story (PostgreSQL only).

The indexed expression was the one `articles.search.story_search_vector()`
builds for the query, so the planner can answer `document @@ query` from the index
(a Bitmap Index Scan) instead of running to_tsvector over every story body.
tests/articles/test_search.py checks that the two stay the same.

SQLite has no such index; its search is a simple fallback (docs/search.md). The index
is not in Story.Meta.indexes because it is vendor-specific, so the autodetector never
sees it and `makemigrations --check` stays clean.
"""

from django.db import migrations

INDEX_NAME = "story_search_document"

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Story")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (({DOCUMENT}))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_story_allow_comments"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
