"""Roster files for tests, built in memory: rows as dicts by column, written as CSV or xlsx."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import tablib

from gongzhi.roster import rules

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int, *, male: bool = True, region: str = "350102") -> str:
    """A valid 18-digit ID number (GB 11643 check digit), distinct for each ``n``."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 400)
    seq = (n % 400) * 2 + (1 if male else 0)  # 17th digit odd for men, even for women
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def phone(n: int) -> str:
    return f"137{n:08d}"


def row(**cells: Any) -> dict[str, Any]:
    """A row by column name; keyword names are the attribute names in rules (BUILDING...)."""
    return {getattr(rules, k): v for k, v in cells.items()}


def owner_row(n: int, building: str = "1号楼", room: str | None = None, **extra) -> dict:
    """Room ``n`` with one owner (registered area), everything valid."""
    return row(
        GRID="第一网格",
        BUILDING=building,
        ENTRANCE="1单元",
        ROOM=room or f"{100 + n}",
        FLOOR=1 + n // 10,
        AREA="89.57",
        NAME=f"业主{n}",
        GENDER="男",
        ID_NUMBER=id_number(n),
        PHONE=phone(n),
        ROLE="业主",
        **extra,
    )


def table(rows: Iterable[dict[str, Any]], headers: Sequence[str] | None = None) -> list[list[Any]]:
    rows = list(rows)
    headers = list(headers or rules.COLUMNS)
    return [headers] + [[r.get(h, "") for h in headers] for r in rows]


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    headers: Sequence[str] | None = None,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in table(rows, headers):
        writer.writerow(["" if v is None else v for v in line])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Iterable[dict[str, Any]], headers: Sequence[str] | None = None) -> bytes:
    lines = table(rows, headers)
    dataset = tablib.Dataset(headers=lines[0])
    for line in lines[1:]:
        dataset.append([None if v == "" else v for v in line])
    return dataset.export("xlsx")


def read_back(content: bytes, fmt: str) -> list[list[str]]:
    """A written roster file as text cells, header first."""
    parsed, errors = rules.read_table(content, f"x.{fmt}")
    assert not errors, errors
    return [[rules.cell_text(c) for c in parsed.headers]] + [
        [rules.cell_text(c) for c in cells] for _n, cells in parsed.rows
    ]


def compound_rows(rooms: int, *, building_prefix: str = "") -> list[dict[str, Any]]:
    """A realistic compound: owners, co-owners, households, tenants and empty rooms,
    about 2.3 rows per room. Every value valid."""
    out: list[dict[str, Any]] = []
    n = 0

    def person(**extra) -> dict[str, Any]:
        nonlocal n
        n += 1
        male = n % 2 == 0
        return row(
            NAME=f"居民{n:05d}", GENDER="男" if male else "女",
            ID_NUMBER=id_number(n, male=male), PHONE=phone(n), **extra,
        )  # fmt: skip

    for i in range(rooms):
        place = row(
            GRID=f"第{i // 500 + 1}网格",
            BUILDING=f"{building_prefix}{i // 100 + 1}号楼",
            ENTRANCE=f"{(i // 50) % 2 + 1}单元",
            ROOM=f"{(i // 50) % 2 + 1}-{(i % 50) // 4 + 1}0{i % 4 + 1}",
            FLOOR=(i % 50) // 4 + 1,
            AREA=f"{60 + i % 70}.{i % 100:02d}",
            USE="车位" if i % 25 == 24 else "住宅",
        )
        if i % 7 == 6:
            out.append(place)  # room only
            continue
        out.append({**place, **person(ROLE="业主")})
        if i % 2 == 0:
            out.append({**place, **person(ROLE="共有人")})
        if i % 3 == 0:
            out.append({**place, **person(ROLE="户主", VULNERABLE="是" if i % 9 == 0 else "否")})
            out.append({**place, **person(ROLE="家庭成员", RELATION="子女")})
        elif i % 5 == 0:
            out.append({**place, **person(ROLE="租户")})
    return out
