"""Sealed tables on PostgreSQL: append-only (the audit log) or closed once a vote is counted
(ballots), and never emptied by TRUNCATE.

Each sealed table carries a statement trigger ``BEFORE TRUNCATE`` running
``gongzhi_refuse_truncate()`` (created by audit's migration 0006; an app sealing its own
table, as voting does, adds the same trigger in its own migration). Row triggers refuse
UPDATE and DELETE where the table says so. By convention every such trigger's name ends
in ``_sealed`` (the audit log's first one, ``audit_event_append_only``, in
``_append_only``), which is how :data:`UNSEAL` finds them all.

Only the table's owner can get past them, and only visibly: ``ALTER TABLE … DISABLE
TRIGGER``. That is what :func:`wipe_statements` wraps around a whole-database flush (the
test runner between transactional tests, ``load_demo --reset`` of a demo database), in
the flush's own transaction, so the triggers are back when it commits or rolls back
(deferred foreign-key checks are run first: a table with pending checks cannot be altered).
The production role should not own the tables (docs/deploy.md), so it cannot do even that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

REFUSE_TRUNCATE_FUNCTION = "gongzhi_refuse_truncate"

_TOGGLE = """
SET CONSTRAINTS ALL IMMEDIATE;
DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT tgrelid::regclass AS tab, tgname FROM pg_trigger
             WHERE tgname LIKE '%\\_append\\_only' OR tgname LIKE '%\\_sealed'
    LOOP
        EXECUTE format('ALTER TABLE %s {verb} TRIGGER %I', t.tab, t.tgname);
    END LOOP;
END $$;
"""
UNSEAL = _TOGGLE.format(verb="DISABLE")
RESEAL = _TOGGLE.format(verb="ENABLE")


def on_postgresql(create: str, drop: str):
    """A migration operation running ``create`` forwards and ``drop`` backwards, on
    PostgreSQL only (SQLite relies on the models' and services' refusals)."""
    from django.db import migrations

    def run(sql: str):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(create), run(drop))


def wipe_statements(statements: list[str]) -> list[str]:
    """A flush's SQL with the seals lifted before it and put back after it."""
    return [UNSEAL, *statements, RESEAL] if statements else statements


@contextmanager
def flush_past_seals(connection) -> Iterator[None]:
    """Within the block, ``manage.py flush`` on ``connection`` may empty sealed tables."""
    if connection.vendor != "postgresql":
        yield
        return
    ops = connection.ops
    original = ops.sql_flush
    ops.sql_flush = lambda *args, **kwargs: wipe_statements(original(*args, **kwargs))
    try:
        yield
    finally:
        del ops.sql_flush
