"""Owners'-assembly vote rules: pure functions, no database (Django only translates messages).

Legal basis, named once here and referred to below:

* 民法典第二百七十八条 (Civil Code art. 278): the list of matters, the quorum
  (专有部分面积占比三分之二以上 *and* 人数占比三分之二以上 of the owners take part)
  and the two thresholds (四分之三以上 of the participating area *and* heads for
  raising maintenance funds, rebuilding and changing the use of common parts;
  过半数 of each for every other matter).
* 法释〔2009〕7号《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》:
  area is the exclusive area of each unit; heads are counted one per unit, except
  that everything the developer still holds counts as one and one buyer with
  several units counts as one.
* 《业主大会和业主委员会指导规则》: the committee has 5 to 11 members, an odd
  number, and a term of at most five years.

"以上" includes the boundary (exactly 2/3 or 3/4 is enough); "过半数" is strict
(exactly one half is not enough). All arithmetic is exact: areas are
:class:`~decimal.Decimal` parsed from strings, and every comparison is a
cross-multiplication over :class:`~fractions.Fraction`, never a rounded ratio.

Two layers share ONE implementation of the rules:

* :func:`decide` and :func:`elect` work on already-aggregated :class:`Totals`
  (the database layer sums in SQL and calls these);
* :func:`tally_decision` and :func:`tally_election` aggregate a roll and ballots
  in memory (the ``tally`` recount command) and then call the functions above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

__all__ = [
    "ASSEMBLY_MOVES",
    "ASSEMBLY_STATE_LABELS",
    "ELECTION_MOVES",
    "ELECTION_STATE_LABELS",
    "ELECTION_STEPS",
    "FILING_DEADLINE_DAYS",
    "NOMINATION_KINDS",
    "AssemblyState",
    "ElectionState",
    "NominationKind",
    "check_move",
    "nomination_kinds_for",
    "parse_nomination",
    "seats_left",
    "ELECTION_THRESHOLD",
    "MATTER_LABELS",
    "MAJORITY",
    "QUORUM",
    "SUPERMAJORITY",
    "ZERO",
    "Choice",
    "DecisionResult",
    "ElectionResult",
    "Matter",
    "Policy",
    "RuleError",
    "Threshold",
    "Totals",
    "Unit",
    "UnitKind",
    "build_roll",
    "collect_ballots",
    "decide",
    "elect",
    "format_area",
    "meets",
    "parse_area",
    "parse_choice",
    "parse_kind",
    "parse_matter",
    "quorum_met",
    "tally_decision",
    "tally_election",
    "threshold_for",
    "validate_committee_size",
    "validate_term_years",
]

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


# --------------------------------------------------------------------------- thresholds


@dataclass(frozen=True, slots=True)
class Threshold:
    """A share of area AND of heads: ``part >= ratio * whole`` (or ``>`` when ``strict``)."""

    ratio: Fraction
    strict: bool
    text: str  # the condition in words, a lazy translation: read it as ``description``

    @property
    def description(self) -> str:
        """The condition in words, in the active language."""
        return str(self.text)

    def reached(self, part: Decimal | int, whole: Decimal | int) -> bool:
        """Exact cross-multiplication; nothing reaches a share of zero."""
        if whole <= 0:
            return False
        lhs = Fraction(part) * self.ratio.denominator
        rhs = Fraction(whole) * self.ratio.numerator
        return lhs > rhs if self.strict else lhs >= rhs


QUORUM = Threshold(
    Fraction(2, 3),
    strict=False,
    text=gettext_lazy("专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决"),
)
SUPERMAJORITY = Threshold(
    Fraction(3, 4),
    strict=False,
    text=gettext_lazy("参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意"),
)
MAJORITY = Threshold(
    Fraction(1, 2),
    strict=True,
    text=gettext_lazy("参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意"),
)
ELECTION_THRESHOLD = Threshold(
    Fraction(1, 2),
    strict=True,
    text=gettext_lazy("候选人获参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意"),
)

_SUPERMAJORITY_MATTERS = frozenset(
    {Matter.RAISE_MAINTENANCE_FUND, Matter.REBUILD, Matter.CHANGE_COMMON_USE}
)


def threshold_for(matter: Matter | str) -> Threshold:
    """3/4 inclusive for raising funds, rebuilding, changing common use; else 过半数 (strict)."""
    return SUPERMAJORITY if parse_matter(matter) in _SUPERMAJORITY_MATTERS else MAJORITY


def meets(threshold: Threshold, part: Totals, of: Totals) -> bool:
    """Whether ``part`` reaches ``threshold`` of ``of`` in area AND in heads."""
    return threshold.reached(part.area, of.area) and threshold.reached(part.heads, of.heads)


def quorum_met(total: Totals, participating: Totals) -> bool:
    """Participants hold 2/3 or more of the total area AND are 2/3 or more of the heads."""
    return meets(QUORUM, participating, total)


def _check_within(outer: Totals, inner: Totals, message: str, **names: str) -> None:
    """:class:`RuleError` with ``message`` (a lazy text with the placeholders
    ``inner_area``, ``inner_heads``, ``outer_area``, ``outer_heads`` and ``names``)
    unless ``outer`` covers ``inner``."""
    if not outer.covers(inner):
        raise RuleError(
            message
            % {
                "inner_area": format_area(inner.area),
                "inner_heads": inner.heads,
                "outer_area": format_area(outer.area),
                "outer_heads": outer.heads,
                **names,
            }
        )


_PARTICIPATING_EXCEEDS_TOTAL = gettext_lazy(
    "参与表决（面积 %(inner_area)s，%(inner_heads)s 人）"
    "超过业主总数（面积 %(outer_area)s，%(outer_heads)s 人）"
)
_AGREE_EXCEEDS_PARTICIPATING = gettext_lazy(
    "同意（面积 %(inner_area)s，%(inner_heads)s 人）"
    "超过参与表决（面积 %(outer_area)s，%(outer_heads)s 人）"
)
_CANDIDATE_EXCEEDS_PARTICIPATING = gettext_lazy(
    "候选人 %(candidate)s 的得票（面积 %(inner_area)s，%(inner_heads)s 人）"
    "超过参与表决（面积 %(outer_area)s，%(outer_heads)s 人）"
)


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class DecisionResult:
    matter: Matter
    total: Totals
    participating: Totals
    agree: Totals
    quorum_met: bool
    passed: bool
    threshold: Threshold
    oppose: Totals | None = None
    abstain: Totals | None = None
    spoilt: Totals | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "matter": self.matter.value,
            "matter_label": str(self.matter.label),
            "total": self.total.to_json(),
            "participating": self.participating.to_json(),
            "agree": self.agree.to_json(),
        }
        for name in ("oppose", "abstain", "spoilt"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value.to_json()
        data.update(
            quorum_met=self.quorum_met,
            quorum=QUORUM.description,
            passed=self.passed,
            threshold=self.threshold.description,
        )
        return data


def decide(
    matter: Matter | str,
    total: Totals,
    participating: Totals,
    agree: Totals,
    *,
    oppose: Totals | None = None,
    abstain: Totals | None = None,
    spoilt: Totals | None = None,
) -> DecisionResult:
    """Apply art. 278 to aggregated totals: quorum first, then the matter's threshold.

    ``oppose``/``abstain``/``spoilt`` are optional and only reported; when all are
    given they must add up with ``agree`` to ``participating``.
    """
    matter = parse_matter(matter)
    _check_within(total, participating, _PARTICIPATING_EXCEEDS_TOTAL)
    _check_within(participating, agree, _AGREE_EXCEEDS_PARTICIPATING)
    parts = (agree, oppose, abstain, spoilt)
    if all(p is not None for p in parts):
        summed = _sum(p for p in parts if p is not None)
        if summed != participating:
            raise RuleError(_("同意、反对、弃权、废票之和与参与表决的面积或人数不一致"))
    threshold = threshold_for(matter)
    has_quorum = quorum_met(total, participating)
    return DecisionResult(
        matter=matter,
        total=total,
        participating=participating,
        agree=agree,
        oppose=oppose,
        abstain=abstain,
        spoilt=spoilt,
        quorum_met=has_quorum,
        passed=has_quorum and meets(threshold, agree, participating),
        threshold=threshold,
    )


def collect_ballots(entries: Iterable[tuple[str, T]]) -> dict[str, T]:
    """``(voter, ballot)`` pairs → mapping; a second ballot from one voter is an error."""
    ballots: dict[str, T] = {}
    for voter, ballot in entries:
        if voter in ballots:
            raise RuleError(_("表决人 %(voter)s 提交了两张选票") % {"voter": voter})
        ballots[voter] = ballot
    return ballots


def _weight(roll: Mapping[str, Totals], voter: str) -> Totals:
    try:
        return roll[voter]
    except KeyError:
        raise RuleError(
            _("表决人 %(voter)s 不在业主名册上（或仅拥有不计入的车位）") % {"voter": voter}
        ) from None


def tally_decision(
    roll: Mapping[str, Totals],
    ballots: Mapping[str, Choice | str],
    matter: Matter | str,
) -> DecisionResult:
    """Count decision ballots against a roll (see :func:`build_roll`) and :func:`decide`."""
    by_choice: dict[Choice, Totals] = {choice: ZERO for choice in Choice}
    for voter, raw in ballots.items():
        weight = _weight(roll, voter)
        try:
            choice = parse_choice(raw)
        except RuleError as exc:
            raise RuleError(
                _("表决人 %(voter)s 的选票：%(error)s") % {"voter": voter, "error": exc.message}
            ) from None
        by_choice[choice] = by_choice[choice] + weight
    return decide(
        matter,
        total=_sum(roll.values()),
        participating=_sum(by_choice.values()),
        agree=by_choice[Choice.AGREE],
        oppose=by_choice[Choice.OPPOSE],
        abstain=by_choice[Choice.ABSTAIN],
        spoilt=by_choice[Choice.SPOILT],
    )


# --------------------------------------------------------------------------- elections


@dataclass(frozen=True, slots=True)
class ElectionResult:
    """``elected`` in rank order; ``runoff``: tied for the last seats, none elected;
    ``unfilled``: seats left for a new round."""

    seats: int
    total: Totals
    participating: Totals
    candidates: dict[str, Totals]
    quorum_met: bool
    qualified: tuple[str, ...]
    elected: tuple[str, ...]
    runoff: tuple[str, ...]
    unfilled: int
    threshold: Threshold = ELECTION_THRESHOLD

    def to_json(self) -> dict[str, Any]:
        return {
            "matter": Matter.ELECT_COMMITTEE.value,
            "matter_label": str(Matter.ELECT_COMMITTEE.label),
            "seats": self.seats,
            "total": self.total.to_json(),
            "participating": self.participating.to_json(),
            "quorum_met": self.quorum_met,
            "quorum": QUORUM.description,
            "threshold": self.threshold.description,
            "candidates": {c: t.to_json() for c, t in self.candidates.items()},
            "qualified": list(self.qualified),
            "elected": list(self.elected),
            "runoff": list(self.runoff),
            "unfilled": self.unfilled,
        }


def _check_seats(seats: object) -> int:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise RuleError(_("应选席位数必须是正整数，而不是 %(value)s") % {"value": repr(seats)})
    return seats


def elect(
    total: Totals,
    participating: Totals,
    approvals: Mapping[str, Totals],
    seats: int,
) -> ElectionResult:
    """Fill ``seats`` from aggregated approvals.

    Nobody is elected without quorum. A candidate qualifies with 过半数 of the
    participating area AND heads (strict). Qualified candidates are ranked by heads,
    then area, and fill seats in that order; candidates tied exactly (same heads and
    area) who are more than the seats left all go to a runoff, and those seats stay
    unfilled for a new round. Equal-ranked candidates keep the order of ``approvals``.
    """
    seats = _check_seats(seats)
    _check_within(total, participating, _PARTICIPATING_EXCEEDS_TOTAL)
    for candidate, votes in approvals.items():
        _check_within(participating, votes, _CANDIDATE_EXCEEDS_PARTICIPATING, candidate=candidate)
    has_quorum = quorum_met(total, participating)
    qualified: list[str] = []
    elected: list[str] = []
    runoff: list[str] = []
    if has_quorum:
        qualified = [
            c for c, votes in approvals.items() if meets(ELECTION_THRESHOLD, votes, participating)
        ]
        qualified.sort(key=lambda c: (-approvals[c].heads, -approvals[c].area))
        position = 0
        while position < len(qualified) and len(elected) < seats:
            rank = approvals[qualified[position]]
            group = [c for c in qualified[position:] if approvals[c] == rank]
            if len(group) > seats - len(elected):
                runoff = group
                break
            elected.extend(group)
            position += len(group)
    return ElectionResult(
        seats=seats,
        total=total,
        participating=participating,
        candidates=dict(approvals),
        quorum_met=has_quorum,
        qualified=tuple(qualified),
        elected=tuple(elected),
        runoff=tuple(runoff),
        unfilled=seats - len(elected),
    )


def tally_election(
    roll: Mapping[str, Totals],
    ballots: Mapping[str, Sequence[str]],
    candidates: Sequence[str],
    seats: int,
) -> ElectionResult:
    """Count approval ballots (at most ``seats`` distinct known candidates each) and :func:`elect`.

    An empty ballot is valid: the voter takes part and approves nobody.
    """
    seats = _check_seats(seats)
    approvals: dict[str, Totals] = {}
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate:
            raise RuleError(
                _("候选人编号必须是非空字符串，而不是 %(value)s") % {"value": repr(candidate)}
            )
        if candidate in approvals:
            raise RuleError(_("候选人重复：%(candidate)s") % {"candidate": candidate})
        approvals[candidate] = ZERO
    participating = ZERO
    for voter, choices in ballots.items():
        weight = _weight(roll, voter)
        if isinstance(choices, str) or not isinstance(choices, Sequence):
            raise RuleError(_("表决人 %(voter)s 的选票必须是候选人编号列表") % {"voter": voter})
        if len(choices) > seats:
            raise RuleError(
                _("表决人 %(voter)s 选了 %(chosen)s 人，超过应选席位数 %(seats)s")
                % {"voter": voter, "chosen": len(choices), "seats": seats}
            )
        for candidate in choices:
            if not isinstance(candidate, str) or candidate not in approvals:
                raise RuleError(
                    _("表决人 %(voter)s 的选票含未知候选人：%(candidate)s")
                    % {"voter": voter, "candidate": repr(candidate)}
                )
        if len(set(choices)) != len(choices):
            raise RuleError(_("表决人 %(voter)s 的选票重复选择同一候选人") % {"voter": voter})
        for candidate in choices:
            approvals[candidate] = approvals[candidate] + weight
        participating = participating + weight
    return elect(_sum(roll.values()), participating, approvals, seats)


# --------------------------------------------------------------------------- committee


def validate_committee_size(members: int) -> int:
    """The committee has an odd number of members from 5 to 11 (指导规则)."""
    if (
        isinstance(members, bool)
        or not isinstance(members, int)
        or not 5 <= members <= 11
        or members % 2 == 0
    ):
        raise RuleError(
            _("业主委员会委员人数应为 5 至 11 人的单数，而不是 %(value)s")
            % {"value": repr(members)}
        )
    return members


def validate_term_years(years: int) -> int:
    """A committee term is a whole number of years, at least 1 and at most 5 (指导规则)."""
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 5:
        raise RuleError(
            _("业主委员会任期应为 1 至 5 年，而不是 %(value)s") % {"value": repr(years)}
        )
    return years


# --------------------------------------------------------------------------- workflows
#
# The allowed state moves, declared once as data. Services check a move with
# :func:`check_move` before they make it; a refused move is a :class:`RuleError` whose
# Chinese message names the current state and the moves that are allowed.


class AssemblyState(StrEnum):
    """业主大会会议的状态."""

    DRAFT = "draft"
    ROLL_PUBLISHED = "roll_published"
    OPEN = "open"
    CLOSED = "closed"
    RESULT_PUBLISHED = "result_published"


ASSEMBLY_STATE_LABELS: dict[AssemblyState, str] = {
    AssemblyState.DRAFT: gettext_lazy("筹备中"),
    AssemblyState.ROLL_PUBLISHED: gettext_lazy("名册公示中"),
    AssemblyState.OPEN: gettext_lazy("表决中"),
    AssemblyState.CLOSED: gettext_lazy("已截止计票"),
    AssemblyState.RESULT_PUBLISHED: gettext_lazy("结果已公示"),
}

ASSEMBLY_MOVES: dict[AssemblyState, frozenset[AssemblyState]] = {
    AssemblyState.DRAFT: frozenset({AssemblyState.ROLL_PUBLISHED}),
    AssemblyState.ROLL_PUBLISHED: frozenset({AssemblyState.OPEN}),
    AssemblyState.OPEN: frozenset({AssemblyState.CLOSED}),
    AssemblyState.CLOSED: frozenset({AssemblyState.RESULT_PUBLISHED}),
    AssemblyState.RESULT_PUBLISHED: frozenset(),
}


class ElectionState(StrEnum):
    """换届选举的状态: 提名与资格审查 → 候选人公示 → 投票 → 计票产生 → 备案."""

    NOMINATING = "nominating"
    SLATE_PUBLISHED = "slate_published"
    BALLOTING = "balloting"
    COUNTED = "counted"
    FILED = "filed"


ELECTION_STATE_LABELS: dict[ElectionState, str] = {
    ElectionState.NOMINATING: gettext_lazy("提名与资格审查"),
    ElectionState.SLATE_PUBLISHED: gettext_lazy("候选人公示中"),
    ElectionState.BALLOTING: gettext_lazy("投票中"),
    ElectionState.COUNTED: gettext_lazy("已产生，待备案"),
    ElectionState.FILED: gettext_lazy("已备案"),
}

# BALLOTING → NOMINATING: seats left unfilled (and no runoff) go to a new round.
# A runoff keeps the election BALLOTING, with a new question in a new assembly.
ELECTION_MOVES: dict[ElectionState, frozenset[ElectionState]] = {
    ElectionState.NOMINATING: frozenset({ElectionState.SLATE_PUBLISHED}),
    ElectionState.SLATE_PUBLISHED: frozenset({ElectionState.BALLOTING, ElectionState.NOMINATING}),
    ElectionState.BALLOTING: frozenset({ElectionState.COUNTED, ElectionState.NOMINATING}),
    ElectionState.COUNTED: frozenset({ElectionState.FILED}),
    ElectionState.FILED: frozenset(),
}


def check_move(
    moves: Mapping[E, frozenset[E]], labels: Mapping[E, str], current: E | str, target: E | str
) -> None:
    """Raise :class:`RuleError` unless ``current`` → ``target`` is one of ``moves``."""
    kind = type(next(iter(moves)))
    current, target = kind(current), kind(target)
    if target in moves[current]:
        return
    allowed = pgettext("list separator", "、").join(
        f"“{labels[s]}”" for s in sorted(moves[current])
    ) or _("无（已是最后一步）")
    raise RuleError(
        _("当前状态为“%(current)s”，不能变为“%(target)s”。可以变为：%(allowed)s。")
        % {"current": labels[current], "target": labels[target], "allowed": allowed}
    )


FILING_DEADLINE_DAYS = 30  # 选举结果产生后 30 日内向街道办事处备案


# --------------------------------------------------------------------------- nominations


class NominationKind(StrEnum):
    SELF = "self"
    JOINT = "joint"
    PARTY_BRANCH = "party_branch"
    RESIDENTS = "residents"


# Which ways of nominating a committee exist depends on the body being chosen:
# an owners' committee (业委会换届) or the 自管会 of a 三无小区 (story 003's three steps:
# 自主推荐、群众推荐、民主选举).
NOMINATION_KINDS: dict[str, dict[NominationKind, str]] = {
    "owners_committee": {
        NominationKind.SELF: gettext_lazy("业主自荐"),
        NominationKind.JOINT: gettext_lazy("业主联名推荐"),
        NominationKind.PARTY_BRANCH: gettext_lazy("小区党支部推荐"),
    },
    "self_management_committee": {
        NominationKind.SELF: gettext_lazy("自主推荐"),
        NominationKind.RESIDENTS: gettext_lazy("群众推荐"),
    },
}

ELECTION_STEPS: dict[str, tuple[str, ...]] = {
    "owners_committee": (
        gettext_lazy("提名：业主自荐、业主联名推荐、小区党支部推荐"),
        gettext_lazy("资格审查：本小区业主，且无不得担任的情形"),
        gettext_lazy("候选人名单公示，接受异议"),
        gettext_lazy("业主大会投票：每票最多选应选人数"),
        gettext_lazy("计票：参与表决过三分之二，得票过半数，按人数、面积排序"),
        gettext_lazy("向街道办事处备案"),
    ),
    "self_management_committee": (
        gettext_lazy("自主推荐"),
        gettext_lazy("群众推荐"),
        gettext_lazy("资格审查与候选人公示"),
        gettext_lazy("民主选举：每票最多选应选人数"),
        gettext_lazy("计票与备案"),
    ),
}

COMMITTEE_LABELS: dict[str, str] = {
    "owners_committee": gettext_lazy("业主委员会"),
    "self_management_committee": gettext_lazy("自管会"),
}


def nomination_kinds_for(body_kind: str) -> dict[NominationKind, str]:
    """The ways of nominating for ``body_kind``; :class:`RuleError` for an unknown body."""
    try:
        return NOMINATION_KINDS[body_kind]
    except KeyError:
        raise RuleError(
            _("不能为“%(body)s”组织选举：只能选举业主委员会或自管会") % {"body": body_kind}
        ) from None


def parse_nomination(body_kind: str, value: object) -> NominationKind:
    """A nomination kind allowed for ``body_kind``; :class:`RuleError` naming the allowed ones."""
    kinds = nomination_kinds_for(body_kind)
    for kind, _label in kinds.items():
        if value == kind.value:
            return kind
    allowed = pgettext("list separator", "、").join(
        pgettext("a label and its key", "%(label)s（%(key)s）")
        % {"label": label, "key": kind.value}
        for kind, label in kinds.items()
    )
    raise RuleError(
        _("%(committee)s选举不接受提名方式 %(value)s，可选：%(allowed)s")
        % {"committee": COMMITTEE_LABELS[body_kind], "value": repr(value), "allowed": allowed}
    )


def seats_left(seats: int, elected: int) -> int:
    """Seats a new round or runoff must still fill."""
    return max(0, _check_seats(seats) - elected)
