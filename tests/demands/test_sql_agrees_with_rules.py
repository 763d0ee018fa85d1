"""The hand-written SQL of the demands app says the same as rules.py.

Migrations are frozen, so the states and the "satisfied ≥ 4" threshold are written
into them as literals: the inbox's partial index and function (0003, 0004) and the
figures roll-up trigger (0003). These tests read the literals back, from the migration
modules and, on PostgreSQL, from the functions and indexes installed in the database,
and compare them with the rules. A change of rules.py without a new migration fails here.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection

from gongzhi.demands import rules
from gongzhi.demands.rules import State

M0003 = importlib.import_module(
    "gongzhi.demands.migrations.0003_inbox_scope_index_and_figures_rollup"
)
M0004 = importlib.import_module("gongzhi.demands.migrations.0004_inbox_page_function")


def states_in(sql_list: str) -> set[str]:
    """The quoted words of an SQL list such as ``('a', 'b')``."""
    return set(re.findall(r"'([a-z_]+)'", sql_list))


def test_the_inbox_states_of_the_migrations_are_the_handler_inbox():
    expected = {str(s) for s in rules.HANDLER_INBOX}
    assert states_in(M0003.INBOX_STATES) == expected
    assert states_in(M0004.INBOX_STATES) == expected


def test_the_rollup_counts_finished_demands_as_the_rules_do():
    assert states_in(M0003.DONE) == {str(s) for s in rules.TERMINAL - {State.MERGED}}
    live = re.search(r"NOT IN (\([^)]*\))", M0003.LIVE).group(1)
    assert states_in(live) == {str(s) for s in rules.TERMINAL}


def module_sql(module) -> str:
    """Every string a migration module holds, at the top level or in lists of statements."""
    parts = []
    for value in vars(module).values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list | tuple):
            parts.extend(v for v in value if isinstance(v, str))
    return " ".join(parts)


def _threshold_literals(sql: str) -> set[int]:
    return {int(n) for n in re.findall(r"rating >= (\d+)", sql)}


def test_the_rollup_threshold_is_satisfied_at_or_above():
    sql = module_sql(M0003)
    assert _threshold_literals(sql) == {rules.SATISFIED_AT_OR_ABOVE}


def test_solved_in_the_rollup_is_the_terminal_part_of_solved():
    sql = module_sql(M0003)
    solved_lists = re.findall(r"(?:s \* \(r\.state|FILTER \(WHERE state) IN (\([^)]*\))", sql)
    assert len(solved_lists) == 2, "the trigger and the rebuild count solved demands by state"
    for found in solved_lists:
        assert states_in(found) == {str(s) for s in rules.SOLVED & rules.TERMINAL}


@pytest.mark.django_db
def test_the_installed_sql_agrees_with_the_rules():
    if connection.vendor != "postgresql":
        pytest.skip("the inbox function, partial index and roll-up exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('demands_inbox_page'::regproc)")
        function = cursor.fetchone()[0]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'demand_inbox_body'")
        index = cursor.fetchone()[0]
        cursor.execute(
            "SELECT string_agg(pg_get_functiondef(p.oid), ' ') FROM pg_proc p"
            " WHERE p.proname LIKE 'demands_figures%'"
        )
        rollup = cursor.fetchone()[0] or ""
    inbox = {str(s) for s in rules.HANDLER_INBOX}
    for state_list in re.findall(r"state IN (\([^)]*\))", function):
        assert states_in(state_list) == inbox
    # PostgreSQL writes the index predicate as state = ANY (ARRAY[...]).
    assert states_in(index.split("WHERE", 1)[1]) == inbox
    assert rollup, "the roll-up trigger function is installed"
    assert _threshold_literals(rollup) == {rules.SATISFIED_AT_OR_ABOVE}
