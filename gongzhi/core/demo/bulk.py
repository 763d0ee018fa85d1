"""Bulk inserts of place-tree nodes with their paths computed in Python.

A node's path ends with its own id (``places.rules.child_path``), which ``save()`` learns
only after the insert. For thousands of nodes we reserve the ids first (PostgreSQL: from
the table's sequence; SQLite: above the highest id ever used), compute every path, and
insert each row once, complete. Other databases fall back to insert-then-update.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

from gongzhi.places.models import PlaceNode
from gongzhi.places.rules import child_path

BATCH_SIZE = 5000


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys no other row has or will get. Insert them in this transaction."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
            highest = cursor.fetchone()[0] or 0
            # AUTOINCREMENT never reuses an id, even of a deleted row: start above those too.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(connection.vendor)


def insert_nodes(
    nodes: Sequence[PlaceNode], parent_paths: Sequence[str], *, batch_size: int = BATCH_SIZE
) -> None:
    """Insert place nodes of one model; ``parent_paths[i]`` is the path of node i's parent.

    On return every node has its ``pk`` and ``path``. No per-row save, no audit event: the
    caller records one summary event.
    """
    if not nodes:
        return
    model = type(nodes[0])
    level = model.LEVEL
    if connection.vendor in ("postgresql", "sqlite"):
        for node, pk, parent in zip(
            nodes, reserve_ids(model, len(nodes)), parent_paths, strict=True
        ):
            node.pk = pk
            node.path = child_path(parent, level, pk)
        model.objects.bulk_create(nodes, batch_size=batch_size)
        return
    model.objects.bulk_create(nodes, batch_size=batch_size)
    for node, parent in zip(nodes, parent_paths, strict=True):
        node.path = child_path(parent, level, node.pk)
    model.objects.bulk_update(nodes, ["path"], batch_size=batch_size)
