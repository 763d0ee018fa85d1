"""Quorum and thresholds under Civil Code art. 278, exact by cross-multiplication.

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy

from gongzhi.voting.rules.base import (
    Matter,
    RuleError,
    Totals,
    format_area,
    parse_matter,
)

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
