"""Store each story's weighted full-text document in a column (PostgreSQL only).

Migration 0005 indexed the document as an expression. That finds matches, but PostgreSQL
must still rebuild the document of every matching row to recheck and rank it, which
made a common word cost seconds on a large archive. A generated, stored column is
computed once per save; the GIN index moves onto it under the same name, and search and
the admin read the column (articles.search.StoredSearchDocument).

SQLite has neither; its search is a simple fallback (docs/search.md).
"""

from django.db import migrations

INDEX_NAME = "story_search_document"

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')
"""


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Story")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (search_document)"
    )


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Story")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
    schema_editor.execute(f"CREATE INDEX {INDEX_NAME} ON {table} USING gin (({DOCUMENT}))")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_correction_time_to_the_second"),
    ]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
