"""Hand-written SQL for the few reads every request makes (the account behind a token,
a person's grants and homes, a row by its primary key).

Compiling an ORM query costs about 0.3 ms of Python; on the hottest paths that was more
than running it (0.1 ms with a prepared statement). These statements are built once per
process from the models' own table and column names, parameterised, and run through
Django's connection, so they are logged, wrapped and tested like any other query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection

_STATEMENTS: dict[object, str] = {}


def statement(key: object, build: Callable[[Callable[[str], str]], str]) -> str:
    """The SQL ``build(quote_name)`` returns, built on first use and kept under ``key``."""
    sql = _STATEMENTS.get(key)
    if sql is None:
        sql = _STATEMENTS[key] = build(connection.ops.quote_name)
    return sql


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def by_pk(model, pk):
    """The ``model`` instance with primary key ``pk``, or None (as ``filter(pk=pk).first()``,
    without compiling a query): the row is converted as the ORM converts it (the database
    backend's and each field's converters) and built with ``Model.from_db``."""

    def build(q):
        # The columns by name, not *: a prepared "SELECT *" fails ("cached plan must not
        # change result type") once a migration adds a column under a running server.
        table, pk_column = q(model._meta.db_table), q(model._meta.pk.column)
        return f"SELECT {columns(model, 'm', q)} FROM {table} m WHERE m.{pk_column} = %s"

    found = rows(statement(("by_pk", model), build), [pk])
    return from_row(model, found[0]) if found else None


def columns(model, alias: str, q) -> str:
    """The model's columns, in ``concrete_fields`` order, for a SELECT (as ``from_row``
    reads them)."""
    return ", ".join(f"{alias}.{q(f.column)}" for f in model._meta.concrete_fields)


def from_row(model, values):
    """A ``model`` instance from its columns in ``concrete_fields`` order, converted as
    the ORM converts them (the backend's and each field's converters), via ``from_db``."""
    values = list(values)
    for index, expression, converters in _converters(model):
        for convert in converters:
            values[index] = convert(values[index], expression, connection)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], values)


def _converters(model) -> list:
    """``(column index, expression, converters)`` of the model's fields that have any."""
    key = (model, connection.vendor)
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for index, field in enumerate(model._meta.concrete_fields):
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            if converters:
                found.append((index, expression, converters))
        _CONVERTERS[key] = found
    return found


_CONVERTERS: dict[tuple, list] = {}
