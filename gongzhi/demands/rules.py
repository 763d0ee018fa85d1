"""Pure rules for demands (诉求): states, the moves between them, who may make each move,
the escalation chain (吹哨报到), deadlines, ratings (四步走) and Chinese text similarity.

No ORM, no requests: every function here takes plain values and is tested exhaustively
in tests/demands/test_rules.py. Services (services/) load rows, ask these rules, write.

The life of a demand::

    filed ──dispatch──▶ dispatched ──accept──▶ accepted ──resolve──▶ resolved
      │  ▲                │   │                   │                     │ evaluate
      │  └──dispatch── returned ◀─return─┘        │                     ├─ rating ≥ 3 ─▶ evaluated
      │                                           │                     └─ rating ≤ 2 ─▶ rectifying ─resolve─▶ resolved
      └─ whistle / escalate (any unresolved state) ─▶ whistled ──report_in──▶ accepted
    evaluated ──feedback──▶ feedback_given ──close (community, 总结)──▶ closed
    resolved ──7 days unrated (system)──▶ closed_unrated      (does not count as satisfied)
    unresolved ──withdraw (reporter)──▶ withdrawn;  ──merge (staff)──▶ merged
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class DemandError(ValidationError):
    """A demand move or input refused, with a message for the user in Chinese."""


# ---------------------------------------------------------------------------------------
# States and moves
# ---------------------------------------------------------------------------------------


class State(TextChoices):
    FILED = "filed", _("待派单")
    DISPATCHED = "dispatched", _("已派单待接单")
    RETURNED = "returned", _("已退回待重派")
    WHISTLED = "whistled", _("已吹哨待报到")
    ACCEPTED = "accepted", _("处理中")
    RESOLVED = "resolved", _("已办结待评价")
    RECTIFYING = "rectifying", _("整改中")
    EVALUATED = "evaluated", _("已评价待反馈")
    FEEDBACK_GIVEN = "feedback_given", _("已反馈待总结")
    CLOSED = "closed", _("已总结归档")
    CLOSED_UNRATED = "closed_unrated", _("逾期未评价关闭")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


class Role(StrEnum):
    """Who someone is relative to one demand (permissions.roles_of computes them)."""

    REPORTER = "reporter"  # 诉求人: the person who filed (or for whom staff filed)
    DISPATCHER = (
        "dispatcher"  # 派单人: DemandCap.DISPATCH at the demand's place (支部书记、网格员、社区)
    )
    HANDLER = "handler"  # 承办人: member of the current handler body in scope, or the person
    COMMUNITY = "community"  # 社区: community staff over the place (总结、关闭)
    SYSTEM = "system"  # a scheduled job (actor None)


class Action(StrEnum):
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    RETURN = "return"
    WHISTLE = "whistle"
    ESCALATE = "escalate"  # automatic whistle when a deadline passes
    REPORT_IN = "report_in"
    RESOLVE = "resolve"
    EVALUATE = "evaluate"
    FEEDBACK = "feedback"
    CLOSE = "close"
    CLOSE_UNRATED = "close_unrated"
    WITHDRAW = "withdraw"
    MERGE = "merge"


ACTION_LABELS: dict[Action, str] = {
    Action.DISPATCH: pgettext_lazy("动作", "派单"),
    Action.ACCEPT: pgettext_lazy("动作", "接单"),
    Action.RETURN: pgettext_lazy("动作", "退回"),
    Action.WHISTLE: pgettext_lazy("动作", "吹哨"),
    Action.ESCALATE: pgettext_lazy("动作", "超时自动升级"),
    Action.REPORT_IN: pgettext_lazy("动作", "报到"),
    Action.RESOLVE: pgettext_lazy("动作", "办结"),
    Action.EVALUATE: pgettext_lazy("动作", "评价"),
    Action.FEEDBACK: pgettext_lazy("动作", "反馈"),
    Action.CLOSE: pgettext_lazy("动作", "总结关闭"),
    Action.CLOSE_UNRATED: pgettext_lazy("动作", "逾期未评价关闭"),
    Action.WITHDRAW: pgettext_lazy("动作", "撤回"),
    Action.MERGE: pgettext_lazy("动作", "合并"),
}

ROLE_LABELS: dict[Role, str] = {
    Role.REPORTER: pgettext_lazy("角色", "诉求人"),
    Role.DISPATCHER: pgettext_lazy("角色", "支部书记、网格员或社区工作人员"),
    Role.HANDLER: pgettext_lazy("角色", "当前承办人"),
    Role.COMMUNITY: pgettext_lazy("角色", "社区工作人员"),
    Role.SYSTEM: pgettext_lazy("角色", "系统"),
}

S = State
UNRESOLVED = frozenset(
    {S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED, S.RECTIFYING}
)  # fmt: skip
"""Open and not yet resolved: a deadline runs, duplicates are looked for among these."""
SOLVED = frozenset({S.RESOLVED, S.EVALUATED, S.FEEDBACK_GIVEN, S.CLOSED, S.CLOSED_UNRATED})
"""Counted as 处理/solved in the figures."""
TERMINAL = frozenset({S.CLOSED, S.CLOSED_UNRATED, S.WITHDRAWN, S.MERGED})
HANDLER_INBOX = frozenset({S.DISPATCHED, S.WHISTLED, S.ACCEPTED, S.RECTIFYING, S.EVALUATED})
"""States in which the current handler has something to do (the inbox, an indexed set)."""
HAS_HANDLER = frozenset(
    {S.DISPATCHED, S.WHISTLED, S.ACCEPTED, S.RESOLVED, S.RECTIFYING, S.EVALUATED,
     S.FEEDBACK_GIVEN}
)  # fmt: skip
"""States in which the demand must have a handler (a body or a person): a DB constraint."""

# The deadline that runs in each unresolved state (the other states have none).
DEADLINE_FIELD: dict[State, str] = {
    S.FILED: "accept_by",
    S.DISPATCHED: "accept_by",
    S.RETURNED: "accept_by",
    S.WHISTLED: "accept_by",  # the called-in level must report in by then
    S.ACCEPTED: "resolve_by",
    S.RECTIFYING: "resolve_by",
}


@dataclass(frozen=True)
class Move:
    action: Action
    source: State
    target: State
    roles: frozenset[Role]


def _moves(action: Action, sources: Iterable[State], target: State, *roles: Role) -> list[Move]:
    return [Move(action, s, target, frozenset(roles)) for s in sources]


R = Role
_WITHDRAWABLE = (S.FILED, S.DISPATCHED, S.RETURNED, S.WHISTLED, S.ACCEPTED)

MOVES: tuple[Move, ...] = (
    *_moves(Action.DISPATCH, (S.FILED, S.RETURNED, S.DISPATCHED), S.DISPATCHED, R.DISPATCHER),
    *_moves(Action.ACCEPT, (S.DISPATCHED,), S.ACCEPTED, R.HANDLER),
    *_moves(Action.RETURN, (S.DISPATCHED,), S.RETURNED, R.HANDLER),
    *_moves(Action.WHISTLE, sorted(UNRESOLVED), S.WHISTLED, R.REPORTER, R.HANDLER),
    *_moves(Action.ESCALATE, sorted(UNRESOLVED), S.WHISTLED, R.SYSTEM),
    *_moves(Action.REPORT_IN, (S.WHISTLED,), S.ACCEPTED, R.HANDLER),
    *_moves(Action.RESOLVE, (S.ACCEPTED, S.RECTIFYING), S.RESOLVED, R.HANDLER),
    *_moves(Action.EVALUATE, (S.RESOLVED,), S.EVALUATED, R.REPORTER),
    *_moves(Action.EVALUATE, (S.RESOLVED,), S.RECTIFYING, R.REPORTER),
    *_moves(Action.FEEDBACK, (S.EVALUATED,), S.FEEDBACK_GIVEN, R.HANDLER),
    *_moves(Action.CLOSE, (S.FEEDBACK_GIVEN,), S.CLOSED, R.COMMUNITY),
    *_moves(Action.CLOSE_UNRATED, (S.RESOLVED,), S.CLOSED_UNRATED, R.SYSTEM),
    *_moves(Action.WITHDRAW, _WITHDRAWABLE, S.WITHDRAWN, R.REPORTER),
    *_moves(Action.MERGE, _WITHDRAWABLE, S.MERGED, R.DISPATCHER),
)
"""Every allowed move, once. Anything not listed here is refused."""

ALLOWED: dict[State, frozenset[State]] = {
    state: frozenset(m.target for m in MOVES if m.source == state) for state in State
}
"""The state graph: ``ALLOWED[a]`` holds every state reachable from ``a`` in one move."""


def can_move(source: str, target: str) -> bool:
    return State(target) in ALLOWED[State(source)]


def moves_for(action: str, source: str) -> list[Move]:
    return [m for m in MOVES if m.action == action and m.source == source]


def check_move(action: str, source: str, target: str | None = None) -> Move:
    """The move ``action`` makes from ``source`` (to ``target`` when it has several), or
    DemandError with a clear message when the state does not allow it."""
    action = Action(action)
    found = moves_for(action, source)
    if target is not None:
        found = [m for m in found if m.target == target]
    if not found:
        raise DemandError(
            _("诉求当前状态为“%(state)s”,不能%(action)s。")
            % {"state": State(source).label, "action": ACTION_LABELS[action]},
            code="bad_move",
        )
    return found[0]


def roles_for(action: str) -> frozenset[Role]:
    """The roles that may make ``action`` (the same from every state it applies to)."""
    return frozenset(r for m in MOVES if m.action == action for r in m.roles)


def role_may(action: str, roles: Iterable[str]) -> bool:
    return bool(roles_for(action) & {Role(r) for r in roles})


def refusal(action: str) -> str:
    """The message for someone whose role may not make ``action``."""
    allowed = str(_("或")).join(str(ROLE_LABELS[r]) for r in sorted(roles_for(action)))
    return _("只有%(roles)s可以%(action)s。") % {
        "roles": allowed,
        "action": ACTION_LABELS[Action(action)],
    }


# ---------------------------------------------------------------------------------------
# Escalation chain (吹哨报到)
# ---------------------------------------------------------------------------------------


class Level(TextChoices):
    PROPERTY = "property", _("物业服务企业")
    OWNERS_BODY = "owners_body", _("业主组织(业委会/物管会/自管会)")
    BRANCH = "branch", _("小区党支部书记")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")


GRASSROOTS = ""
"""Level of a grassroots handler (building leader, partner unit, volunteer team, 双报到
party member): outside the chain, so a whistle calls in the chain's first level."""

DEFAULT_CHAIN: tuple[str, ...] = (
    Level.PROPERTY,
    Level.OWNERS_BODY,
    Level.BRANCH,
    Level.COMMUNITY,
    Level.STREET,
)
_RANK = {key: i for i, key in enumerate(DEFAULT_CHAIN)}

# The body kinds (bodies.models.BodyKind values) that answer for each level, in preference.
LEVEL_BODY_KINDS: dict[str, tuple[str, ...]] = {
    Level.PROPERTY: ("property_company",),
    Level.OWNERS_BODY: (
        "owners_committee",
        "property_management_committee",
        "self_management_committee",
    ),
    Level.BRANCH: ("compound_party_branch",),
    Level.COMMUNITY: ("residents_committee", "community_party_committee"),
    Level.STREET: ("street_office", "street_party_committee"),
}
_LEVEL_OF_KIND = {kind: level for level, kinds in LEVEL_BODY_KINDS.items() for kind in kinds}
_BRANCH_LEADS = frozenset({"secretary", "deputy_secretary"})


def validate_chain(levels: Sequence[str]) -> tuple[str, ...]:
    """A compound's chain: a non-empty ordered list of distinct known level keys."""
    if isinstance(levels, str) or not isinstance(levels, Sequence):
        raise DemandError(gettext("升级链必须是层级的有序列表。"), code="bad_chain")
    if not levels:
        raise DemandError(gettext("升级链至少要有一个层级。"), code="bad_chain")
    unknown = [lv for lv in levels if lv not in Level.values]
    if unknown:
        raise DemandError(
            gettext("未知的升级层级:%(levels)s。")
            % {"levels": pgettext("list separator", "、").join(map(str, unknown))},
            code="bad_chain",
        )
    if len(set(levels)) != len(levels):
        raise DemandError(gettext("升级链中的层级不能重复。"), code="bad_chain")
    return tuple(levels)


def next_level(level: str, chain: Sequence[str] = DEFAULT_CHAIN) -> str | None:
    """The level the next whistle calls in, or None at the top of ``chain``.

    From a grassroots handler (``""``) it is the chain's first level. From a level in the
    chain, the one after it. From a level the compound left out of its chain, the first
    chain level that ranks above it in the default order.
    """
    chain = tuple(chain)
    if level == GRASSROOTS:
        return chain[0] if chain else None
    if level in chain:
        i = chain.index(level)
        return chain[i + 1] if i + 1 < len(chain) else None
    rank = _RANK.get(level, -1)
    return next((lv for lv in chain if _RANK[lv] > rank), None)


def levels_after(level: str, chain: Sequence[str] = DEFAULT_CHAIN) -> list[str]:
    """Every level above ``level``, in order (a level with no body is skipped over)."""
    out: list[str] = []
    current = next_level(level, chain)
    while current is not None:
        out.append(current)
        current = next_level(current, chain)
    return out


def level_for_handler(body_kind: str | None, post: str | None = None) -> str:
    """The chain level a dispatched handler stands at.

    The property company, the owners' body, the community or the street stand at their
    level. The branch stands at "branch" when its secretary (or the branch as a whole)
    handles; a building leader or central household of the branch is grassroots, as are
    partner units, volunteer teams and 双报到 party members.
    """
    if not body_kind:
        return GRASSROOTS
    level = _LEVEL_OF_KIND.get(body_kind, GRASSROOTS)
    if level == Level.BRANCH and post is not None and post not in _BRANCH_LEADS:
        return GRASSROOTS
    return level


# --- what the system writes on a timeline ------------------------------------------------
# Events the system writes (automatic escalation, top of the chain, closing unrated,
# rectification after a low rating) keep a code and its values in ``data["note"]``, and
# the sentence is written when the timeline is read, in the reader's language. Their
# ``text`` column holds the simplified-Chinese sentence of the moment, for exports.

NOTE_OVERDUE_ESCALATED = "overdue_escalated"
NOTE_OVERDUE_AT_TOP = "overdue_at_top"
NOTE_CLOSED_UNRATED = "closed_unrated"
NOTE_RECTIFICATION = "rectification"


def system_note(note: dict | None) -> str | None:
    """The sentence for a system event's ``data["note"]`` (None when there is none)."""
    if not isinstance(note, dict):
        return None
    code = note.get("code")
    deadline = (
        gettext("接单/报到时限") if note.get("deadline") == "accept_by" else gettext("办结时限")
    )
    values = {"deadline": deadline, "due": note.get("due", ""), "rating": note.get("rating", "")}
    if code == NOTE_OVERDUE_ESCALATED:
        values["level"] = level_label(note.get("level", ""))
        return gettext("超过%(deadline)s(%(due)s),自动升级至%(level)s。") % values
    if code == NOTE_OVERDUE_AT_TOP:
        return gettext("超过%(deadline)s(%(due)s),已到升级链最高层级。") % values
    if code == NOTE_CLOSED_UNRATED:
        return gettext("办结后7天内未评价,按未评价关闭,不计入满意。")
    if code == NOTE_RECTIFICATION:
        return gettext("评价%(rating)s分,转入整改,须于新时限前办结。") % values
    return None


def level_label(level: str) -> str:
    return str(Level(level).label) if level else gettext("基层承办人")


# ---------------------------------------------------------------------------------------
# Deadlines and ratings
# ---------------------------------------------------------------------------------------

UNRATED_AFTER = dt.timedelta(days=7)
DEFAULT_ACCEPT_HOURS = 24
DEFAULT_RESOLVE_DAYS = 7
RATING_MIN, RATING_MAX = 1, 5
RECTIFY_AT_OR_BELOW = 2
SATISFIED_AT_OR_ABOVE = 4


def accept_deadline(start: dt.datetime, hours: int) -> dt.datetime:
    """Accept (or report in) within ``hours`` of ``start``."""
    return start + dt.timedelta(hours=hours)


def resolve_deadline(start: dt.datetime, days: int) -> dt.datetime:
    """Resolve within ``days`` of ``start`` (calendar days, to the second)."""
    return start + dt.timedelta(days=days)


def state_label(state: str) -> str:
    """The state's label in the active language: one translation lookup, where Django's
    ``get_state_display`` hashes every choice (and translates each) on every call."""
    return str(State(state).label)


def is_overdue(now: dt.datetime, due: dt.datetime | None) -> bool:
    """Overdue strictly after the deadline: at exactly ``due`` it is still on time."""
    return due is not None and now > due


def unrated_deadline(resolved_at: dt.datetime) -> dt.datetime:
    return resolved_at + UNRATED_AFTER


def is_unrated_expired(now: dt.datetime, resolved_at: dt.datetime | None) -> bool:
    """Seven days after resolution, to the second, with no rating: close as not rated."""
    return resolved_at is not None and is_overdue(now, unrated_deadline(resolved_at))


def check_rating(rating) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int):
        try:
            rating = int(str(rating).strip())
        except ValueError:
            raise DemandError(gettext("评价须为1到5的整数。"), code="bad_rating") from None
    if not RATING_MIN <= rating <= RATING_MAX:
        raise DemandError(gettext("评价须为1到5的整数。"), code="bad_rating")
    return rating


def state_after_rating(rating: int) -> State:
    """四步走: 2 or less reopens the demand as rectification (整改); 3 to 5 is evaluated."""
    return S.RECTIFYING if check_rating(rating) <= RECTIFY_AT_OR_BELOW else S.EVALUATED


def is_satisfied(rating: int | None) -> bool:
    return rating is not None and rating >= SATISFIED_AT_OR_ABOVE


# ---------------------------------------------------------------------------------------
# Chinese text similarity and category suggestion (character n-grams, no model, no jieba)
# ---------------------------------------------------------------------------------------

SIMILAR_THRESHOLD = 0.25  # measured on sample pairs: duplicates 0.29–0.39, others ≤ 0.14 unless they share a location
NGRAM_SIZES = (2, 3)
_KEYWORD_SPLIT = re.compile(r"[\s,,、;;|/]+")


def normalise_text(text: str) -> str:
    """NFKC (full-width to half-width), lower case, letters and digits only (CJK kept)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch.isalnum())


def ngrams(text: str, sizes: Sequence[int] = NGRAM_SIZES) -> Counter[str]:
    """Character n-grams of the normalised text; a text shorter than n gives itself."""
    clean = normalise_text(text)
    grams: Counter[str] = Counter()
    for n in sizes:
        if len(clean) < n:
            if clean:
                grams[clean] += 1
            continue
        grams.update(clean[i : i + n] for i in range(len(clean) - n + 1))
    return grams


def jaccard(a: str, b: str) -> float:
    ga, gb = set(ngrams(a)), set(ngrams(b))
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def cosine(a: str, b: str) -> float:
    ga, gb = ngrams(a), ngrams(b)
    if not ga or not gb:
        return 0.0
    dot = sum(count * gb[g] for g, count in ga.items())
    norm = math.sqrt(sum(c * c for c in ga.values())) * math.sqrt(sum(c * c for c in gb.values()))
    return dot / norm


def similarity(a: str, b: str) -> float:
    """Similarity of two Chinese texts in [0, 1]: cosine over bigram + trigram counts."""
    return cosine(a, b)


def rank_similar(
    text: str, candidates: Iterable[tuple[object, str]], threshold: float = SIMILAR_THRESHOLD
) -> list[tuple[object, float]]:
    """``(key, score)`` for every candidate at or above ``threshold``, most similar first.
    The text's n-grams and norm are computed once, not once per candidate (a demand's
    page compares it with up to 300 open ones)."""
    ga = ngrams(text)
    norm_a = math.sqrt(sum(c * c for c in ga.values()))
    scored = []
    for key, other in candidates:
        gb = ngrams(other)
        if not ga or not gb:
            scored.append((key, 0.0))
            continue
        dot = sum(count * gb[g] for g, count in ga.items() if g in gb)
        scored.append((key, dot / (norm_a * math.sqrt(sum(c * c for c in gb.values())))))
    return sorted(
        ((k, s) for k, s in scored if s >= threshold), key=lambda pair: pair[1], reverse=True
    )


def split_keywords(keywords: str | Iterable[str]) -> list[str]:
    """Keywords as stored on a category ("电梯 漏水,停车") → ["电梯", "漏水", "停车"]."""
    parts = _KEYWORD_SPLIT.split(keywords) if isinstance(keywords, str) else list(keywords)
    return [normalise_text(p) for p in parts if normalise_text(p)]


def rank_categories(
    text: str, categories_with_keywords: Iterable[tuple[object, str | Iterable[str]]]
) -> list[tuple[object, float]]:
    """Categories scored by their keywords found in ``text`` (longer keywords weigh more,
    each counted once), best first; categories with no keyword in the text are left out."""
    clean = normalise_text(text)
    scored: list[tuple[object, float]] = []
    for key, keywords in categories_with_keywords:
        score = float(sum(len(k) for k in set(split_keywords(keywords)) if k in clean))
        if score > 0:
            scored.append((key, score))
    return sorted(scored, key=lambda pair: pair[1], reverse=True)


def suggest_category(
    text: str, categories_with_keywords: Iterable[tuple[object, str | Iterable[str]]]
) -> object | None:
    """The key of the category whose keywords best match ``text``, or None."""
    ranked = rank_categories(text, categories_with_keywords)
    return ranked[0][0] if ranked else None
