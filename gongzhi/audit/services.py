"""Writing audit events. Every service that changes state calls ``record`` in its transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from gongzhi.audit.models import AuditEvent, AuditEventPlace
from gongzhi.core import registry

# One user action (one HTTP request, one command) shares a correlation id.
_correlation: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "audit_correlation", default=None
)


def set_correlation(value: uuid.UUID | None) -> contextvars.Token:
    return _correlation.set(value)


def reset_correlation(token: contextvars.Token) -> None:
    _correlation.reset(token)


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids), JSON-ready."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "code_hash"}:
            continue
        data[field.attname] = jsonable(getattr(obj, field.attname))
    return data


def _place_path_of(obj: models.Model | None) -> str:
    for attr in ("path", "place_path", "scope_path"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    compound = getattr(obj, "compound", None)
    return getattr(compound, "path", "") or ""


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    place_path: str | None = None,
    also_at: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records.

    ``place_path`` is where the change was made; ``also_at`` names the other places it
    touched (a person's homes elsewhere, say), so that the auditors of each see it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    if not registry.is_audit_action(action):
        raise ValueError(
            f"audit action {action!r} is not declared: add it to the app's manifest"
            " (core.registry.add_audit_actions)"
        )
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=str(actor_obj)[:100] if actor_obj else "系统",
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=(object_repr if object_repr is not None else str(obj or ""))[:200],
        place_path=place_path if place_path is not None else _place_path_of(obj),
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        correlation_id=_correlation.get() or uuid.uuid4(),
    )
    others = sorted({p for p in also_at if p and p != event.place_path})
    if others:
        AuditEventPlace.objects.bulk_create(AuditEventPlace(event=event, path=p) for p in others)
    return event


def log_id_numbers_shown(*, actor, sight, where: str) -> AuditEvent | None:
    """One event for a page, an API response or an export of the log that showed full ID
    numbers to ``actor`` (``sight``: an ``audit.selectors.LogSight``), naming the events
    and persons; at the nearest place holding those events. None when it showed none."""
    from gongzhi.audit.permissions import common_place
    from gongzhi.people import services as people_services

    if not sight.events:
        return None
    return people_services.id_numbers_shown(
        actor=actor, persons=sight.persons, events=sight.events, where=where,
        place_path=common_place(sight.events.values()), label="审计日志",
    )  # fmt: skip
