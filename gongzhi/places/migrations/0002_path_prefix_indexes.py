"""PostgreSQL: indexes that serve ``path LIKE 'd1/s2/%'`` (prefix scope queries).

The unique index on ``path`` uses the database collation, which cannot serve LIKE
prefixes outside the C locale; ``varchar_pattern_ops`` can. SQLite needs nothing.
"""

from django.db import migrations

TABLES = ["street", "community", "compound", "grid", "building", "entrance", "room"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS places_{table}_path_like "
            f"ON places_{table} (path varchar_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS places_{table}_path_like")


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
