"""The daily figures roll-up ``demands_figures_day`` (PostgreSQL only; created and kept by
migration 0003's trigger). ``rebuild(cursor)`` refills it from ``demands_demand``, for a
bulk load that ran with triggers off (bench/history.py)."""

from __future__ import annotations

TABLE = "demands_figures_day"
COUNTS = ("received", "solved", "overdue", "escalated", "rated", "satisfied",
          "unrated_closed", "withdrawn")  # fmt: skip
# Demands whose figures can no longer change (terminal, counted, no deadline running); the
# roll-up holds exactly these. Everything else non-merged is "live", on the partial indexes
# demand_street_live / demand_community_live whose predicate is LIVE_SQL, word for word.
DONE_STATES = ("closed", "closed_unrated", "withdrawn")
LIVE_SQL = (
    "(state NOT IN ('closed', 'closed_unrated', 'merged', 'withdrawn') OR due_at IS NOT NULL)"
)

REBUILD_SQL = f"""
INSERT INTO {TABLE} (community_id, day, kind, street_id, {", ".join(COUNTS)})
SELECT community_id, (created_at AT TIME ZONE 'UTC')::date, kind, min(street_id),
       count(*),
       count(*) FILTER (WHERE state IN ('closed', 'closed_unrated')),
       count(*) FILTER (WHERE overdue_count > 0),
       count(*) FILTER (WHERE escalation_count > 0),
       count(*) FILTER (WHERE rating IS NOT NULL AND state <> 'closed_unrated'),
       count(*) FILTER (WHERE rating >= 4 AND state <> 'closed_unrated'),
       count(*) FILTER (WHERE state = 'closed_unrated'),
       count(*) FILTER (WHERE state = 'withdrawn')
FROM demands_demand WHERE state IN ('closed', 'closed_unrated', 'withdrawn') AND due_at IS NULL
GROUP BY 1, 2, 3
"""


def rebuild(cursor) -> None:
    """Empty the roll-up and fill it again from every demand (any DB-API cursor)."""
    cursor.execute(f"TRUNCATE {TABLE}")
    cursor.execute(REBUILD_SQL)
