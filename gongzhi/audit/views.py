"""Pages of the audit log: the list with its filters, one event, and the CSV export.

Read-only by construction: every view is GET-only and there is no form that writes.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongzhi.audit import permissions, selectors
from gongzhi.audit import services as audit
from gongzhi.audit.forms import AuditFilterForm, EventFilterForm
from gongzhi.core.capabilities import Cap

PAGE_SIZE = 50


@require_GET
@login_required
def event_list(request):
    permissions.ensure_may_view_audit(request.user)
    form = AuditFilterForm(request.GET or None, user=request.user)
    form.is_valid()  # invalid fields are shown with their errors and not applied
    events = selectors.events_for(request.user, **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = selectors.place_labels(e.place_path for e in page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(e, labels.get(e.place_path, "")) for e in page],
            "query": query.urlencode(),
            "may_export": permissions.may_export_audit(request.user),
        },
    )


@require_GET
@login_required
def event_detail(request, pk: int):
    event = permissions.get_event_for(request.user, pk)
    sight = selectors.LogSight(request.user)
    before, after = sight.data(event)  # personal data masked for this reader
    audit.log_id_numbers_shown(actor=request.user, sight=sight, where="audit:event_detail")
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "place_label": selectors.place_labels([event.place_path]).get(event.place_path, ""),
            "changes": selectors.changes(before, after),
            "related": selectors.related_events(request.user, event),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _record_export(user, filters: dict, rows: int):
    # A write, so it belongs in audit/services.py (an ``export_record`` service); it sits
    # here only because that file is not this change's to edit.
    with transaction.atomic():
        return audit.record(
            actor=user,
            action="audit.export",
            object_type="audit.auditevent",
            object_repr="审计日志导出(CSV)",
            after={"filters": filters, "rows": rows},
            place_path=filters.get("place_path") or permissions.export_scope(user),
        )


@require_GET
@login_required
def event_export(request):
    """The filtered events as CSV (UTF-8 with BOM, for Excel), streamed row by row."""
    permissions.ensure_may_export_audit(request.user)
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
    filters = form.filters()
    events = selectors.events_for(request.user, capability=Cap.EXPORT_AUDIT, **filters)
    export = _record_export(request.user, filters, events.count())
    events = events.exclude(pk=export.pk)
    # Personal data masked per event for this reader; the full ID numbers the file will
    # hold are recorded before it streams (one event for the export).
    sight = selectors.LogSight(request.user)
    selectors.id_numbers_in(events, sight)
    shown = audit.log_id_numbers_shown(actor=request.user, sight=sight, where="audit:event_export")
    if shown is not None:
        events = events.exclude(pk=shown.pk)

    headers = [str(h) for h in selectors.EXPORT_HEADERS]  # in the request's language

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headers)
        for row in selectors.export_rows(events, sight):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
