"""Electing an owners' committee: seats, the count with runoff and unfilled seats, committee size and term.

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongzhi.voting.rules.base import (
    ZERO,
    Matter,
    RuleError,
    Totals,
    _sum,
)
from gongzhi.voting.rules.decisions import (
    _weight,
)
from gongzhi.voting.rules.thresholds import (
    _CANDIDATE_EXCEEDS_PARTICIPATING,
    _PARTICIPATING_EXCEEDS_TOTAL,
    ELECTION_THRESHOLD,
    QUORUM,
    Threshold,
    _check_within,
    meets,
    quorum_met,
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
