"""吹哨报到: whistle (by the resident or a handler), report-in by the level called in, and
the scheduled jobs: automatic escalation when a deadline passes, and closing demands
left unrated seven days after resolution.

The jobs are plain functions of ``now`` (tests call them at the deadline and one second
after); django-q2 runs them through gongzhi.demands.jobs on the schedules registered in
gongzhi.core.schedules (``manage.py setup_schedules``, then ``manage.py qcluster``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core.timefmt import local_minute
from gongzhi.demands import notify as N
from gongzhi.demands import rules, selectors
from gongzhi.demands.models import Demand, EventKind
from gongzhi.demands.rules import Action, DemandError, State
from gongzhi.demands.services._common import (
    TRACKED,
    Step,
    accept_hours,
    actor_person_id,
    add_event,
    begin,
    finish,
    lock,
    note_text,
    now_or,
    require_text,
    resolve_days,
)

logger = logging.getLogger("gongzhi.demands")
BATCH = 500


def _call_in(demand: Demand) -> tuple[str, object, list[str]] | None:
    """The next level of the compound's chain that has a body, with the levels skipped
    because the compound has no such body (a 三无小区 has no property company)."""
    chain = selectors.chain_for(demand.compound_id)
    skipped: list[str] = []
    for level in rules.levels_after(demand.level, chain):
        body = selectors.body_for_level(demand.compound, level)
        if body is not None and body.pk != demand.handler_body_id:
            return level, body, skipped
        skipped.append(level)
    return None


def _enter_level(demand: Demand, now: dt.datetime, level: str, body) -> dict:
    previous = {
        "from_level": demand.level,
        "from_body": demand.handler_body_id,
        "from_person": demand.handler_person_id,
    }
    demand.level = level
    demand.handler_body = body
    demand.handler_person = None
    demand.escalation_count += 1
    demand.accept_by = rules.accept_deadline(now, accept_hours(demand))  # report in by then
    demand.chain_exhausted = False
    return previous


@transaction.atomic
def demand_whistle(*, actor, demand: Demand, reason: str, now: dt.datetime | None = None) -> Demand:
    """吹哨: the resident or the current handler calls in the next level of the chain,
    which is told and must report in (demand_report_in)."""
    reason = require_text(reason, _("请填写吹哨理由。"), "reason")
    step = begin(actor, demand, Action.WHISTLE, now=now)
    d = step.demand
    called = _call_in(d)
    if called is None:
        raise DemandError(_("已到升级链的最高层级,无法继续吹哨。"), code="top_of_chain")
    level, body, skipped = called
    previous = _enter_level(d, step.now, level, body)
    finish(actor, step, event=EventKind.WHISTLED, text=reason, body=body, level=level,
           data={**previous, "skipped": skipped})  # fmt: skip
    N.after_commit(d, kind="demand.whistled", audiences=[N.HANDLERS, N.FOLLOWERS], body=reason,
                   actor=actor)  # fmt: skip
    return d


@transaction.atomic
def demand_report_in(
    *, actor, demand: Demand, note: str = "", now: dt.datetime | None = None
) -> Demand:
    """报到: a member of the level called in reports and takes the demand on."""
    step = begin(actor, demand, Action.REPORT_IN, now=now)
    d = step.demand
    if actor_person_id(actor):
        d.handler_person_id = actor_person_id(actor)
    d.accepted_at = step.now
    d.resolve_by = rules.resolve_deadline(step.now, resolve_days(d))
    d.chain_exhausted = False
    finish(actor, step, event=EventKind.REPORTED_IN, text=(note or "").strip(),
           body=d.handler_body, person=d.handler_person)  # fmt: skip
    N.after_commit(d, kind="demand.reported_in", audiences=[N.FOLLOWERS], actor=actor)
    return d


def _escalate_one(pk: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        d = lock(pk)
        if (
            d.state not in rules.UNRESOLVED
            or d.chain_exhausted
            or not rules.is_overdue(now, d.due_at)
        ):
            return False
        note = {
            "deadline": rules.DEADLINE_FIELD[State(d.state)],
            "due": local_minute(d.due_at),
        }
        called = _call_in(d)
        if called is None:
            before = {"chain_exhausted": False, "overdue_count": d.overdue_count}
            d.overdue_count += 1
            d.chain_exhausted = True
            d.save(update_fields=["overdue_count", "chain_exhausted", "updated_at"])
            note["code"] = rules.NOTE_OVERDUE_AT_TOP
            add_event(None, d, kind=EventKind.TOP_OF_CHAIN, level=d.level, at=now,
                      text=note_text(note), data={"note": note})  # fmt: skip
            audit.record(actor=None, action="demand.overdue_at_top", obj=d, before=before,
                         after={"chain_exhausted": True, "overdue_count": d.overdue_count},
                         place_path=d.place_path)  # fmt: skip
            N.after_commit(d, kind="demand.escalated", audiences=[N.HANDLERS, N.DISPATCHERS])
            return True
        step = Step(d, rules.check_move(Action.ESCALATE, d.state), snapshot(d, TRACKED), now)
        level, body, skipped = called
        previous = _enter_level(d, now, level, body)
        d.overdue_count += 1
        note.update(code=rules.NOTE_OVERDUE_ESCALATED, level=level)
        finish(None, step, event=EventKind.ESCALATED, body=body, level=level, text=note_text(note),
               data={**previous, "skipped": skipped, "due": d.due_at, "note": note})  # fmt: skip
        N.after_commit(d, kind="demand.escalated", audiences=[N.HANDLERS, N.FOLLOWERS])
        return True


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """The job: every unresolved demand whose running deadline has passed (strictly after
    it) calls in the next level of its chain. Returns how many demands were handled.
    Each demand is its own transaction, so one failure does not hold back the rest."""
    now = now_or(now)
    done: set[int] = set()
    count = 0
    while True:
        ids = list(
            Demand.objects.filter(
                state__in=sorted(rules.UNRESOLVED), chain_exhausted=False, due_at__lt=now
            )
            .exclude(pk__in=done)
            .order_by("due_at")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return count
        for pk in ids:
            done.add(pk)
            try:
                count += _escalate_one(pk, now)
            except Exception:
                logger.exception("escalating demand %s failed", pk)


def close_unrated(now: dt.datetime | None = None) -> int:
    """The job: a demand not rated within 7 days of its resolution closes as not rated
    (逾期未评价); it does not count as satisfied. Returns how many were closed."""
    now = now_or(now)
    cutoff = now - rules.UNRATED_AFTER
    ids = list(
        Demand.objects.filter(state=State.RESOLVED, resolved_at__lt=cutoff)
        .order_by("resolved_at")
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in ids:
        try:
            with transaction.atomic():
                d = lock(pk)
                if d.state != State.RESOLVED or not rules.is_unrated_expired(now, d.resolved_at):
                    continue
                step = begin(None, d, Action.CLOSE_UNRATED, now=now)
                step.demand.closed_at = now
                note = {"code": rules.NOTE_CLOSED_UNRATED}
                finish(None, step, event=EventKind.CLOSED_UNRATED, text=note_text(note),
                       data={"note": note})  # fmt: skip
                count += 1
        except Exception:
            logger.exception("closing unrated demand %s failed", pk)
    return count
