"""Demo data for demands: stories 004 (纺织生活二区) and 002 (太平洋花园), through the services.

``load_demands_demo(ctx)`` takes the demo loader's context and replays, on the compounds
the stories built (``ctx.worlds``), what their articles report:

* **004 纺织生活二区, 2022** — "2022年,累计收集居民意见建议58项,其中小区党支部、小区红色业委会、
  小区红色物业先后处理房屋漏水、围墙坍塌等问题48项", and "居民吹哨、物业报到;物业吹哨、业委会
  报到;业委会吹哨、书记报到". The compound's categories, routing rules and escalation chain;
  58 suggestions collected through the app, phone calls, door-to-door visits, paper slips
  and meetings (plus one duplicate, merged); 48 handled through the four steps (a few
  rectified after a low rating, a few returned and re-dispatched, two closed unrated);
  the whistle chain at each of its three steps and all three in one case; automatic
  escalations when a deadline passed (``escalate_overdue`` run on the story's clock); the
  other 10 still open at the end of the year, at various stages.
* **002 太平洋花园, recent months** — "通过'居民点单、支部派单、楼长接单'模式,完成居民群众
  '微心愿'21个": 21 micro-wishes of elderly residents, filed (by the resident, or for them by
  a building leader, the grid worker or a community worker), dispatched by the branch
  secretary through the routing rules to the building leader of their building, accepted,
  fulfilled and rated. Then, around today, live work for the demo accounts: demands waiting
  to be dispatched (two of them near-duplicates), accepted, whistled, rectifying, returned,
  overdue, resolved and waiting for the resident's rating, and two open micro-wishes.

Who acts: a person with a demo account acts as themselves (the 004 property clerk and
owners' committee chair; in 002 the branch secretary, building leader, property clerk, grid
worker, community worker, the elderly resident and the tenant); everyone else acts through
the system (actor ``None``), as the other demo loaders do. Every move carries the story's
own time (``now=``). Notifications are not sent for moves months or years back (they would
all arrive today); the live work of 002 notifies as usual once the demo commits.

The twelve categories are global (created when missing), so the other compounds of the demo
can file too; routing rules and chains are each compound's own. Live work is dated in the
working hours before the demo is loaded; 2022's open suggestions are long overdue by today's
clock, and the scheduler, when it runs, escalates them up the chain as it would any other.

Assumed: every wording, date, place and rating (the articles give only the counts and a
few examples: leaking roofs, a collapsed wall). Running it twice does nothing the second
time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from gongzhi.bodies.models import Body, Membership, Post
from gongzhi.core.demo import story_002, story_004, tables
from gongzhi.demands import notify, permissions, rules, selectors, services
from gongzhi.demands.models import Category, Channel, Demand, Kind, PlaceKind, Urgency
from gongzhi.demands.rules import State
from gongzhi.places.models import Building

SEED = 2022
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# --- categories (global: every compound of the demo files in them) --------------------

# The names the replays below refer to (the categories themselves are in the data file).
LEAK, FAC, LIGHT, DRAIN, ELEV = "房屋漏水", "公共设施", "路灯照明", "排水管网", "电梯"
ENV, PARK, SAFE, NEIGH, CARE = "环境卫生", "停车管理", "安全隐患", "邻里纠纷", "为老助困"
SUGG, PROP = "意见建议", "物业服务"

# The tables (categories, texts, suggestions, wishes): gongzhi/demands/data/demo.toml.
_DATA = tables.load("gongzhi.demands", "demo")

# name: (accept within hours, resolve within days, keywords)
CATEGORIES: dict[str, tuple[int, int, str]] = {
    name: (c["accept_within_hours"], c["resolve_within_days"], c["keywords"])
    for name, c in _DATA["categories"].items()
}
# What a handler writes when resolving, by category (the special cases carry their own).
RESOLVED: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["resolved"].items()}
COMMENTS: dict[int, tuple[str, ...]] = {int(k): tuple(v) for k, v in _DATA["comments"].items()}
FEEDBACK: tuple[str, ...] = tuple(_DATA["feedback"])


PREFERRED = (
    "branch_secretary",
    "property_clerk",
    "property_clerk_other",
    "red_owners_chair",
    "building_leader",
    "grid_worker",
    "community_worker",
)


@contextlib.contextmanager
def _quiet():
    """Moves replayed months or years back notify nobody: the messages would all arrive
    today. (notify.after_commit is what every demand service calls.)"""
    original = notify.after_commit
    notify.after_commit = lambda *args, **kwargs: None
    try:
        yield
    finally:
        notify.after_commit = original


def _categories() -> dict[str, Category]:
    """The demo's categories, global (created once, reused when they are already there)."""
    found = {c.name: c for c in Category.objects.filter(compound__isnull=True)}
    for order, (name, (hours, days, keywords)) in enumerate(CATEGORIES.items(), start=1):
        if name not in found:
            found[name] = services.category_create(
                actor=None, name=name, accept_within_hours=hours, resolve_within_days=days,
                keywords=keywords, sort_order=order,
            )  # fmt: skip
    return found


# --- the actors ---------------------------------------------------------------------------


class Replay:
    """Service calls on one compound, each made by the person concerned when they hold a
    demo account, else by the system (actor None)."""

    def __init__(self, ctx, world, cats: dict[str, Category], rng: random.Random):
        self.world = world
        self.compound = world.compound
        self.cats = cats
        self.rng = rng
        self.account_of = {a.person.pk: a.account for a in ctx.accounts}
        # Who acts first when several accounts could: the branch secretary dispatches
        # (支部派单) before a community worker; the clerk, not the manager, handles.
        rank = {key: i for i, key in enumerate(PREFERRED)}
        self.accounts = [
            a.account
            for a in sorted(ctx.accounts, key=lambda a: rank.get(a.role.key, len(rank)))
            if a.account.person_id
        ]

    def actor(self, person_id):
        return self.account_of.get(person_id) if person_id else None

    def _first(self, test):
        return next((a for a in self.accounts if test(a)), None)

    def dispatcher(self, demand):
        return self._first(lambda a: permissions.can_dispatch(a, demand))

    def handler(self, demand):
        """The handler person's own account; with no handler person, a demo account
        holding a post in the handler body (the property clerk, the owners' chair)."""
        if demand.handler_person_id:
            return self.actor(demand.handler_person_id)
        return self._first(
            lambda a: (
                a.person_id and demand.place_path.startswith(_scope(a, demand.handler_body_id))
            )
        )

    def closer(self, demand):
        return self._first(lambda a: permissions.can_close(a, demand))

    # One call per move ----------------------------------------------------------------
    def file(self, *, reporter, channel, category, text, place, note="", at, by=None, **kw):
        """File as the reporter (app) or on their behalf (``by``: a person or None)."""
        place_kind, room, building = place
        common = dict(
            compound=self.compound, category=self.cats.get(category) if category else None,
            description=text, place_kind=place_kind, room=room, building=building,
            location_note=note, now=at, **kw,
        )  # fmt: skip
        if channel in (Channel.APP, Channel.QR):
            return services.demand_file(actor=self.actor(reporter.pk), channel=channel, **common)
        return services.demand_file_on_behalf(
            actor=self.actor(getattr(by, "pk", None)), reporter=reporter, channel=channel, **common
        )

    def wish(self, *, reporter, channel, text, place, at, by=None, note=""):
        place_kind, room, building = place
        own = channel in (Channel.APP, Channel.QR)
        return services.microwish_file(
            actor=self.actor(reporter.pk if own else getattr(by, "pk", None)),
            compound=self.compound, description=text, reporter=None if own else reporter,
            channel=channel, category=self.cats[CARE], place_kind=place_kind, room=room,
            building=building, location_note=note, now=at,
        )  # fmt: skip

    def dispatch(self, d, at, body=None, person=None, note=""):
        return services.demand_dispatch(actor=self.dispatcher(d), demand=d, handler_body=body,
                                        handler_person=person, note=note, now=at)  # fmt: skip

    def accept(self, d, at, note=""):
        return services.demand_accept(actor=self.handler(d), demand=d, note=note, now=at)

    def give_back(self, d, at, reason):
        return services.demand_return(actor=self.handler(d), demand=d, reason=reason, now=at)

    def whistle(self, d, at, reason, *, by_reporter: bool):
        actor = self.actor(d.reporter_id) if by_reporter else self.handler(d)
        return services.demand_whistle(actor=actor, demand=d, reason=reason, now=at)

    def report_in(self, d, at, note):
        return services.demand_report_in(actor=self.handler(d), demand=d, note=note, now=at)

    def resolve(self, d, at, note):
        return services.demand_resolve(actor=self.handler(d), demand=d, note=note, now=at)

    def evaluate(self, d, at, rating, comment=""):
        return services.demand_evaluate(actor=self.actor(d.reporter_id), demand=d,
                                        rating=rating, comment=comment, now=at)  # fmt: skip

    def feedback(self, d, at, text):
        return services.demand_feedback(actor=self.handler(d), demand=d, text=text, now=at)

    def close(self, d, at, summary):
        return services.demand_close(actor=self.closer(d), demand=d, summary=summary, now=at)

    def merge(self, d, into, at, note):
        return services.demand_merge(actor=self.dispatcher(d), demand=d, into=into, note=note,
                                     now=at)  # fmt: skip

    # Helpers --------------------------------------------------------------------------
    def later(self, at, low_hours: float, high_hours: float, *, by=None) -> dt.datetime:
        """A moment between ``low`` and ``high`` hours after ``at``, on the minute, moved
        into working hours (8:00–19:00) unless that would pass the deadline ``by``."""
        minutes = self.rng.randint(int(low_hours * 60), int(high_hours * 60))
        moment = (at + dt.timedelta(minutes=minutes)).replace(second=0, microsecond=0)
        local = timezone.localtime(moment)
        if 8 <= local.hour < 19:
            return moment
        day = local.date() + (DAY if local.hour >= 19 else dt.timedelta(0))
        snapped = _aware(day.year, day.month, day.day, 8, 0) + dt.timedelta(
            minutes=self.rng.randint(10, 100)
        )
        return moment if by is not None and snapped >= by else snapped

    def rating(self) -> int:
        return self.rng.choices((5, 4, 3), weights=(55, 35, 10))[0]

    def comment(self, rating: int) -> str:
        return self.rng.choice(COMMENTS[min(max(rating, 3), 5)])

    def finish(self, d, at, *, rating=None, comment=None, note=None, steps="close"):
        """Resolve, then evaluate, feedback and close as far as ``steps`` says
        ("resolve", "evaluate", "feedback" or "close")."""
        cat = d.category.name if d.category_id else CARE
        d = self.resolve(d, at, note or self.rng.choice(RESOLVED[cat]))
        if steps == "resolve":
            return d, at
        rating = rating or self.rating()
        at = self.later(at, 3, 48)
        d = self.evaluate(d, at, rating, comment or self.comment(rating))
        if steps == "evaluate":
            return d, at
        at = self.later(at, 2, 30)
        d = self.feedback(d, at, self.rng.choice(FEEDBACK))
        if steps == "feedback":
            return d, at
        at = self.later(at, 24, 120)
        d = self.close(d, at, self.summary(d, rating))
        return d, at

    def summary(self, d, rating: int) -> str:
        days = max(1, (d.resolved_at - d.created_at).days)
        handler = d.handler_body.name if d.handler_body_id else "承办人"
        return (
            f"{'微心愿' if d.kind == Kind.MICRO_WISH else d.category.name}事项,"
            f"{Channel(d.channel).label}收集,{handler}承办,{days}天办结,"
            f"居民评价{rating}分,按“评价、整改、反馈、总结”四步闭环归档。"
        )


def _scope(account, body_id) -> str:
    """The scope of the account's handling membership in ``body_id``, or a prefix no place
    path starts with when it holds none."""
    for member_body, scope, _narrowed in permissions.handler_memberships(account):
        if member_body == body_id:
            return scope
    return "\x00"


def _aware(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def _leaders(branch: Body) -> dict[int, object]:
    """Building pk → the branch's building leader (person) for it."""
    rows = Membership.objects.active().filter(body=branch, post=Post.BUILDING_LEADER)
    by_path = {m.scope_path: m.person for m in rows.select_related("person")}
    return {
        b.pk: by_path[b.path]
        for b in Building.objects.filter(compound=branch.compound_id)
        if b.path in by_path
    }


# =========================================================================================
# Story 004: 纺织生活二区, 2022
# =========================================================================================

A, P = Channel.APP, Channel.PHONE


@dataclass(frozen=True)
class Suggestion:
    text: str
    category: str
    place: str  # "r5" a room in building 5, "b5" building 5, "c" common; "me"/"c" for the chair
    channel: str
    plan: str  # see Cuiping.play
    day: tuple[int, int]  # (month, day) in 2022
    note: str = ""


# 58 suggestions of 2022: 48 handled (1–48), 10 still open at the end of the year (49–58).
SUGGESTIONS_004: tuple[Suggestion, ...] = tuple(
    Suggestion(
        s["text"],
        s["category"],
        s["place"],
        Channel(s["channel"]),
        s["plan"],
        tuple(s["day"]),
        s.get("note", ""),
    )  # fmt: skip
    for s in _DATA["suggestions_004"]
)

PROPERTY_FROM = _aware(2022, 6, 1)  # 龙传物业's contract starts
COMMITTEE_FROM = _aware(2022, 5, 20)  # the red owners' committee takes office
YEAR_END = _aware(2022, 12, 31, 17, 0)  # the jobs' last run of the story's year


# Open items filed in the last days of December: their deadlines run past the year's end.
LATE_IN_DECEMBER = ("open_filed", "open_dispatched", "open_whistled", "open_returned")


class Cuiping(Replay):
    """Story 004 on 纺织生活二区."""

    def __init__(self, ctx, world, cats, rng):
        super().__init__(ctx, world, cats, rng)
        b, p = world.bodies, world.people
        self.branch, self.committee, self.property = (
            b["branch"],
            b["owners_committee"],
            b["property"],
        )
        self.care, self.pairing = b["team:care"], b["partner:street_branch"]
        self.community = b["residents_committee"]
        self.chair, self.secretary = p["owners_chair"], p["secretary"]
        self.leaders = _leaders(self.branch)
        self.roster = world.roster
        self.used: set[int] = set(self.account_of) | {self.secretary.pk}  # not reporters
        self.clerk = p["property_clerk"]
        self.counts: Counter = Counter()

    def setup(self) -> None:
        c, cats = self.compound, self.cats
        services.escalation_chain_set(actor=None, compound=c, levels=list(rules.DEFAULT_CHAIN))
        for name in (LEAK, FAC, LIGHT, DRAIN, ENV, SAFE, PROP):
            services.routing_rule_create(actor=None, compound=c, handler_body=self.property,
                                         category=cats[name])  # fmt: skip
        services.routing_rule_create(actor=None, compound=c, handler_body=self.committee,
                                     category=cats[PARK])  # fmt: skip
        for name in (NEIGH, SUGG):
            services.routing_rule_create(actor=None, compound=c, handler_body=self.branch,
                                         category=cats[name])  # fmt: skip
        services.routing_rule_create(actor=None, compound=c, handler_body=self.care,
                                     category=cats[CARE])  # fmt: skip
        # The street offices' party branch is paired with building 1 (结对共建).
        services.routing_rule_create(actor=None, compound=c, handler_body=self.pairing,
                                     category=cats[CARE], building=self.roster.building(1),
                                     place_kind=PlaceKind.ROOM)  # fmt: skip
        services.routing_rule_create(actor=None, compound=c, handler_body=self.branch)

    # Places and reporters ------------------------------------------------------------
    def _resident(self, building=None):
        pool = [
            r
            for r in self.roster.residents
            if r.age >= 25
            and r.person.pk not in self.used
            and (building is None or r.room.building_id == building.pk)
        ]
        chosen = self.rng.choice(pool)
        self.used.add(chosen.person.pk)
        return chosen

    def where(self, s: Suggestion):
        """(reporter, (place_kind, room, building))."""
        if s.channel == A:  # the owners' chair, on the app, about his home or the compound
            home = self.roster.resident(self.chair)
            if s.place == "me":
                return self.chair, (PlaceKind.ROOM, home.room, None)
            return self.chair, (PlaceKind.COMMON, None, None)
        if s.place.startswith("r"):
            r = self._resident(self.roster.building(int(s.place[1:])))
            return r.person, (PlaceKind.ROOM, r.room, None)
        if s.place.startswith("b"):
            building = self.roster.building(int(s.place[1:]))
            return self._resident(building).person, (PlaceKind.BUILDING, None, building)
        return self._resident().person, (PlaceKind.COMMON, None, None)

    def recorder(self, s: Suggestion, at: dt.datetime):
        """Who writes a suggestion down: the property hotline (the clerk) from June for
        what the property handles, otherwise the grid worker or community (the system).
        (What the residents had to whistle for had not reached the property at all.)"""
        if (
            s.channel == P
            and at >= PROPERTY_FROM
            and s.category in (LEAK, FAC, DRAIN, SAFE)
            and s.plan not in ("chain", "resident_whistle", "open_whistled")
        ):
            return self.clerk
        return None

    def handler_for(self, d, at):
        """Before June there is no property company: the branch, with the building
        leader of the building when there is one, takes what the rules send to it."""
        suggested = selectors.suggested_handler_for(d)
        if suggested is None:
            return self.branch, None
        body = suggested.body
        if (body.pk == self.property.pk and at < PROPERTY_FROM) or (
            body.pk == self.committee.pk and at < COMMITTEE_FROM
        ):
            return self.branch, self.leaders.get(d.building_id)
        return body, suggested.person

    # The year ---------------------------------------------------------------------------
    def build(self) -> dict:
        self.setup()
        for s in SUGGESTIONS_004:
            self.play(s)
        self.counts["escalated_at_year_end"] = services.escalate_overdue(now=YEAR_END)
        self.counts["closed_unrated"] = services.close_unrated(now=YEAR_END)
        return dict(self.counts)

    def play(self, s: Suggestion) -> None:
        rng = self.rng
        at = _aware(2022, *s.day, rng.randint(8, 17), rng.choice((0, 10, 20, 30, 40, 50)))
        if s.plan == "chain" or s.plan in LATE_IN_DECEMBER:
            at = _aware(2022, *s.day, 8, 30)  # so the day's steps fit (see the plans)
        reporter, place = self.where(s)
        if s.plan == "anonymous":
            reporter = None
        d = self.file(reporter=reporter, channel=s.channel, category=s.category, text=s.text,
                      place=place, note=s.note, at=at, by=self.recorder(s, at),
                      urgency=Urgency.URGENT if s.plan == "chain" else Urgency.NORMAL,
                      is_public=s.category not in (NEIGH, CARE))  # fmt: skip
        self.counts[f"channel:{s.channel}"] += 1
        getattr(self, f"_{s.plan}")(d, at)

    def _dispatched(self, d, at, low=0.5, high=4):
        at = self.later(at, low, high, by=d.accept_by)
        body, person = self.handler_for(d, at)
        return self.dispatch(d, at, body, person), at

    def _accepted(self, d, at):
        d, at = self._dispatched(d, at)
        at = self.later(at, 0.5, 6, by=d.accept_by)
        return self.accept(d, at), at

    def _resolve_at(self, d, at) -> dt.datetime:
        days = d.category.resolve_within_days
        return self.later(at, 2, max(3, days * 24 * 0.6), by=d.resolve_by)

    def _ok(self, d, at, steps="close"):
        d, at = self._accepted(d, at)
        return self.finish(d, self._resolve_at(d, at), steps=steps)

    def _feedback(self, d, at):
        return self._ok(d, at, steps="feedback")

    def _evaluated(self, d, at):
        return self._ok(d, at, steps="evaluate")

    def _unrated(self, d, at):
        return self._ok(d, at, steps="resolve")

    _anonymous = _unrated

    def _rect(self, d, at):
        """A first repair that did not hold: rated 2, rectified (整改), then rated well."""
        d, at = self._accepted(d, at)
        at = self._resolve_at(d, at)
        d = self.resolve(d, at, self.rng.choice(RESOLVED[d.category.name]))
        at = self.later(at, 24, 72)
        d = self.evaluate(d, at, 2, "修过以后一下雨又不行了,问题没有根本解决。")
        at = self.later(at, 24, 96, by=d.resolve_by)
        note = "整改:重新查找原因,扩大处理范围,并请居民代表到场见证。"
        self.finish(d, at, rating=self.rng.choice((4, 5)), note=note,
                    comment="这次彻底修好了,整改态度很认真。")  # fmt: skip
        self.counts["rectified"] += 1

    def _returned(self, d, at):
        """Sent to the wrong door: the property returns it, the branch re-dispatches."""
        d, at = self._dispatched(d, at)
        at = self.later(at, 1, 8, by=d.accept_by)
        if d.category.name == ENV:
            reason = "商铺油烟排放属城管执法和市场监管范围,物业无执法权,请重新派单。"
            body = self.community
        else:
            reason = "该线路属电信、广电运营商所有,不在物业服务范围,请重新派单。"
            body = self.branch
        d = self.give_back(d, at, reason)
        at = self.later(at, 2, 20, by=d.accept_by)
        d = self.dispatch(d, at, body, None, note="重新派单,由社区协调相关部门和单位处理。")
        at = self.later(at, 0.5, 5, by=d.accept_by)
        d = self.accept(d, at)
        self.finish(d, self._resolve_at(d, at))
        self.counts["returned"] += 1

    def _chain(self, d, at):
        """居民吹哨、物业报到;物业吹哨、业委会报到;业委会吹哨、书记报到 — on one demand. A
        neighbour phones the same collapse in an hour later; it is merged into this one."""
        dup_at = self.later(at, 1, 2)
        neighbour = self._resident(self.roster.building(3)).person
        dup = self.file(reporter=neighbour, channel=P, category=FAC, place=(PlaceKind.COMMON, None, None),
                        text="3号楼后面的围墙倒了,砖头掉了一地,赶紧派人来看看", note="3号楼北侧围墙",
                        at=dup_at)  # fmt: skip
        at = self.later(dup_at, 0.5, 1)
        self.merge(dup, d, at, "同一处围墙坍塌,合并办理。")
        at = _aware(2022, 6, 21, 17, 40)
        d = self.whistle(d, at, "围墙倒了大半天还没人来处理,担心再塌伤人,居民吹哨。",
                         by_reporter=True)  # fmt: skip
        at = self.later(at, 0.5, 1.5, by=d.accept_by)
        d = self.report_in(d, at, "物业报到:已到现场拉警戒线,清理散落砖块,安排人员值守。")
        at = _aware(2022, 6, 23, 10, 0)
        d = self.whistle(d, at, "围墙属小区共有部分,重建需动用公共收益,超出物业权限,物业吹哨请业委会报到。",
                         by_reporter=False)  # fmt: skip
        at = self.later(at, 2, 5, by=d.accept_by)
        d = self.report_in(d, at, "业委会报到:召集委员现场查看,请施工单位测算重建费用约4.6万元。")
        at = _aware(2022, 6, 27, 9, 0)
        d = self.whistle(d, at, "重建费用超出公共收益余额,需支部协调街道和共建单位支持,业委会吹哨请书记报到。",
                         by_reporter=False)  # fmt: skip
        at = self.later(at, 1, 3, by=d.accept_by)
        d = self.report_in(
            d, at, "书记报到:联系南城街道和喜鹊公司落实重建资金,经四议两公开后组织施工。"
        )
        note = "围墙已按原高度重建并加设排水孔和构造柱,经业委会、物业和居民代表验收。"
        self.finish(d, _aware(2022, 7, 6, 16, 30), rating=5, note=note,
                    comment="围墙修得很结实,感谢支部、业委会和物业一级一级接力。")  # fmt: skip
        self.counts["whistle_chain"] += 1

    def _resident_whistle(self, d, at):
        """居民吹哨、物业报到: nobody came over the weekend; the resident blows the whistle."""
        at = self.later(at, 3, 5, by=d.accept_by)
        d = self.whistle(d, at, "污水已经漫到单元门口,周末联系不上人,居民吹哨。", by_reporter=True)
        at = self.later(at, 0.5, 2, by=d.accept_by)
        d = self.report_in(d, at, "物业报到:已联系疏通队连夜处理。")
        self.finish(d, self.later(at, 3, 10, by=d.resolve_by), rating=4)
        self.counts["resident_whistle"] += 1

    def _property_whistle(self, d, at):
        """物业吹哨、业委会报到: replacing the pump needs the owners' money."""
        d, at = self._accepted(d, at)
        at = self.later(at, 20, 30)
        d = self.whistle(d, at, "水泵需整体更换,费用约1.8万元需动用公共收益,物业吹哨请业委会报到。",
                         by_reporter=False)  # fmt: skip
        at = self.later(at, 2, 6, by=d.accept_by)
        d = self.report_in(d, at, "业委会报到:经业委会会议同意使用公共收益,已公示。")
        note = "已更换变频水泵一台并加装稳压罐,高峰期5楼水压正常。"
        self.finish(d, self.later(at, 72, 120, by=d.resolve_by), rating=5, note=note)
        self.counts["property_whistle"] += 1

    def _owners_whistle(self, d, at):
        """业委会吹哨、书记报到: outside cars need the street and the traffic police."""
        d, at = self._accepted(d, at)
        at = self.later(at, 30, 50)
        d = self.whistle(d, at, "外来车辆多为周边商户,业委会劝离无效,需街道和交警协调,业委会吹哨请书记报到。",
                         by_reporter=False)  # fmt: skip
        at = self.later(at, 1, 4, by=d.accept_by)
        d = self.report_in(d, at, "书记报到:已联系南城街道、交警中队现场办公。")
        note = "北门增设禁停标志和挡车石,交警定期巡查,消防通道已畅通。"
        self.finish(d, self.later(at, 48, 96, by=d.resolve_by), rating=4, note=note)
        self.counts["owners_whistle"] += 1

    def _auto_accept(self, d, at):
        """Nobody accepted within the accept deadline: the job calls in the next level."""
        d, at = self._dispatched(d, at)
        due = d.accept_by
        self.counts["escalated_automatically"] += services.escalate_overdue(
            now=due + dt.timedelta(seconds=1)
        )
        d.refresh_from_db()
        at = self.later(due, 1, 3, by=d.accept_by)
        d = self.report_in(d, at, "业委会报到:已请施工单位对围墙加固并设置警示。")
        note = "已对倾斜段围墙拆除重砌,其余墙段加设扶壁柱。"
        self.finish(d, self.later(at, 48, 120, by=d.resolve_by), rating=4, note=note)

    def _auto_resolve(self, d, at):
        """Accepted, but not resolved within the resolve deadline: escalated by the job."""
        d, at = self._accepted(d, at)
        due = d.resolve_by
        self.counts["escalated_automatically"] += services.escalate_overdue(
            now=due + dt.timedelta(seconds=1)
        )
        d.refresh_from_db()
        at = self.later(due, 1, 4, by=d.accept_by)
        d = self.report_in(d, at, "业委会报到:督促物业从公共收益中先行采购灯具。")
        self.finish(d, self.later(at, 10, 30, by=d.resolve_by), rating=3,
                    comment="修好了,但拖了这么久才来,希望物业改进。")  # fmt: skip

    # Still open at the end of the year ---------------------------------------------------
    def _open_accepted(self, d, at):
        self._accepted(d, at)

    def _open_overdue(self, d, at):
        self._accepted(d, at)  # a 3-day deadline from mid-December: late by 31 December

    def _open_overdue_team(self, d, at):
        self._accepted(d, at)  # the volunteer team (grassroots): the job calls the property

    def _open_whistled(self, d, at):
        """Sent to the building leader first; by the afternoon the resident whistles and
        the property, called in, has until the night to report in."""
        d = self.dispatch(d, self.later(at, 0.2, 0.5), self.branch,
                          self.leaders.get(d.building_id), note="先请楼栋长了解情况。")  # fmt: skip
        self.whistle(d, _aware(2022, 12, 31, 15, 0), "楼栋长说要等物业,污水还在往外冒,居民吹哨。",
                     by_reporter=True)  # fmt: skip

    def _open_rectifying(self, d, at):
        d, at = self._accepted(d, at)
        d = self.resolve(d, _aware(2022, 12, 23, 15, 0), "已修补屋面裂缝。")
        self.evaluate(d, _aware(2022, 12, 27, 10, 0), 2, "修补的地方又渗水了,希望彻底处理。")

    def _open_returned(self, d, at):
        d, at = self._dispatched(d, at)
        self.give_back(
            d, _aware(2022, 12, 31, 8, 45), "公交站牌属公交公司,物业无权处理,请重新派单。"
        )

    def _open_dispatched(self, d, at):
        self._dispatched(d, at, 0.2, 0.5)

    def _open_filed(self, d, at):
        pass


# =========================================================================================
# Story 002: 太平洋花园, recent months
# =========================================================================================

# (wish, what was done) — "居民点单、支部派单、楼长接单", 21 micro-wishes fulfilled.
WISHES_002: tuple[tuple[str, str], ...] = tuple(tuple(w) for w in _DATA["wishes_002"])
WISH_COMMENTS: tuple[str, ...] = tuple(_DATA["wish_comments"])
# The building of each wish, in the order they came in (two a building, one in building 4).
WISH_BUILDINGS: tuple[int, ...] = tuple(_DATA["wish_buildings"])


class Pacific(Replay):
    """Story 002 on 太平洋花园."""

    def __init__(self, ctx, world, cats, rng, now):
        super().__init__(ctx, world, cats, rng)
        b, p = world.bodies, world.people
        self.branch, self.committee, self.property = (
            b["branch"],
            b["owners_committee"],
            b["property"],
        )
        self.roster = world.roster
        self.leaders = world.more["building_leaders"]  # by building number - 1
        self.elderly, self.tenant, self.owner = p["elderly"], p["tenant"], p["owner"]
        self.grid_worker = p["grid_worker:第一网格"]
        self.clerk = p["property_clerk"]
        self.community_worker = next(
            (a.person for a in ctx.accounts if a.role.key == "community_worker"), None
        )
        self.now = now.replace(second=0, microsecond=0)
        self.used: set[int] = set(self.account_of)  # the demo accounts report only their own
        self.counts: Counter = Counter()

    def setup(self) -> None:
        c, cats = self.compound, self.cats
        services.escalation_chain_set(actor=None, compound=c, levels=list(rules.DEFAULT_CHAIN))
        for name in (LEAK, FAC, LIGHT, DRAIN, ELEV, ENV, SAFE, PROP):
            services.routing_rule_create(actor=None, compound=c, handler_body=self.property,
                                         category=cats[name])  # fmt: skip
        services.routing_rule_create(actor=None, compound=c, handler_body=self.committee,
                                     category=cats[PARK])  # fmt: skip
        for name in (NEIGH, SUGG, CARE):
            services.routing_rule_create(actor=None, compound=c, handler_body=self.branch,
                                         category=cats[name])  # fmt: skip
        # 楼长接单: a wish (or any care need) in a building goes to its building leader.
        for number, leader in enumerate(self.leaders, start=1):
            services.routing_rule_create(
                actor=None, compound=c, handler_body=self.branch, handler_person=leader,
                category=cats[CARE], building=self.roster.building(number),
            )  # fmt: skip
        services.routing_rule_create(actor=None, compound=c, handler_body=self.branch)

    def _elder(self, number: int):
        building = self.roster.building(number)
        pool = sorted(
            (
                r
                for r in self.roster.residents
                if r.age >= 70
                and r.room.building_id == building.pk
                and r.person.pk not in self.used
                and r.person.pk != self.elderly.pk
            ),
            key=lambda r: r.person.pk,
        )
        if not pool:  # a building with no one over 70 left: its oldest resident
            pool = sorted(
                (r for r in self.roster.residents if r.room.building_id == building.pk
                 and r.person.pk not in self.used),
                key=lambda r: -r.age,
            )[:1]  # fmt: skip
        chosen = self.rng.choice(pool)
        self.used.add(chosen.person.pk)
        return chosen

    def _someone(self, number: int | None = None):
        pool = sorted(
            (
                r
                for r in self.roster.residents
                if 25 <= r.age < 70
                and r.person.pk not in self.used
                and (number is None or r.room.building_id == self.roster.building(number).pk)
            ),
            key=lambda r: r.person.pk,
        )
        chosen = self.rng.choice(pool)
        self.used.add(chosen.person.pk)
        return chosen

    def _number_of(self, building_id) -> int:
        return next(i for i, b in enumerate(self.roster.buildings, 1) if b.pk == building_id)

    def build(self) -> dict:
        self.setup()
        with _quiet():
            self.micro_wishes()
        self.live()
        return dict(self.counts)

    # 居民点单、支部派单、楼长接单 ---------------------------------------------------------
    def micro_wishes(self) -> None:
        start = max(self.now - 240 * DAY, _aware(2025, 2, 10))
        span = (self.now - 12 * DAY) - start
        own = self.roster.resident(self.elderly)
        own_number = self._number_of(own.room.building_id)
        last = len(WISHES_002) - 1
        own_index = next(i for i, n in enumerate(WISH_BUILDINGS) if n == own_number and i != last)
        for i, ((wish, done), number) in enumerate(zip(WISHES_002, WISH_BUILDINGS, strict=True)):
            at = start + span * i / last
            at = timezone.localtime(at).replace(
                hour=self.rng.randint(8, 11), minute=self.rng.choice((0, 15, 30, 45)), second=0
            )
            if i == own_index:
                resident, channel, by = own, Channel.APP, None
            else:
                resident = self._elder(number)
                if number == 1 or i % 3 == 0:
                    channel, by = Channel.VISIT, self.leaders[number - 1]
                elif number <= 5:
                    channel, by = Channel.VISIT, self.grid_worker
                else:
                    channel, by = Channel.PHONE, self.community_worker
            d = self.wish(reporter=resident.person, channel=channel, text=wish,
                          place=(PlaceKind.ROOM, resident.room, None), at=at, by=by)  # fmt: skip
            at = self.later(at, 2, 20, by=d.accept_by)
            d = self.dispatch(d, at, note="支部派单:请楼栋长接单,按老人意愿办好。")
            at = self.later(at, 1, 10, by=d.accept_by)
            d = self.accept(d, at, "楼长接单。")
            # The latest (building 1's) waits for its leader's feedback (反馈); the two
            # before it for the community's summary (总结); the rest are closed.
            steps = {last: "evaluate", last - 1: "feedback", last - 2: "feedback"}.get(i, "close")
            rating = self.rng.choices((5, 4), weights=(75, 25))[0]
            self.finish(d, self.later(at, 20, 120, by=d.resolve_by), rating=rating, note=done, steps=steps,
                        comment=self.rng.choice(WISH_COMMENTS))  # fmt: skip
            self.counts["micro_wishes"] += 1

    # Around today: live work for the demo accounts --------------------------------------
    def working_hours_ago(self, hours: float) -> dt.datetime:
        """``hours`` of working time (8:00–19:00) before now: live work happened in the
        daytime whatever the hour the demo is loaded; earlier hours give earlier times."""
        local = timezone.localtime(self.now)
        day = local.date()
        if local.hour >= 19:
            moment = _aware(day.year, day.month, day.day, 19)
        elif local.hour < 8:
            day -= DAY
            moment = _aware(day.year, day.month, day.day, 19)
        else:
            moment = self.now
        left = dt.timedelta(hours=hours)
        while True:
            local = timezone.localtime(moment)
            opening = _aware(local.year, local.month, local.day, 8)
            if moment - left >= opening:
                return moment - left
            left -= moment - opening
            day = local.date() - DAY
            moment = _aware(day.year, day.month, day.day, 19)

    def live(self) -> None:
        ago = self.working_hours_ago
        elderly = self.roster.resident(self.elderly)
        elder_building = self.roster.building_of(elderly.room)

        # The elderly resident's own: one in progress, one resolved and waiting for his rating.
        d = self.file(reporter=self.elderly, channel=Channel.APP, category=LIGHT,
                      text=f"{elder_building.name}楼道声控灯坏了,晚上下楼怕摔着",
                      place=(PlaceKind.BUILDING, None, elder_building), at=ago(14))  # fmt: skip
        d = self.dispatch(d, ago(12))
        self.accept(d, ago(10), "已安排电工,配件到货后更换。")
        d = self.file(reporter=self.elderly, channel=Channel.APP, category=DRAIN,
                      text="卫生间地漏反味很重,下水也慢", is_public=False,
                      place=(PlaceKind.ROOM, elderly.room, None), at=ago(30))  # fmt: skip
        d = self.dispatch(d, ago(29))
        d = self.accept(d, ago(28))
        self.resolve(d, ago(8), "已疏通下水管并更换防臭地漏,请老人家试用后评价。")

        # On the secretary's board: waiting for dispatch (one overdue), two near-duplicates.
        self.file(reporter=self.tenant, channel=Channel.APP, category=DRAIN,
                  text="东门停车场排水沟堵塞,下雨积水没过脚踝", note="东门停车场",
                  place=(PlaceKind.COMMON, None, None), at=ago(3))  # fmt: skip
        self.file(reporter=self.owner, channel=Channel.PHONE, category=SAFE, by=self.community_worker,
                  text="6号楼外墙瓷砖脱落,砸到楼下停着的车,幸好没伤到人",
                  place=(PlaceKind.BUILDING, None, self.roster.building(6)), at=ago(26))  # fmt: skip
        b3 = self.roster.building(3)
        for hours, who, text in (
            (5, self.community_worker, "3号楼1单元电梯运行时有异响,还经常停在半层,老人不敢坐"),
            (2, self.clerk, "3号楼1单元电梯有异响,停在半层不开门,家里老人吓坏了"),
        ):
            channel = Channel.VISIT if who is self.community_worker else Channel.PHONE
            self.file(reporter=self._someone(3).person, channel=channel, category=ELEV, by=who,
                      text=text, place=(PlaceKind.BUILDING, None, b3), at=ago(hours),
                      note="1单元电梯")  # fmt: skip

        # Returned by the property: back on the board to re-dispatch.
        d = self.file(reporter=self._someone().person, channel=Channel.PHONE, category=SAFE,
                      by=self.community_worker, text="东门绿化带的大树枝压到电线上了,刮风时晃得厉害",
                      note="东门绿化带", place=(PlaceKind.COMMON, None, None), at=ago(30))  # fmt: skip
        d = self.dispatch(d, ago(29))
        self.give_back(d, ago(27), "该线路属供电公司,需供电所停电修剪,请社区协调后重新派单。")

        # In the property clerk's inbox: to accept, to report in, to rectify, overdue.
        d = self.file(reporter=self._someone(7).person, channel=Channel.VISIT, category=FAC,
                      by=self.community_worker, text="7号楼单元门闭门器坏了,门一直关不上",
                      place=(PlaceKind.BUILDING, None, self.roster.building(7)), at=ago(8))  # fmt: skip
        self.dispatch(d, ago(6))
        one = self._someone(1)
        d = self.file(reporter=one.person, channel=Channel.PHONE, category=SAFE,
                      by=self.community_worker,
                      text="1号楼楼道里堆了旧沙发和纸箱,堵住了半边楼梯",
                      place=(PlaceKind.BUILDING, None, self.roster.building(1)), at=ago(20))  # fmt: skip
        d = self.dispatch(d, ago(19), self.branch, self.leaders[0], "请楼栋长先上门劝导清理。")
        d = self.accept(d, ago(18), "楼长接单,已上门劝导。")
        self.whistle(d, ago(4), "劝了一天没人搬,杂物还堵着楼梯,居民吹哨请物业来。",
                     by_reporter=True)  # fmt: skip
        d = self.file(reporter=self._someone(2).person, channel=Channel.PHONE, category=LEAK,
                      by=self.community_worker, text="2号楼楼顶水箱溢水,顺着外墙往下流,墙面发黑",
                      place=(PlaceKind.BUILDING, None, self.roster.building(2)), at=ago(60))  # fmt: skip
        d = self.dispatch(d, ago(59))
        d = self.accept(d, ago(58))
        d = self.resolve(d, ago(40), "已调整水箱浮球阀。")
        self.evaluate(d, ago(30), 2, "浮球阀调了还是溢水,外墙还在淌水。")
        d = self.file(reporter=self._someone(5).person, channel=Channel.VISIT, category=ELEV,
                      by=self.community_worker, text="5号楼电梯按钮失灵,按了几楼都不亮",
                      place=(PlaceKind.BUILDING, None, self.roster.building(5)), at=ago(40))  # fmt: skip
        d = self.dispatch(d, ago(39))
        self.accept(d, ago(38), "已报维保单位,等待配件。")  # resolve within 2 days: overdue

        # The branch secretary is also the owners' committee chair (一肩挑): parking.
        d = self.file(reporter=self._someone().person, channel=Channel.PHONE, category=PARK,
                      by=self.community_worker, text="晚上外来车辆占用小区车位,业主回来没地方停",
                      place=(PlaceKind.COMMON, None, None), at=ago(16))  # fmt: skip
        d = self.dispatch(d, ago(15))
        self.accept(d, ago(13), "业委会研究车辆登记和门岗管理办法。")

        # Building 1's leader: a new wish to take on, one in progress.
        for hours, text in ((6, "想要一个暖手宝,冬天手脚冰凉"), (50, "想请人陪着去银行办社保卡")):
            elder = self._elder(1)
            d = self.wish(reporter=elder.person, channel=Channel.VISIT, text=text, by=self.leaders[0],
                          place=(PlaceKind.ROOM, elder.room, None), at=ago(hours))  # fmt: skip
            d = self.dispatch(d, ago(hours - 2), note="支部派单:请楼栋长接单。")
            if hours > 10:
                self.accept(d, ago(hours - 4), "楼长接单,约好周五上午陪同。")
        self.counts["live"] = Demand.objects.filter(
            compound=self.compound, state__in=sorted(rules.UNRESOLVED | {State.RESOLVED})
        ).count()


# =========================================================================================


def load_demands_demo(ctx) -> dict:
    """Stories 004 and 002 on the compounds in ``ctx.worlds`` (each skipped when its
    compound already has demands). Returns what was done, per story."""
    cats = _categories()
    done: dict[str, dict] = {}
    world = ctx.worlds.get(story_004.KEY)
    if world is not None and not Demand.objects.filter(compound=world.compound).exists():
        with _quiet():
            done[story_004.KEY] = Cuiping(ctx, world, cats, random.Random(SEED)).build()
    world = ctx.worlds.get(story_002.KEY)
    if world is not None and not Demand.objects.filter(compound=world.compound).exists():
        rng = random.Random(SEED + 2)
        done[story_002.KEY] = Pacific(ctx, world, cats, rng, timezone.now()).build()
    return done
