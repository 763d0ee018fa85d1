"""Lists (清单): create as a draft, publish, archive."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.lists import notify, rules
from gongzhi.lists.models import ListItem, WorkList
from gongzhi.lists.rules import ListError, ListKind, ListState
from gongzhi.lists.services._common import (
    COMPILE_REFUSAL,
    MANAGE_REFUSAL,
    actor_account,
    lock_list,
    now_or,
    require_staff,
)
from gongzhi.places.models import Community, Compound

TRACKED_LIST = ["title", "note", "period", "period_start", "period_end", "state",
                "published_at", "archived_at"]  # fmt: skip

# ---------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------


@transaction.atomic
def worklist_create(
    *,
    actor,
    kind: str,
    title: str,
    period: str,
    compound: Compound | None = None,
    community: Community | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> WorkList:
    """编制清单: a compound's (or, with ``community`` alone, a community's) list, as a draft."""
    if compound is None and community is None:
        raise ListError({"compound": [_("请选择小区或社区。")]})
    if compound is not None:
        if community is not None and community.pk != compound.community_id:
            raise ListError({"community": [_("小区不属于该社区。")]})
        community = compound.community
    place_path = compound.path if compound is not None else community.path
    require_staff(actor, place_path, COMPILE_REFUSAL)
    if kind not in ListKind.values:
        raise ListError({"kind": [_("请选择需求清单或问题清单。")]})
    title = rules.clean_text(
        title, "title", required=_("请填写清单标题。"), max_length=rules.TITLE_MAX
    )
    note = rules.clean_text(note, "note")
    label, start, end = rules.clean_period(period, period_start, period_end)
    work_list = WorkList.objects.create(
        kind=kind,
        title=title,
        note=note,
        street_id=community.street_id,
        community=community,
        compound=compound,
        place_path=place_path,
        period=label,
        period_start=start,
        period_end=end,
        created_by=actor_account(actor),
        created_at=now_or(now),
    )
    audit.record(
        actor=actor,
        action="lists.create",
        obj=work_list,
        after=snapshot(work_list),
        place_path=place_path,
    )
    return work_list


def _move_list(actor, work_list: WorkList, target: ListState) -> tuple[WorkList, dict]:
    locked = lock_list(work_list)
    require_staff(actor, locked.place_path, MANAGE_REFUSAL)
    rules.check_list_move(locked.state, target)
    before = snapshot(locked, TRACKED_LIST)
    locked.state = target
    return locked, before


@transaction.atomic
def worklist_publish(*, actor, work_list: WorkList, now: dt.datetime | None = None) -> WorkList:
    """发布: residents see the list; partner units and 双报到 members may claim its items."""
    locked, before = _move_list(actor, work_list, ListState.PUBLISHED)
    if not ListItem.objects.filter(work_list=locked).exists():
        raise ListError(_("清单还没有事项,不能发布。"), code="empty")
    locked.published_at = now_or(now)
    locked.save(update_fields=["state", "published_at"])
    audit.record(
        actor=actor,
        action="lists.publish",
        obj=locked,
        before=before,
        after=snapshot(locked, TRACKED_LIST),
        place_path=locked.place_path,
    )
    notify.after_commit(
        kind=notify.PUBLISHED, work_list_id=locked.pk, audience=notify.CLAIMERS, actor=actor
    )
    return locked


@transaction.atomic
def worklist_archive(*, actor, work_list: WorkList, now: dt.datetime | None = None) -> WorkList:
    """归档: the list stays visible, and nothing on it moves any more."""
    locked, before = _move_list(actor, work_list, ListState.ARCHIVED)
    locked.archived_at = now_or(now)
    locked.save(update_fields=["state", "archived_at"])
    audit.record(
        actor=actor,
        action="lists.archive",
        obj=locked,
        before=before,
        after=snapshot(locked, TRACKED_LIST),
        place_path=locked.place_path,
    )
    return locked
