"""Parsing what a request carries, the same safe way everywhere.

* Numbers are ASCII digits only. ``str.isdigit`` takes ``'²'``, and then ``int('²')``
  raises (a 500); it and a pattern's backslash-d take ``'٣'`` (Arabic-Indic 3), which
  ``int`` reads as 3, a number nobody typed as one. ``ascii_int`` answers None for both, and for numbers out of range
  (a database integer has 32 or 64 bits; a larger one names nothing).
* NUL (``'\\x00'``) is refused before it reaches a view: PostgreSQL cannot store it in
  text and fails the query (``core.middleware.InputSafetyMiddleware``, ``core.parsers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MAX_INT = 2**31 - 1  # PostgreSQL integer (also the largest offset a page may start at)
MAX_BIGINT = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER
NUL = "\x00"


def ascii_int(value: Any, *, minimum: int = 0, maximum: int = MAX_BIGINT) -> int | None:
    """``value`` as an int when it is one (not a bool), or a string of ASCII digits with an
    optional leading ``-`` and surrounding blanks, within ``minimum..maximum``; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        # Bounded length first: int() of a 100,000-digit string is slow.
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
            return None
        number = int(text)
    else:
        return None
    return number if minimum <= number <= maximum else None


def ascii_ids(value: str, *, separator: str = ",") -> list[int] | None:
    """``"3,5, 8"`` → ``[3, 5, 8]`` (positive ids, ASCII digits); None if any part is not one
    or nothing is given."""
    parts = [part.strip() for part in (value or "").split(separator) if part.strip()]
    ids = [ascii_int(part, minimum=1) for part in parts]
    if not ids or None in ids:
        return None
    return ids


def has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)
