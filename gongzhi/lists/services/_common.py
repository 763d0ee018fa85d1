"""Shared steps of every list write: the actor, locks, checks, the audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core.access import ensure
from gongzhi.demands.models import Category
from gongzhi.lists import permissions, rules
from gongzhi.lists.models import ListItem, WorkList
from gongzhi.lists.rules import Action, ListError, Role

TRACKED_ITEM = ["state", "mode", "plan", "percent", "done_at", "dropped_reason"]
COMPILE_REFUSAL = gettext_lazy("只有本小区的支部书记、网格员或社区工作人员可以编制清单。")
MANAGE_REFUSAL = gettext_lazy("只有本小区的支部书记、网格员或社区工作人员可以发布或管理清单。")


def actor_account(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def require_staff(actor, place_path: str, message: str) -> None:
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    ensure(permissions.is_staff(actor, place_path), message)


def lock_list(work_list: WorkList | int) -> WorkList:
    pk = work_list.pk if isinstance(work_list, WorkList) else work_list
    return (
        WorkList.objects.select_for_update(of=("self",))
        .select_related("compound", "community")
        .get(pk=pk)
    )


def lock_item(item: ListItem | int) -> ListItem:
    pk = item.pk if isinstance(item, ListItem) else item
    return (
        ListItem.objects.select_for_update(of=("self",))
        .select_related("work_list__compound", "work_list__community")
        .get(pk=pk)
    )


def check_editable(work_list: WorkList) -> None:
    if work_list.state not in rules.EDITABLE:
        raise ListError(_("清单已归档,不能再修改。"), code="archived")


def next_number(work_list: WorkList) -> int:
    """The next item number; the caller holds the list's row lock."""
    return (ListItem.objects.filter(work_list=work_list).aggregate(n=Max("number"))["n"] or 0) + 1


def audit_item(actor, action: str, item: ListItem, before: dict | None, **extra) -> None:
    after = snapshot(item, TRACKED_ITEM)
    after.update(extra)
    audit.record(
        actor=actor,
        action=f"lists.{action}",
        obj=item,
        before=before,
        after=after,
        place_path=item.work_list.place_path,
    )


def check_category(category: Category | None, work_list: WorkList) -> None:
    if category is not None and (
        not category.is_active or category.compound_id not in (None, work_list.compound_id)
    ):
        raise ListError({"category": [_("该类别不适用于本小区。")]})


def authorize(actor, item: ListItem, action: Action, *, claim=None, message: str = "") -> frozenset:
    """The actor's roles on the item, or PermissionDenied when none of them may ``action``
    from the item's state (checked before the state, as demands do)."""
    if actor is None:
        return frozenset({Role.SYSTEM})
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    roles = permissions.roles_of(actor, item, claim)
    source = item.state if rules.moves_for(action, item.state) else None
    if source is None:
        # No such move from this state: any role that could make it elsewhere is told about
        # the state instead (check_item_move), anyone else is refused here.
        allowed = rules.roles_for(action) | {Role.SYSTEM}
        ensure(bool(roles & allowed), message or rules.refusal(action))
        return roles
    ensure(rules.role_may(action, source, roles), message or rules.refusal(action, source))
    return roles
