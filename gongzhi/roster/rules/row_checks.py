"""The header row, and each data row on its own (the cross-row rules come after)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongzhi.places import rules as places_rules
from gongzhi.roster.rules.cells import (
    RowError,
    cell_text,
    clip,
    gender_of_id,
    masked,
    parse_area,
    parse_choice,
    parse_floor,
    parse_id_number,
    parse_name,
    parse_phone,
    parse_yes_no,
    quote,
)
from gongzhi.roster.rules.columns import (
    AREA,
    AREA_COLUMNS,
    AREA_SOURCE,
    AREA_SOURCE_LABELS,
    AREA_SOURCE_WORDS,
    BUILDING,
    DEVELOPER,
    ENTRANCE,
    FAMILY,
    FLOOR,
    GENDER,
    GENDER_LABELS,
    GENDER_WORDS,
    GRID,
    HEAD,
    ID_NUMBER,
    IGNORED_COLUMNS,
    NAME,
    NAME_MAX,
    OWNER_ROLES,
    PHONE,
    PLACE_NAME_MAX,
    RANKED_AREA_COLUMNS,
    RELATION,
    RELATION_LABELS,
    RELATION_WORDS,
    REQUIRED_COLUMNS,
    ROLE,
    ROLE_LABELS,
    ROLE_WORDS,
    ROOM,
    TEMPLATE_EXAMPLE,
    USE,
    USE_LABELS,
    USE_WORDS,
    VOTER,
    VULNERABLE,
    canonical_column,
    column_letter,
    norm_header,
)
from gongzhi.roster.rules.files import Table
from gongzhi.roster.rules.specs import PersonSpec


def map_headers(table: Table) -> tuple[dict[str, int], dict[str, str], list[RowError]]:
    """canonical column → index, canonical → header as spelled, and the header problems."""
    index: dict[str, int] = {}
    spelled: dict[str, str] = {}
    errors: list[RowError] = []
    row = table.header_row
    for i, raw in enumerate(table.headers):
        header = cell_text(raw)
        if not header:
            if any(i < len(cells) and cell_text(cells[i]) for _n, cells in table.rows):
                errors.append(
                    RowError(
                        row, "", _("第 %(col)s 列有数据但没有列名。") % {"col": column_letter(i)}
                    )
                )
            continue
        if norm_header(header) in IGNORED_COLUMNS:
            continue
        column = canonical_column(header)
        if column is None:
            errors.append(
                RowError(
                    row,
                    clip(header),
                    _("无法识别的列「%(header)s」,请删除该列或改用模板中的列名。")
                    % {"header": clip(header)},
                )
            )
        elif column in index:
            errors.append(
                RowError(
                    row,
                    header,
                    _("「%(a)s」和「%(b)s」是同一列(%(column)s),请只保留一列。")
                    % {"a": spelled[column], "b": header, "column": column},
                )
            )
        else:
            index[column] = i
            spelled[column] = header
    for column in REQUIRED_COLUMNS:
        if column not in index:
            errors.append(
                RowError(None, column, _("缺少必需的列「%(column)s」。") % {"column": column})
            )
    if not any(c in index for c in AREA_COLUMNS):
        errors.append(
            RowError(
                None,
                AREA,
                _(
                    "缺少面积列:请提供「专有面积(㎡)」,或「登记面积」「测绘面积」「合同面积」中的至少一列。"
                ),
            )
        )
    return index, spelled, errors


@dataclass
class Row:
    """One data row after its own cells were checked (cross-row checks come after)."""

    row: int
    grid: str | None
    building: str
    room: str
    entrance: str | None
    floor: int | None
    area: Decimal | None
    area_source: str | None
    use: str | None
    held_by_developer: bool | None
    person: PersonSpec | None = None
    role: str | None = None
    relation: str | None = None
    voter: bool | None = None

    @classmethod
    def blank(cls, number: int) -> Row:
        """A stand-in for a row whose place cells are unusable, to check its person cells."""
        return cls(number, None, "", "", None, None, None, None, None, None)


_PERSON_COLUMNS = (NAME, GENDER, ID_NUMBER, PHONE, ROLE, RELATION)


class Cells:
    """The cells of one data row, read by column; every problem lands in ``errors``."""

    def __init__(self, number: int, cells: list[Any], index: dict[str, int], spelled):
        self.number, self.cells, self.index, self.spelled = number, cells, index, spelled
        self.errors: list[RowError] = []

    def raw(self, column: str) -> Any:
        i = self.index.get(column)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.spelled.get(column, column), message))

    def take(self, column: str, parsed: tuple[Any, str | None]) -> Any:
        value, message = parsed
        if message:
            self.error(column, message)
        return value

    def has_error(self, column: str) -> bool:
        return any(e.column == self.spelled.get(column, column) for e in self.errors)

    def room_part(self) -> Row | None:
        building = self.take(BUILDING, parse_name(self.raw(BUILDING), PLACE_NAME_MAX))
        room = self.take(ROOM, parse_name(self.raw(ROOM), PLACE_NAME_MAX))
        for column, value in ((BUILDING, building), (ROOM, room)):
            if not value and not self.has_error(column):
                self.error(column, _("不能为空。"))
        grid = self.take(GRID, parse_name(self.raw(GRID), PLACE_NAME_MAX)) or None
        entrance = self.take(ENTRANCE, parse_name(self.raw(ENTRANCE), PLACE_NAME_MAX)) or None
        floor = self.take(FLOOR, parse_floor(self.raw(FLOOR)))
        use = self.take(USE, parse_choice(self.raw(USE), USE_WORDS, USE_LABELS))
        held = self.take(DEVELOPER, parse_yes_no(self.raw(DEVELOPER)))
        area, area_source = self.area()
        if not (building and room):
            return None
        return Row(self.number, grid, building, room, entrance, floor, area, area_source, use, held)

    def area(self) -> tuple[Decimal | None, str | None]:
        """专有面积 (+ 面积来源), or the best of 登记/测绘/合同面积 by 274号 art. 23."""
        before = len(self.errors)
        given = self.take(AREA, parse_area(self.raw(AREA)))
        source = self.take(
            AREA_SOURCE,
            parse_choice(self.raw(AREA_SOURCE), AREA_SOURCE_WORDS, AREA_SOURCE_LABELS),
        )
        ranked = {
            key: self.take(column, parse_area(self.raw(column)))
            for column, key in RANKED_AREA_COLUMNS.items()
        }
        if len(self.errors) > before:
            return None, None
        best = places_rules.best_area(ranked)
        if best is None:
            if given is None:
                if source is not None:
                    self.error(AREA_SOURCE, _("填写了面积来源,但没有填写专有面积。"))
                return None, None
            return given, source or "registered"
        area, best_source = best
        if given is not None and given != area:
            self.error(
                AREA,
                _("专有面积 %(given)s 与%(source)s面积 %(area)s 不一致。")
                % {
                    "given": quote(str(given)),
                    "source": AREA_SOURCE_LABELS[best_source],
                    "area": quote(str(area)),
                },
            )
        if source is not None and source != best_source:
            self.error(
                AREA_SOURCE,
                _("面积来源应为「%(best)s」:按规定优先采用%(best)s面积。")
                % {"best": AREA_SOURCE_LABELS[best_source]},
            )
        return area, best_source

    def person_part(self, row: Row) -> None:
        name = self.take(NAME, parse_name(self.raw(NAME), NAME_MAX))
        gender = self.take(GENDER, parse_choice(self.raw(GENDER), GENDER_WORDS, GENDER_LABELS))
        id_number = self.take(ID_NUMBER, parse_id_number(self.raw(ID_NUMBER)))
        phone = self.take(PHONE, parse_phone(self.raw(PHONE)))
        role = self.take(ROLE, parse_choice(self.raw(ROLE), ROLE_WORDS, ROLE_LABELS))
        relation = self.take(
            RELATION, parse_choice(self.raw(RELATION), RELATION_WORDS, RELATION_LABELS)
        )
        voter = self.take(VOTER, parse_yes_no(self.raw(VOTER)))
        vulnerable = self.take(VULNERABLE, parse_yes_no(self.raw(VULNERABLE)))

        present = any(cell_text(self.raw(c)) for c in _PERSON_COLUMNS) or voter or vulnerable
        if not present:
            return
        if not name:
            if not self.has_error(NAME):
                self.error(NAME, _("填写了人员信息,但缺少姓名。"))
            return
        if masked(name):
            self.error(NAME, _("%(value)s是打码后的姓名,不能导入。") % {"value": quote(name)})
        if role is None and not self.has_error(ROLE):
            self.error(
                ROLE, _("请填写身份:%(choices)s。") % {"choices": "、".join(ROLE_LABELS.values())}
            )
        if id_number == TEMPLATE_EXAMPLE[ID_NUMBER]:
            self.error(ID_NUMBER, _("这是模板中的示例行,请删除后再导入。"))
        if id_number and gender and gender != gender_of_id(id_number):
            self.error(
                GENDER,
                _("性别与身份证号不符(身份证号显示为%(gender)s)。")
                % {"gender": GENDER_LABELS[gender_of_id(id_number)]},
            )
        if role is not None:
            relation = self.relation_for(role, relation, voter)
        row.person = PersonSpec(
            key=(), row=self.number, name=name, gender=gender, id_number=id_number, phone=phone,
            vulnerable=vulnerable,
        )  # fmt: skip
        row.role, row.relation, row.voter = role, relation, voter

    def relation_for(self, role: str, relation: str | None, voter: bool | None) -> str | None:
        """与户主关系 fits the role; returns the relation to store (defaults filled in)."""
        if voter and role not in OWNER_ROLES:
            self.error(VOTER, _("只有业主或共有人可以是指定表决人。"))
        if role in OWNER_ROLES:
            if relation is not None:
                self.error(
                    RELATION,
                    _("与户主关系只适用于户主、家庭成员和租户;业主如也在此居住,请另起一行填写。"),
                )
            return None
        if role == HEAD:
            if relation not in (None, "head"):
                self.error(RELATION, _("户主的与户主关系应为「户主」。"))
            return "head"
        if role == FAMILY:
            if relation in ("head", "tenant"):
                self.error(RELATION, _("家庭成员的与户主关系应为配偶、子女、父母或其他。"))
            return relation or "other"
        if relation == "head":
            self.error(RELATION, _("租户的与户主关系不能是「户主」;租住户的户主请填「租户」。"))
        return relation or "tenant"
