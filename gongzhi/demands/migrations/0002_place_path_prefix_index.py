"""PostgreSQL: an index serving ``place_path LIKE 'd1/s2/c3/p4/g5/%'`` (scopes deeper than a
compound: a grid worker's board, a building's figures). Street, community and compound
scopes use the denormalised foreign keys instead. SQLite needs nothing.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS demands_demand_place_path_like "
        "ON demands_demand (place_path varchar_pattern_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS demands_demand_place_path_like")


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
