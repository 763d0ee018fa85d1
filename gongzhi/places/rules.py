"""Pure rules about places: the tree's levels, ancestry paths and area sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

# The place tree, top to bottom. Each level's letter prefixes its id in a node's path,
# so "d1/s2/c3/p4/g5/b6/e7/r8/" names room 8 and every one of its ancestors.
LEVELS: tuple[tuple[str, str], ...] = (
    ("district", "d"),
    ("street", "s"),
    ("community", "c"),
    ("compound", "p"),
    ("grid", "g"),
    ("building", "b"),
    ("entrance", "e"),
    ("room", "r"),
)
PREFIX = dict(LEVELS)
LEVEL_OF_PREFIX = {prefix: level for level, prefix in LEVELS}


def child_path(parent_path: str, level: str, pk: int) -> str:
    """The path of node ``pk`` at ``level`` under ``parent_path``."""
    return f"{parent_path}{PREFIX[level]}{pk}/"


def is_within(path: str, ancestor: str) -> bool:
    """True when ``path`` is ``ancestor`` itself or lies below it."""
    return bool(ancestor) and path.startswith(ancestor)


def parse_path(path: str) -> list[tuple[str, int]]:
    """``"d1/s2/"`` → ``[("district", 1), ("street", 2)]``; raises ValueError when malformed."""
    parts = [p for p in path.split("/") if p]
    out = []
    for part in parts:
        level = LEVEL_OF_PREFIX.get(part[:1])
        if level is None or not (part[1:].isascii() and part[1:].isdigit()):
            raise ValueError(f"bad place path segment {part!r} in {path!r}")
        out.append((level, int(part[1:])))
    return out


def ancestor_at(path: str, level: str) -> str | None:
    """The prefix of ``path`` that ends at ``level`` (e.g. the compound of a room)."""
    prefix = PREFIX[level]
    acc = ""
    for part in (p for p in path.split("/") if p):
        acc += part + "/"
        if part[:1] == prefix:
            return acc
    return None


def natural_key(name: str) -> tuple:
    """Sort key that reads numbers as numbers: 2号楼 before 10号楼, 2单元 before 10单元."""
    return tuple(
        (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)
        for part in re.split(r"([0-9]+)", name or "")
        if part
    )


def level_of(path: str) -> str:
    """The level of the node a path names (its last segment): ``"d1/s2/"`` → ``"street"``."""
    parts = parse_path(path)
    return parts[-1][0] if parts else ""


# 274号 art. 23: the exclusive area is the registered area; where not registered, the
# surveyed area; where not surveyed either, the area in the sales contract.
AREA_SOURCE_RANK = ("registered", "surveyed", "contract")


def best_area(candidates: dict[str, Decimal | None]) -> tuple[Decimal, str] | None:
    """Pick the area with the highest-ranked source that is present."""
    for source in AREA_SOURCE_RANK:
        value = candidates.get(source)
        if value is not None:
            return value, source
    return None


def total_area(areas: Iterable[Decimal]) -> Decimal:
    return sum(areas, Decimal("0.00"))


# Plausible values. A room's exclusive area decides its weight in an owners' vote (Civil
# Code art. 278): a typo of 99,999,999.99 m² would outweigh the whole compound. The bounds
# refuse what cannot be true; they are checked by forms, serializers, the roster import,
# and by check constraints in the database (places.models).
ROOM_AREA_MAX = Decimal("50000.00")  # 专有面积: a shopping podium or a whole garage registered
# as one unit is a few tens of thousands of m²; a flat is 30 to 300.
FLOOR_RANGE = (-10, 200)  # 楼层 of a room: basements go 5 or 6 levels down; the tallest
# towers in China have about 130 floors.
BUILDING_FLOORS_RANGE = (1, 200)  # 层数 of a building
COMPOUND_AREA_MAX = Decimal("20000000.00")  # 总建筑面积: the largest compounds in China are
# about 6 million m².


def format_limit(value: Decimal | int) -> str:
    """A limit as a message names it: 50,000 or 20,000,000 (no trailing .00)."""
    number = Decimal(value)
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"
