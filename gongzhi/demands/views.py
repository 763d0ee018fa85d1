"""The demands pages: residents file, follow, whistle and rate from a phone; handlers work
their inbox on the move; dispatchers run the board at a desk; each demand shows its
timeline. Views parse, call one service or selector, and render (an htmx fragment when
htmx asks). Every demand is loaded through ``permissions.get_demand_for`` (via
``selectors.demand_for`` / ``web_selectors``) and every compound through
``places.permissions.get_compound_for``: outside the user's scope both are 404.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core import access
from gongzhi.core.access import ensure
from gongzhi.core.inputs import ascii_int
from gongzhi.core.ratelimit import RateLimited, client_address
from gongzhi.demands import forms as f
from gongzhi.demands import html, moves, permissions, rules, selectors, services, web_selectors
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import Category, Channel, Kind, PlaceKind, RoutingRule
from gongzhi.demands.photos import MAX_PHOTOS
from gongzhi.demands.rules import Action, State
from gongzhi.demands.services.config import can_manage, ensure_manage
from gongzhi.demands.services.filing import filing_allowance
from gongzhi.places.models import Room
from gongzhi.places.permissions import get_compound_for

PAGE_SIZE = 20
BOARD_PAGE_SIZE = 30
SEARCH_MAX = 30


def _partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "demands/refused.html", {"message": message}, status=status)


def _int(value) -> int | None:
    """An id in a query string: ASCII digits within range (``'²'`` is none), else None."""
    return ascii_int(value, minimum=1) if isinstance(value, str) else None


# --- entry ----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/demands/: the board for dispatchers, the inbox for handlers, else my demands."""
    user = request.user
    if access.is_superuser(user) or access.paths_for(user, DemandCap.DISPATCH):
        return redirect("demands:board")
    if permissions.handler_memberships(user) or access.paths_for(user, DemandCap.HANDLE):
        return redirect("demands:inbox")
    return redirect("demands:mine")


@login_required
@require_GET
def compound_new(request: HttpRequest, pk: int) -> HttpResponse:
    """/compounds/<pk>/demands/new/: a linkable way into the filing form of a compound."""
    compound = get_compound_for(request.user, pk)
    return redirect(f"{reverse('demands:new')}?{urlencode({'compound': compound.pk})}")


# --- filing -----------------------------------------------------------------------------------

KIND_TITLES = {
    (Kind.DEMAND, False): gettext_lazy("反映诉求"),
    (Kind.DEMAND, True): gettext_lazy("代居民录入诉求"),
    (Kind.MICRO_WISH, False): gettext_lazy("许个微心愿"),
    (Kind.MICRO_WISH, True): gettext_lazy("代居民登记微心愿"),
}
FILE_URLS = {
    (Kind.DEMAND, False): "demands:new",
    (Kind.DEMAND, True): "demands:new_behalf",
    (Kind.MICRO_WISH, False): "demands:new_wish",
    (Kind.MICRO_WISH, True): "demands:new_wish_behalf",
}


def _filing(request: HttpRequest, *, kind: str, behalf: bool) -> HttpResponse:
    user = request.user
    url_name = FILE_URLS[(kind, behalf)]
    compound_id = _int(request.GET.get("compound"))
    if compound_id is None:
        compounds = (
            web_selectors.behalf_compounds(user) if behalf else web_selectors.filing_compounds(user)
        )
        if len(compounds) == 1:
            query = request.GET.copy()
            query["compound"] = str(compounds[0].pk)
            return redirect(f"{reverse(url_name)}?{query.urlencode()}")
        if not compounds and not behalf and web_selectors.behalf_compounds(user):
            return redirect(FILE_URLS[(kind, True)])
        return render(
            request,
            "demands/choose_compound.html",
            {"compounds": compounds, "url_name": url_name, "title": KIND_TITLES[(kind, behalf)]},
        )

    compound = get_compound_for(user, compound_id)
    if behalf:
        if not web_selectors.may_file_on_behalf_in(user, compound):
            return _refused(request, _("只有本小区的工作人员可以代居民录入诉求。"))
        rooms = Room.objects.none()
    else:
        if not permissions.can_file(user, compound.path):
            if web_selectors.may_file_on_behalf_in(user, compound):
                return redirect(f"{reverse(FILE_URLS[(kind, True)])}?compound={compound.pk}")
            return _refused(request, _("只有本小区的居民或业主可以提交诉求。"))
        rooms = web_selectors.own_rooms(user, compound)
    form_kwargs = {
        "kind": kind,
        "behalf": behalf,
        "categories": selectors.categories_for(compound),
        "rooms": rooms,
        "buildings": compound.buildings.all(),
        "find_reporter": lambda person_id, room_id: web_selectors.resident_choice(
            user, compound, person_id, room_id
        ),
    }
    channel = Channel.QR if request.GET.get("via") == "qr" else Channel.APP
    status = 200
    if request.method == "POST":
        form = f.FileForm(request.POST, request.FILES, **form_kwargs)
        status = 400
        if form.is_valid():
            kwargs = form.service_kwargs()
            address = client_address(request)
            try:
                with filing_allowance(actor=user, address=address, behalf=behalf):
                    demand = _file(user, compound, kind, behalf, channel, kwargs)
            except RateLimited as exc:  # what was typed stays in the form
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                f.add_service_errors(form, exc)
            except PermissionDenied as exc:  # e.g. a place outside a grid worker's grid
                form.add_error(None, str(exc))
            else:
                return redirect("demands:filed", pk=demand.pk)
    # Read only for a page shown: a filing that succeeds redirects without them.
    room_list = list(rooms)
    if request.method != "POST":
        initial = {
            "place_kind": PlaceKind.ROOM if (room_list or behalf) else PlaceKind.COMMON,
            "room": room_list[0].pk if room_list else None,
        }
        form = f.FileForm(initial=initial, **form_kwargs)
    return render(
        request,
        "demands/file.html",
        {
            "form": form,
            "compound": compound,
            "kind": kind,
            "behalf": behalf,
            "title": KIND_TITLES[(kind, behalf)],
            "buildings": web_selectors.buildings_in(compound),
            "own_rooms": room_list,
            "via_qr": channel == Channel.QR,
            "selected_reporter": getattr(form, "selected_reporter", None),
            "max_photos": MAX_PHOTOS,
        },
        status=status,
    )


def _file(user, compound, kind, behalf, channel, kwargs):
    """One filing service, by kind and by who files."""
    if kind == Kind.MICRO_WISH:
        if not behalf:
            kwargs["channel"] = channel
        return services.microwish_file(actor=user, compound=compound, **kwargs)
    if behalf:
        return services.demand_file_on_behalf(actor=user, compound=compound, **kwargs)
    return services.demand_file(actor=user, compound=compound, channel=channel, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def file_demand(request: HttpRequest) -> HttpResponse:
    return _filing(request, kind=Kind.DEMAND, behalf=False)


@login_required
@require_http_methods(["GET", "POST"])
def file_on_behalf(request: HttpRequest) -> HttpResponse:
    return _filing(request, kind=Kind.DEMAND, behalf=True)


@login_required
@require_http_methods(["GET", "POST"])
def file_wish(request: HttpRequest) -> HttpResponse:
    return _filing(request, kind=Kind.MICRO_WISH, behalf=False)


@login_required
@require_http_methods(["GET", "POST"])
def file_wish_on_behalf(request: HttpRequest) -> HttpResponse:
    return _filing(request, kind=Kind.MICRO_WISH, behalf=True)


@login_required
@require_GET
def suggest_category(request: HttpRequest) -> HttpResponse:
    """htmx: the category suggested from the description typed so far."""
    compound = get_compound_for(request.user, _int(request.GET.get("compound")) or 0)
    text = request.GET.get("description", "")[:500]
    suggested = selectors.suggest_category(compound, text) if text.strip() else None
    return render(request, "demands/_suggestion.html", {"suggested": suggested})


@login_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """htmx: residents of the compound by room or phone, for filing on their behalf."""
    compound = get_compound_for(request.user, _int(request.GET.get("compound")) or 0)
    if not web_selectors.may_file_on_behalf_in(request.user, compound):
        raise Http404
    q = request.GET.get("q", "").strip()[:SEARCH_MAX]
    choices = web_selectors.resident_choices(request.user, compound, q)
    return render(
        request, "demands/_resident_choices.html", {"choices": choices, "q": q, "kind": None}
    )


@login_required
@require_GET
def filed(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after filing, with the demand's number."""
    demand = selectors.demand_for(request.user, pk)
    return render(request, "demands/filed.html", {"demand": demand})


# --- lists ----------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的诉求: what I filed and what I follow, newest first."""
    page = Paginator(selectors.demands_of_person(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "demands/mine.html",
        {
            "page": page,
            "now": timezone.now(),
            "can_file": bool(web_selectors.filing_compounds(request.user)),
            "can_file_behalf": bool(web_selectors.behalf_compounds(request.user, limit=1)),
        },
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """承办待办: a handler's open work, the overdue first (longest overdue at the top),
    actions by htmx."""
    now = timezone.now()
    inbox = selectors.inbox_by_urgency(request.user, now)
    page = Paginator(inbox, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [_inbox_item(request.user, d, now) for d in page.object_list]
    return render(request, "demands/inbox.html", {"page": page, "items": items, "now": now})


def _inbox_item(user, demand, now, *, done: str = "", errors=None, action: str = "") -> dict:
    return {
        "demand": demand,
        "actions": permissions.available_actions(user, demand),
        "overdue": demand.is_overdue(now),
        "done": done,
        "errors": errors or [],
        "error_action": action,
        "in_inbox": demand.state in rules.HANDLER_INBOX and permissions.can_handle(user, demand),
    }


def _row_urls(name: str, *args):
    """``pk → URL`` of ``name`` for a page of rows: reversed once, not once per row."""
    marker = 987654321
    pattern = reverse(name, args=[marker, *args])
    return lambda pk: pattern.replace(str(marker), str(pk), 1)


def _csrf_input(request: HttpRequest):
    """What ``{% csrf_token %}`` renders, for HTML made in Python."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def _board_context(request: HttpRequest, query: QueryDict, errors: dict | None = None) -> dict:
    user = request.user
    now = timezone.now()
    compounds = web_selectors.board_compounds(user)
    chosen = _int(query.get("compound"))
    one = [c for c in compounds if c.pk == chosen] or (compounds if len(compounds) == 1 else [])
    form = f.BoardFilterForm(
        query,
        categories=web_selectors.board_categories(compounds),
        buildings=web_selectors.buildings_in(one[0]) if one else [],
        compounds=compounds,
    )
    filters = form.filters()
    qs = selectors.dispatch_board(user, now=now, **filters)
    counts = web_selectors.board_counts(
        user, now, matching=selectors.board_filter_q(now=now, **filters)
    )
    paginator = Paginator(qs, BOARD_PAGE_SIZE)
    paginator.count = counts["matching"]  # counted with the tabs: no COUNT of its own
    page = paginator.get_page(query.get("page"))
    rows = selectors.named_rows(page.object_list, compounds)
    dispatch = web_selectors.dispatch_choices(rows)
    clean_query = {k: v for k, v in query.items() if k != "page" and v}
    url, dispatch_url = _row_urls("demands:detail"), _row_urls("demands:act", "dispatch")
    close_url = _row_urls("demands:act", "close")
    rows = [
        {
            "demand": d,
            "url": url(d.pk),
            "dispatch_url": dispatch_url(d.pk),
            "overdue": d.is_overdue(now),
            "dispatch": dispatch.get(d.pk),
            # 四步走's last step (总结): who may write it, or why it waits here.
            "summarise": d.state == State.FEEDBACK_GIVEN and permissions.can_close(user, d),
        }
        for d in rows
    ]
    encoded = urlencode(clean_query)
    return {
        "form": form,
        "page": page,
        "rows": rows,
        # The rows as HTML made in Python (demands.html): 30 rows through the template
        # language were half of the page's time.
        "rows_html": html.board_rows(
            rows,
            labels=html.BoardLabels.now(),
            csrf_input=_csrf_input(request),
            query=encoded,
            many_compounds=len(compounds) > 1,
            close_url=close_url,
            errors=errors,
        ),  # fmt: skip
        "counts": counts,
        "compounds": compounds,
        "many_compounds": len(compounds) > 1,
        "query": encoded,
        "filters": filters,
        "now": now,
        "State": State,
    }


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """派单台: the dispatcher's demands, filtered from the query string (linkable)."""
    user = request.user
    if not (access.is_superuser(user) or access.paths_for(user, DemandCap.DISPATCH)):
        return _refused(request, _("只有支部书记、网格员或社区工作人员可以使用派单台。"))
    context = _board_context(request, request.GET)
    template = "demands/_board_table.html" if _partial(request) else "demands/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


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
ALIASES = {"handler_body": "handler", "handler_person": "handler"}


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


# --- a compound's settings: categories, routing rules and the escalation chain ----------------


def _managed_compound(request: HttpRequest, pk: int):
    compound = get_compound_for(request.user, pk)
    ensure(
        permissions.can_manage_compound(request.user, compound.path),
        _("只有支部书记或社区工作人员可以修改本小区的诉求设置。"),
    )
    return compound


def _render_settings(
    request,
    compound,
    *,
    rule_form=None,
    chain_form=None,
    category_form=None,
    category_forms=None,
    category_errors=None,
    status=200,
):
    settings = web_selectors.compound_settings(compound)
    category_forms = category_forms or {}
    category_errors = category_errors or {}
    return render(
        request,
        "demands/settings.html",
        {
            "compound": compound,
            "s": settings,
            "chain_labels": [rules.level_label(lv) for lv in settings.chain],
            "rule_form": rule_form or f.RoutingRuleForm(settings=settings),
            "chain_form": chain_form or f.ChainForm(chain=settings.chain),
            "category_rows": [
                _category_row(
                    request.user,
                    compound,
                    c,
                    form=category_forms.get(c.pk),
                    errors=category_errors.get(c.pk),
                )
                for c in web_selectors.settings_categories(compound)
            ],
            "category_form": category_form or f.CategoryForm(),
        },
        status=status,
    )


def _category_row(
    user, compound, category: Category, *, form=None, errors=None, done: str = ""
) -> dict:
    # A district-wide category is shown read-only unless the user may change it (as the
    # service decides: superusers only); the compound's own, to whoever sees this page.
    return {
        "category": category,
        "editable": can_manage(user, compound if category.compound_id else None),
        "form": form or f.CategoryForm(category=category),
        "open": form is not None and bool(form.errors),
        "errors": errors or [],
        "done": done,
    }


@login_required
@require_GET
def settings_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_settings(request, _managed_compound(request, pk))


@login_required
@require_POST
def category_add(request: HttpRequest, pk: int) -> HttpResponse:
    compound = _managed_compound(request, pk)
    form = f.CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_create(actor=request.user, compound=compound,
                                     **form.service_kwargs())  # fmt: skip
        except ValidationError as exc:
            f.add_service_errors(form, exc)
        else:
            messages.success(request, _("诉求类别已添加。"))
            return redirect("demands:settings", pk=compound.pk)
    return _render_settings(request, compound, category_form=form, status=400)


@login_required
@require_POST
def category_edit(request: HttpRequest, pk: int, category_pk: int) -> HttpResponse:
    """Change a category's name, keywords, deadlines or order (see ``_category_change``)."""
    compound = _managed_compound(request, pk)
    category = web_selectors.settings_category(compound, category_pk)
    form = f.CategoryForm(request.POST, category=category)
    return _category_change(
        request, compound, category, form, form.service_kwargs, lambda c: _("诉求类别已保存。")
    )


@login_required
@require_POST
def category_active(request: HttpRequest, pk: int, category_pk: int) -> HttpResponse:
    """停用 / 重新启用: a stopped category is no longer offered when filing; demands already
    filed under it keep it and their deadlines."""
    compound = _managed_compound(request, pk)
    category = web_selectors.settings_category(compound, category_pk)
    form = f.CategoryActiveForm(request.POST)
    return _category_change(
        request,
        compound,
        category,
        form,
        lambda: {"is_active": form.cleaned_data["is_active"]},
        lambda c: (
            _("已重新启用,居民提交诉求时可以选择这个类别。")
            if c.is_active
            else _("已停用,居民提交诉求时不再显示这个类别。")
        ),
    )


def _category_change(request, compound, category, form, changes, done) -> HttpResponse:
    """Save a change of one category. By htmx the answer is its row: saved (200), with the
    bad input beside its field (400), or with the refusal (403); else a redirect or the
    page. A user who may not change it is refused before the input is read (a district-wide
    category is for superusers; the page shows it read-only)."""
    status, refusal = 400, ""
    try:
        ensure_manage(request.user, category.compound)
        if form.is_valid():
            category = services.category_update(actor=request.user, category=category, **changes())
            if _partial(request):
                row = _category_row(request.user, compound, category, done=done(category))
                return render(request, "demands/_category_row.html",
                              {"compound": compound, "row": row})  # fmt: skip
            messages.success(request, done(category))
            return redirect("demands:settings", pk=compound.pk)
    except ValidationError as exc:
        f.add_service_errors(form, exc)
    except PermissionDenied as exc:
        status, refusal = 403, str(exc) or _("您没有权限执行此操作。")
    category = web_selectors.settings_category(
        compound, category.pk
    )  # as stored: nothing was changed
    # Bad input goes back into the edit form, beside its field; a refusal or a bad
    # stop/restart is said above the row's buttons.
    edit_form = form if isinstance(form, f.CategoryForm) and not refusal else None
    if refusal:
        errors = [refusal]
    else:
        errors = [] if edit_form else [m for ms in form.errors.values() for m in ms]
    if _partial(request):
        row = _category_row(request.user, compound, category, form=edit_form, errors=errors)
        return render(request, "demands/_category_row.html", {"compound": compound, "row": row},
                      status=status)  # fmt: skip
    return _render_settings(
        request,
        compound,
        category_forms={category.pk: edit_form} if edit_form else None,
        category_errors={category.pk: errors},
        status=status,
    )


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    compound = _managed_compound(request, pk)
    settings = web_selectors.compound_settings(compound)
    form = f.RoutingRuleForm(request.POST, settings=settings)
    if form.is_valid():
        try:
            services.routing_rule_create(actor=request.user, compound=compound,
                                         **form.service_kwargs())  # fmt: skip
        except ValidationError as exc:
            f.add_service_errors(form, exc, ALIASES)
        else:
            messages.success(request, _("派单规则已添加。"))
            return redirect("demands:settings", pk=compound.pk)
    return _render_settings(request, compound, rule_form=form, status=400)


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    compound = _managed_compound(request, pk)
    rule: RoutingRule = web_selectors.routing_rule_of(compound, rule_pk)
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("派单规则已删除。"))
    return redirect("demands:settings", pk=compound.pk)


@login_required
@require_POST
def chain_set(request: HttpRequest, pk: int) -> HttpResponse:
    compound = _managed_compound(request, pk)
    form = f.ChainForm(request.POST, chain=selectors.chain_for(compound.pk))
    if form.is_valid():
        try:
            services.escalation_chain_set(
                actor=request.user, compound=compound, levels=form.cleaned_data["levels"]
            )
        except ValidationError as exc:
            f.add_service_errors(form, exc)
        else:
            messages.success(request, _("吹哨报到升级链已保存。"))
            return redirect("demands:settings", pk=compound.pk)
    return _render_settings(request, compound, chain_form=form, status=400)


# --- the compound's QR code ---------------------------------------------------------------------


def _filing_url(request: HttpRequest, compound) -> str:
    query = urlencode({"compound": compound.pk, "via": "qr"})
    return request.build_absolute_uri(f"{reverse('demands:new')}?{query}")


def _qr(request: HttpRequest, pk: int):
    compound = get_compound_for(request.user, pk)
    url = _filing_url(request, compound)
    return compound, url, segno.make(url, error="m")


@login_required
@require_GET
def qr_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 poster: the compound's name and a QR code that opens its filing form."""
    compound, url, code = _qr(request, pk)
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr-poster__code",
                          title=_("扫码反映诉求"))  # fmt: skip
    return render(
        request,
        "demands/qr.html",
        {"compound": compound, "url": url, "svg": mark_safe(svg)},  # segno's own markup
    )


@login_required
@require_GET
def qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    compound, _url, code = _qr(request, pk)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=10, border=4, xmldecl=True, title=compound.name)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="compound-{compound.pk}-qr.svg"'
    return response


@login_required
@require_GET
def qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    compound, _url, code = _qr(request, pk)
    out = io.BytesIO()
    code.save(out, kind="png", scale=12, border=4)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="compound-{compound.pk}-qr.png"'
    return response
