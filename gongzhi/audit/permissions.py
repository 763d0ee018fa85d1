"""Who may read and export the audit log (core.access, on the events' ``place_path``).

Holders of Cap.VIEW_AUDIT read the events whose place (where the change was made, or
another place it touched: ``AuditEventPlace``) lies in their scope, holders of
Cap.EXPORT_AUDIT export them; superusers read everything. An event with no place (an
account opened by the system, say) belongs to no one's scope: only superusers see it.
Nobody changes or deletes an event: there is no predicate for it on purpose.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongzhi.audit.models import AuditEvent, AuditEventPlace
from gongzhi.core import access
from gongzhi.core.access import ensure
from gongzhi.core.capabilities import Cap


def can_view_audit(user, place_path: str) -> bool:
    """May ``user`` read the events of the place ``place_path``?"""
    # access.allows refuses an empty path even to a superuser, hence the explicit test.
    return access.is_superuser(user) or access.allows(user, Cap.VIEW_AUDIT, place_path)


def can_export_audit(user, place_path: str) -> bool:
    return access.is_superuser(user) or access.allows(user, Cap.EXPORT_AUDIT, place_path)


def can_view_event(user, event: AuditEvent) -> bool:
    """At the place the change was made, or at any other place it touched."""
    if can_view_audit(user, event.place_path):
        return True
    return any(can_view_audit(user, p) for p in event.places.values_list("path", flat=True))


def may_view_audit(user) -> bool:
    """Does ``user`` hold the audit capability anywhere (the list page is then theirs)?"""
    return access.is_superuser(user) or bool(access.paths_for(user, Cap.VIEW_AUDIT))


def may_export_audit(user) -> bool:
    return access.is_superuser(user) or bool(access.paths_for(user, Cap.EXPORT_AUDIT))


def ensure_may_view_audit(user) -> None:
    ensure(may_view_audit(user), _("您没有查看审计日志的权限。"))


def ensure_may_export_audit(user) -> None:
    ensure(may_export_audit(user), _("您没有导出审计日志的权限。"))


def events_visible_to(user, capability: Cap = Cap.VIEW_AUDIT):
    """The events ``user`` may read (or export, with Cap.EXPORT_AUDIT): the list-page scope,
    at the place each change was made or at another place it touched."""
    if access.is_superuser(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(touching(access.paths_for(user, capability)))


def touching(paths: list[str]) -> Q:
    """Events made at, or touching, a place inside one of ``paths``."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(place_path__startswith=p)
    if paths:
        others = Q()
        for p in paths:
            others |= Q(path__startswith=p)
        q |= Q(pk__in=AuditEventPlace.objects.filter(others).values("event_id"))
    return q


def get_event_for(user, pk: int) -> AuditEvent:
    """The event, if ``user`` may read it: 403 without any audit capability, else 404."""
    ensure_may_view_audit(user)
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    if not can_view_event(user, event):
        raise Http404
    return event


def export_scope(user) -> str:
    """The place an export by ``user`` is filed under, when the export names none.

    The common ancestor of the user's export scopes, so those who oversee them (a
    street above two communities) see the export; empty (superusers only) otherwise.
    """
    return common_place(access.paths_for(user, Cap.EXPORT_AUDIT))


def common_place(paths) -> str:
    """The nearest place that holds every one of ``paths`` ("" when they share none)."""
    paths = [p for p in paths if p]
    if not paths:
        return ""
    common = paths[0]
    for path in paths[1:]:
        while common and not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    return common
