"""audit.permissions in the matrix: who reads and who exports the audit log, of each place
and of an event that touched another place than the one it was made at."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied

from gongzhi.audit import permissions as p
from gongzhi.audit import services as audit
from gongzhi.audit.models import AuditEvent
from gongzhi.core.capabilities import Cap
from tests.permission_matrix.framework import Check, anywhere, found
from tests.permission_matrix.tables import EXPORT_AUDIT, VIEW_AUDIT, _path, holding

AUDITORS = {"secretary", "community_worker", "street_official"}  # hold audit.view somewhere
EXPORTERS = {"community_worker", "street_official"}


def build(cast):
    events = {
        place: audit.record(actor=None, action="demo.load", place_path=_path(cast, place))
        for place in ("A", "A/1号楼", "B", "Z")
    }
    # Made in Z, touching A (a person of Z appointed in A, say): A's auditors see it too.
    touching_a = audit.record(
        actor=None, action="demo.load", place_path=cast.z.path, also_at=[cast.a.path]
    )
    return SimpleNamespace(cast=cast, events=events, touching_a=touching_a)


def _allowed(call) -> bool:
    try:
        call()
    except PermissionDenied:
        return False
    return True


def _visible(user, event, capability=Cap.VIEW_AUDIT) -> bool:
    return p.events_visible_to(user, capability).filter(pk=event.pk).exists()


def _get(user, pk) -> bool:
    try:
        return found(lambda: p.get_event_for(user, pk))
    except PermissionDenied:  # no audit capability anywhere: 403
        return False


PREDICATES = {
    "can_view_audit": Check(
        lambda u, w, place: p.can_view_audit(u, _path(w.cast, place)), holding(VIEW_AUDIT)
    ),  # fmt: skip
    "can_export_audit": Check(
        lambda u, w, place: p.can_export_audit(u, _path(w.cast, place)), holding(EXPORT_AUDIT)
    ),  # fmt: skip
    "can_view_event": Check(
        lambda u, w, place: p.can_view_event(u, w.events[place]), holding(VIEW_AUDIT)
    ),  # fmt: skip
    "can_view_event[made in Z, touching A]": Check(
        lambda u, w, place: p.can_view_event(u, AuditEvent.objects.get(pk=w.touching_a.pk)),
        anywhere(AUDITORS),
    ),
    "events_visible_to": Check(
        lambda u, w, place: _visible(u, w.events[place]), holding(VIEW_AUDIT)
    ),  # fmt: skip
    "events_visible_to[export]": Check(
        lambda u, w, place: _visible(u, w.events[place], Cap.EXPORT_AUDIT), holding(EXPORT_AUDIT)
    ),
    "events_visible_to[made in Z, touching A]": Check(
        lambda u, w, place: _visible(u, w.touching_a), anywhere(AUDITORS)
    ),
    "get_event_for": Check(lambda u, w, place: _get(u, w.events[place].pk), holding(VIEW_AUDIT)),
    "may_view_audit": Check(lambda u, w, place: p.may_view_audit(u), anywhere(AUDITORS)),
    "may_export_audit": Check(lambda u, w, place: p.may_export_audit(u), anywhere(EXPORTERS)),
    "ensure_may_view_audit": Check(
        lambda u, w, place: _allowed(lambda: p.ensure_may_view_audit(u)), anywhere(AUDITORS)
    ),
    "ensure_may_export_audit": Check(
        lambda u, w, place: _allowed(lambda: p.ensure_may_export_audit(u)), anywhere(EXPORTERS)
    ),
}
HELPERS = {
    "touching": "builds the Q filter of events_visible_to (asked above)",
    "export_scope": "the place an export is filed under: tests/audit/test_export_scope.py",
    "common_place": "pure, the nearest common ancestor: tests/audit/test_export_scope.py",
}
