"""Reads on the audit log, for the list page, the CSV export and the API. Always scoped."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongzhi.audit import permissions
from gongzhi.audit.models import AuditEvent
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.core.inputs import ascii_int
from gongzhi.people import permissions as people_permissions
from gongzhi.people import rules as people_rules
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Community, Compound, Street


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_for(
    user,
    *,
    action: str | None = None,
    actor=None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    place_path: str | None = None,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    q: str | None = None,
    correlation_id: uuid.UUID | str | None = None,
    capability: Cap = Cap.VIEW_AUDIT,
) -> QuerySet[AuditEvent]:
    """The events ``user`` may read (``capability``), filtered, newest first.

    ``action`` ending in ``.*`` selects a family (``membership.*``); ``place_path``
    selects the place and everything inside it; a ``since``/``until`` date covers the
    whole day (local time), a datetime is taken as it is.
    """
    qs = permissions.events_visible_to(user, capability).select_related("actor")
    if action:
        qs = (
            qs.filter(action__startswith=action[:-1])
            if action.endswith(".*")
            else qs.filter(action=action)
        )
    if actor is not None:
        qs = qs.filter(actor_id=getattr(actor, "pk", actor))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id not in (None, ""):
        qs = qs.filter(object_id=str(object_id))
    if place_path:
        qs = qs.filter(permissions.touching([place_path]))
    if since is not None:
        qs = qs.filter(at__gte=since if isinstance(since, dt.datetime) else _start_of(since))
    if until is not None:
        if isinstance(until, dt.datetime):
            qs = qs.filter(at__lte=until)
        else:
            qs = qs.filter(at__lt=_start_of(until + dt.timedelta(days=1)))
    if q:
        qs = qs.filter(
            Q(object_repr__icontains=q) | Q(actor_label__icontains=q) | Q(action__icontains=q)
        )
    if correlation_id:
        qs = qs.filter(correlation_id=correlation_id)
    return qs.order_by("-at", "-id")


def place_labels(paths: Iterable[str]) -> dict[str, str]:
    """Readable names for place paths: the nearest compound, community or street (3 queries)."""
    paths = {p for p in paths if p}
    wanted: dict[str, set[str]] = {"compound": set(), "community": set(), "street": set()}
    for path in paths:
        for level, found in wanted.items():
            ancestor = place_rules.ancestor_at(path, level)
            if ancestor:
                found.add(ancestor)
    names: dict[str, str] = {}
    for model, level in ((Compound, "compound"), (Community, "community"), (Street, "street")):
        if wanted[level]:
            names.update(model.objects.filter(path__in=wanted[level]).values_list("path", "name"))
    labels = {}
    for path in paths:
        for level in ("compound", "community", "street"):
            name = names.get(place_rules.ancestor_at(path, level) or "")
            if name:
                labels[path] = name
                break
    return labels


@dataclass(frozen=True)
class Change:
    """One key of an event's data, before and after."""

    key: str
    before: str
    after: str
    in_before: bool
    in_after: bool

    @property
    def changed(self) -> bool:
        return self.in_before != self.in_after or self.before != self.after


def shown(value: Any) -> str:
    """A JSON value as the log shows it: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def changes(before: Any, after: Any) -> list[Change]:
    """Before and after side by side, key by key, in the order the keys first appear."""
    before = before if isinstance(before, dict) else ({} if before is None else {"": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"": after})
    keys = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            key=key,
            before=shown(before[key]) if key in before else "",
            after=shown(after[key]) if key in after else "",
            in_before=key in before,
            in_after=key in after,
        )
        for key in keys
    ]


# -- Personal data in the events' before/after: minimum necessary (docs/privacy.md) --------


def reveal_for(user, event: AuditEvent) -> people_rules.Reveal:
    """What of the personal data in an event's before/after ``user`` sees in full: what
    they may see at the place the change was made (superusers: everything). Phones, ID
    numbers and care flags are masked by their keys, at any depth (people.rules)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return people_rules.NOTHING
    if access.is_superuser(user):
        return people_rules.EVERYTHING
    return people_permissions.reveal_at(user, event.place_path)


@dataclass
class LogSight:
    """The audit log as one reader sees it: each event's data masked for them, and which
    events (and whose) showed a full ID number, for ``services.log_id_numbers_shown``."""

    user: Any
    events: dict[int, str] = field(default_factory=dict)  # event id → its place
    persons: set[int] = field(default_factory=set)

    def data(self, event: AuditEvent) -> tuple[Any, Any]:
        """(before, after) of ``event`` as the reader may see them."""
        reveal = reveal_for(self.user, event)
        before = people_rules.mask_personal(event.before, reveal)
        after = people_rules.mask_personal(event.after, reveal)
        if people_rules.shows_id_number(before, reveal) or people_rules.shows_id_number(
            after, reveal
        ):
            self.events[event.pk] = event.place_path
            person = ascii_int(event.object_id, minimum=1)
            if event.object_type == "people.person" and person is not None:
                self.persons.add(person)
        return before, after


def related_events(user, event: AuditEvent, limit: int = 50) -> list[AuditEvent]:
    """Other events of the same user action (correlation id) that ``user`` may read."""
    qs = events_for(user, correlation_id=event.correlation_id).exclude(pk=event.pk)
    return list(qs[:limit])


EXPORT_HEADERS = (
    gettext_lazy("时间"), gettext_lazy("操作人"), gettext_lazy("操作"), gettext_lazy("对象类型"), gettext_lazy("对象编号"), gettext_lazy("对象"), gettext_lazy("位置"), gettext_lazy("变更前"), gettext_lazy("变更后"), gettext_lazy("关联编号"),
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _json_cell(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def id_numbers_in(events: QuerySet[AuditEvent], sight: LogSight, chunk_size: int = 1000) -> None:
    """Go through ``events`` once so that ``sight`` knows which show full ID numbers to its
    reader (before an export streams them). Nothing to read for a reader who may see no ID
    number anywhere, such as the street."""
    if not (access.is_superuser(sight.user) or access.paths_for(sight.user, Cap.VIEW_ID_NUMBER)):
        return
    for event in (
        events.select_related(None)
        .only("id", "place_path", "object_type", "object_id", "before", "after")
        .iterator(chunk_size=chunk_size)
    ):
        sight.data(event)


def export_rows(
    events: QuerySet[AuditEvent], sight: LogSight, chunk_size: int = 1000
) -> Iterator[list[str]]:
    """The rows of a CSV export, read from the database a chunk at a time, personal data
    masked for the reader of ``sight``."""
    for event in events.iterator(chunk_size=chunk_size):
        before, after = sight.data(event)
        yield [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            _cell(event.actor_label),
            _cell(event.action),
            _cell(event.object_type),
            _cell(event.object_id),
            _cell(event.object_repr),
            event.place_path,
            _cell(_json_cell(before)),
            _cell(_json_cell(after)),
            str(event.correlation_id),
        ]
