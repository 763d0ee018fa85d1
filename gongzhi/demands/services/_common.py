"""Shared steps of every demand write: lock, check the role and the move, record.

Each service runs ``begin`` (lock the row, check who may make the move and that the state
allows it) and ``finish`` (save, append the timeline event, write the audit row), inside
one ``transaction.atomic``. Actor ``None`` is the system (a scheduled job or a management
command), trusted as in bodies.services; only the system may make the SYSTEM moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core.access import ensure
from gongzhi.demands import permissions, rules
from gongzhi.demands.models import Demand, DemandEvent, DemandPhoto, PhotoStage
from gongzhi.demands.rules import Action, DemandError, Role, State

TRACKED = [
    "state",
    "handler_body",
    "handler_person",
    "level",
    "escalation_count",
    "overdue_count",
    "chain_exhausted",
    "rectification_count",
    "accept_by",
    "resolve_by",
    "due_at",
    "rating",
    "merged_into",
    "category",
]


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def actor_account(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_person_id(actor) -> int | None:
    return getattr(actor_account(actor), "person_id", None)


def require_text(value: str | None, message: str, field: str, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise DemandError({field: [message]})
    if len(text) > max_length:
        raise DemandError({field: [_("不能超过%(max)s字。") % {"max": max_length}]})
    return text


def accept_hours(demand: Demand) -> int:
    return demand.category.accept_within_hours if demand.category_id else rules.DEFAULT_ACCEPT_HOURS


def resolve_days(demand: Demand) -> int:
    return demand.category.resolve_within_days if demand.category_id else rules.DEFAULT_RESOLVE_DAYS


def sync_due(demand: Demand) -> None:
    """``due_at`` is the deadline running in the current state (rules.DEADLINE_FIELD)."""
    field = rules.DEADLINE_FIELD.get(State(demand.state))
    demand.due_at = getattr(demand, field) if field else None


def lock(demand: Demand | int) -> Demand:
    pk = demand.pk if isinstance(demand, Demand) else demand
    return (
        Demand.objects.select_for_update(of=("self",))
        .select_related("category", "compound")
        .get(pk=pk)
    )


@dataclass
class Step:
    demand: Demand
    move: rules.Move
    before: dict
    now: dt.datetime


def authorize(actor, demand: Demand, action: str) -> frozenset[Role]:
    if actor is None:
        return frozenset(Role)
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    roles = permissions.roles_of(actor, demand)
    ensure(rules.role_may(action, roles), rules.refusal(action))
    return roles


def begin(
    actor,
    demand: Demand | int,
    action: Action,
    *,
    target: State | None = None,
    now: dt.datetime | None = None,
) -> Step:
    """Lock the demand, check the actor's role, then that its state allows the move."""
    locked = lock(demand)
    authorize(actor, locked, action)
    move = rules.check_move(action, locked.state, target)
    return Step(locked, move, snapshot(locked, TRACKED), now_or(now))


def finish(
    actor,
    step: Step,
    *,
    event: str,
    text: str = "",
    body=None,
    person=None,
    level: str | None = None,
    data: dict | None = None,
) -> Demand:
    """Enter the move's target state, save, and append the timeline event and audit row."""
    demand = step.demand
    demand.state = step.move.target
    sync_due(demand)
    demand.save()
    add_event(
        actor,
        demand,
        kind=event,
        from_state=step.move.source,
        to_state=step.move.target,
        text=text,
        body=body,
        person=person,
        level=demand.level if level is None else level,
        data=data,
        at=step.now,
    )
    audit.record(
        actor=actor,
        action=f"demand.{step.move.action}",
        obj=demand,
        before=step.before,
        after=snapshot(demand, TRACKED),
        place_path=demand.place_path,
    )
    return demand


def note_text(note: dict) -> str:
    """A system note's sentence in simplified Chinese, for the event's ``text`` column (the
    timeline writes it again in the reader's language from ``data["note"]``)."""
    with translation.override("zh-hans"):
        return rules.system_note(note) or ""


def add_event(
    actor,
    demand: Demand,
    *,
    kind: str,
    from_state: str = "",
    to_state: str = "",
    text: str = "",
    body=None,
    person=None,
    level: str = "",
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand,
        kind=kind,
        actor=actor_account(actor),
        from_state=from_state,
        to_state=to_state,
        text=text,
        body=body,
        person=person,
        level=level or "",
        data=audit.jsonable(data or {}),
        at=at or timezone.now(),
    )


def save_photos(actor, demand: Demand, prepared, stage: str = PhotoStage.REPORT) -> list:
    return [
        DemandPhoto.objects.create(
            demand=demand,
            stage=stage,
            image=p.content,
            size=p.size,
            uploaded_by=actor_account(actor),
        )
        for p in prepared
    ]
