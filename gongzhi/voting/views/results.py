"""Result pages: the explained result, its PDF, and the public receipt check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gongzhi.voting import ledger, permissions, selectors
from gongzhi.voting.forms import VerifyForm
from gongzhi.voting.models import Assembly
from gongzhi.voting.pdf import result_pdf as build_pdf
from gongzhi.voting.report import assembly_reports
from gongzhi.voting.views._common import verify_url


@login_required
def result(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk)
    counted = assembly.is_counted
    return render(
        request,
        "voting/result.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "counted": counted,
            "reports": assembly_reports(assembly) if counted else [],
            "check": selectors.check_ledger(assembly) if counted else None,
            "meter": None if counted else selectors.participation(assembly),
            "verify_url": verify_url(request, assembly),
            "can_manage": permissions.can_manage_assembly(request.user, assembly),
        },
    )


@login_required
def result_pdf(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk)
    if not assembly.is_counted:
        raise Http404(_("表决尚未结束，没有结果。"))
    response = HttpResponse(
        build_pdf(assembly, verify_url=verify_url(request, assembly)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="result-{assembly.pk}.pdf"'
    return response


def _public_assembly(code: str) -> Assembly:
    assembly = get_object_or_404(Assembly.objects.select_related("compound"), public_code=code)
    if not assembly.is_counted:
        raise Http404
    return assembly


@never_cache
def verify(request, code: str):
    """Anyone with the link checks whether a receipt is in the published list. The page
    shows the hash, its check, and for one receipt only its question and choice."""
    assembly = _public_assembly(code)
    form = VerifyForm(request.GET or None)
    match = None
    searched = False
    invalid = False
    if form.is_valid():
        searched = True
        receipt = ledger.normalise_receipt(form.cleaned_data["receipt"])
        if receipt is None:
            invalid = True
        else:
            match = selectors.find_receipt(assembly, receipt)
    return render(
        request,
        "voting/verify.html",
        {
            "assembly": assembly,
            "form": form,
            "match": match,
            "searched": searched,
            "invalid": invalid,
            "check": selectors.check_ledger(assembly),
        },
    )


@never_cache
def ledger_text(request, code: str):
    """The published ballot list itself (receipt, question, choice; no names), so anyone
    can recompute its SHA-256 (docs/voting.md)."""
    assembly = _public_assembly(code)
    text = ledger.ledger_text(selectors.ledger_lines(assembly))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ballots-{code}.txt"'
    return response
