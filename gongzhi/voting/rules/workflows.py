"""The allowed state moves of assemblies and elections, declared once as data.

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gongzhi.voting.rules.base import (
    E,
    RuleError,
)

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
