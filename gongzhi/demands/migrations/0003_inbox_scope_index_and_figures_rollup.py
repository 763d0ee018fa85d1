"""PostgreSQL only (SQLite needs and gets nothing; selectors fall back to a plain scan):

* ``demand_inbox_body_scope``: partial index (handler_body_id, place_path
  varchar_pattern_ops) over the inbox states, for a handler whose membership is narrower
  than the body (a building leader): ``handler_body_id = %s AND place_path LIKE 'p/%'``
  reads only the open demands under the scope instead of the building's whole history.
* ``demands_figures_day``: a daily roll-up (UTC day of ``created_at``, per community and
  kind) of the demands whose figures can no longer change: closed, closed unrated or
  withdrawn, with no deadline running (merged demands count nowhere). Kept exact by the
  row trigger ``demands_figures_day_sync`` (any INSERT / UPDATE / DELETE: the old row's
  contribution is taken off, the new row's added) and emptied with the table on TRUNCATE.
  ``selectors.figures`` adds the rest live, on the partial covering indexes
  ``demand_street_live`` / ``demand_community_live`` (the non-terminal demands).
"""

from django.db import migrations

INBOX_STATES = "('accepted', 'dispatched', 'evaluated', 'rectifying', 'whistled')"
DONE = "('closed', 'closed_unrated', 'withdrawn')"  # terminal, counted (merged is not)
LIVE = "(state NOT IN ('closed', 'closed_unrated', 'merged', 'withdrawn') OR due_at IS NOT NULL)"
COUNTS = ("received", "solved", "overdue", "escalated", "rated", "satisfied",
          "unrated_closed", "withdrawn")  # fmt: skip

FORWARDS = [
    f"CREATE INDEX IF NOT EXISTS demand_inbox_body_scope ON demands_demand"
    f" (handler_body_id, place_path varchar_pattern_ops) WHERE state IN {INBOX_STATES}",
    f"CREATE INDEX IF NOT EXISTS demand_street_live ON demands_demand (street_id, created_at)"
    f" INCLUDE (state, kind, rating, escalation_count, overdue_count, due_at) WHERE {LIVE}",
    f"CREATE INDEX IF NOT EXISTS demand_community_live ON demands_demand"
    f" (community_id, created_at)"
    f" INCLUDE (state, kind, rating, escalation_count, overdue_count, due_at) WHERE {LIVE}",
    "CREATE TABLE demands_figures_day ("
    " community_id bigint NOT NULL, day date NOT NULL, kind varchar(16) NOT NULL,"
    " street_id bigint NOT NULL,"
    + ", ".join(f" {c} integer NOT NULL DEFAULT 0" for c in COUNTS)
    + ", PRIMARY KEY (community_id, day, kind))",
    "CREATE INDEX demands_figures_day_street ON demands_figures_day (street_id, day)",
    f"""
CREATE FUNCTION demands_figures_day_add(r demands_demand, s integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO demands_figures_day AS f (community_id, day, kind, street_id, {", ".join(COUNTS)})
  VALUES (r.community_id, (r.created_at AT TIME ZONE 'UTC')::date, r.kind, r.street_id,
          s,
          s * (r.state IN ('closed', 'closed_unrated'))::int,
          s * (r.overdue_count > 0)::int,
          s * (r.escalation_count > 0)::int,
          s * (r.rating IS NOT NULL AND r.state <> 'closed_unrated')::int,
          s * (coalesce(r.rating >= 4, false) AND r.state <> 'closed_unrated')::int,
          s * (r.state = 'closed_unrated')::int,
          s * (r.state = 'withdrawn')::int)
  ON CONFLICT (community_id, day, kind) DO UPDATE SET
  {", ".join(f"{c} = f.{c} + EXCLUDED.{c}" for c in COUNTS)}
$$""",
    f"""
CREATE FUNCTION demands_figures_day_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN {DONE} AND OLD.due_at IS NULL THEN
    PERFORM demands_figures_day_add(OLD, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state IN {DONE} AND NEW.due_at IS NULL THEN
    PERFORM demands_figures_day_add(NEW, 1);
  END IF;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER demands_figures_day_sync AFTER INSERT OR UPDATE OR DELETE ON demands_demand"
    " FOR EACH ROW EXECUTE FUNCTION demands_figures_day_sync()",
    """
CREATE FUNCTION demands_figures_day_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE demands_figures_day;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER demands_figures_day_truncate AFTER TRUNCATE ON demands_demand"
    " FOR EACH STATEMENT EXECUTE FUNCTION demands_figures_day_truncate()",
]

# The same as gongzhi.demands.rollup.REBUILD_SQL (kept here so the migration stands alone).
FILL = f"""
INSERT INTO demands_figures_day (community_id, day, kind, street_id, {", ".join(COUNTS)})
SELECT community_id, (created_at AT TIME ZONE 'UTC')::date, kind, min(street_id),
       count(*),
       count(*) FILTER (WHERE state IN ('closed', 'closed_unrated')),
       count(*) FILTER (WHERE overdue_count > 0),
       count(*) FILTER (WHERE escalation_count > 0),
       count(*) FILTER (WHERE rating IS NOT NULL AND state <> 'closed_unrated'),
       count(*) FILTER (WHERE rating >= 4 AND state <> 'closed_unrated'),
       count(*) FILTER (WHERE state = 'closed_unrated'),
       count(*) FILTER (WHERE state = 'withdrawn')
FROM demands_demand WHERE state IN {DONE} AND due_at IS NULL
GROUP BY 1, 2, 3
"""

BACKWARDS = [
    "DROP TRIGGER IF EXISTS demands_figures_day_truncate ON demands_demand",
    "DROP TRIGGER IF EXISTS demands_figures_day_sync ON demands_demand",
    "DROP FUNCTION IF EXISTS demands_figures_day_truncate()",
    "DROP FUNCTION IF EXISTS demands_figures_day_sync()",
    "DROP FUNCTION IF EXISTS demands_figures_day_add(demands_demand, integer)",
    "DROP TABLE IF EXISTS demands_figures_day",
    "DROP INDEX IF EXISTS demand_community_live",
    "DROP INDEX IF EXISTS demand_street_live",
    "DROP INDEX IF EXISTS demand_inbox_body_scope",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARDS:
        schema_editor.execute(sql)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARDS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("demands", "0002_place_path_prefix_index")]
    operations = [migrations.RunPython(forwards, backwards)]
