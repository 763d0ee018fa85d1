"""Demo data for lists: story 001's needs list (江南街道, article 001).

"形成小区居民'需求清单'67个,实行项目化、清单化解决,对当下能解决的要立行立改,对需要长期
解决的制定问题清单……推动解决居民群众热切盼望的和关注的实事难事36个", and partner units
claim items through 清单发布与认领.

``load_lists_demo(compound)`` builds, through the services (actor ``None``, the system, or a
liaison's own account where there is one), a published 2024 needs list of 67 items: 45 to
fix now and 22 long-term projects with a plan and milestones; 36 solved (24 fixed at once by
staff, 12 finished by those who claimed them); 22 claimed by the partner units whose place
covers the compound and by the 双报到 in-service party members of its community. With no
partner unit or member there, the items they would claim stay open.

Assumed: every item's wording, place and date (the article gives only the counts and a few
examples: roof leaks, a road, public toilets, street lamps, parking spaces, a small square).
"""

from __future__ import annotations

import datetime as dt
from itertools import cycle

from django.utils import timezone

from gongzhi.core.demo import tables
from gongzhi.lists import selectors, services
from gongzhi.lists.models import WorkList
from gongzhi.lists.rules import ListKind, Mode, Source
from gongzhi.people.models import Account
from gongzhi.places.models import Compound

M = Source.MEETING
# The items' wording, places and sources, and the meetings: gongzhi/lists/data/demo.toml.
_DATA = tables.load("gongzhi.lists", "demo")
MEETINGS: tuple[str, ...] = tuple(_DATA["meetings"])
# (title, place, source) — 45 to fix now.
FIX_NOW: tuple[tuple[str, str, Source], ...] = tuple(
    (title, place, Source(source)) for title, place, source in _DATA["fix_now"]
)
# (title, place, source, plan) — 22 long-term projects.
LONG_TERM: tuple[tuple[str, str, Source, str], ...] = tuple(
    (title, place, Source(source), plan) for title, place, source, plan in _DATA["long_term"]
)

# What becomes of each item, by position: (outcome, how many).
FIX_NOW_PLAN = (("solve", 24), ("unit_done", 6), ("member_done", 2), ("unit_claim", 4), ("open", 9))
LONG_TERM_PLAN = (("unit_done", 4), ("unit_claim", 5), ("member_claim", 1), ("open", 12))

PUBLISHED = dt.date(2024, 3, 1)


def _expand(plan) -> list[str]:
    return [outcome for outcome, n in plan for _ in range(n)]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _milestones(index: int) -> list[tuple[str, dt.date]]:
    start = dt.date(2024, 4, 15) + dt.timedelta(days=7 * index)
    return [
        ("方案论证、征求居民意见", start),
        ("组织实施", start + dt.timedelta(days=60)),
        ("完工验收、结果公示", start + dt.timedelta(days=120)),
    ]


def _liaison_account(body) -> Account | None:
    """The liaison's own account, if they have one; otherwise the system claims for them."""
    person_ids = (
        body.memberships.active().filter(post="liaison").values_list("person_id", flat=True)
    )
    return Account.objects.filter(person_id__in=list(person_ids), is_active=True).first()


def _claim(item, *, body=None, person=None, day: dt.date):
    actor = None
    if body is not None:
        actor = _liaison_account(body)
    elif person is not None:
        actor = Account.objects.filter(person=person, is_active=True).first()
    services.item_claim(actor=actor, item=item, body=body, person=person, now=_at(day))
    return actor


def load_lists_demo(compound: Compound) -> WorkList:
    """Story 001's needs list in ``compound``: 67 collected, 36 solved, 22 claimed (fewer
    claimed when the compound has no partner unit or 双报到 member to claim them)."""
    compound = Compound.objects.select_related("community").get(pk=compound.pk)
    work_list = services.worklist_create(
        actor=None,
        kind=ListKind.NEEDS,
        title=f"{compound.name}2024年居民需求清单",
        period="2024",
        compound=compound,
        note="通过党群联席会议、邻里夜谈、邻里话室会和上门走访收集,项目化、清单化解决:"
        "当下能解决的立行立改,需要长期解决的制定计划、分节点推进。",
        now=_at(dt.date(2024, 1, 5)),
    )
    items = []
    for n, (title, place, source) in enumerate(FIX_NOW):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=n)
        items.append(
            services.item_add(
                actor=None, work_list=work_list, title=title, source=source,
                source_label=MEETINGS[n % 3] if source == M else "网格员上门走访",
                source_date=day, place_label=place, now=_at(day),
            )
        )  # fmt: skip
    for n, (title, place, source, plan) in enumerate(LONG_TERM):
        day = dt.date(2024, 1, 10) + dt.timedelta(days=2 * n)
        items.append(
            services.item_add(
                actor=None, work_list=work_list, title=title, source=source,
                source_label=MEETINGS[n % 3] if source == M else "网格员上门走访",
                source_date=day, place_label=place, mode=Mode.LONG_TERM, plan=plan,
                milestones=_milestones(n), now=_at(day),
            )
        )  # fmt: skip
    work_list = services.worklist_publish(actor=None, work_list=work_list, now=_at(PUBLISHED))

    units = list(selectors.eligible_bodies(work_list))
    members = list(selectors.eligible_people(work_list))
    next_unit = cycle(units) if units else None
    next_member = cycle(members) if members else None
    outcomes = _expand(FIX_NOW_PLAN) + _expand(LONG_TERM_PLAN)
    for n, (item, outcome) in enumerate(zip(items, outcomes, strict=True)):
        day = PUBLISHED + dt.timedelta(days=3 + 4 * n)
        if outcome == "solve":
            services.item_solve(
                actor=None, item=item, text="网格员和物业当场处理,已立行立改。", now=_at(day)
            )
            continue
        if outcome == "open":
            continue
        by_member = outcome.startswith("member")
        pool = next_member if by_member else next_unit
        if pool is None:
            continue
        claimant = next(pool)
        actor = _claim(
            item, body=None if by_member else claimant, person=claimant if by_member else None,
            day=day,
        )  # fmt: skip
        services.item_report_progress(
            actor=actor, item=item, text="已到现场查看,制定办理方案,正在协调落实。",
            percent=40 if item.mode == Mode.FIX_NOW else 30, now=_at(day + dt.timedelta(days=5)),
        )  # fmt: skip
        if not outcome.endswith("done"):
            continue
        finished = day + dt.timedelta(days=20)
        if item.mode == Mode.LONG_TERM:
            for k, milestone in enumerate(item.milestones.order_by("due_on")):
                services.milestone_complete(
                    actor=actor, milestone=milestone, now=_at(finished + dt.timedelta(days=30 * k))
                )
            finished += dt.timedelta(days=90)
        services.item_finish(
            actor=actor, item=item, text="已办结,经居民代表验收。", now=_at(finished)
        )
    return work_list
