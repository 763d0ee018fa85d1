"""Shared pieces: the rule error, the enums of matters, units and choices, exact areas and the (area, heads) totals.

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

CENT = Decimal("0.01")


class RuleError(ValueError):
    """Invalid input to the vote rules; ``message`` is for users (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- enums


class Matter(StrEnum):
    """Matters decided jointly by the owners (Civil Code art. 278, para. 1)."""

    RULES_OF_PROCEDURE = "rules_of_procedure"
    MANAGEMENT_RULES = "management_rules"
    ELECT_COMMITTEE = "elect_committee"
    HIRE_PROPERTY_MANAGER = "hire_property_manager"
    USE_MAINTENANCE_FUND = "use_maintenance_fund"
    RAISE_MAINTENANCE_FUND = "raise_maintenance_fund"
    REBUILD = "rebuild"
    CHANGE_COMMON_USE = "change_common_use"
    OTHER_MAJOR = "other_major"

    @property
    def label(self) -> str:
        return MATTER_LABELS[self]


MATTER_LABELS: dict[Matter, str] = {
    Matter.RULES_OF_PROCEDURE: gettext_lazy("制定和修改业主大会议事规则"),
    Matter.MANAGEMENT_RULES: gettext_lazy("制定和修改管理规约"),
    Matter.ELECT_COMMITTEE: gettext_lazy("选举业主委员会或者更换业主委员会成员"),
    Matter.HIRE_PROPERTY_MANAGER: gettext_lazy("选聘和解聘物业服务企业或者其他管理人"),
    Matter.USE_MAINTENANCE_FUND: gettext_lazy("使用建筑物及其附属设施的维修资金"),
    Matter.RAISE_MAINTENANCE_FUND: gettext_lazy("筹集建筑物及其附属设施的维修资金"),
    Matter.REBUILD: gettext_lazy("改建、重建建筑物及其附属设施"),
    Matter.CHANGE_COMMON_USE: gettext_lazy("改变共有部分的用途或者利用共有部分从事经营活动"),
    Matter.OTHER_MAJOR: gettext_lazy("有关共有和共同管理权利的其他重大事项"),
}


class UnitKind(StrEnum):
    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    PARKING = "parking"


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.RESIDENTIAL: gettext_lazy("住宅"),
    UnitKind.COMMERCIAL: gettext_lazy("经营性用房"),
    UnitKind.PARKING: gettext_lazy("车位"),
}


class Choice(StrEnum):
    """A decision ballot. Abstain and spoilt count as participation, never as agreement."""

    AGREE = "agree"
    OPPOSE = "oppose"
    ABSTAIN = "abstain"
    SPOILT = "spoilt"


CHOICE_LABELS: dict[Choice, str] = {
    Choice.AGREE: gettext_lazy("同意"),
    Choice.OPPOSE: gettext_lazy("反对"),
    Choice.ABSTAIN: gettext_lazy("弃权"),
    Choice.SPOILT: gettext_lazy("废票"),
}


def _parse_enum(enum: type[E], value: object, message: str) -> E:
    """``value`` as a member of ``enum``; else :class:`RuleError` with ``message``, a
    (lazy) text with the placeholders ``value`` and ``allowed``."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    allowed = pgettext("list separator", "、").join(member.value for member in enum)
    raise RuleError(message % {"value": repr(value), "allowed": allowed})


def parse_matter(value: object) -> Matter:
    """A :class:`Matter` from its key; :class:`RuleError` for anything else."""
    return _parse_enum(
        Matter, value, gettext_lazy("未知的表决事项：%(value)s（应为 %(allowed)s 之一）")
    )


def parse_kind(value: object) -> UnitKind:
    """A :class:`UnitKind` from its key; :class:`RuleError` for anything else."""
    return _parse_enum(
        UnitKind, value, gettext_lazy("未知的房屋类型：%(value)s（应为 %(allowed)s 之一）")
    )


def parse_choice(value: object) -> Choice:
    """A :class:`Choice` from its key; :class:`RuleError` for anything else."""
    return _parse_enum(
        Choice, value, gettext_lazy("未知的表决选项：%(value)s（应为 %(allowed)s 之一）")
    )


# --------------------------------------------------------------------------- areas

_AREA_RE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
_AREA_LIMIT = Decimal(10) ** 12


def parse_area(value: object) -> Decimal:
    """An exclusive area in m², exact to the hundredth, from a string such as ``"89.57"``.

    A :class:`Decimal` (as a ``DecimalField`` returns it) is accepted too. Floats, ints,
    booleans, negative numbers, exponents, NaN, more than two decimals: all rejected.
    """
    if isinstance(value, Decimal):
        if (
            not value.is_finite()
            or value < 0
            or value >= _AREA_LIMIT
            or value != value.quantize(CENT)
        ):
            raise RuleError(_("面积无效：%(value)s（应为非负数，最多两位小数）") % {"value": value})
        return abs(value).quantize(CENT)  # abs: no "-0.00"
    if not isinstance(value, str):
        raise RuleError(
            _('面积必须以字符串给出，例如 "89.57"，而不是 %(value)s') % {"value": repr(value)}
        )
    if not _AREA_RE.fullmatch(value):
        raise RuleError(
            _('面积格式无效：%(value)s（应为非负数，最多两位小数，例如 "89.57"）')
            % {"value": repr(value)}
        )
    return Decimal(value).quantize(CENT)


def format_area(area: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1234.50"``: always exactly two decimals."""
    return f"{area.quantize(CENT):f}"


# --------------------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class Totals:
    """Exclusive area (m²) and head count of a group of owners. Add them with ``+``."""

    area: Decimal = Decimal("0.00")
    heads: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.area, Decimal) or not self.area.is_finite():
            raise RuleError(
                _("面积必须是精确小数（Decimal），而不是 %(value)s") % {"value": repr(self.area)}
            )
        if self.area < 0:
            raise RuleError(_("面积不能为负数：%(value)s") % {"value": self.area})
        if isinstance(self.heads, bool) or not isinstance(self.heads, int) or self.heads < 0:
            raise RuleError(_("人数必须是非负整数，而不是 %(value)s") % {"value": repr(self.heads)})

    def __add__(self, other: Totals) -> Totals:
        if not isinstance(other, Totals):
            return NotImplemented
        return Totals(self.area + other.area, self.heads + other.heads)

    def covers(self, other: Totals) -> bool:
        """True if ``other`` is no larger than ``self`` in both area and heads."""
        return other.area <= self.area and other.heads <= self.heads

    def to_json(self) -> dict[str, Any]:
        return {"area": format_area(self.area), "heads": self.heads}


ZERO = Totals()


def _sum(items: Iterable[Totals]) -> Totals:
    total = ZERO
    for item in items:
        total = total + item
    return total
