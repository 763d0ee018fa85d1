"""Nominations: who may put candidates forward for which body.

Part of :mod:`gongzhi.voting.rules` (legal basis in its docstring); import from there."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from gongzhi.voting.rules.base import (
    RuleError,
)
from gongzhi.voting.rules.elections import (
    _check_seats,
)

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


# --------------------------------------------------------------------------- who is who
# The nomination form lists every owner who may stand; people of the same name are told
# apart by where they own. Fellow owners see the building and the floor part of the room
# only (minimum necessary); the election's managers see the room in full.

ROOMS_SHOWN = 2


def room_label(building: str, room: str, *, masked: bool) -> str:
    """6号楼 1203, or masked 6号楼 12**: the last two characters of the room hidden."""
    room = room or ""
    if masked:
        keep = max(len(room) - 2, 1) if len(room) > 1 else 0
        room = room[:keep] + "*" * (len(room) - keep)
    return f"{building} {room}".strip()


def rooms_text(labels: list[str]) -> str:
    """The first rooms of a person, and how many more: 6号楼 12**、7号楼 3**等3套."""
    shown = pgettext("list separator", "、").join(labels[:ROOMS_SHOWN])
    if len(labels) > ROOMS_SHOWN:
        n = len(labels)
        return ngettext("%(rooms)s等%(n)s套", "%(rooms)s等%(n)s套", n) % {"rooms": shown, "n": n}
    return shown
