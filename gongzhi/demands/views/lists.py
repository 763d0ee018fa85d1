"""The lists of demands: my demands, the handler's inbox and the dispatch board."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.demands import forms as f
from gongzhi.demands import html, permissions, rules, selectors, web_selectors
from gongzhi.demands.rules import State
from gongzhi.demands.views._common import (
    BOARD_PAGE_SIZE,
    PAGE_SIZE,
    _int,
    _partial,
    _refused,
)

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
    if not permissions.may_dispatch_somewhere(user):
        return _refused(request, _("只有支部书记、网格员或社区工作人员可以使用派单台。"))
    context = _board_context(request, request.GET)
    template = "demands/_board_table.html" if _partial(request) else "demands/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
