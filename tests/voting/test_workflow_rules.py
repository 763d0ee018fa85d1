"""The state machines and nomination tables in voting.rules (pure)."""

from __future__ import annotations

import pytest

from gongzhi.voting import rules
from gongzhi.voting.rules import (
    ASSEMBLY_MOVES,
    ASSEMBLY_STATE_LABELS,
    ELECTION_MOVES,
    ELECTION_STATE_LABELS,
    AssemblyState,
    ElectionState,
    RuleError,
    check_move,
)

S = AssemblyState


def test_assembly_moves_only_forward_one_step_at_a_time():
    path = [S.DRAFT, S.ROLL_PUBLISHED, S.OPEN, S.CLOSED, S.RESULT_PUBLISHED]
    for current, target in zip(path, path[1:], strict=False):
        check_move(ASSEMBLY_MOVES, ASSEMBLY_STATE_LABELS, current, target)
    for current in S:
        for target in S:
            if target not in ASSEMBLY_MOVES[current]:
                with pytest.raises(RuleError):
                    check_move(ASSEMBLY_MOVES, ASSEMBLY_STATE_LABELS, current, target)


def test_refused_move_names_current_state_and_allowed_moves_in_chinese():
    with pytest.raises(RuleError) as exc:
        check_move(ASSEMBLY_MOVES, ASSEMBLY_STATE_LABELS, S.DRAFT, S.OPEN)
    assert exc.value.message == "当前状态为“筹备中”，不能变为“表决中”。可以变为：“名册公示中”。"


def test_published_result_is_the_last_step():
    with pytest.raises(RuleError, match="已是最后一步"):
        check_move(ASSEMBLY_MOVES, ASSEMBLY_STATE_LABELS, S.RESULT_PUBLISHED, S.CLOSED)


def test_unfilled_seats_send_an_election_back_to_nomination():
    check_move(
        ELECTION_MOVES, ELECTION_STATE_LABELS, ElectionState.BALLOTING, ElectionState.NOMINATING
    )
    with pytest.raises(RuleError):
        check_move(
            ELECTION_MOVES, ELECTION_STATE_LABELS, ElectionState.NOMINATING, ElectionState.COUNTED
        )


def test_owners_committee_nominations_are_self_joint_and_party_branch():
    kinds = rules.nomination_kinds_for("owners_committee")
    assert set(kinds) == {
        rules.NominationKind.SELF,
        rules.NominationKind.JOINT,
        rules.NominationKind.PARTY_BRANCH,
    }


def test_self_management_committee_follows_story_003_steps():
    kinds = rules.nomination_kinds_for("self_management_committee")
    assert list(kinds.values()) == ["自主推荐", "群众推荐"]
    assert rules.ELECTION_STEPS["self_management_committee"][3].startswith("民主选举")
    with pytest.raises(RuleError, match="自管会选举不接受提名方式"):
        rules.parse_nomination("self_management_committee", "party_branch")


def test_only_committees_are_elected():
    with pytest.raises(RuleError):
        rules.nomination_kinds_for("property_company")


def test_seats_left_never_negative():
    assert rules.seats_left(7, 5) == 2
    assert rules.seats_left(7, 9) == 0
