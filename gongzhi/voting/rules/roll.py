"""The voter roll: units, the per-compound policy, and who counts how much (法释〔2009〕7号 arts. 8–9).

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gongzhi.voting.rules.base import (
    RuleError,
    Totals,
    UnitKind,
    parse_area,
)

# --------------------------------------------------------------------------- roll


@dataclass(frozen=True, slots=True)
class Unit:
    """One exclusive part (专有部分): a flat, a shop or a parking space.

    ``voter`` is who votes for it: the owner; for co-owned units the designated
    co-owner; for everything the developer still holds, one developer id.
    """

    id: str
    area: Decimal
    voter: str
    kind: UnitKind = UnitKind.RESIDENTIAL

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise RuleError(
                _("房屋编号必须是非空字符串，而不是 %(value)s") % {"value": repr(self.id)}
            )
        if not isinstance(self.voter, str) or not self.voter:
            raise RuleError(
                _("房屋 %(unit)s 的表决人必须是非空字符串，而不是 %(value)s")
                % {"unit": self.id, "value": repr(self.voter)}
            )
        if not isinstance(self.kind, UnitKind):
            raise RuleError(
                _("房屋 %(unit)s 的类型无效：%(value)s")
                % {"unit": self.id, "value": repr(self.kind)}
            )
        if not isinstance(self.area, Decimal):
            raise RuleError(
                _("房屋 %(unit)s 的面积必须是 Decimal，而不是 %(value)s")
                % {"unit": self.id, "value": repr(self.area)}
            )
        try:
            parse_area(self.area)
        except RuleError as exc:
            raise RuleError(
                _("房屋 %(unit)s：%(error)s") % {"unit": self.id, "error": exc.message}
            ) from None


@dataclass(frozen=True, slots=True)
class Policy:
    """Choices the owners' rules of procedure leave to the community.

    ``count_parking_area``: whether parking spaces count towards area and heads.
    Off by default: parking then contributes neither, and an owner of parking
    only is not on the roll.
    """

    count_parking_area: bool = False

    def counts(self, unit: Unit) -> bool:
        return unit.kind is not UnitKind.PARKING or self.count_parking_area


def build_roll(units: Iterable[Unit], policy: Policy = Policy()) -> dict[str, Totals]:
    """Voter → weight: one head per voter, areas of all their counted units summed.

    One head per voter is the whole of the head-count rule (法释〔2009〕7号): a unit is one
    head; one owner of several units is one head; the developer's unsold units carry
    one voter id and so are one head; co-owners vote through one designated voter.
    Unit ids must be unique.
    """
    seen: set[str] = set()
    areas: dict[str, Decimal] = {}
    for unit in units:
        if unit.id in seen:
            raise RuleError(_("房屋编号重复：%(unit)s") % {"unit": unit.id})
        seen.add(unit.id)
        if not policy.counts(unit):
            continue
        areas[unit.voter] = areas.get(unit.voter, Decimal("0.00")) + unit.area
    return {voter: Totals(area, 1) for voter, area in areas.items()}
