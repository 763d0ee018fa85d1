"""The whole table: rows merged into rooms and persons, and every cross-row conflict."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from gongzhi.roster.rules.cells import RowError, RowErrors, quote
from gongzhi.roster.rules.columns import (
    ALL_COLUMNS,
    AREA,
    AREA_COLUMNS,
    AREA_SOURCE,
    AREA_SOURCE_LABELS,
    DEVELOPER,
    ENTRANCE,
    FLOOR,
    GENDER,
    GENDER_LABELS,
    GRID,
    HEAD,
    ID_NUMBER,
    NAME,
    NO,
    OWNER_ROLES,
    PHONE,
    RANKED_AREA_COLUMNS,
    ROLE,
    TENANT,
    USE,
    USE_LABELS,
    VOTER,
    VULNERABLE,
    YES,
)
from gongzhi.roster.rules.files import MAX_CELL_CHARS, Table
from gongzhi.roster.rules.row_checks import Cells, Row, map_headers
from gongzhi.roster.rules.specs import (
    BuildingSpec,
    HouseholdSpec,
    MemberSpec,
    OwnerSpec,
    PersonKey,
    PersonSpec,
    RoomKey,
    RoomSpec,
    Roster,
)


def validate(table: Table) -> tuple[Roster | None, list[RowError]]:
    """Check every row and every cross-row rule. A Roster only when there is no error.

    The errors are RowErrors: the first MAX_ERRORS found, and how many in all (``total``).
    """
    index, spelled, header_errors = map_headers(table)
    if header_errors:
        return None, header_errors
    errors = RowErrors(_long_cells(table, index, spelled))
    rooms_ok: list[Row] = []
    people_ok: list[Row] = []
    tainted: set[RoomKey] = set()  # rooms with a bad room cell somewhere: no "no area" error
    for number, cells in table.rows:
        checked = Cells(number, cells, index, spelled)
        row = checked.room_part()
        room_ok = row is not None and not checked.errors
        # The person cells are checked even when the room cells are bad: every bad cell of
        # a row is reported at once, not one per upload.
        checked.person_part(row or Row.blank(number))
        errors.extend(checked.errors)
        if row is not None and not room_ok:
            tainted.add((row.building, row.room))
        if room_ok:
            rooms_ok.append(row)
            if not checked.errors:
                people_ok.append(row)
    roster, cross_errors = _combine(rooms_ok, people_ok, tainted, spelled)
    errors.extend(cross_errors)
    if errors:
        order = {c: i for i, c in enumerate(ALL_COLUMNS)}
        canonical = {v: k for k, v in spelled.items()}
        errors.sort(key=lambda e: (e.row or 0, order.get(canonical.get(e.column, ""), 99)))
        return None, errors
    roster.rows = len(table.rows)
    return roster, []


def _long_cells(table: Table, index: dict[str, int], spelled: dict[str, str]) -> list[RowError]:
    """Cells of the roster's columns that were cut to MAX_CELL_CHARS as they were read."""
    column_at = {i: spelled[column] for column, i in index.items()}
    return [
        RowError(
            number,
            column_at[i],
            _("内容过长(%(length)d 个字符),每格最多 %(limit)d 个字符。")
            % {"length": length, "limit": MAX_CELL_CHARS},
        )
        for number, i, length in table.long_cells
        if i in column_at
    ]


def _combine(
    rows: list[Row], people_rows: list[Row], tainted: set[RoomKey], spelled: dict[str, str]
) -> tuple[Roster, list[RowError]]:
    """Merge rows into rooms and persons; report every cross-row conflict."""
    errors: list[RowError] = []

    def conflict(row: int, column: str, message: str) -> None:
        errors.append(RowError(row, spelled.get(column, column), message))

    buildings: dict[str, BuildingSpec] = {}
    rooms: dict[RoomKey, RoomSpec] = {}
    room_rows: dict[RoomKey, Row] = {}
    for r in rows:
        b = buildings.setdefault(r.building, BuildingSpec(r.building, r.row, r.grid))
        if r.grid and b.grid and r.grid != b.grid:
            conflict(r.row, GRID, _same(b.row, _("楼栋"), _("网格"), b.grid, r.grid))
        elif r.grid:
            b.grid = r.grid
        key = (r.building, r.room)
        spec = rooms.get(key)
        if spec is None:
            rooms[key] = RoomSpec(
                key=key, row=r.row, area=r.area, area_source=r.area_source, entrance=r.entrance,
                floor=r.floor, use=r.use, held_by_developer=r.held_by_developer,
            )  # fmt: skip
            room_rows[key] = r
            continue
        for attr, column in (
            ("area", AREA), ("area_source", AREA_SOURCE), ("entrance", ENTRANCE),
            ("floor", FLOOR), ("use", USE), ("held_by_developer", DEVELOPER),
        ):  # fmt: skip
            mine, theirs = getattr(r, attr), getattr(spec, attr)
            if mine is None:
                continue
            if theirs is None:
                setattr(spec, attr, mine)
            elif mine != theirs:
                if attr in ("area", "area_source") and AREA not in spelled:
                    column = next(c for c in RANKED_AREA_COLUMNS if c in spelled)
                conflict(
                    r.row, column,
                    _same(spec.row, _("房屋"), column, _show(attr, theirs), _show(attr, mine)),
                )  # fmt: skip
    for spec in rooms.values():
        if spec.area is None and spec.key not in tainted:
            column = AREA if AREA in spelled else next(c for c in AREA_COLUMNS if c in spelled)
            conflict(
                spec.row,
                column,
                _(
                    "房屋「%(building)s %(room)s」没有面积:请在专有面积(或登记/测绘/合同面积)中填写。"
                )
                % {"building": spec.building, "room": spec.name},
            )

    persons = _identify_persons(people_rows, spelled, errors)
    _link_people(people_rows, rooms, persons, spelled, errors)
    roster = Roster(
        rows=len(rows), buildings=buildings, rooms=rooms, persons=persons, columns=spelled
    )
    return roster, errors


def _show(attr: str, value: Any) -> str:
    if attr == "area_source":
        return AREA_SOURCE_LABELS[value]
    if attr == "use":
        return USE_LABELS[value]
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


def _same(first_row: int, what: str, column: str, theirs: str, mine: str) -> str:
    return _("与第%(row)s行是同一%(what)s,但%(column)s不一致(%(theirs)s / %(mine)s)。") % {
        "row": first_row,
        "what": what,
        "column": column,
        "theirs": quote(theirs),
        "mine": quote(mine),
    }


def _identify_persons(
    rows: list[Row], spelled: dict[str, str], errors: list[RowError]
) -> dict[PersonKey, PersonSpec]:
    """Give every person row a key (ID number, else name + phone, else name in the room),
    merge rows of the same person, and report rows that disagree about them."""
    ids_by_name_phone: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        p = r.person
        if p and p.id_number and p.phone:
            ids_by_name_phone.setdefault((p.name, p.phone), {}).setdefault(p.id_number, r.row)

    persons: dict[PersonKey, PersonSpec] = {}
    for r in rows:
        p = r.person
        if p is None:
            continue
        if p.id_number:
            p.key = ("id", p.id_number)
        elif p.phone:
            ids = ids_by_name_phone.get((p.name, p.phone), {})
            if len(ids) > 1:
                errors.append(
                    RowError(
                        r.row,
                        spelled.get(ID_NUMBER, ID_NUMBER),
                        _("同名同手机号的人员在第%(rows)s行有不同的身份证号,请填写身份证号以区分。")
                        % {"rows": "、".join(str(n) for n in sorted(ids.values()))},
                    )
                )
                continue
            p.key = ("id", next(iter(ids))) if ids else ("np", p.name, p.phone)
        else:
            p.key = ("room", r.building, r.room, p.name)
        known = persons.get(p.key)
        if known is None:
            persons[p.key] = replace(p)
            continue
        for attr, column in (
            ("name", NAME),
            ("phone", PHONE),
            ("gender", GENDER),
            ("vulnerable", VULNERABLE),
        ):
            mine, theirs = getattr(p, attr), getattr(known, attr)
            if mine in (None, ""):
                continue
            if theirs in (None, ""):
                setattr(known, attr, mine)
            elif mine != theirs:
                shown = {"gender": GENDER_LABELS, "vulnerable": {True: YES, False: NO}}.get(attr)
                errors.append(
                    RowError(
                        r.row,
                        spelled.get(column, column),
                        _(
                            "与第%(row)s行是同一人员(%(by)s),但%(column)s不一致(%(theirs)s / %(mine)s)。"
                        )
                        % {
                            "row": known.row,
                            "by": _("身份证号相同") if p.key[0] == "id" else _("姓名和手机号相同"),
                            "column": column,
                            "theirs": quote(shown[theirs] if shown else theirs),
                            "mine": quote(shown[mine] if shown else mine),
                        },
                    )
                )
    return persons


def _link_people(
    rows: list[Row],
    rooms: dict[RoomKey, RoomSpec],
    persons: dict[PersonKey, PersonSpec],
    spelled: dict[str, str],
    errors: list[RowError],
) -> None:
    """Owners (one designated voter per room) and the room's household."""

    def error(row: int, column: str, message: str) -> None:
        errors.append(RowError(row, spelled.get(column, column), message))

    seen: dict[tuple[RoomKey, PersonKey, str], int] = {}
    owners: dict[RoomKey, list[tuple[Row, PersonKey]]] = {}
    residents: dict[RoomKey, list[tuple[Row, PersonKey]]] = {}
    for r in rows:
        if r.person is None or r.role is None or r.person.key not in persons:
            continue
        room_key, person_key = (r.building, r.room), r.person.key
        kind = "owner" if r.role in OWNER_ROLES else "resident"
        first = seen.setdefault((room_key, person_key, kind), r.row)
        if first != r.row:
            error(
                r.row, NAME,
                _("与第%(row)s行重复:同一人员在同一房屋已登记为%(kind)s。")
                % {"row": first, "kind": _("业主") if kind == "owner" else _("居住人员")},
            )  # fmt: skip
            continue
        (owners if kind == "owner" else residents).setdefault(room_key, []).append((r, person_key))

    for room_key, owner_rows in owners.items():
        spec = rooms[room_key]
        chosen = [(r, k) for r, k in owner_rows if r.voter]
        for r, _k in chosen[1:]:
            error(
                r.row, VOTER,
                _("同一房屋只能有一位指定表决人(第%(row)s行已指定「%(name)s」)。")
                % {"row": chosen[0][0].row, "name": persons[chosen[0][1]].name},
            )  # fmt: skip
        if chosen:
            voter, spec.voter_explicit = chosen[0][1], True
        else:
            candidates = [k for r, k in owner_rows if r.voter is None]
            if not candidates:
                error(owner_rows[0][0].row, VOTER, _("该房屋的业主都填了「否」,请指定一位表决人。"))
                continue
            voter = candidates[0]
        spec.owners = [OwnerSpec(k, r.row, designated=(k == voter)) for r, k in owner_rows]

    for room_key, resident_rows in residents.items():
        spec = rooms[room_key]
        heads = [(r, k) for r, k in resident_rows if r.role == HEAD]
        for r, _k in heads[1:]:
            error(
                r.row, ROLE,
                _("同一房屋只能有一位户主(第%(row)s行已填写户主「%(name)s」)。")
                % {"row": heads[0][0].row, "name": persons[heads[0][1]].name},
            )  # fmt: skip
        tenants = [(r, k) for r, k in resident_rows if r.role == TENANT]
        head = heads[0] if heads else (tenants[0] if tenants else None)
        if head is None:
            for r, _k in resident_rows:
                error(r.row, ROLE, _("家庭成员所在的房屋没有户主或租户,请同时填写户主。"))
            continue
        members = [head] + [(r, k) for r, k in resident_rows if r is not head[0]]
        spec.household = HouseholdSpec(
            head=head[1],
            is_renting=not heads,
            members=[
                MemberSpec(k, r.row, relation=r.relation, is_tenant=r.role == TENANT)
                for r, k in members
            ],
        )
