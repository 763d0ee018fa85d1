"""Ballot pages: voting online (for oneself and by proxy), proxies, paper ballots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongzhi.core import refs
from gongzhi.voting import permissions, selectors, services
from gongzhi.voting.forms import PaperForm, ProxyForm, ProxyRejectForm, RejectForm, VoteForm
from gongzhi.voting.models import Ballot, Proxy
from gongzhi.voting.views._common import call, form_errors


def _open_questions(assembly, entry):
    """The questions the voter may still answer, in one query (whether each is answered
    is a subquery); candidates are read only when there is an election among them."""
    answered = Ballot.objects.filter(roll_entry=entry, question_id=OuterRef("pk"))
    questions = list(assembly.questions.annotate(answered=Exists(answered)).order_by("position"))
    if not assembly.allow_vote_change:
        questions = [q for q in questions if not q.answered]
    elections = [q for q in questions if q.is_election]
    if elections:
        prefetch_related_objects(elections, "candidates__person")
    return questions


@login_required
def vote(request, pk: int):
    """Vote for oneself, or (``?proxy=<id>``) for the owner one holds a proxy for."""
    assembly = permissions.get_assembly_for(request.user, pk)
    proxy = None
    if request.GET.get("proxy") or request.POST.get("proxy"):
        proxy = get_object_or_404(
            Proxy.objects.select_related("principal__person"),
            pk=refs.parse_id(request.GET.get("proxy") or request.POST.get("proxy")),
            assembly=assembly,
        )
        if not permissions.holds_proxy(request.user, proxy):
            raise Http404
        if not permissions.can_vote_as_proxy(request.user, proxy):
            messages.error(request, services.PROXY_NOT_ACCEPTED[proxy.status])
            return redirect("voting:proxies", pk=assembly.pk)
        entry = proxy.principal
    else:
        entry = permissions.roll_entry_of(request.user, assembly)
        if entry is None:
            raise PermissionDenied(_("您不在本次表决的业主名册上，不能投票。"))
    questions = _open_questions(assembly, entry)
    editing = request.method == "POST" and "edit" in request.POST
    form = VoteForm(request.POST if request.method == "POST" else None, questions=questions)
    review = None
    if request.method == "POST" and editing:
        form.is_valid()  # back from the review: the choices made, no messages
    elif request.method == "POST" and "confirm" not in request.POST:
        # First the voter sees what they chose; nothing is cast until they confirm.
        if form.is_valid() and form.answers():
            review = form.review()
        elif form.is_valid():
            messages.error(request, _("请至少对一项议题作出选择。"))
        else:
            form_errors(request, form)
    elif request.method == "POST":
        if form.is_valid():
            ballots = call(
                request, services.ballots_cast, assembly=assembly, answers=form.answers(), proxy=proxy,
            )  # fmt: skip
            if ballots:
                messages.success(
                    request,
                    _("投票成功。请保存回执码：%(receipts)s")
                    % {
                        "receipts": pgettext("receipt separator", "；").join(
                            _("第%(n)s项 %(receipt)s")
                            % {"n": b.question.position, "receipt": b.receipt}
                            for b in ballots
                        )
                    },
                )
                return redirect("voting:assembly", pk=assembly.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/vote.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "entry": entry,
            "proxy": proxy,
            "form": form,
            "accepting": assembly.accepts_ballots_at(timezone.now()),
            "my_ballots": selectors.ballots_of(entry),
            "review": review,
            "carried": _carried(request.POST) if review is not None else [],
        },
    )


def _carried(data) -> list[tuple[str, str]]:
    """The choices of the review step, sent again as hidden fields when confirming."""
    return [
        (name, value)
        for name in data
        if name.startswith("q") or name == "proxy"
        for value in data.getlist(name)
    ]


@login_required
def proxies(request, pk: int):
    """Register a written authorisation (the holder themselves, or staff for anyone)."""
    assembly = permissions.get_assembly_for(request.user, pk)
    can_manage = permissions.can_manage_assembly(request.user, assembly)
    entries = list(selectors.roll_of(assembly))
    form = ProxyForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST":
        if not request.user.person_id:
            raise PermissionDenied(_("您的账号未关联人员信息，不能受托。"))
        if form.is_valid():
            principal = selectors.entry_for_room(assembly, form.cleaned_data["room_id"])
            if principal is None:
                messages.error(request, _("该房屋不在本次表决的名册上。"))
            elif call(
                request, services.proxy_register, assembly=assembly, principal=principal,
                holder=request.user.person, authorisation=form.cleaned_data["authorisation"],
                success=_("委托已登记。"),
            ):  # fmt: skip
                return redirect("voting:proxies", pk=assembly.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/proxies.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "form": form,
            "can_manage": can_manage,
            "proxies": selectors.proxies_of(
                assembly, holder=None if can_manage else request.user.person
            ),
            "reject_form": ProxyRejectForm(),
            "reviewing": assembly.state in ("roll_published", "open"),
        },
    )


@login_required
@require_POST
def proxy_review(request, pk: int):
    """Accept a pending proxy after checking its signed authorisation, or reject it."""
    proxy = get_object_or_404(Proxy.objects.select_related("assembly__compound"), pk=pk)
    assembly = permissions.get_assembly_for(request.user, proxy.assembly_id)
    if not permissions.can_review_proxy(request.user, proxy):
        raise PermissionDenied(_("委托须由负责表决的其他工作人员核验。"))
    accept = request.POST.get("decision") == "accept"
    form = ProxyRejectForm(request.POST)
    if accept or form.is_valid():
        call(
            request, services.proxy_review, proxy=proxy, accept=accept,
            note="" if accept else form.cleaned_data["note"],
            success=_("委托已核验通过。") if accept else _("委托已退回。"),
        )  # fmt: skip
    else:
        form_errors(request, form)
    return redirect("voting:proxies", pk=assembly.pk)


@login_required
def proxy_file(request, pk: int):
    proxy = get_object_or_404(Proxy.objects.select_related("assembly__compound"), pk=pk)
    permissions.get_assembly_for(request.user, proxy.assembly_id)
    if not (
        permissions.can_manage_assembly(request.user, proxy.assembly)
        or permissions.holds_proxy(request.user, proxy)
    ):
        raise PermissionDenied
    return FileResponse(
        proxy.authorisation.open("rb"), filename=proxy.authorisation.name.rsplit("/", 1)[-1]
    )


@login_required
def paper(request, pk: int):
    """Staff enter signed paper ballot sheets; another staff member confirms them."""
    assembly = permissions.get_assembly_for(request.user, pk, manage=True)
    questions = list(assembly.questions.prefetch_related("candidates__person").order_by("position"))
    form = PaperForm(
        request.POST or None, request.FILES or None, assembly=assembly, questions=questions
    )
    if request.method == "POST":
        if form.is_valid():
            sheet = call(
                request, services.paper_sheet_enter, assembly=assembly,
                entry=form.cleaned_data["entry"], answers=form.answers(),
                scan=form.cleaned_data["scan"],
                success=_("纸质表决票已录入，须由另一名工作人员复核后计入。"),
            )  # fmt: skip
            if sheet:
                return redirect("voting:paper", pk=assembly.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/paper.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "form": form,
            "sheets": selectors.pending_sheets(assembly)[:500],
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def sheet_confirm(request, pk: int):
    sheet = permissions.get_sheet_for(request.user, pk)
    call(request, services.paper_sheet_confirm, sheet=sheet, success=_("已复核，选票计入。"))
    return redirect("voting:paper", pk=sheet.assembly_id)


@login_required
@require_POST
def sheet_reject(request, pk: int):
    sheet = permissions.get_sheet_for(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        call(request, services.paper_sheet_reject, sheet=sheet, reason=form.cleaned_data["reason"],
             success=_("已退回。"))  # fmt: skip
    else:
        form_errors(request, form)
    return redirect("voting:paper", pk=sheet.assembly_id)


@login_required
def sheet_scan(request, pk: int):
    sheet = permissions.get_sheet_for(request.user, pk)
    return FileResponse(sheet.scan.open("rb"), filename=sheet.scan.name.rsplit("/", 1)[-1])
