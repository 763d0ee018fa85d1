"""A compound's own settings for demands: categories, routing rules, escalation chain.

The branch secretary or community staff (Cap.DISPATCH over the compound) change them;
global categories are for the system (actor None) or a superuser.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.bodies.models import Body, Membership
from gongzhi.core.access import ensure, is_superuser
from gongzhi.demands import permissions, rules
from gongzhi.demands.models import Category, EscalationChain, PlaceKind, RoutingRule
from gongzhi.demands.rules import DemandError
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound

_DENIED = "只有支部书记或社区工作人员可以修改本小区的诉求设置。"


def _ensure_manage(actor, compound: Compound | None) -> None:
    if actor is None or is_superuser(actor):
        return
    ensure(compound is not None and permissions.can_manage_compound(actor, compound.path), _DENIED)


@transaction.atomic
def category_create(
    *,
    actor,
    name: str,
    compound: Compound | None = None,
    accept_within_hours: int = rules.DEFAULT_ACCEPT_HOURS,
    resolve_within_days: int = rules.DEFAULT_RESOLVE_DAYS,
    keywords: str = "",
    sort_order: int = 0,
) -> Category:
    """A category for one compound, or a global one (compound None)."""
    _ensure_manage(actor, compound)
    name = (name or "").strip()
    if not name:
        raise DemandError({"name": ["请填写类别名称。"]})
    if int(accept_within_hours) < 1 or int(resolve_within_days) < 1:
        raise DemandError("接单时限和办结时限都至少为1。")
    category = Category(
        compound=compound,
        name=name,
        accept_within_hours=int(accept_within_hours),
        resolve_within_days=int(resolve_within_days),
        keywords=(keywords or "").strip(),
        sort_order=sort_order,
    )
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise DemandError({"name": ["已有同名类别。"]}) from None
    audit.record(
        actor=actor,
        action="demand_category.create",
        obj=category,
        after=snapshot(category),
        place_path=compound.path if compound else "",
    )
    return category


@transaction.atomic
def category_update(*, actor, category: Category, **changes) -> Category:
    allowed = {"name", "accept_within_hours", "resolve_within_days", "keywords", "is_active",
               "sort_order"}  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise DemandError(f"不能修改:{'、'.join(sorted(unknown))}。")
    _ensure_manage(actor, category.compound)
    before = snapshot(category)
    for field, value in changes.items():
        setattr(category, field, value)
    if category.accept_within_hours < 1 or category.resolve_within_days < 1:
        raise DemandError("接单时限和办结时限都至少为1。")
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise DemandError({"name": ["已有同名类别。"]}) from None
    audit.record(actor=actor, action="demand_category.update", obj=category, before=before,
                 after=snapshot(category),
                 place_path=category.compound.path if category.compound_id else "")  # fmt: skip
    return category


@transaction.atomic
def routing_rule_create(
    *,
    actor,
    compound: Compound,
    handler_body: Body,
    handler_person: Person | None = None,
    category: Category | None = None,
    place_kind: str = "",
    building: Building | None = None,
) -> RoutingRule:
    """派单规则: category × place kind [× building] → handler, for this compound only."""
    _ensure_manage(actor, compound)
    errors: dict[str, list[str]] = {}
    if place_kind and place_kind not in PlaceKind.values:
        errors["place_kind"] = ["位置类型无效。"]
    if building is not None and building.compound_id != compound.pk:
        errors["building"] = ["所选楼栋不属于该小区。"]
    if building is not None and place_kind == PlaceKind.COMMON:
        errors["building"] = ["公共区域规则不能指定楼栋。"]
    if category is not None and category.compound_id not in (None, compound.pk):
        errors["category"] = ["该类别不适用于本小区。"]
    if handler_body.dissolved_on is not None or not (
        compound.path.startswith(handler_body.place_path)
        or handler_body.place_path.startswith(compound.path)
    ):
        errors["handler_body"] = ["承办组织不在本小区范围内。"]
    if (
        handler_person is not None
        and not Membership.objects.active()
        .filter(body=handler_body, person=handler_person)
        .exists()
    ):
        errors["handler_person"] = ["承办人不是该组织的在任成员。"]
    if errors:
        raise DemandError(errors)
    rule = RoutingRule.objects.create(
        compound=compound,
        category=category,
        place_kind=place_kind or "",
        building=building,
        handler_body=handler_body,
        handler_person=handler_person,
    )
    audit.record(actor=actor, action="demand_routing.create", obj=rule, after=snapshot(rule),
                 place_path=compound.path)  # fmt: skip
    return rule


@transaction.atomic
def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    _ensure_manage(actor, rule.compound)
    before = snapshot(rule)
    path = rule.compound.path
    pk = rule.pk
    rule.delete()
    audit.record(actor=actor, action="demand_routing.delete", object_type="demands.routingrule",
                 object_id=pk, object_repr=f"派单规则#{pk}", before=before,
                 place_path=path)  # fmt: skip


@transaction.atomic
def escalation_chain_set(*, actor, compound: Compound, levels) -> EscalationChain:
    """The compound's 吹哨报到 chain: reorder or shorten the default levels."""
    _ensure_manage(actor, compound)
    levels = list(rules.validate_chain(levels))
    chain = EscalationChain.objects.filter(compound=compound).first()
    before = {"levels": list(chain.levels)} if chain else {"levels": list(rules.DEFAULT_CHAIN)}
    if chain is None:
        chain = EscalationChain.objects.create(compound=compound, levels=levels)
    else:
        chain.levels = levels
        chain.save()
    audit.record(actor=actor, action="demand_chain.set", obj=chain, before=before,
                 after={"levels": levels}, place_path=compound.path)  # fmt: skip
    return chain
