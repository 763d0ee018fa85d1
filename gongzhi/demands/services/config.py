"""A compound's own settings for demands: categories, routing rules, escalation chain.

The branch secretary or community staff (DemandCap.DISPATCH over the compound) change them;
global categories are for the system (actor None) or a superuser.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.bodies.models import Body, Membership
from gongzhi.core.access import ensure, is_superuser
from gongzhi.demands import permissions, rules
from gongzhi.demands.models import Category, EscalationChain, PlaceKind, RoutingRule
from gongzhi.demands.rules import DemandError
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound

_DENIED = gettext_lazy("只有支部书记或社区工作人员可以修改本小区的诉求设置。")


def can_manage(actor, compound: Compound | None) -> bool:
    """May ``actor`` change the demand settings of ``compound`` (its categories, routing
    rules and chain), or with ``compound`` None the district-wide categories? The pages
    and the API ask this to show or refuse before reading any input; the services below
    check it again."""
    if actor is None or is_superuser(actor):
        return True
    return compound is not None and permissions.can_manage_compound(actor, compound.path)


def ensure_manage(actor, compound: Compound | None) -> None:
    """``can_manage`` or PermissionDenied, with the reason in Chinese."""
    if can_manage(actor, compound):
        return
    ensure(compound is not None, _("全区通用的诉求类别只有系统管理员可以修改。"))
    ensure(False, _DENIED)


# A category's fields as the services accept them: each checked here, and every problem
# reported beside its field at once (the page and the API show them as they are).
_NAME_MAX = 40
_KEYWORDS_MAX = 500
_SMALL_MAX = 32767  # PositiveSmallIntegerField


def _whole_number(value, low: int, messages: dict[str, str]) -> tuple[int | None, str | None]:
    if isinstance(value, bool):
        return None, messages["invalid"]
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None, messages["invalid"]
    if number != value and not isinstance(value, str):  # 1.5 is not a whole number
        return None, messages["invalid"]
    if number < low:
        return None, messages["min"]
    if number > _SMALL_MAX:
        return None, messages["max"]
    return number, None


def _clean_category_fields(values: dict) -> dict:
    """Normalise the given category fields (strip text, make numbers ints) or raise
    DemandError with a Chinese message per field."""
    limits = {
        "accept_within_hours": (1, {
            "invalid": _("接单时限须为整数(小时)。"),
            "min": _("接单时限至少为1小时。"),
            "max": _("接单时限不能超过%(max)s小时。") % {"max": _SMALL_MAX},
        }),
        "resolve_within_days": (1, {
            "invalid": _("办结时限须为整数(天)。"),
            "min": _("办结时限至少为1天。"),
            "max": _("办结时限不能超过%(max)s天。") % {"max": _SMALL_MAX},
        }),
        "sort_order": (0, {
            "invalid": _("排序须为整数。"),
            "min": _("排序不能小于0。"),
            "max": _("排序不能超过%(max)s。") % {"max": _SMALL_MAX},
        }),
    }  # fmt: skip
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if field == "name":
            clean[field] = (value or "").strip()
            if not clean[field]:
                errors[field] = [_("请填写类别名称。")]
            elif len(clean[field]) > _NAME_MAX:
                errors[field] = [_("类别名称不能超过%(max)s字。") % {"max": _NAME_MAX}]
        elif field == "keywords":
            clean[field] = (value or "").strip()
            if len(clean[field]) > _KEYWORDS_MAX:
                errors[field] = [_("关键词不能超过%(max)s字。") % {"max": _KEYWORDS_MAX}]
        elif field == "is_active":
            clean[field] = bool(value)
        else:
            low, messages = limits[field]
            clean[field], error = _whole_number(value, low, messages)
            if error:
                errors[field] = [error]
    if errors:
        raise DemandError(errors)
    return clean


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
    ensure_manage(actor, compound)
    fields = _clean_category_fields(
        {
            "name": name,
            "accept_within_hours": accept_within_hours,
            "resolve_within_days": resolve_within_days,
            "keywords": keywords,
            "sort_order": sort_order,
        }
    )
    _refuse_shadowing(compound, fields.get("name"))
    category = Category(compound=compound, **fields)
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise DemandError({"name": [_("已有同名类别。")]}) from None
    audit.record(
        actor=actor,
        action="demand_category.create",
        obj=category,
        after=snapshot(category),
        place_path=compound.path if compound else "",
    )
    return category


def _refuse_shadowing(compound, name: str | None, exclude: int | None = None) -> None:
    """A compound's own category may not take the name of a district-wide one: the filing
    form would offer two categories of the same name."""
    if compound is None or not name:
        return
    clash = Category.objects.filter(compound__isnull=True, name=name).exclude(pk=exclude)
    if clash.exists():
        raise DemandError({"name": [_("已有同名的全区通用类别。")]})


_CATEGORY_CHANGES = frozenset(
    {"name", "accept_within_hours", "resolve_within_days", "keywords", "is_active", "sort_order"}
)


@transaction.atomic
def category_update(*, actor, category: Category, **changes) -> Category:
    """Change a category's name, keywords, deadlines, order, or (``is_active``) take it
    off or put it back on the filing form. Demands already filed keep their deadlines."""
    unknown = set(changes) - _CATEGORY_CHANGES
    if unknown:
        raise DemandError(_("不能修改:%(fields)s。") % {"fields": ", ".join(sorted(unknown))})
    ensure_manage(actor, category.compound)
    clean = _clean_category_fields(changes)
    if "name" in clean:
        _refuse_shadowing(category.compound, clean["name"], exclude=category.pk)
    before = snapshot(category)
    for field, value in clean.items():
        setattr(category, field, value)
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        for field, value in before.items():  # the caller's copy stays as it was
            if field in clean:
                setattr(category, field, value)
        raise DemandError({"name": [_("已有同名类别。")]}) from None
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
    ensure_manage(actor, compound)
    errors: dict[str, list[str]] = {}
    if place_kind and place_kind not in PlaceKind.values:
        errors["place_kind"] = [_("位置类型无效。")]
    if building is not None and building.compound_id != compound.pk:
        errors["building"] = [_("所选楼栋不属于该小区。")]
    if building is not None and place_kind == PlaceKind.COMMON:
        errors["building"] = [_("公共区域规则不能指定楼栋。")]
    if category is not None and category.compound_id not in (None, compound.pk):
        errors["category"] = [_("该类别不适用于本小区。")]
    if not handler_body.is_current() or not (
        compound.path.startswith(handler_body.place_path)
        or handler_body.place_path.startswith(compound.path)
    ):
        errors["handler_body"] = [_("承办组织不在本小区范围内。")]
    if (
        handler_person is not None
        and not Membership.objects.active()
        .filter(body=handler_body, person=handler_person)
        .exists()
    ):
        errors["handler_person"] = [_("承办人不是该组织的在任成员。")]
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
    ensure_manage(actor, rule.compound)
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
    ensure_manage(actor, compound)
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
