"""Compiling items onto a list: meeting and visit items, demands in bulk, project plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core import access, refs
from gongzhi.core.access import ensure
from gongzhi.demands import permissions as demand_permissions
from gongzhi.demands import rules as demand_rules
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import Category, Demand, Kind, PlaceKind
from gongzhi.lists import rules
from gongzhi.lists.models import ListItem, Milestone, WorkList
from gongzhi.lists.rules import ItemState, ListError, Mode, Source
from gongzhi.lists.services._common import (
    COMPILE_REFUSAL,
    MANAGE_REFUSAL,
    TRACKED_ITEM,
    actor_account,
    audit_item,
    check_category,
    check_editable,
    lock_item,
    lock_list,
    next_number,
    now_or,
    require_staff,
)

BULK_MAX = 500
"""At most this many demands in one compile (a compound's list runs to tens)."""
UNLISTABLE = frozenset({demand_rules.State.WITHDRAWN, demand_rules.State.MERGED})
"""Demand states that cannot go on a list (withdrawn by the resident, or merged away)."""


def _numbers(ids: Iterable[int]) -> str:
    """Demand numbers as a message shows them: ``#3, #5``."""
    return ", ".join(f"#{i}" for i in ids)


# ---------------------------------------------------------------------------------------
# Compiling items
# ---------------------------------------------------------------------------------------


def _plan_and_milestones(mode: str, plan: str, milestones) -> tuple[str, list]:
    if mode not in Mode.values:
        raise ListError({"mode": [_("请选择立行立改或长期项目。")]})
    plan = rules.clean_text(plan, "plan", max_length=rules.PLAN_MAX)
    specs = rules.clean_milestones(milestones)
    if mode == Mode.LONG_TERM:
        rules.check_long_term(plan, specs)
    elif specs:
        raise ListError({"milestones": [_("立行立改事项没有节点;长期项目才有推进计划和节点。")]})
    return plan, specs


@transaction.atomic
def item_add(
    *,
    actor,
    work_list: WorkList,
    title: str,
    source: str,
    description: str = "",
    source_label: str = "",
    source_date: dt.date | None = None,
    category: Category | None = None,
    place_label: str = "",
    mode: str = Mode.FIX_NOW,
    plan: str = "",
    milestones: Iterable = (),
    now: dt.datetime | None = None,
) -> ListItem:
    """列入清单 an item raised at a meeting (会议) or found on a walk-around visit (走访).
    Demands go on a list through ``items_add_from_demands``."""
    locked = lock_list(work_list)
    require_staff(actor, locked.place_path, COMPILE_REFUSAL)
    check_editable(locked)
    now = now_or(now)
    if source == Source.DEMAND:
        raise ListError({"source": [_("居民诉求请从诉求中选择列入。")]})
    if source not in Source.values:
        raise ListError({"source": [_("请选择来源:会议收集或上门走访。")]})
    title = rules.clean_text(title, "title", required=_("请填写事项。"), max_length=rules.TITLE_MAX)
    description = rules.clean_text(description, "description")
    source_label = rules.clean_text(
        source_label,
        "source_label",
        required=_("请填写是哪次会议(如“3月邻里夜谈”)。") if source == Source.MEETING else None,
        max_length=120,
    )
    place_label = rules.clean_text(place_label, "place_label", max_length=100)
    if source_date is not None and source_date > timezone.localdate(now):
        raise ListError({"source_date": [_("来源日期不能晚于今天。")]})
    check_category(category, locked)
    plan, specs = _plan_and_milestones(mode, plan, milestones)
    item = ListItem.objects.create(
        work_list=locked,
        number=next_number(locked),
        title=title,
        description=description,
        category=category,
        place_label=place_label,
        source=source,
        source_label=source_label,
        source_date=source_date,
        collected_on=source_date or timezone.localdate(now),
        mode=mode,
        plan=plan,
        created_by=actor_account(actor),
        created_at=now,
    )
    Milestone.objects.bulk_create(
        [Milestone(item=item, title=m.title, due_on=m.due_on) for m in specs]
    )
    audit_item(actor, "item_add", item, None, milestones=[(m.title, m.due_on) for m in specs])
    return item


def _public_text(demand: Demand, title: str = "") -> tuple[str, str, str]:
    building = demand.building.name if demand.building_id else None
    note = demand.location_note if demand.place_kind == PlaceKind.COMMON else ""
    place = rules.place_label_for(building, note)
    category = demand.category.name if demand.category_id else Kind(demand.kind).label
    title, description = rules.public_text_for_demand(
        description=demand.description,
        is_public=demand.is_public,
        category=category,
        place=place,
        title=title,
    )
    return title[: rules.TITLE_MAX], description, place


@transaction.atomic
def items_add_from_demands(
    *,
    actor,
    work_list: WorkList,
    demands: Iterable[Demand | int],
    mode: str = Mode.FIX_NOW,
    plan: str = "",
    milestones: Iterable = (),
    titles: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> list[ListItem]:
    """列入清单 the selected demands of the list's place, in one go (a constant number of
    queries whatever their number). A long-term batch shares its plan and milestones.
    ``titles`` (demand id → text) are the titles the compiler wrote for the list; every
    demand the resident did not allow to be shown needs one (a shown one lends its first
    sentence when it has none).

    An item keeps no reporter and names no room (rules.public_text_for_demand).
    """
    locked = lock_list(work_list)
    require_staff(actor, locked.place_path, COMPILE_REFUSAL)
    check_editable(locked)
    now = now_or(now)
    ids = list(dict.fromkeys(d.pk if isinstance(d, Demand) else refs.parse_id(d) for d in demands))
    if None in ids:
        raise ListError({"demands": [_("诉求编号无效。")]})
    if not ids:
        raise ListError({"demands": [_("请选择要列入清单的诉求。")]})
    if len(ids) > BULK_MAX:
        raise ListError({"demands": [_("一次最多列入%(max)s条诉求。") % {"max": BULK_MAX}]})
    plan, specs = _plan_and_milestones(mode, plan, milestones)

    found = {
        d.pk: d for d in Demand.objects.filter(pk__in=ids).select_related("category", "building")
    }
    missing = [i for i in ids if i not in found]
    # Outside the list's place, or out of the actor's sight (a grid worker's neighbour
    # grid): the same words as a missing one (core.refs).
    outside = [
        i
        for i in ids
        if i in found
        and not (
            found[i].place_path.startswith(locked.place_path)
            and (actor is None or demand_permissions.can_view(actor, found[i]))
        )
    ]
    if missing or outside:
        raise ListError(
            {
                "demands": [
                    _("诉求不存在或不属于本清单所在地:%(ids)s。")
                    % {"ids": _numbers(missing + outside)}
                ]
            }
        )
    if actor is not None:
        beyond = [
            i for i in ids if not access.allows(actor, DemandCap.DISPATCH, found[i].place_path)
        ]
        ensure(
            not beyond,
            _("以下诉求不在您负责的范围内:%(ids)s。") % {"ids": _numbers(beyond)},
        )
    gone = [i for i in ids if found[i].state in UNLISTABLE]
    if gone:
        raise ListError(
            {"demands": [_("已撤回或已合并的诉求不能列入清单:%(ids)s。") % {"ids": _numbers(gone)}]}
        )
    already = sorted(
        ListItem.objects.filter(work_list=locked, demand_id__in=ids).values_list(
            "demand_id", flat=True
        )
    )
    if already:
        raise ListError(
            {"demands": [_("以下诉求已在本清单中:%(ids)s。") % {"ids": _numbers(already)}]}
        )

    titles = {pk: " ".join((text or "").split()) for pk, text in (titles or {}).items()}
    untitled = [i for i in ids if not found[i].is_public and not titles.get(i)]
    if untitled:
        # An item the public sees must say what it is about; a demand the resident kept
        # private lends no text, so the compiler writes one (else every item would read
        # "安全隐患 · 6号楼").
        raise ListError(
            {
                "titles": [
                    _("以下诉求居民未同意公开,请为它们写清单标题:%(ids)s。")
                    % {"ids": _numbers(untitled)}
                ]
            }
        )

    first = next_number(locked)
    items = []
    for offset, pk in enumerate(ids):
        demand = found[pk]
        title, description, place = _public_text(demand, titles.get(pk, ""))
        filed_on = timezone.localdate(demand.created_at)
        items.append(
            ListItem(
                work_list=locked,
                number=first + offset,
                title=title,
                description=description,
                category=demand.category,
                place_label=place,
                source=Source.DEMAND,
                demand=demand,
                source_label=demand.get_channel_display(),
                source_date=filed_on,
                collected_on=filed_on,
                mode=mode,
                plan=plan,
                created_by=actor_account(actor),
                created_at=now,
            )
        )
    ListItem.objects.bulk_create(items)
    Milestone.objects.bulk_create(
        [Milestone(item=item, title=m.title, due_on=m.due_on) for item in items for m in specs]
    )
    audit.record(
        actor=actor,
        action="lists.items_add",
        obj=locked,
        after={
            "items": [item.pk for item in items],
            "demands": ids,
            "mode": mode,
            "milestones": [(m.title, m.due_on) for m in specs],
        },
        place_path=locked.place_path,
    )
    return items


@transaction.atomic
def item_plan(*, actor, item: ListItem, plan: str, milestones: Iterable = ()) -> ListItem:
    """Carry an item as a long-term project (制定问题清单): its plan, and milestones added to
    any it has. A project needs a plan and at least one milestone."""
    locked = lock_item(item)
    work_list = locked.work_list
    require_staff(actor, work_list.place_path, MANAGE_REFUSAL)
    check_editable(work_list)
    if locked.state in rules.TERMINAL:
        raise ListError(
            _("事项状态为“%(state)s”,不能再调整计划。") % {"state": ItemState(locked.state).label},
            code="terminal",
        )
    before = snapshot(locked, TRACKED_ITEM)
    plan = rules.clean_text(plan, "plan", max_length=rules.PLAN_MAX)
    specs = rules.clean_milestones(milestones)
    has = locked.milestones.exists()
    rules.check_long_term(plan, specs or ([True] if has else []))
    locked.mode = Mode.LONG_TERM
    locked.plan = plan
    locked.save(update_fields=["mode", "plan", "updated_at"])
    Milestone.objects.bulk_create(
        [Milestone(item=locked, title=m.title, due_on=m.due_on) for m in specs]
    )
    audit_item(actor, "item_plan", locked, before, milestones=[(m.title, m.due_on) for m in specs])
    return locked
