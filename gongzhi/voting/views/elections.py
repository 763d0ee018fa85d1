"""Election pages: list and create, candidates, nominations, checks, slate, ballot, filing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.places.permissions import get_compound_for
from gongzhi.voting import permissions, rules, selectors, services
from gongzhi.voting.forms import CheckForm, ElectionForm, FilingForm, NominationForm
from gongzhi.voting.views._common import call, form_errors

E = rules.ElectionState


@login_required
def election_list(request, pk: int):
    compound = get_compound_for(request.user, pk)
    can_manage = permissions.can_manage_votes(request.user, compound)
    initial = {"committee_kind": "self_management_committee"} if compound.is_three_without else {}
    form = ElectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("只有社区工作人员或业委会主任可以组织换届选举。"))
        if form.is_valid():
            election = call(request, services.election_create, compound=compound,
                            success=_("选举已创建，开始提名。"), **form.cleaned_data)  # fmt: skip
            if election:
                return redirect("voting:election", pk=election.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "voting/election_list.html",
        {
            "compound": compound,
            "elections": selectors.elections_of(compound),
            "can_manage": can_manage,
            "form": form,
        },
    )


@login_required
def election_detail(request, pk: int):
    election = permissions.get_election_for(request.user, pk)
    compound = election.compound
    people = selectors.people_who_may_stand(compound, election.committee_kind)
    can_manage = permissions.can_manage_election(request.user, election)
    candidates = list(selectors.candidates_of(election))
    nominating = election.state == E.NOMINATING
    where = selectors.where_people_live(
        compound,
        None if nominating else [c.person_id for c in candidates],
        committee_kind=election.committee_kind,
        full_rooms=can_manage,
    )
    for c in candidates:
        c.where = where.get(c.person_id, "")
    nomination_form = None
    if nominating:
        nomination_form = NominationForm(
            election=election,
            people=people,
            where=where,
            nominated=[c.person_id for c in candidates],
        )
    return render(
        request,
        "voting/election_detail.html",
        {
            "election": election,
            "compound": compound,
            "candidates": candidates,
            "can_manage": can_manage,
            "nomination_form": nomination_form,
            "check_form": CheckForm(),
            "filing_form": FilingForm(),
            "draft_assemblies": selectors.assemblies_of(compound).filter(
                state=rules.AssemblyState.DRAFT
            ),
            "questions": election.questions.select_related("assembly").order_by(
                "assembly__opens_at"
            ),
            "E": E,
        },
    )


@login_required
@require_POST
def nominate(request, pk: int):
    election = permissions.get_election_for(request.user, pk)
    people = selectors.people_who_may_stand(election.compound, election.committee_kind)
    form = NominationForm(request.POST, election=election, people=people)
    if form.is_valid():
        person = form.cleaned_data["person"] or request.user.person
        if person is None:
            messages.error(request, _("请选择被提名人。"))
        else:
            call(
                request, services.candidate_nominate, election=election, person=person,
                kind=form.cleaned_data["kind"], nominators=form.cleaned_data["nominators"],
                statement=form.cleaned_data["statement"], success=_("提名已登记，待资格审查。"),
            )  # fmt: skip
    else:
        form_errors(request, form)
    return redirect("voting:election", pk=election.pk)


@login_required
@require_POST
def candidate_check(request, pk: int):
    candidate = permissions.get_candidate_for(request.user, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        call(request, services.candidate_check, candidate=candidate, success=_("资格审查已记录。"),
             eligible=form.cleaned_data["eligible"], reason=form.cleaned_data["reason"])  # fmt: skip
    else:
        form_errors(request, form)
    return redirect("voting:election", pk=candidate.election_id)


@login_required
@require_POST
def publish_slate(request, pk: int):
    election = permissions.get_election_for(request.user, pk, manage=True)
    call(
        request, services.election_publish_slate, election=election, success=_("候选人名单已公示。")
    )
    return redirect("voting:election", pk=election.pk)


@login_required
@require_POST
def start_ballot(request, pk: int):
    election = permissions.get_election_for(request.user, pk, manage=True)
    assembly = (
        selectors.assemblies_of(election.compound).filter(pk=request.POST.get("assembly")).first()
    )
    if assembly is None:
        messages.error(request, _("请选择本小区一次筹备中的业主大会会议。"))
    else:
        call(request, services.election_start_ballot, election=election, assembly=assembly,
             success=_("选举议题已加入会议议程。"))  # fmt: skip
    return redirect("voting:election", pk=election.pk)


@login_required
@require_POST
def file(request, pk: int):
    election = permissions.get_election_for(request.user, pk, manage=True)
    form = FilingForm(request.POST)
    if form.is_valid():
        office = selectors.street_office_of(election.compound)
        call(request, services.election_file, election=election, filed_with=office,
             reference=form.cleaned_data["reference"], filed_at=form.cleaned_data["filed_at"],
             success=_("备案已登记。"))  # fmt: skip
    else:
        form_errors(request, form)
    return redirect("voting:election", pk=election.pk)
