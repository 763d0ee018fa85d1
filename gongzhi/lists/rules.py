"""Pure rules for lists (清单): states, the moves between them, who may make each move,
periods, milestones and what of a demand may be shown in public.

DOMAIN.md mechanism 2 and article 001: demands and meeting items are compiled into a
compound's 需求清单 (needs list) or 问题清单 (problem list); each item is 立行立改 (fixed
now) or a long-term project with a plan and milestones; the list is published, and partner
units (共建单位) and 双报到 in-service party members claim items (认领), report progress and
finish them.

No ORM, no requests: services load rows, ask these rules, write. Tested exhaustively in
tests/lists/test_rules.py.

A list::

    draft ──publish──▶ published ──archive──▶ archived

An item::

    open ──claim (partner / 双报到) or assign (staff)──▶ claimed ──report──▶ in_progress
     │ ▲                                                 │  │               │  ▲ report
     │ └───────────────release (claimant or staff)───────┘  │               └──┘
     │                                                      └─finish─▶ done ◀─finish─┘
     ├─solve (staff, 立行立改 only)──▶ done
     ├─report (staff: the community carries a project itself)──▶ in_progress
     └─drop (staff, with a reason; also from claimed / in_progress)──▶ dropped
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class ListError(ValidationError):
    """A list move or input refused, with a message for the user in Chinese."""


# ---------------------------------------------------------------------------------------
# Kinds and states
# ---------------------------------------------------------------------------------------


class ListKind(TextChoices):
    NEEDS = "needs", _("需求清单")
    PROBLEMS = "problems", _("问题清单")


class ListState(TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class ItemState(TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已解决")
    DROPPED = "dropped", pgettext_lazy("清单事项状态", "不再办理")


class Mode(TextChoices):
    FIX_NOW = "fix_now", _("立行立改")
    LONG_TERM = "long_term", _("长期项目")


class Source(TextChoices):
    DEMAND = "demand", _("居民诉求")
    MEETING = "meeting", _("会议收集")
    VISIT = "visit", _("上门走访")


LIST_MOVES: dict[ListState, frozenset[ListState]] = {
    ListState.DRAFT: frozenset({ListState.PUBLISHED}),
    ListState.PUBLISHED: frozenset({ListState.ARCHIVED}),
    ListState.ARCHIVED: frozenset(),
}
"""The list's state graph, once. Anything not listed here is refused."""

LIST_MOVE_LABELS = {
    ListState.PUBLISHED: pgettext_lazy("动作", "发布"),
    ListState.ARCHIVED: pgettext_lazy("动作", "归档"),
}

EDITABLE = frozenset({ListState.DRAFT, ListState.PUBLISHED})
"""List states in which items may be added and moved (an archived list is frozen)."""
PUBLIC = frozenset({ListState.PUBLISHED, ListState.ARCHIVED})
"""List states residents see; a draft is seen by staff only."""
COUNTED = PUBLIC
"""List states whose items count in the place-level figures (a draft is still being compiled)."""


def check_list_move(source: str, target: str) -> ListState:
    """``target`` if the list may move there from ``source``; ListError otherwise."""
    source, target = ListState(source), ListState(target)
    if target not in LIST_MOVES[source]:
        raise ListError(
            _("清单当前状态为“%(state)s”,不能%(action)s。")
            % {
                "state": source.label,
                "action": LIST_MOVE_LABELS[target]
                if target in LIST_MOVE_LABELS
                else _("改为%(state)s") % {"state": target.label},
            },
            code="bad_move",
        )
    return target


# ---------------------------------------------------------------------------------------
# Item moves and roles
# ---------------------------------------------------------------------------------------


class Role(StrEnum):
    """Who someone is relative to one item (permissions.roles_of computes them)."""

    STAFF = "staff"  # DemandCap.DISPATCH over the list's place: 支部书记、网格员、社区工作人员
    ELIGIBLE = "eligible"  # may claim: partner-unit liaison over the place, or 双报到 here
    CLAIMANT = "claimant"  # holds the item's active claim (the unit's liaison, or the member)
    SYSTEM = "system"  # actor None: a command or the demo loader, trusted


class Action(StrEnum):
    CLAIM = "claim"  # 认领: a partner unit or a 双报到 member takes the item
    ASSIGN = "assign"  # 指派: staff give the item to a partner unit or a 双报到 member
    RELEASE = "release"  # 退回认领: the claim is given back, the item is open again
    REPORT = "report"  # 报告进展
    FINISH = "finish"  # 办结: the claimant (or staff) finishes a claimed item
    SOLVE = "solve"  # 立行立改: staff mark a fix-now item solved directly
    DROP = "drop"  # 不再办理, with a reason


ACTION_LABELS: dict[Action, str] = {
    Action.CLAIM: pgettext_lazy("动作", "认领"),
    Action.ASSIGN: pgettext_lazy("动作", "指派认领"),
    Action.RELEASE: pgettext_lazy("动作", "退回认领"),
    Action.REPORT: pgettext_lazy("动作", "报告进展"),
    Action.FINISH: pgettext_lazy("动作", "办结"),
    Action.SOLVE: pgettext_lazy("动作", "立行立改办结"),
    Action.DROP: pgettext_lazy("动作", "不再办理"),
}

ROLE_LABELS: dict[Role, str] = {
    Role.STAFF: pgettext_lazy("角色", "支部书记、网格员或社区工作人员"),
    Role.ELIGIBLE: pgettext_lazy("角色", "覆盖本小区的共建单位联络人或在本社区双报到的在职党员"),
    Role.CLAIMANT: pgettext_lazy("角色", "认领单位或认领人"),
    Role.SYSTEM: pgettext_lazy("角色", "系统"),
}


@dataclass(frozen=True)
class Move:
    action: Action
    source: ItemState
    target: ItemState
    roles: frozenset[Role]


def _moves(action: Action, sources: Iterable[ItemState], target: ItemState, *roles: Role):
    return [Move(action, s, target, frozenset({*roles, Role.SYSTEM})) for s in sources]


I = ItemState  # noqa: E741 - a short alias for the table below
R = Role
MOVES: tuple[Move, ...] = (
    *_moves(Action.CLAIM, (I.OPEN,), I.CLAIMED, R.ELIGIBLE),
    *_moves(Action.ASSIGN, (I.OPEN,), I.CLAIMED, R.STAFF),
    *_moves(Action.RELEASE, (I.CLAIMED, I.IN_PROGRESS), I.OPEN, R.CLAIMANT, R.STAFF),
    *_moves(Action.REPORT, (I.CLAIMED, I.IN_PROGRESS), I.IN_PROGRESS, R.CLAIMANT, R.STAFF),
    *_moves(Action.REPORT, (I.OPEN,), I.IN_PROGRESS, R.STAFF),
    *_moves(Action.FINISH, (I.CLAIMED, I.IN_PROGRESS), I.DONE, R.CLAIMANT, R.STAFF),
    *_moves(Action.SOLVE, (I.OPEN,), I.DONE, R.STAFF),
    *_moves(Action.DROP, (I.OPEN, I.CLAIMED, I.IN_PROGRESS), I.DROPPED, R.STAFF),
)
"""Every allowed item move, once. Anything not listed here is refused."""

ALLOWED: dict[ItemState, frozenset[ItemState]] = {
    state: frozenset(m.target for m in MOVES if m.source == state) for state in ItemState
}
"""The item's state graph: ``ALLOWED[a]`` holds every state reachable from ``a`` in one move."""

LIST_STATES_FOR: dict[Action, frozenset[ListState]] = {
    Action.CLAIM: frozenset({ListState.PUBLISHED}),
    Action.ASSIGN: frozenset({ListState.PUBLISHED}),
    **{a: EDITABLE for a in (Action.RELEASE, Action.REPORT, Action.FINISH)},
    **{a: EDITABLE for a in (Action.SOLVE, Action.DROP)},
}
"""Items are claimed only on a published list; nothing moves on an archived one."""

CLAIMABLE = frozenset({I.OPEN})
HAS_CLAIM = frozenset({I.CLAIMED})
"""An item in these states always has an active claim (in progress and done may or may not:
the community may carry a project itself, and staff solve fix-now items directly)."""
SOLVED = frozenset({I.DONE})
"""Counted as 解决 (solved) in the figures."""
TERMINAL = frozenset({I.DONE, I.DROPPED})


def moves_for(action: str, source: str) -> list[Move]:
    return [m for m in MOVES if m.action == action and m.source == source]


def check_item_move(action: str, source: str, list_state: str) -> Move:
    """The move ``action`` makes from ``source`` on a list in ``list_state``, or ListError."""
    action = Action(action)
    if ListState(list_state) not in LIST_STATES_FOR[action]:
        if action in (Action.CLAIM, Action.ASSIGN):
            message = _("清单发布后才能%(action)s。") % {"action": ACTION_LABELS[action]}
        else:
            message = _("清单%(state)s,不能%(action)s。") % {
                "state": ListState(list_state).label,
                "action": ACTION_LABELS[action],
            }
        raise ListError(message, code="bad_list_state")
    found = moves_for(action, source)
    if not found:
        raise ListError(
            _("事项当前状态为“%(state)s”,不能%(action)s。")
            % {"state": ItemState(source).label, "action": ACTION_LABELS[action]},
            code="bad_move",
        )
    return found[0]


def role_may(action: str, source: str, roles: Iterable[str]) -> bool:
    """May someone holding ``roles`` make ``action`` from ``source``?"""
    held = {Role(r) for r in roles}
    return any(m.roles & held for m in moves_for(action, source))


def roles_for(action: str, source: str | None = None) -> frozenset[Role]:
    moves = [m for m in MOVES if m.action == action and (source is None or m.source == source)]
    return frozenset(r for m in moves for r in m.roles) - {Role.SYSTEM}


def refusal(action: str, source: str | None = None) -> str:
    """The message for someone whose role may not make ``action``."""
    allowed = str(_("或")).join(str(ROLE_LABELS[r]) for r in sorted(roles_for(action, source)))
    return _("只有%(roles)s可以%(action)s。") % {
        "roles": allowed,
        "action": ACTION_LABELS[Action(action)],
    }


def check_solve(mode: str) -> None:
    """Only a 立行立改 item is marked solved directly; a project is claimed or carried."""
    if mode != Mode.FIX_NOW:
        raise ListError(
            gettext("长期项目不能直接标为已解决,请按计划推进并完成各节点后办结。"),
            code="not_fix_now",
        )


def check_milestones_done(total: int, done: int) -> None:
    """A long-term project is finished only when every milestone is done."""
    if done < total:
        raise ListError(
            gettext("还有%(n)s个节点未完成,完成全部节点后才能办结。") % {"n": total - done},
            code="milestones_open",
        )


# ---------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------

TITLE_MAX = 120
TEXT_MAX = 2000
PLAN_MAX = 4000
REASON_MAX = 500
PERIOD_MAX = 16
MILESTONES_MAX = 20


def clean_text(value, field: str, *, required: str | None = None, max_length: int = TEXT_MAX):
    """Stripped text; ListError {field: [...]} when required and empty, or too long."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ListError({field: [required]})
    if len(text) > max_length:
        raise ListError({field: [gettext("不能超过%(max)s字。") % {"max": max_length}]})
    return text


def clean_percent(value) -> int:
    """A progress percentage: an integer 0–100."""
    message = gettext("进度须为0到100的整数。")
    if isinstance(value, bool):
        raise ListError({"percent": [message]})
    try:
        percent = int(str(value).strip())
    except (TypeError, ValueError):
        raise ListError({"percent": [message]}) from None
    if not 0 <= percent <= 100:
        raise ListError({"percent": [message]})
    return percent


_PERIOD = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<month>[0-9]{2})))?$"
)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_period(label: str) -> tuple[dt.date, dt.date]:
    """``"2022"`` → the year; ``"2022-Q3"`` a quarter; ``"2022-H1"`` a half; ``"2022-03"`` a
    month: the first and last day, both included. ListError when it is none of these."""
    match = _PERIOD.match((label or "").strip().upper())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise ListError(
            {
                "period": [
                    gettext("期间格式为年份(如2022)、季度(2022-Q3)、半年(2022-H1)或月份(2022-03)。")
                ]
            }
        )
    year = int(match["year"])
    if match["quarter"]:
        first = 3 * int(match["quarter"]) - 2
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if match["half"]:
        first = 6 * int(match["half"]) - 5
        return dt.date(year, first, 1), _month_end(year, first + 5)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ListError({"period": [gettext("月份须为01到12。")]})
        return dt.date(year, month, 1), _month_end(year, month)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def clean_period(
    label: str, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[str, dt.date, dt.date]:
    """The period's label and dates. A label in a known form gives the dates; any other
    label (e.g. "2022年第二批") needs both dates given."""
    label = clean_text(label, "period", required=gettext("请填写清单期间。"), max_length=PERIOD_MAX)
    if start is None and end is None:
        start, end = parse_period(label)
        return label.upper() if _PERIOD.match(label.upper()) else label, start, end
    if start is None or end is None:
        raise ListError(
            {"period_end" if start else "period_start": [gettext("请同时填写起止日期。")]}
        )
    if end < start:
        raise ListError({"period_end": [gettext("结束日期不能早于开始日期。")]})
    return label, start, end


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    due_on: dt.date


def clean_milestones(specs: Iterable) -> list[MilestoneSpec]:
    """Milestones as ``(title, due_on)`` pairs, mappings with those keys, or MilestoneSpec;
    sorted by due date. ListError on a missing title or date."""
    out: list[MilestoneSpec] = []
    for index, spec in enumerate(specs or (), start=1):
        if isinstance(spec, MilestoneSpec):
            title, due_on = spec.title, spec.due_on
        elif isinstance(spec, Mapping):
            title, due_on = spec.get("title"), spec.get("due_on")
        elif isinstance(spec, str):
            raise ListError({"milestones": [gettext("第%(n)s个节点格式有误。") % {"n": index}]})
        else:
            try:
                title, due_on = spec
            except (TypeError, ValueError):
                raise ListError(
                    {"milestones": [gettext("第%(n)s个节点格式有误。") % {"n": index}]}
                ) from None
        title = (title or "").strip()
        if not title:
            raise ListError({"milestones": [gettext("请填写第%(n)s个节点的名称。") % {"n": index}]})
        if len(title) > TITLE_MAX:
            raise ListError(
                {
                    "milestones": [
                        gettext("第%(n)s个节点名称不能超过%(max)s字。")
                        % {"n": index, "max": TITLE_MAX}
                    ]
                }
            )
        if isinstance(due_on, str):
            try:
                due_on = dt.date.fromisoformat(due_on.strip())
            except ValueError:
                due_on = None
        if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
            raise ListError(
                {"milestones": [gettext("请填写第%(n)s个节点的完成期限(日期)。") % {"n": index}]}
            )
        out.append(MilestoneSpec(title, due_on))
    if len(out) > MILESTONES_MAX:
        raise ListError(
            {"milestones": [gettext("节点不能超过%(max)s个。") % {"max": MILESTONES_MAX}]}
        )
    return sorted(out, key=lambda m: m.due_on)


_MILESTONE_LINE = re.compile(r"^\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s+(.+?)\s*$")


def parse_milestone_lines(text: str) -> list[MilestoneSpec]:
    """The milestones of a form's textarea, one a line: ``2024-06-30 完成招标``."""
    specs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _MILESTONE_LINE.match(line)
        if not match:
            raise ListError(
                {
                    "milestones": [
                        gettext("第%(n)s行格式应为“2024-06-30 节点名称”。") % {"n": number}
                    ]
                }
            )
        year, month, day = (int(x) for x in match[1].split("-"))
        try:
            due_on = dt.date(year, month, day)
        except ValueError:
            raise ListError(
                {"milestones": [gettext("第%(n)s行的日期无效。") % {"n": number}]}
            ) from None
        specs.append((match[2], due_on))
    return clean_milestones(specs)


def check_long_term(plan: str, milestones: list[MilestoneSpec]) -> None:
    """A long-term project needs its plan and at least one milestone."""
    errors = {}
    if not (plan or "").strip():
        errors["plan"] = [gettext("长期项目须填写推进计划。")]
    if not milestones:
        errors["milestones"] = [gettext("长期项目至少要有一个节点。")]
    if errors:
        raise ListError(errors)


# ---------------------------------------------------------------------------------------
# What of a demand is shown on a list
# ---------------------------------------------------------------------------------------

TITLE_FROM_TEXT = 30


def title_from_text(text: str, limit: int = TITLE_FROM_TEXT) -> str:
    """The first sentence of ``text``, cut at ``limit`` characters."""
    text = " ".join((text or "").split())
    first = re.split(r"[。!?!?;;\n]", text, maxsplit=1)[0].strip() or text
    return first if len(first) <= limit else first[: limit - 1] + "…"


def public_text_for_demand(
    *, description: str, is_public: bool, category: str, place: str, title: str = ""
) -> tuple[str, str]:
    """The title and description an item compiled from a demand shows.

    Never the reporter: an item keeps no reporter, and a room is never named (it would
    name the household). ``title`` is what the compiler wrote for the list (the page asks
    for one for every demand the resident did not allow to be shown, so that items are not
    all "安全隐患 · 6号楼"); without it, a demand the resident allowed to be shown
    (``is_public``) lends the first sentence of its text, any other shows only its
    category and place. Only a shown demand lends its description.
    """
    where = place or "小区公共区域"
    title = " ".join((title or "").split())[:TITLE_MAX]
    if is_public:
        shown = title or title_from_text(description) or f"{category} · {where}"
        return shown, description.strip()
    return title or f"{category or '居民诉求'} · {where}", ""


def suggested_title_for_demand(*, description: str, is_public: bool) -> str:
    """What the compile page pre-fills as an item's title: a shown demand's first
    sentence; nothing for one the resident did not allow to be shown (staff write it)."""
    return title_from_text(description) if is_public else ""


def place_label_for(building: str | None, location_note: str = "") -> str:
    """Where an item is, for the public: a building or the common area, never a room."""
    if building:
        return building
    note = (location_note or "").strip()
    return note[:100] if note else "小区公共区域"


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """收集 / 解决 / 认领: what a list (or a place over a period) reports."""

    collected: int = 0
    solved: int = 0
    claimed: int = 0
    open: int = 0
    in_progress: int = 0
    dropped: int = 0
    fix_now: int = 0
    long_term: int = 0

    @property
    def solved_share(self) -> float:
        """Solved out of the items not dropped (0 when there are none)."""
        base = self.collected - self.dropped
        return self.solved / base if base > 0 else 0.0

    def as_dict(self) -> dict[str, int]:
        return {
            "collected": self.collected,
            "solved": self.solved,
            "claimed": self.claimed,
            "open": self.open,
            "in_progress": self.in_progress,
            "dropped": self.dropped,
            "fix_now": self.fix_now,
            "long_term": self.long_term,
        }
