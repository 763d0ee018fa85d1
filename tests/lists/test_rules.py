"""Pure rules of lists: every state move allowed and refused, roles, periods, milestones,
and what of a demand may be shown in public."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from gongzhi.lists import rules
from gongzhi.lists.rules import Action, ItemState, ListError, ListState, Mode, Role

I = ItemState  # noqa: E741

# --- the list's states --------------------------------------------------------------------

LIST_ALLOWED = {(ListState.DRAFT, ListState.PUBLISHED), (ListState.PUBLISHED, ListState.ARCHIVED)}


@pytest.mark.parametrize("source,target", list(itertools.product(ListState, ListState)))
def test_every_list_move_is_allowed_or_refused(source, target):
    if (source, target) in LIST_ALLOWED:
        assert rules.check_list_move(source, target) == target
    else:
        with pytest.raises(ListError) as exc:
            rules.check_list_move(source, target)
        assert f"清单当前状态为“{source.label}”" in exc.value.messages[0]


def test_publishing_a_published_list_is_refused_in_chinese():
    with pytest.raises(ListError, match="不能发布"):
        rules.check_list_move(ListState.PUBLISHED, ListState.PUBLISHED)


# --- the item's states ----------------------------------------------------------------------

ITEM_ALLOWED = {
    (Action.CLAIM, I.OPEN): I.CLAIMED,
    (Action.ASSIGN, I.OPEN): I.CLAIMED,
    (Action.RELEASE, I.CLAIMED): I.OPEN,
    (Action.RELEASE, I.IN_PROGRESS): I.OPEN,
    (Action.REPORT, I.OPEN): I.IN_PROGRESS,
    (Action.REPORT, I.CLAIMED): I.IN_PROGRESS,
    (Action.REPORT, I.IN_PROGRESS): I.IN_PROGRESS,
    (Action.FINISH, I.CLAIMED): I.DONE,
    (Action.FINISH, I.IN_PROGRESS): I.DONE,
    (Action.SOLVE, I.OPEN): I.DONE,
    (Action.DROP, I.OPEN): I.DROPPED,
    (Action.DROP, I.CLAIMED): I.DROPPED,
    (Action.DROP, I.IN_PROGRESS): I.DROPPED,
}


@pytest.mark.parametrize("action,source", list(itertools.product(Action, ItemState)))
def test_every_item_move_is_allowed_or_refused(action, source):
    if (action, source) in ITEM_ALLOWED:
        move = rules.check_item_move(action, source, ListState.PUBLISHED)
        assert move.target == ITEM_ALLOWED[action, source]
    else:
        with pytest.raises(ListError) as exc:
            rules.check_item_move(action, source, ListState.PUBLISHED)
        assert f"事项当前状态为“{source.label}”" in exc.value.messages[0]


def test_the_state_graph_is_the_table():
    assert rules.ALLOWED[I.OPEN] == {I.CLAIMED, I.IN_PROGRESS, I.DONE, I.DROPPED}
    assert rules.ALLOWED[I.CLAIMED] == {I.OPEN, I.IN_PROGRESS, I.DONE, I.DROPPED}
    assert rules.ALLOWED[I.IN_PROGRESS] == {I.OPEN, I.IN_PROGRESS, I.DONE, I.DROPPED}
    assert rules.ALLOWED[I.DONE] == frozenset()
    assert rules.ALLOWED[I.DROPPED] == frozenset()


@pytest.mark.parametrize("action", [Action.CLAIM, Action.ASSIGN])
@pytest.mark.parametrize("list_state", [ListState.DRAFT, ListState.ARCHIVED])
def test_items_are_claimed_only_on_a_published_list(action, list_state):
    with pytest.raises(ListError, match="清单发布后才能"):
        rules.check_item_move(action, I.OPEN, list_state)


@pytest.mark.parametrize("action", [a for a in Action if a not in (Action.CLAIM, Action.ASSIGN)])
def test_nothing_moves_on_an_archived_list(action):
    source = next(s for (a, s) in ITEM_ALLOWED if a == action)
    with pytest.raises(ListError, match="清单已归档,不能"):
        rules.check_item_move(action, source, ListState.ARCHIVED)


@pytest.mark.parametrize("action", [Action.SOLVE, Action.REPORT, Action.DROP])
def test_staff_work_on_a_draft_list(action):
    assert rules.check_item_move(action, I.OPEN, ListState.DRAFT)


# --- roles ------------------------------------------------------------------------------------

ROLE_TABLE = {
    # (action, source): roles that may, besides the system
    (Action.CLAIM, I.OPEN): {Role.ELIGIBLE},
    (Action.ASSIGN, I.OPEN): {Role.STAFF},
    (Action.RELEASE, I.CLAIMED): {Role.CLAIMANT, Role.STAFF},
    (Action.REPORT, I.OPEN): {Role.STAFF},
    (Action.REPORT, I.CLAIMED): {Role.CLAIMANT, Role.STAFF},
    (Action.FINISH, I.IN_PROGRESS): {Role.CLAIMANT, Role.STAFF},
    (Action.SOLVE, I.OPEN): {Role.STAFF},
    (Action.DROP, I.CLAIMED): {Role.STAFF},
}


@pytest.mark.parametrize(
    "action,source,role",
    [(a, s, r) for (a, s) in ROLE_TABLE for r in Role],
)
def test_every_role_on_every_move(action, source, role):
    expected = role in ROLE_TABLE[action, source] or role == Role.SYSTEM
    assert rules.role_may(action, source, {role}) is expected


def test_an_eligible_claimer_may_not_finish_what_they_do_not_hold():
    assert not rules.role_may(Action.FINISH, I.CLAIMED, {Role.ELIGIBLE})


def test_refusal_names_who_may_claim():
    assert rules.refusal(Action.CLAIM) == (
        "只有覆盖本小区的共建单位联络人或在本社区双报到的在职党员可以认领。"
    )


def test_only_a_fix_now_item_is_solved_directly():
    rules.check_solve(Mode.FIX_NOW)
    with pytest.raises(ListError, match="长期项目不能直接标为已解决"):
        rules.check_solve(Mode.LONG_TERM)


def test_a_project_is_finished_only_with_every_milestone_done():
    rules.check_milestones_done(3, 3)
    rules.check_milestones_done(0, 0)
    with pytest.raises(ListError, match="还有1个节点未完成"):
        rules.check_milestones_done(3, 2)


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label,start,end",
    [
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("2022-Q1", dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
        ("2022-q3", dt.date(2022, 7, 1), dt.date(2022, 9, 30)),
        ("2022-Q4", dt.date(2022, 10, 1), dt.date(2022, 12, 31)),
        ("2024-H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024-H2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-12", dt.date(2023, 12, 1), dt.date(2023, 12, 31)),
    ],
)
def test_period_labels_give_their_dates(label, start, end):
    assert rules.parse_period(label) == (start, end)


@pytest.mark.parametrize("label", ["", "22", "2022-Q5", "2022-13", "2022-H3", "去年", "1999"])
def test_bad_period_labels_are_refused_in_chinese(label):
    with pytest.raises(ListError) as exc:
        rules.parse_period(label)
    assert "period" in exc.value.message_dict


def test_a_free_period_label_needs_both_dates_in_order():
    start, end = dt.date(2022, 3, 1), dt.date(2022, 8, 31)
    assert rules.clean_period("2022年第二批", start, end) == ("2022年第二批", start, end)
    assert rules.clean_period("2022-q3") == ("2022-Q3", dt.date(2022, 7, 1), dt.date(2022, 9, 30))
    with pytest.raises(ListError, match="请同时填写起止日期"):
        rules.clean_period("2022年第二批", start, None)
    with pytest.raises(ListError, match="结束日期不能早于开始日期"):
        rules.clean_period("2022年第二批", end, start)


# --- input -----------------------------------------------------------------------------------


def test_milestones_in_every_shape_sorted_by_due_date():
    specs = rules.clean_milestones(
        [("完工", "2024-09-30"), {"title": "方案", "due_on": dt.date(2024, 4, 30)}]
    )
    assert [(m.title, m.due_on) for m in specs] == [
        ("方案", dt.date(2024, 4, 30)),
        ("完工", dt.date(2024, 9, 30)),
    ]


@pytest.mark.parametrize(
    "specs,message",
    [
        ([("", dt.date(2024, 1, 1))], "请填写第1个节点的名称"),
        ([("方案", None)], "请填写第1个节点的完成期限"),
        ([("方案", "明年")], "请填写第1个节点的完成期限"),
        (["方案"], "第1个节点格式有误"),
        ([("节点", dt.date(2024, 1, 1))] * 21, "节点不能超过20个"),
    ],
)
def test_bad_milestones_are_refused(specs, message):
    with pytest.raises(ListError, match=message):
        rules.clean_milestones(specs)


def test_milestone_lines_of_a_form():
    specs = rules.parse_milestone_lines("2024-6-30 完成招标\n\n2024-03-01  完成方案  ")
    assert [(m.title, m.due_on) for m in specs] == [
        ("完成方案", dt.date(2024, 3, 1)),
        ("完成招标", dt.date(2024, 6, 30)),
    ]
    with pytest.raises(ListError, match="第1行格式应为"):
        rules.parse_milestone_lines("完成招标")
    with pytest.raises(ListError, match="第1行的日期无效"):
        rules.parse_milestone_lines("2024-02-30 完成招标")


def test_a_long_term_project_needs_a_plan_and_a_milestone():
    spec = rules.MilestoneSpec("方案", dt.date(2024, 1, 1))
    rules.check_long_term("分两期修建", [spec])
    with pytest.raises(ListError) as exc:
        rules.check_long_term(" ", [])
    assert set(exc.value.message_dict) == {"plan", "milestones"}


@pytest.mark.parametrize("value,expected", [(0, 0), ("55", 55), (100, 100)])
def test_percent(value, expected):
    assert rules.clean_percent(value) == expected


@pytest.mark.parametrize("value", [-1, 101, "半", None, True, 5.5])
def test_bad_percent(value):
    with pytest.raises(ListError, match="进度须为0到100的整数"):
        rules.clean_percent(value)


# --- public text ---------------------------------------------------------------------------------


def test_a_public_demand_lends_its_text_never_a_name():
    title, description = rules.public_text_for_demand(
        description="2号楼屋顶漏水。下雨天家里滴水", is_public=True, category="维修", place="2号楼"
    )
    assert title == "2号楼屋顶漏水"
    assert description == "2号楼屋顶漏水。下雨天家里滴水"


def test_a_demand_not_to_be_shown_gives_only_its_category_and_place():
    title, description = rules.public_text_for_demand(
        description="我是3号楼201的张三,隔壁装修太吵",
        is_public=False,
        category="噪音",
        place="3号楼",
    )
    assert (title, description) == ("噪音 · 3号楼", "")


def test_a_room_is_never_named():
    assert rules.place_label_for("1号楼") == "1号楼"
    assert rules.place_label_for(None, "东门停车场") == "东门停车场"
    assert rules.place_label_for(None) == "小区公共区域"


def test_long_text_titles_are_cut():
    assert rules.title_from_text("路" * 50) == "路" * 29 + "…"


def test_figures_share():
    figures = rules.Figures(collected=67, solved=36, claimed=15, dropped=7)
    assert figures.solved_share == pytest.approx(36 / 60)
    assert rules.Figures().solved_share == 0.0
    assert figures.as_dict()["collected"] == 67
