"""rules.py: every state move allowed and refused, the chain, deadlines, similarity."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from gongzhi.demands import rules
from gongzhi.demands.rules import Action, DemandError, Level, Role, State

S = State
# Written out independently of rules.MOVES: the state graph the product promises.
EXPECTED: dict[State, set[State]] = {
    S.FILED: {S.DISPATCHED, S.WHISTLED, S.WITHDRAWN, S.MERGED},
    S.DISPATCHED: {S.DISPATCHED, S.ACCEPTED, S.RETURNED, S.WHISTLED, S.WITHDRAWN, S.MERGED},
    S.RETURNED: {S.DISPATCHED, S.WHISTLED, S.WITHDRAWN, S.MERGED},
    S.WHISTLED: {S.WHISTLED, S.ACCEPTED, S.WITHDRAWN, S.MERGED},
    S.ACCEPTED: {S.WHISTLED, S.RESOLVED, S.WITHDRAWN, S.MERGED},
    S.RESOLVED: {S.EVALUATED, S.RECTIFYING, S.CLOSED_UNRATED},
    S.RECTIFYING: {S.WHISTLED, S.RESOLVED},
    S.EVALUATED: {S.FEEDBACK_GIVEN},
    S.FEEDBACK_GIVEN: {S.CLOSED},
    S.CLOSED: set(),
    S.CLOSED_UNRATED: set(),
    S.WITHDRAWN: set(),
    S.MERGED: set(),
}

# Which action leads from which states (again written out independently).
EXPECTED_ACTIONS: dict[Action, set[State]] = {
    Action.DISPATCH: {S.FILED, S.RETURNED, S.DISPATCHED},
    Action.ACCEPT: {S.DISPATCHED},
    Action.RETURN: {S.DISPATCHED},
    Action.WHISTLE: {S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED, S.RECTIFYING},
    Action.ESCALATE: {S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED, S.RECTIFYING},
    Action.REPORT_IN: {S.WHISTLED},
    Action.RESOLVE: {S.ACCEPTED, S.RECTIFYING},
    Action.EVALUATE: {S.RESOLVED},
    Action.FEEDBACK: {S.EVALUATED},
    Action.CLOSE: {S.FEEDBACK_GIVEN},
    Action.CLOSE_UNRATED: {S.RESOLVED},
    Action.WITHDRAW: {S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED},
    Action.MERGE: {S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED},
}

EXPECTED_ROLES: dict[Action, set[Role]] = {
    Action.DISPATCH: {Role.DISPATCHER},
    Action.ACCEPT: {Role.HANDLER},
    Action.RETURN: {Role.HANDLER},
    Action.WHISTLE: {Role.REPORTER, Role.HANDLER},
    Action.ESCALATE: {Role.SYSTEM},
    Action.REPORT_IN: {Role.HANDLER},
    Action.RESOLVE: {Role.HANDLER},
    Action.EVALUATE: {Role.REPORTER},
    Action.FEEDBACK: {Role.HANDLER},
    Action.CLOSE: {Role.COMMUNITY},
    Action.CLOSE_UNRATED: {Role.SYSTEM},
    Action.WITHDRAW: {Role.REPORTER},
    Action.MERGE: {Role.DISPATCHER},
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(State, State)))
def test_state_matrix(source, target):
    assert rules.can_move(source, target) is (target in EXPECTED[source])
    assert (target in rules.ALLOWED[source]) is (target in EXPECTED[source])


@pytest.mark.parametrize(("action", "source"), list(itertools.product(Action, State)))
def test_action_allowed_or_refused_in_every_state(action, source):
    if source in EXPECTED_ACTIONS[action]:
        move = rules.check_move(action, source)
        assert move.source == source
        assert move.target in EXPECTED[source]
    else:
        with pytest.raises(DemandError) as err:
            rules.check_move(action, source)
        message = err.value.messages[0]
        assert str(source.label) in message and str(rules.ACTION_LABELS[action]) in message


@pytest.mark.parametrize(("action", "role"), list(itertools.product(Action, Role)))
def test_who_may_make_each_move(action, role):
    assert rules.role_may(action, [role]) is (role in EXPECTED_ROLES[action])


def test_refusal_message_names_who_may():
    assert rules.refusal(Action.CLOSE) == "只有社区工作人员可以总结关闭。"
    assert "诉求人" in rules.refusal(Action.WHISTLE) and "当前承办人" in rules.refusal(
        Action.WHISTLE
    )


def test_terminal_states_have_no_way_out():
    for state in rules.TERMINAL:
        assert rules.ALLOWED[state] == frozenset()


def test_evaluate_has_two_targets_chosen_by_rating():
    assert rules.check_move(Action.EVALUATE, S.RESOLVED, S.RECTIFYING).target == S.RECTIFYING
    assert rules.check_move(Action.EVALUATE, S.RESOLVED, S.EVALUATED).target == S.EVALUATED
    with pytest.raises(DemandError):
        rules.check_move(Action.EVALUATE, S.RESOLVED, S.CLOSED)


def test_every_unresolved_state_runs_a_deadline():
    assert set(rules.DEADLINE_FIELD) == set(rules.UNRESOLVED)


# --- chain --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("", Level.PROPERTY),
        (Level.PROPERTY, Level.OWNERS_BODY),
        (Level.OWNERS_BODY, Level.BRANCH),
        (Level.BRANCH, Level.COMMUNITY),
        (Level.COMMUNITY, Level.STREET),
        (Level.STREET, None),
    ],
)
def test_next_level_on_default_chain(level, expected):
    assert rules.next_level(level, rules.DEFAULT_CHAIN) == expected


def test_next_level_on_shortened_chain_skips_left_out_levels():
    chain = [Level.PROPERTY, Level.BRANCH, Level.COMMUNITY]
    assert rules.next_level("", chain) == Level.PROPERTY
    assert rules.next_level(Level.PROPERTY, chain) == Level.BRANCH
    # the owners' body is not in this chain: from it, the next ranking level above
    assert rules.next_level(Level.OWNERS_BODY, chain) == Level.BRANCH
    assert rules.next_level(Level.COMMUNITY, chain) is None
    assert rules.next_level(Level.STREET, chain) is None


def test_next_level_on_reordered_chain():
    chain = [Level.OWNERS_BODY, Level.PROPERTY, Level.STREET]
    assert rules.next_level("", chain) == Level.OWNERS_BODY
    assert rules.next_level(Level.OWNERS_BODY, chain) == Level.PROPERTY
    assert rules.next_level(Level.PROPERTY, chain) == Level.STREET
    assert rules.levels_after("", chain) == list(chain)


def test_validate_chain():
    assert rules.validate_chain(["street"]) == ("street",)
    for bad, fragment in [
        ([], "至少"),
        (["property", "property"], "重复"),
        (["property", "mayor"], "未知"),
        ("property", "列表"),
    ]:
        with pytest.raises(DemandError) as err:
            rules.validate_chain(bad)
        assert fragment in err.value.messages[0]


@pytest.mark.parametrize(
    ("kind", "post", "level"),
    [
        ("property_company", "clerk", Level.PROPERTY),
        ("owners_committee", None, Level.OWNERS_BODY),
        ("self_management_committee", "chair", Level.OWNERS_BODY),
        ("compound_party_branch", None, Level.BRANCH),
        ("compound_party_branch", "secretary", Level.BRANCH),
        ("compound_party_branch", "building_leader", ""),
        ("residents_committee", "community_worker", Level.COMMUNITY),
        ("street_office", None, Level.STREET),
        ("partner_unit", "liaison", ""),
        ("volunteer_team", None, ""),
        (None, None, ""),
    ],
)
def test_level_for_handler(kind, post, level):
    assert rules.level_for_handler(kind, post) == level


# --- deadlines and ratings ----------------------------------------------------------------

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def test_accept_deadline_edges():
    due = rules.accept_deadline(T0, 24)
    assert due == T0 + dt.timedelta(hours=24)
    assert not rules.is_overdue(due - SECOND, due)
    assert not rules.is_overdue(due, due)  # at exactly the deadline: on time
    assert rules.is_overdue(due + SECOND, due)


def test_resolve_deadline_edges():
    due = rules.resolve_deadline(T0, 3)
    assert due == dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    assert not rules.is_overdue(due, due)
    assert rules.is_overdue(due + SECOND, due)


def test_no_deadline_is_never_overdue():
    assert not rules.is_overdue(T0, None)


def test_unrated_after_seven_days_to_the_second():
    assert not rules.is_unrated_expired(T0 + dt.timedelta(days=7), T0)
    assert rules.is_unrated_expired(T0 + dt.timedelta(days=7) + SECOND, T0)
    assert not rules.is_unrated_expired(T0 + dt.timedelta(days=30), None)


@pytest.mark.parametrize(
    ("rating", "state"),
    [(1, S.RECTIFYING), (2, S.RECTIFYING), (3, S.EVALUATED), (4, S.EVALUATED), (5, S.EVALUATED),
     ("2", S.RECTIFYING)],
)  # fmt: skip
def test_rating_decides_next_state(rating, state):
    assert rules.state_after_rating(rating) == state


@pytest.mark.parametrize("bad", [0, 6, -1, "x", None, 2.5, True])
def test_bad_rating_refused_in_chinese(bad):
    with pytest.raises(DemandError) as err:
        rules.state_after_rating(bad)
    assert "1到5" in err.value.messages[0]


def test_satisfied_is_four_or_more():
    assert [rules.is_satisfied(r) for r in (None, 1, 3, 4, 5)] == [False, False, False, True, True]


# --- similarity and category suggestion ---------------------------------------------------


def test_ngrams_are_bigrams_and_trigrams_of_clean_text():
    grams = rules.ngrams("电梯 坏了!")
    assert set(grams) == {"电梯", "梯坏", "坏了", "电梯坏", "梯坏了"}
    assert rules.normalise_text("3号楼ＡＢ，漏水") == "3号楼ab漏水"


def test_similar_texts_score_high_and_unrelated_low():
    a = "3号楼2单元电梯坏了,老人上不了楼"
    b = "3号楼电梯又坏了,2单元的老人没法上楼"
    c = "小区东门的路灯晚上不亮"
    assert rules.similarity(a, b) >= rules.SIMILAR_THRESHOLD
    assert rules.similarity(a, c) < 0.1
    assert rules.similarity(a, a) == pytest.approx(1.0)
    assert rules.jaccard(a, b) > rules.jaccard(a, c)
    assert rules.similarity("", a) == 0.0


def test_rank_similar_orders_and_filters():
    ranked = rules.rank_similar(
        "楼道灯坏了", [(1, "楼道里的灯坏了好几天"), (2, "垃圾没人清运"), (3, "楼道灯不亮")]
    )
    assert [k for k, _ in ranked][:1] == [1] or [k for k, _ in ranked][:1] == [3]
    assert 2 not in [k for k, _ in ranked]


def test_suggest_category_by_keywords():
    categories = [
        ("repair", "漏水 电梯 水管"),
        ("environment", "垃圾,绿化、噪音"),
        ("parking", ["停车", "车位"]),
    ]
    assert rules.suggest_category("楼上卫生间漏水,天花板水管滴水", categories) == "repair"
    assert rules.suggest_category("晚上广场舞噪音太大", categories) == "environment"
    assert rules.suggest_category("地下车位被占,没地方停车", categories) == "parking"
    assert rules.suggest_category("想咨询一下社保", categories) is None
    assert rules.split_keywords("电梯 漏水,停车、 绿化;") == ["电梯", "漏水", "停车", "绿化"]
