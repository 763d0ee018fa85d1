"""Serializer fields for numbers in API input: ASCII digits, within the database's range.

DRF's ``IntegerField`` reads a string with ``int()``, which takes "٣" (Arabic-Indic 3) as
3, and has no upper bound unless given one: ``?street=<36 digits>`` reached SQLite as an
OverflowError (a 500). ``IntegerField`` here refuses non-ASCII digits like any other bad
number and is bounded to bigint unless told narrower; ``IdField`` is a positive one.
Every integer a request may carry declares its maximum in the schema (tested in
tests/api/test_input_safety.py), so schemathesis and clients know the bound.
"""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.core.inputs import MAX_BIGINT


class IntegerField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_BIGINT)
        kwargs.setdefault("min_value", -MAX_BIGINT)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip().lstrip("-").isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(IntegerField):
    """The id of an object: a positive integer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


# The schema of an id in a query string (OpenApiParameter(type=ID_PARAMETER)), parsed
# with core.inputs.ascii_int(..., minimum=1).
ID_PARAMETER = {"type": "integer", "minimum": 1, "maximum": MAX_BIGINT}
