"""One demand: its page with the timeline, its photos, and every move on it (moves.MOVES)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gongzhi.demands import forms as f
from gongzhi.demands import moves, selectors, web_selectors
from gongzhi.demands.rules import Action, State
from gongzhi.demands.views._common import (
    ALIASES,
    _partial,
)
from gongzhi.demands.views.lists import _board_context, _inbox_item

# --- one demand -----------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


def _render_detail(request, pk, *, forms=None, status=200) -> HttpResponse:
    page = web_selectors.demand_page(request.user, pk)
    forms = forms or {}
    return render(
        request,
        "demands/detail.html",
        {
            "p": page,
            "d": page.demand,
            "forms": forms,
            "Action": Action,
            "State": State,
            "star_words": STAR_WORDS,
        },
        status=status,
    )


STAR_WORDS = (
    gettext_lazy("很不满意"),
    gettext_lazy("不满意"),
    gettext_lazy("一般"),
    gettext_lazy("满意"),
    gettext_lazy("很满意"),
)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A demand's photo, only for those who may see the demand (never a public media URL)."""
    found = web_selectors.photo_of(request.user, pk, photo_pk)
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# action → (form, success message); the service each calls is moves.MOVES'.
ACTS = {
    "dispatch": (f.DispatchForm, gettext_lazy("已派单。")),
    "accept": (f.NoteForm, gettext_lazy("已接单,请在办结时限内办好。")),
    "return": (f.ReasonForm, gettext_lazy("已退回派单人。")),
    "whistle": (f.ReasonForm, gettext_lazy("已吹哨,上一级已被叫来报到。")),
    "report_in": (f.NoteForm, gettext_lazy("已报到,请抓紧办理。")),
    "resolve": (f.ResolveForm, gettext_lazy("已办结,等待居民评价。")),
    "evaluate": (f.EvaluateForm, gettext_lazy("谢谢您的评价!")),
    "feedback": (f.TextForm, gettext_lazy("已反馈。")),
    "close": (f.SummaryForm, gettext_lazy("已写总结并归档。")),
    "withdraw": (f.ReasonForm, gettext_lazy("诉求已撤回。")),
    "merge": (f.MergeForm, gettext_lazy("已合并,原诉求人会收到后续进展。")),
    "follow": (f.NoteForm, gettext_lazy("已关注,有进展会通知您。")),
    "unfollow": (f.NoteForm, gettext_lazy("已取消关注。")),
    "comment": (f.TextForm, gettext_lazy("留言已添加。")),
}
assert set(ACTS) == set(moves.MOVES)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One move on a demand. From the detail page: redirect back (or the page with the
    refusal, 400). From the inbox or the board (htmx, ``ctx``): that item or table."""
    if action not in ACTS:
        raise Http404
    user = request.user
    demand = selectors.demand_for(user, pk)
    form_class, done = ACTS[action]
    form = form_class(request.POST, request.FILES)
    ctx = request.POST.get("ctx", "")
    status = 400
    if form.is_valid():
        try:
            moves.perform(action, user, demand, form.cleaned_data)
        except ValidationError as exc:
            f.add_service_errors(form, exc, ALIASES)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您没有权限执行此操作。"))
            status = 403
        else:
            return _acted(request, pk, ctx, str(done))
    errors = [m for messages_ in form.errors.values() for m in messages_]
    if _partial(request) and ctx == "inbox":
        item = _inbox_item(user, selectors.demand_for(user, pk), timezone.now(),
                           errors=errors, action=action)  # fmt: skip
        return render(request, "demands/_inbox_item.html", {"item": item}, status=status)
    if _partial(request) and ctx == "board":
        context = _board_context(
            request, QueryDict(request.POST.get("query", "")), errors={pk: errors}
        )
        return render(request, "demands/_board_table.html", context, status=status)
    return _render_detail(request, pk, forms={action: form}, status=status)


def _acted(request: HttpRequest, pk: int, ctx: str, done: str) -> HttpResponse:
    if _partial(request) and ctx == "inbox":
        demand = web_selectors.demands_by_pk([pk])[0]
        item = _inbox_item(request.user, demand, timezone.now(), done=done)
        return render(request, "demands/_inbox_item.html", {"item": item})
    if _partial(request) and ctx == "board":
        context = _board_context(request, QueryDict(request.POST.get("query", "")))
        context["board_done"] = {"pk": pk, "message": done}
        return render(request, "demands/_board_table.html", context)
    messages.success(request, done)
    if ctx == "board":
        return redirect(f"{reverse('demands:board')}?{request.POST.get('query', '')}")
    if ctx == "inbox":
        return redirect("demands:inbox")
    try:
        selectors.demand_for(request.user, pk)
    except Http404:  # e.g. no longer the handler of a demand just returned
        return redirect("demands:index")
    return redirect("demands:detail", pk=pk)
