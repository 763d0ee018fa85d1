"""Assembly pages: list, policy, detail, questions, state moves, roll, meter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.places.permissions import get_compound_for
from gongzhi.voting import permissions, rules, selectors, services
from gongzhi.voting.forms import AssemblyForm, CorrectionForm, PolicyForm, QuestionForm
from gongzhi.voting.models import Question
from gongzhi.voting.views._common import call, form_errors, verify_url

S = rules.AssemblyState


@login_required
def assembly_list(request, pk: int):
    compound = get_compound_for(request.user, pk)
    can_manage = permissions.can_manage_votes(request.user, compound)
    form = AssemblyForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("只有社区工作人员或业委会主任可以组织业主大会表决。"))
        if form.is_valid():
            assembly = call(
                request, services.assembly_create, compound=compound, success=_("会议已创建，请添加议题。"),
                **form.cleaned_data,
            )  # fmt: skip
            if assembly:
                return redirect("voting:assembly", pk=assembly.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/assembly_list.html",
        {
            "compound": compound,
            "assemblies": selectors.assemblies_of(compound),
            "elections": selectors.elections_of(compound),
            "can_manage": can_manage,
            "form": form,
        },
    )


@login_required
def policy(request, pk: int):
    compound = get_compound_for(request.user, pk)
    if not permissions.can_manage_votes(request.user, compound):
        raise PermissionDenied(_("只有社区工作人员或业委会主任可以修改表决规则。"))
    current = services.policy_for(compound)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.assemblies.POLICY_FIELDS}
            if call(
                request,
                services.policy_update,
                compound=compound,
                success=_("表决规则已保存。"),
                **data,
            ):
                return redirect("voting:assemblies", pk=compound.pk)
        else:
            form_errors(request, form)
    return render(request, "voting/policy.html", {"compound": compound, "form": form})


@login_required
def assembly_detail(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk)
    can_manage = permissions.can_manage_assembly(request.user, assembly)
    entry = permissions.roll_entry_of(request.user, assembly)
    return render(
        request,
        "voting/assembly_detail.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "questions": assembly.questions.prefetch_related("candidates__person").order_by(
                "position"
            ),
            "can_manage": can_manage,
            "entry": entry,
            "my_ballots": selectors.ballots_of(entry) if entry else [],
            "proxies": selectors.proxies_of(assembly, holder=request.user.person)
            if request.user.person_id
            else [],
            "question_form": QuestionForm(),
            "edit_form": AssemblyForm(
                initial={
                    "title": assembly.title,
                    "description": assembly.description,
                    "opens_at": assembly.opens_at,
                    "closes_at": assembly.closes_at,
                }
            ),
            "meter": selectors.participation(assembly) if assembly.state != S.DRAFT else None,
            "S": S,
        },
    )


@login_required
@require_POST
def assembly_edit(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk, manage=True)
    form = AssemblyForm(request.POST)
    if form.is_valid():
        call(
            request,
            services.assembly_update,
            assembly=assembly,
            success=_("会议信息已更新。"),
            **form.cleaned_data,
        )
    else:
        form_errors(request, form)
    return redirect("voting:assembly", pk=assembly.pk)


@login_required
@require_POST
def question_add(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        call(
            request,
            services.question_add,
            assembly=assembly,
            success=_("议题已添加。"),
            **form.cleaned_data,
        )
    else:
        form_errors(request, form)
    return redirect("voting:assembly", pk=assembly.pk)


@login_required
@require_POST
def question_remove(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("assembly"), pk=pk)
    assembly = permissions.get_assembly_for(request.user, question.assembly_id, manage=True)
    call(request, services.question_remove, question=question, success=_("议题已删除。"))
    return redirect("voting:assembly", pk=assembly.pk)


MOVES = {
    S.ROLL_PUBLISHED: (services.assembly_publish_roll, gettext_lazy("名册已生成并公示。")),
    S.OPEN: (services.assembly_open, gettext_lazy("表决已开始。")),
    S.CLOSED: (services.assembly_close, gettext_lazy("表决已结束，计票完成。")),
    S.RESULT_PUBLISHED: (services.assembly_publish_result, gettext_lazy("表决结果已公示。")),
}


@login_required
@require_POST
def assembly_move(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk, manage=True)
    target = request.POST.get("to", "")
    if target not in {s.value for s in MOVES}:
        messages.error(request, _("未知的操作。"))
        return redirect("voting:assembly", pk=assembly.pk)
    fn, success = MOVES[S(target)]
    extra = {"verify_url": verify_url(request, assembly)} if target == S.RESULT_PUBLISHED else {}
    call(request, fn, assembly=assembly, success=str(success), **extra)

    if target in (S.CLOSED, S.RESULT_PUBLISHED):
        return redirect("voting:result", pk=assembly.pk)
    return redirect("voting:assembly", pk=assembly.pk)


@login_required
def roll(request, pk: int):
    assembly = permissions.get_assembly_for(request.user, pk)
    full = permissions.can_see_full_roll(request.user, assembly)
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "voting/roll.html",
        {
            "assembly": assembly,
            "compound": assembly.compound,
            "full": full,
            "entries": selectors.roll_of(assembly, search=search)[:1000] if full else [],
            "search": search,
            "entry": permissions.roll_entry_of(request.user, assembly),
            "totals": selectors.roll_totals(assembly),
            "can_correct": full and assembly.state == S.ROLL_PUBLISHED,
        },
    )


@login_required
def roll_correct(request, pk: int):
    entry = permissions.get_roll_entry_for(request.user, pk)
    assembly = entry.assembly
    people = selectors.people_who_may_stand(assembly.compound)
    form = CorrectionForm(request.POST or None, people=people)
    if request.method == "POST":
        if form.is_valid():
            done = call(
                request, services.roll_entry_correct, entry=entry, success=_("名册已更正。"),
                person=form.cleaned_data["person"], area=form.cleaned_data["area"],
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
            if done:
                return redirect("voting:roll", pk=assembly.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/roll_correct.html",
        {"assembly": assembly, "compound": assembly.compound, "entry": entry, "form": form},
    )


@login_required
def meter(request, pk: int):
    """The participation meter, alone: htmx polls it every 10 seconds."""
    assembly = permissions.get_assembly_for(request.user, pk)
    return render(
        request,
        "voting/_meter.html",
        {"assembly": assembly, "meter": selectors.participation(assembly)},
    )
