"""Item moves: claim (认领) or assign, release, progress, milestones, finish, solve, drop."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.bodies.models import Body
from gongzhi.demands.photos import prepare as prepare_photos
from gongzhi.lists import notify, permissions, rules
from gongzhi.lists.models import (
    ItemClaim,
    ItemProgress,
    ListItem,
    Milestone,
    ProgressPhoto,
    WorkList,
)
from gongzhi.lists.rules import Action, ItemState, ListError, Mode, Role
from gongzhi.lists.services._common import (
    TRACKED_ITEM,
    actor_account,
    audit_item,
    authorize,
    check_editable,
    lock_item,
    now_or,
)
from gongzhi.people.models import Person


@transaction.atomic
def milestone_complete(*, actor, milestone: Milestone, now: dt.datetime | None = None) -> Milestone:
    """A project's milestone is done: marked by its claimant or by staff."""
    locked = lock_item(milestone.item_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    authorize(
        actor, locked, Action.REPORT, message=_("只有认领单位、认领人或工作人员可以完成节点。")
    )
    check_editable(locked.work_list)
    if locked.state in rules.TERMINAL:
        raise ListError(
            _("事项状态为“%(state)s”,不能再更改。") % {"state": ItemState(locked.state).label},
            code="terminal",
        )
    if milestone.done_at is not None:
        raise ListError(_("该节点已完成。"), code="done")
    milestone.done_at = now_or(now)
    milestone.done_by = actor_account(actor)
    milestone.save(update_fields=["done_at", "done_by"])
    audit.record(
        actor=actor,
        action="lists.milestone_done",
        obj=milestone,
        after={"item": locked.pk, "title": milestone.title, "done_at": milestone.done_at},
        place_path=locked.work_list.place_path,
    )
    return milestone


# ---------------------------------------------------------------------------------------
# Item moves
# ---------------------------------------------------------------------------------------


def _claimer_for(actor, work_list: WorkList, body: Body | None, person: Person | None):
    """Whether this is a self-claim (认领) or staff's assignment (指派), and for whom."""
    if actor is not None:
        own_bodies = permissions.partner_bodies_of(actor, work_list)
        own_person = (
            actor.person_id if permissions.dual_registered(actor.person_id, work_list) else None
        )
        if body is None and person is None and (own_bodies or own_person):
            if len(own_bodies) > 1:
                raise ListError({"body": [_("您是多个共建单位的联络人,请选择以哪个单位认领。")]})
            if own_bodies:
                return Action.CLAIM, Body.objects.get(pk=own_bodies[0]), None
            return Action.CLAIM, None, Person.objects.get(pk=own_person)
        if body is not None and body.pk in own_bodies:
            return Action.CLAIM, body, None
        if person is not None and person.pk == own_person:
            return Action.CLAIM, None, person
    return Action.ASSIGN, body, person


@transaction.atomic
def item_claim(
    *,
    actor,
    item: ListItem,
    body: Body | None = None,
    person: Person | None = None,
    now: dt.datetime | None = None,
) -> ItemClaim:
    """认领 an open item of a published list.

    A partner unit's liaison claims for the unit (``body`` among theirs, needed only when
    they are liaison of several); a 双报到 in-service member claims for themselves. Staff
    (and the system) assign (指派) an item to an eligible unit or member instead.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    locked = lock_item(item)
    work_list = locked.work_list
    action, body, person = _claimer_for(actor, work_list, body, person)
    if action == Action.CLAIM:
        authorize(actor, locked, Action.CLAIM)
    else:
        roles = permissions.roles_of(actor, locked) if actor is not None else {Role.SYSTEM}
        if not roles & {Role.STAFF, Role.SYSTEM}:
            if Role.ELIGIBLE in roles:
                raise PermissionDenied(_("只能以您自己担任联络人的共建单位或您本人的名义认领。"))
            raise PermissionDenied(rules.refusal(Action.CLAIM))
    rules.check_item_move(action, locked.state, work_list.state)
    if action == Action.ASSIGN:
        if body is None and person is None:
            raise ListError({"body": [_("请选择认领的共建单位或双报到党员。")]})
        if body is not None and person is not None:
            raise ListError({"body": [_("认领方只能是一个共建单位或一名党员。")]})
        if body is not None and not permissions.body_may_claim(body, work_list):
            raise ListError({"body": [_("该单位不是覆盖本小区的共建单位,不能认领。")]})
        if person is not None and not permissions.dual_registered(person.pk, work_list):
            raise ListError({"person": [_("该党员不是在本社区双报到的在职党员,不能认领。")]})
    before = snapshot(locked, TRACKED_ITEM)
    now = now_or(now)
    try:
        with transaction.atomic():
            claim = ItemClaim.objects.create(
                item=locked,
                body=body,
                person=person,
                claimed_by=actor_account(actor),
                assigned=action == Action.ASSIGN,
                claimed_at=now,
            )
    except IntegrityError:  # the constraint's backstop: another claim won the race
        raise ListError(_("该事项已被认领。"), code="claimed") from None
    locked.state = ItemState.CLAIMED
    locked.save(update_fields=["state", "updated_at"])
    audit_item(
        actor,
        "item_claim" if action == Action.CLAIM else "item_assign",
        locked,
        before,
        claim=claim.pk,
        body=claim.body_id,
        person=claim.person_id,
    )
    notify.after_commit(
        kind=notify.CLAIMED,
        work_list_id=work_list.pk,
        item_id=locked.pk,
        audience=notify.OWNERS,
        actor=actor,
    )
    return claim


@transaction.atomic
def item_release(*, actor, item: ListItem, reason: str, now: dt.datetime | None = None) -> ListItem:
    """退回认领: the claimant (or staff) gives the item back; it is open again."""
    locked = lock_item(item)
    claim = permissions.active_claim(locked)
    authorize(actor, locked, Action.RELEASE, claim=claim)
    rules.check_item_move(Action.RELEASE, locked.state, locked.work_list.state)
    reason = rules.clean_text(
        reason, "reason", required=_("请填写退回原因。"), max_length=rules.REASON_MAX
    )
    before = snapshot(locked, TRACKED_ITEM)
    _release(actor, claim, reason, now_or(now))
    locked.state = ItemState.OPEN
    locked.save(update_fields=["state", "updated_at"])
    audit_item(
        actor, "item_release", locked, before, claim=getattr(claim, "pk", None), reason=reason
    )
    notify.after_commit(
        kind=notify.RELEASED,
        work_list_id=locked.work_list_id,
        item_id=locked.pk,
        audience=notify.OWNERS,
        actor=actor,
    )
    return locked


def _release(actor, claim: ItemClaim | None, reason: str, now: dt.datetime) -> None:
    if claim is None:
        return
    claim.released_at = now
    claim.released_by = actor_account(actor)
    claim.release_reason = reason[: rules.REASON_MAX]
    claim.save(update_fields=["released_at", "released_by", "release_reason"])


@transaction.atomic
def item_report_progress(
    *,
    actor,
    item: ListItem,
    text: str,
    percent: int,
    photos=(),
    now: dt.datetime | None = None,
) -> ItemProgress:
    """报告进展: the claimant (or staff, also on an open project the community carries
    itself) reports what was done, how far along (0–100%), with photos if any."""
    locked = lock_item(item)
    claim = permissions.active_claim(locked)
    authorize(actor, locked, Action.REPORT, claim=claim)
    rules.check_item_move(Action.REPORT, locked.state, locked.work_list.state)
    text = rules.clean_text(text, "text", required=_("请填写进展情况。"))
    percent = rules.clean_percent(percent)
    prepared = prepare_photos(photos)  # every photo checked before anything is written
    before = snapshot(locked, TRACKED_ITEM)
    progress = ItemProgress.objects.create(
        item=locked,
        claim=claim,
        text=text,
        percent=percent,
        reported_by=actor_account(actor),
        at=now_or(now),
    )
    for p in prepared:
        ProgressPhoto.objects.create(progress=progress, image=p.content, size=p.size)
    locked.state = ItemState.IN_PROGRESS
    locked.percent = percent
    locked.save(update_fields=["state", "percent", "updated_at"])
    audit_item(actor, "item_progress", locked, before, progress=progress.pk, photos=len(prepared))
    return progress


@transaction.atomic
def item_finish(
    *, actor, item: ListItem, text: str = "", now: dt.datetime | None = None
) -> ListItem:
    """办结: the claimant (or staff) finishes the item. A long-term project needs every
    milestone done first. The list's owners are told."""
    locked = lock_item(item)
    claim = permissions.active_claim(locked)
    authorize(actor, locked, Action.FINISH, claim=claim)
    rules.check_item_move(Action.FINISH, locked.state, locked.work_list.state)
    if locked.mode == Mode.LONG_TERM:
        counts = locked.milestones.aggregate(
            total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False))
        )
        rules.check_milestones_done(counts["total"], counts["done"])
    text = rules.clean_text(text, "text")
    now = now_or(now)
    before = snapshot(locked, TRACKED_ITEM)
    if text:
        ItemProgress.objects.create(
            item=locked,
            claim=claim,
            text=text,
            percent=100,
            reported_by=actor_account(actor),
            at=now,
        )
    locked.state = ItemState.DONE
    locked.done_at = now
    locked.percent = 100
    locked.save(update_fields=["state", "done_at", "percent", "updated_at"])
    audit_item(actor, "item_finish", locked, before, claim=getattr(claim, "pk", None))
    notify.after_commit(
        kind=notify.DONE,
        work_list_id=locked.work_list_id,
        item_id=locked.pk,
        audience=notify.OWNERS,
        actor=actor,
    )
    return locked


@transaction.atomic
def item_solve(
    *, actor, item: ListItem, text: str = "", now: dt.datetime | None = None
) -> ListItem:
    """立行立改: staff mark an open fix-now item solved directly (no claim needed)."""
    locked = lock_item(item)
    authorize(actor, locked, Action.SOLVE)
    rules.check_item_move(Action.SOLVE, locked.state, locked.work_list.state)
    rules.check_solve(locked.mode)
    text = rules.clean_text(text, "text")
    now = now_or(now)
    before = snapshot(locked, TRACKED_ITEM)
    if text:
        ItemProgress.objects.create(
            item=locked, text=text, percent=100, reported_by=actor_account(actor), at=now
        )
    locked.state = ItemState.DONE
    locked.done_at = now
    locked.percent = 100
    locked.save(update_fields=["state", "done_at", "percent", "updated_at"])
    audit_item(actor, "item_solve", locked, before)
    return locked


@transaction.atomic
def item_drop(*, actor, item: ListItem, reason: str, now: dt.datetime | None = None) -> ListItem:
    """不再办理, with a reason residents see (e.g. "不属于小区公共事务,已转交…"). An active
    claim is released with it."""
    locked = lock_item(item)
    authorize(actor, locked, Action.DROP)
    rules.check_item_move(Action.DROP, locked.state, locked.work_list.state)
    reason = rules.clean_text(
        reason, "reason", required=_("请填写不再办理的原因。"), max_length=rules.REASON_MAX
    )
    before = snapshot(locked, TRACKED_ITEM)
    claim = permissions.active_claim(locked)
    _release(actor, claim, f"事项不再办理:{reason}", now_or(now))
    locked.state = ItemState.DROPPED
    locked.dropped_reason = reason
    locked.save(update_fields=["state", "dropped_reason", "updated_at"])
    audit_item(actor, "item_drop", locked, before, claim=getattr(claim, "pk", None))
    if claim is not None:
        notify.after_commit(
            kind=notify.DROPPED,
            work_list_id=locked.work_list_id,
            item_id=locked.pk,
            audience=notify.CLAIMANT,
            actor=actor,
            claim_id=claim.pk,
        )
    return locked
