"""The closed loop: 派单 dispatch, 接单 accept or return, 办结 resolve, 评价 evaluate
(≤ 2 reopens as 整改 rectification), 反馈 feedback, 总结 close; withdraw and merge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.bodies.models import Body, Membership
from gongzhi.core import access, refs, sql
from gongzhi.core.access import ensure
from gongzhi.demands import notify, permissions, rules, selectors
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import (
    Demand,
    Evaluation,
    EventKind,
    Follower,
    FollowReason,
    PhotoStage,
)
from gongzhi.demands.photos import prepare as prepare_photos
from gongzhi.demands.rules import Action, DemandError, State
from gongzhi.demands.services._common import (
    accept_hours,
    actor_person_id,
    add_event,
    begin,
    finish,
    note_text,
    require_text,
    resolve_days,
    save_photos,
)
from gongzhi.people.models import Person

N = notify


BODY_OUT_OF_RANGE = gettext_lazy("承办组织不在该诉求所在范围内。")
NOT_A_MEMBER = gettext_lazy("承办人不是该组织的在任成员。")
CANNOT_HANDLE = gettext_lazy("该人员不能承办本小区的诉求。")


def _check_body(demand: Demand, body: Body) -> None:
    """A handler body covers the demand's place (or belongs to its compound). Out of range
    is said before dissolved, so a body elsewhere is refused as a missing one is."""
    if not demand.place_path.startswith(body.place_path) and body.compound_id != demand.compound_id:
        raise DemandError({"handler_body": [BODY_OUT_OF_RANGE]})
    if not body.is_current():
        raise DemandError({"handler_body": [_("该组织已撤销。")]})


def _person_refusal(body: Body | None) -> DemandError:
    return DemandError({"handler_person": [NOT_A_MEMBER if body is not None else CANNOT_HANDLE]})


def _check_person(demand: Demand, body: Body | None, person: Person) -> str | None:
    """A handler person is a current member of the handler body, or (without a body) holds
    demands.handle over the demand's place; returns their post in the body."""
    if body is not None:
        post = (
            Membership.objects.active()
            .filter(body=body, person=person)
            .values_list("post", flat=True)
            .first()
        )
        if post is None:
            raise _person_refusal(body)
        return post
    account = getattr(person, "account", None) if person.pk else None
    if account is None or not access.allows(account, DemandCap.HANDLE, demand.place_path):
        raise _person_refusal(None)
    return None


def _check_handler(demand: Demand, body: Body | None, person: Person | None) -> str | None:
    """Validate a handler for ``demand``; returns the person's post in the body, if any."""
    if body is None and person is None:
        raise DemandError({"handler_body": [_("请选择承办组织或承办人。")]})
    if body is not None:
        _check_body(demand, body)
    return _check_person(demand, body, person) if person is not None else None


def resolve_handler(demand: Demand, body_id, person_id) -> tuple[Body | None, Person | None]:
    """The handler body and person a dispatch names by id (API, dispatch form), checked
    against ``demand`` as the dispatch service checks them (core.refs): an id naming
    nothing is refused with the same words as one naming a body or person out of range,
    and the body is settled before the person is looked at, so neither tells of the other."""
    body = person = None
    if body_id is not None:
        pk = refs.parse_id(body_id)
        body = sql.by_pk(Body, pk) if pk else None
        if body is None:
            raise DemandError({"handler_body": [BODY_OUT_OF_RANGE]})
        _check_body(demand, body)
    if person_id is not None:
        pk = refs.parse_id(person_id)
        person = Person.objects.select_related("account").filter(pk=pk).first() if pk else None
        if person is None:
            raise _person_refusal(body)
        _check_person(demand, body, person)
    return body, person


MERGE_NOT_FOUND = gettext_lazy("本小区没有这条诉求。")


def resolve_merge_target(user, demand: Demand, into_id) -> Demand:
    """The demand a merge names by id: one ``user`` may see, of the same compound; anything
    else (missing, out of sight, of another compound) is the same field error."""
    found = refs.resolve(permissions.get_demand_for, user, into_id)
    if found is None or found.compound_id != demand.compound_id:
        raise DemandError({"into": [MERGE_NOT_FOUND]})
    return found


@transaction.atomic
def demand_dispatch(
    *,
    actor,
    demand: Demand,
    handler_body: Body | None = None,
    handler_person: Person | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Demand:
    """派单: the branch secretary or grid worker gives the demand to a handler. Without a
    handler, the compound's routing rule suggests one (selectors.suggested_handler)."""
    step = begin(actor, demand, Action.DISPATCH, now=now)
    d = step.demand
    suggested = None
    if handler_body is None and handler_person is None:
        suggested = selectors.suggested_handler_for(d)
        if suggested is None:
            raise DemandError(
                {"handler_body": [_("请选择承办组织或承办人(本小区没有适用的派单规则)。")]}
            )
        handler_body, handler_person = suggested.body, suggested.person
    post = _check_handler(d, handler_body, handler_person)
    d.handler_body = handler_body
    d.handler_person = handler_person
    d.level = rules.level_for_handler(getattr(handler_body, "kind", None), post)
    d.dispatched_at = step.now
    d.accept_by = rules.accept_deadline(step.now, accept_hours(d))
    d.chain_exhausted = False
    finish(
        actor,
        step,
        event=EventKind.DISPATCHED,
        text=(note or "").strip(),
        body=handler_body,
        person=handler_person,
        data={"suggested_rule": suggested.rule.pk if suggested else None},
    )
    N.after_commit(d, kind="demand.dispatched", audiences=[N.HANDLERS], actor=actor)
    N.after_commit(d, kind="demand.dispatched", audiences=[N.FOLLOWERS], actor=actor)
    return d


@transaction.atomic
def demand_accept(
    *, actor, demand: Demand, note: str = "", now: dt.datetime | None = None
) -> Demand:
    """接单: the handler takes the demand on; the resolve deadline starts."""
    step = begin(actor, demand, Action.ACCEPT, now=now)
    d = step.demand
    if d.handler_person_id is None and actor_person_id(actor):
        d.handler_person_id = actor_person_id(actor)
    d.accepted_at = step.now
    d.resolve_by = rules.resolve_deadline(step.now, resolve_days(d))
    finish(actor, step, event=EventKind.ACCEPTED, text=(note or "").strip(), body=d.handler_body,
           person=d.handler_person)  # fmt: skip
    N.after_commit(d, kind="demand.accepted", audiences=[N.FOLLOWERS], actor=actor)
    return d


@transaction.atomic
def demand_return(*, actor, demand: Demand, reason: str, now: dt.datetime | None = None) -> Demand:
    """退回: the handler gives the demand back to the dispatcher, with a reason."""
    reason = require_text(reason, _("请填写退回理由。"), "reason")
    step = begin(actor, demand, Action.RETURN, now=now)
    d = step.demand
    previous_body, previous_person = d.handler_body, d.handler_person
    d.handler_body = None
    d.handler_person = None
    d.level = rules.GRASSROOTS
    d.accept_by = rules.accept_deadline(step.now, accept_hours(d))  # to dispatch again
    finish(actor, step, event=EventKind.RETURNED, text=reason, body=previous_body,
           person=previous_person)  # fmt: skip
    N.after_commit(d, kind="demand.returned", audiences=[N.DISPATCHERS], body=reason, actor=actor)
    return d


@transaction.atomic
def demand_resolve(
    *,
    actor,
    demand: Demand,
    note: str = "",
    photos=(),
    now: dt.datetime | None = None,
) -> Demand:
    """办结: the handler marks the demand resolved; the reporter is asked to evaluate."""
    prepared = prepare_photos(photos)
    step = begin(actor, demand, Action.RESOLVE, now=now)
    d = step.demand
    d.resolved_at = step.now
    save_photos(actor, d, prepared, PhotoStage.RESOLUTION)
    finish(actor, step, event=EventKind.RESOLVED, text=(note or "").strip(), body=d.handler_body,
           person=d.handler_person, data={"photos": len(prepared)})  # fmt: skip
    N.after_commit(d, kind="demand.resolved", audiences=[N.FOLLOWERS], actor=actor)
    return d


@transaction.atomic
def demand_evaluate(
    *, actor, demand: Demand, rating, comment: str = "", now: dt.datetime | None = None
) -> Demand:
    """评价: the reporter rates 1–5. 2 or less reopens it as 整改 rectification with a new
    resolve deadline (and the same escalation when that passes)."""
    rating = rules.check_rating(rating)
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise DemandError({"comment": [_("评价意见不能超过1000字。")]})
    target = rules.state_after_rating(rating)
    step = begin(actor, demand, Action.EVALUATE, target=target, now=now)
    d = step.demand
    person_id = actor_person_id(actor) or d.reporter_id
    if person_id is None:
        raise DemandError(_("匿名诉求无人评价。"))
    Evaluation.objects.create(
        demand=d,
        round=d.evaluations.count() + 1,
        rating=rating,
        comment=comment,
        person_id=person_id,
        created_at=step.now,
    )
    d.rating = rating
    if target == State.RECTIFYING:
        d.rectification_count += 1
        d.resolve_by = rules.resolve_deadline(step.now, resolve_days(d))
        d.chain_exhausted = False
    finish(actor, step, event=EventKind.EVALUATED, text=comment, data={"rating": rating})
    if target == State.RECTIFYING:
        note = {"code": rules.NOTE_RECTIFICATION, "rating": rating}
        add_event(
            None,
            d,
            kind=EventKind.RECTIFICATION,
            from_state=State.RESOLVED,
            to_state=State.RECTIFYING,
            text=note_text(note),
            body=d.handler_body,
            level=d.level,
            data={"resolve_by": d.resolve_by, "note": note},
            at=step.now,
        )
        N.after_commit(d, kind="demand.rectification", audiences=[N.HANDLERS, N.DISPATCHERS],
                       body=comment, actor=actor)  # fmt: skip
    return d


@transaction.atomic
def demand_feedback(*, actor, demand: Demand, text: str, now: dt.datetime | None = None) -> Demand:
    """反馈: the handler reports back on the outcome after the evaluation."""
    text = require_text(text, _("请填写反馈内容。"), "text")
    step = begin(actor, demand, Action.FEEDBACK, now=now)
    d = step.demand
    d.feedback = text
    finish(actor, step, event=EventKind.FEEDBACK, text=text, body=d.handler_body)
    N.after_commit(d, kind="demand.feedback", audiences=[N.FOLLOWERS, N.DISPATCHERS], body=text,
                   actor=actor)  # fmt: skip
    return d


@transaction.atomic
def demand_close(*, actor, demand: Demand, summary: str, now: dt.datetime | None = None) -> Demand:
    """总结: the community closes the loop with a summary."""
    summary = require_text(summary, _("请填写总结。"), "summary")
    step = begin(actor, demand, Action.CLOSE, now=now)
    d = step.demand
    d.summary = summary
    d.closed_at = step.now
    finish(actor, step, event=EventKind.CLOSED, text=summary)
    N.after_commit(d, kind="demand.closed", audiences=[N.FOLLOWERS, N.HANDLERS], body=summary,
                   actor=actor)  # fmt: skip
    return d


@transaction.atomic
def demand_withdraw(
    *, actor, demand: Demand, reason: str = "", now: dt.datetime | None = None
) -> Demand:
    """撤回: the reporter withdraws a demand not yet resolved."""
    step = begin(actor, demand, Action.WITHDRAW, now=now)
    d = step.demand
    d.closed_at = step.now
    finish(actor, step, event=EventKind.WITHDRAWN, text=(reason or "").strip()[:1000])
    N.after_commit(d, kind="demand.withdrawn", audiences=[N.HANDLERS], actor=actor)
    return d


@transaction.atomic
def demand_merge(
    *, actor, demand: Demand, into: Demand, note: str = "", now: dt.datetime | None = None
) -> Demand:
    """合并: staff merge a duplicate into the original. Every reporter and follower of the
    duplicate then follows the original and is told so."""
    if into is None or into.pk == demand.pk:
        raise DemandError({"into": [_("请选择要合并到的另一条诉求。")]})
    step = begin(actor, demand, Action.MERGE, now=now)
    d = step.demand
    target = Demand.objects.select_for_update(of=("self",)).get(pk=into.pk)
    if actor is not None:
        ensure(permissions.can_dispatch(actor, target), rules.refusal(Action.MERGE))
    if target.compound_id != d.compound_id:
        raise DemandError({"into": [_("只能合并同一小区的诉求。")]})
    if target.state in rules.TERMINAL:
        raise DemandError({"into": [_("目标诉求已结束,不能合并到它。")]})
    d.merged_into = target
    d.closed_at = step.now
    persons = set(Follower.objects.filter(demand=d).values_list("person_id", flat=True))
    if d.reporter_id:
        persons.add(d.reporter_id)
    already = set(Follower.objects.filter(demand=target).values_list("person_id", flat=True))
    new = sorted(persons - already - {target.reporter_id})
    Follower.objects.bulk_create(
        [Follower(demand=target, person_id=p, reason=FollowReason.MERGED, created_at=step.now)
         for p in new]
    )  # fmt: skip
    note = (note or "").strip()[:1000]
    finish(actor, step, event=EventKind.MERGED, text=note, data={"into": target.pk})
    add_event(actor, target, kind=EventKind.MERGED_IN, text=note,
              data={"duplicate": d.pk, "new_followers": new}, at=step.now)  # fmt: skip
    target.save(update_fields=["updated_at"])
    N.after_commit(
        target,
        kind="demand.merged",
        audiences=[],
        body=f"您的诉求已与同类诉求合并,办理进展将在此诉求中通知您:{target.description[:60]}",
        extra_person_ids=sorted(persons),
        actor=actor,
    )
    return d
