"""Deciding one question: from totals (the database sums them) or from a roll and ballots (the recount).

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongzhi.voting.rules.base import (
    ZERO,
    Choice,
    Matter,
    RuleError,
    T,
    Totals,
    _sum,
    parse_choice,
    parse_matter,
)
from gongzhi.voting.rules.thresholds import (
    _AGREE_EXCEEDS_PARTICIPATING,
    _PARTICIPATING_EXCEEDS_TOTAL,
    QUORUM,
    Threshold,
    _check_within,
    meets,
    quorum_met,
    threshold_for,
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
