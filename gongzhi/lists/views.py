"""List pages (清单): parse, call one service or selector, render.

Claim, progress and the other item buttons post with htmx and get back the item's row
(on the list page) or panel (on the item page); without JavaScript they post and
redirect. A refusal (PermissionDenied, ValidationError) is shown in Chinese and changes
nothing.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.lists import permissions, selectors, services
from gongzhi.lists.forms import (
    CompileForm,
    ItemForm,
    NoteForm,
    PlanForm,
    ProgressForm,
    ReasonForm,
    WorkListForm,
)
from gongzhi.lists.models import ItemClaim, Milestone, ProgressPhoto
from gongzhi.lists.rules import ItemState
from gongzhi.people.rules import mask_name
from gongzhi.places.permissions import get_compound_for

LIST_PAGE = 200


def _message_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return str(exc) or _("您没有权限执行此操作。")


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def claimant_label(claim: ItemClaim | None, *, reveal: bool) -> str:
    """Who holds a claim, for display: the unit, or the member (masked unless staff)."""
    if claim is None:
        return ""
    if claim.body_id:
        return claim.body.name
    name = claim.person.name if reveal else mask_name(claim.person.name)
    return _("双报到党员 %(name)s") % {"name": name}


def _decorate(user, items, work_list) -> list:
    """Attach what each row shows: the claimant and the buttons this user has."""
    reveal = permissions.sees_claimant_person(user, work_list)
    out = []
    for item in items:
        item.work_list = work_list
        claim = item.active_claims[0] if item.active_claims else None
        item.claim = claim
        item.claim_label = claimant_label(claim, reveal=reveal)
        item.actions = permissions.available_actions(user, item, claim)
        out.append(item)
    return out


# --- lists of a compound ----------------------------------------------------------------


@require_GET
@login_required
def compound_lists(request, pk: int):
    compound = get_compound_for(request.user, pk)
    lists = list(selectors.lists_for_compound(request.user, compound)[:LIST_PAGE])
    figures = selectors.figures_per_list([wl.pk for wl in lists])
    for wl in lists:
        wl.figures = figures[wl.pk]
    return render(
        request,
        "lists/compound_lists.html",
        {
            "compound": compound,
            "lists": lists,
            "by_period": selectors.figures_by_period(compound.path),
            "can_compile": permissions.can_compile(request.user, compound.path),
        },
    )


@login_required
def list_new(request, pk: int):
    compound = get_compound_for(request.user, pk)
    if not permissions.can_compile(request.user, compound.path):
        raise PermissionDenied(_("只有本小区的支部书记、网格员或社区工作人员可以编制清单。"))
    form = WorkListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            work_list = services.worklist_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                period=data["period"],
                note=data["note"],
                compound=compound if data["level"] == "compound" else None,
                community=compound.community,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                _form_errors(form, exc)
            else:
                form.add_error(None, _message_of(exc))
        else:
            messages.success(request, _("清单已创建(草稿),请编入事项。"))
            return redirect("lists:compile", pk=work_list.pk)
    return render(request, "lists/list_new.html", {"compound": compound, "form": form})


# --- one list ---------------------------------------------------------------------------


@require_GET
@login_required
def list_detail(request, pk: int):
    work_list = selectors.list_for(request.user, pk)
    state = request.GET.get("state", "")
    if state not in ItemState.values:
        state = ""
    items = _decorate(request.user, selectors.items_of(work_list, state=state), work_list)
    return render(
        request,
        "lists/list_detail.html",
        {
            "work_list": work_list,
            "items": items,
            "figures": selectors.figures_for_list(work_list),
            "states": ItemState.choices,
            "state": state,
            "can_manage": permissions.can_manage(request.user, work_list),
            "options": selectors.claim_options(request.user, work_list),
        },
    )


@login_required
def list_compile(request, pk: int):
    work_list = selectors.list_for(request.user, pk)
    if not permissions.can_manage(request.user, work_list):
        raise PermissionDenied(_("只有本小区的支部书记、网格员或社区工作人员可以编制清单。"))
    demands = list(selectors.demands_to_compile(request.user, work_list)[:LIST_PAGE])
    form = CompileForm(request.POST or None, demands=demands, prefix="compile")
    item_form = ItemForm(prefix="item")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            items = services.items_add_from_demands(
                actor=request.user,
                work_list=work_list,
                demands=data["demands"],
                mode=data["mode"],
                plan=data["plan"],
                milestones=data["milestones"],
                titles=data["titles"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _message_of(exc))
        else:
            messages.success(request, _("已将 %(n)d 条诉求列入清单。") % {"n": len(items)})
            return redirect("lists:compile", pk=work_list.pk)
    return _compile_page(request, work_list, demands, form, item_form)


def _compile_page(request, work_list, demands, form, item_form, status=200):
    return render(
        request,
        "lists/compile.html",
        {
            "work_list": work_list,
            "demands": demands,
            "form": form,
            "item_form": item_form,
            "selected": set(request.POST.getlist("compile-demands")),
        },
        status=status,
    )


@require_POST
@login_required
def item_new(request, pk: int):
    work_list = selectors.list_for(request.user, pk)
    if not permissions.can_manage(request.user, work_list):
        raise PermissionDenied(_("只有本小区的支部书记、网格员或社区工作人员可以编制清单。"))
    item_form = ItemForm(request.POST, prefix="item")
    if item_form.is_valid():
        data = item_form.cleaned_data
        try:
            item = services.item_add(actor=request.user, work_list=work_list, **data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                _form_errors(item_form, exc)
            else:
                item_form.add_error(None, _message_of(exc))
        else:
            messages.success(request, _("已列入清单:第%(n)d项。") % {"n": item.number})
            return redirect("lists:compile", pk=work_list.pk)
    demands = list(selectors.demands_to_compile(request.user, work_list)[:LIST_PAGE])
    form = CompileForm(demands=demands, prefix="compile")
    return _compile_page(request, work_list, demands, form, item_form, status=400)


@require_POST
@login_required
def list_publish(request, pk: int):
    return _list_move(
        request, pk, services.worklist_publish, _("清单已发布,居民可以查看,共建单位可以认领。")
    )


@require_POST
@login_required
def list_archive(request, pk: int):
    return _list_move(request, pk, services.worklist_archive, _("清单已归档。"))


def _list_move(request, pk, service, success: str):
    work_list = selectors.list_for(request.user, pk)
    try:
        service(actor=request.user, work_list=work_list)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message_of(exc))
    else:
        messages.success(request, success)
    return redirect("lists:detail", pk=work_list.pk)


# --- one item ---------------------------------------------------------------------------


def _panel_context(request, item, **forms) -> dict:
    work_list = item.work_list
    _decorate(request.user, [item], work_list)
    progress = list(selectors.progress_of(item))
    reveal = permissions.sees_claimant_person(request.user, work_list)
    for report in progress:
        report.by_label = claimant_label(report.claim, reveal=reveal) or _("工作人员")
    claims = list(selectors.claims_of(item))
    for claim in claims:
        claim.label = claimant_label(claim, reveal=reveal)
    return {
        "item": item,
        "work_list": work_list,
        "milestones": list(item.milestones.all()),
        "progress": progress,
        "claims": claims,
        "options": selectors.claim_options(request.user, work_list),
        "can_manage": permissions.can_manage(request.user, work_list),
        "progress_form": forms.get("progress_form")
        or ProgressForm(initial={"percent": item.percent}),
        "plan_form": forms.get("plan_form") or PlanForm(initial={"plan": item.plan}),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "note_form": NoteForm(),
        "error": forms.get("error", ""),
    }


@require_GET
@login_required
def item_detail(request, pk: int):
    item = selectors.item_for(request.user, pk)
    return render(request, "lists/item_detail.html", _panel_context(request, item))


def _respond(request, pk: int, *, error: str = "", success: str = "", **forms) -> HttpResponse:
    """The item's row or panel for htmx, or a redirect to the item page."""
    if request.htmx:
        item = selectors.item_for(request.user, pk)
        if request.POST.get("fragment") == "row":
            work_list = item.work_list
            _decorate(request.user, [item], work_list)
            return render(
                request,
                "lists/_item_row.html",
                {
                    "item": item,
                    "work_list": work_list,
                    "options": selectors.claim_options(request.user, work_list),
                    "error": error,
                    "success": success,
                },
            )
        context = _panel_context(request, item, error=error, **forms)
        context["success"] = success
        return render(request, "lists/_item_panel.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect("lists:item", pk=pk)


def _run(request, pk: int, call, success: str, **forms) -> HttpResponse:
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        return _respond(request, pk, error=_message_of(exc), **forms)
    return _respond(request, pk, success=success)


@require_POST
@login_required
def item_claim(request, pk: int):
    item = selectors.item_for(request.user, pk)
    work_list = item.work_list

    def call():
        services.item_claim(
            actor=request.user,
            item=item,
            body=permissions.named(
                partial(permissions.get_claim_body_for, work_list), request.POST.get("body"),
                "body", permissions.CLAIM_BODY_REFUSAL,
            ),
            person=permissions.named(
                partial(permissions.get_claim_person_for, work_list), request.POST.get("person"),
                "person", permissions.CLAIM_PERSON_REFUSAL,
            ),
        )  # fmt: skip

    return _run(request, pk, call, _("认领成功。"))


@require_POST
@login_required
def item_progress(request, pk: int):
    item = selectors.item_for(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _respond(request, pk, error=_("请填写进展情况和0到100的进度。"), progress_form=form)
    data = form.cleaned_data
    return _run(
        request,
        pk,
        lambda: services.item_report_progress(
            actor=request.user,
            item=item,
            text=data["text"],
            percent=data["percent"],
            photos=data["photos"],
        ),
        _("进展已报告。"),
        progress_form=form,
    )


@require_POST
@login_required
def item_finish(request, pk: int):
    item = selectors.item_for(request.user, pk)
    text = request.POST.get("text", "")
    return _run(
        request,
        pk,
        lambda: services.item_finish(actor=request.user, item=item, text=text),
        _("事项已办结。"),
    )


@require_POST
@login_required
def item_solve(request, pk: int):
    item = selectors.item_for(request.user, pk)
    text = request.POST.get("text", "")
    return _run(
        request,
        pk,
        lambda: services.item_solve(actor=request.user, item=item, text=text),
        _("已立行立改,事项已解决。"),
    )


@require_POST
@login_required
def item_release(request, pk: int):
    item = selectors.item_for(request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        pk,
        lambda: services.item_release(actor=request.user, item=item, reason=reason),
        _("已退回认领,事项重新待认领。"),
    )


@require_POST
@login_required
def item_drop(request, pk: int):
    item = selectors.item_for(request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        pk,
        lambda: services.item_drop(actor=request.user, item=item, reason=reason),
        _("事项已标为不再办理。"),
    )


@require_POST
@login_required
def item_plan(request, pk: int):
    item = selectors.item_for(request.user, pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        error = ";".join(e for errors in form.errors.values() for e in errors)
        return _respond(request, pk, error=error, plan_form=form)
    return _run(
        request,
        pk,
        lambda: services.item_plan(
            actor=request.user,
            item=item,
            plan=form.cleaned_data["plan"],
            milestones=form.cleaned_data["milestones"],
        ),
        _("推进计划已保存。"),
        plan_form=form,
    )


@require_POST
@login_required
def milestone_done(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    item = selectors.item_for(request.user, milestone.item_id)
    return _run(
        request,
        item.pk,
        lambda: services.milestone_complete(actor=request.user, milestone=milestone),
        _("节点已完成。"),
    )


@require_GET
@login_required
def progress_photo(request, pk: int):
    photo = ProgressPhoto.objects.select_related("progress").filter(pk=pk).first()
    if photo is None:
        raise Http404
    selectors.item_for(request.user, photo.progress.item_id)  # 404 unless the list is visible
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")
