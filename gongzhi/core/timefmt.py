"""Times as the reader reads them: in the platform's zone (settings.TIME_ZONE, Asia/Shanghai).

Datetimes are stored in UTC (USE_TZ). Templates convert them on their own (the ``date``
filter and ``{{ value }}`` render in the current zone); Python code that writes a time into
a text (a notice body, a notification, a PDF, a CSV cell, a timeline note) goes through
these helpers so that it says the same hour the pages show. ``tests/core/test_timefmt.py``
refuses a time formatted anywhere else.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local(value: dt.datetime) -> dt.datetime:
    """``value`` in the reader's zone (a naive value is taken as already local)."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def local_minute(value: dt.datetime | None) -> str:
    """2026-10-30 15:45: a moment to the minute, as the pages show it ("" for None)."""
    return f"{local(value):%Y-%m-%d %H:%M}" if value is not None else ""


def local_second(value: dt.datetime | None) -> str:
    """2026-10-30 15:45:07: for exports and logs read by people."""
    return f"{local(value):%Y-%m-%d %H:%M:%S}" if value is not None else ""


def local_day(value: dt.datetime | dt.date | None) -> str:
    """2026-10-30: the reader's calendar day of a moment (or a date as it is)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"{value:%Y-%m-%d}"


def local_stamp(value: dt.datetime | None = None) -> str:
    """20261030: the reader's day, for file names (today when ``value`` is None)."""
    day = timezone.localdate() if value is None else local(value).date()
    return f"{day:%Y%m%d}"
