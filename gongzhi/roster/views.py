"""Roster pages: upload a file to import, download the export and the blank template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.roster import permissions, rules, services
from gongzhi.roster.forms import RosterImportForm


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request, pk: int):
    compound = permissions.get_compound_for_roster(request.user, pk)
    form = (
        RosterImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else RosterImportForm()
    )
    result = errors = None
    error_count = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = services.roster_import(
                actor=request.user, compound=compound, upload=form.cleaned_data["file"]
            )
        except services.RosterInvalid as exc:
            errors, error_count = exc.errors, exc.total
    return render(
        request,
        "roster/import.html",
        {
            "compound": compound,
            "form": form,
            "result": result,
            "errors": errors,  # at most rules.MAX_ERRORS, and a line counting the rest
            "error_count": error_count,
            "errors_listed": min(error_count, rules.MAX_ERRORS),
            "columns": rules.COLUMN_HELP,
            "may_export": permissions.can_export_roster(request.user, compound),
        },
    )


@login_required
@require_GET
def roster_export(request, pk: int):
    compound = permissions.get_compound_for_roster(request.user, pk, export=True)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in rules.FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式,请选择 xlsx 或 csv。"))
    return _download(services.roster_export(actor=request.user, compound=compound, fmt=fmt))


@login_required
@require_GET
def roster_template(request):
    return _download(services.roster_template())


def _download(file: services.RosterFile) -> HttpResponse:
    response = HttpResponse(
        file.content,
        content_type=file.content_type,
        headers={"Content-Disposition": content_disposition_header(True, file.filename)},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
