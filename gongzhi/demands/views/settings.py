"""A compound's demand settings (categories, routing rules, the escalation chain) and its
QR code for filing."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.core.access import ensure
from gongzhi.demands import forms as f
from gongzhi.demands import permissions, rules, selectors, services, web_selectors
from gongzhi.demands.models import Category, RoutingRule
from gongzhi.demands.services.config import can_manage, ensure_manage
from gongzhi.demands.views._common import (
    ALIASES,
    _partial,
)
from gongzhi.places.permissions import get_compound_for

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
    return _add(request, compound, form, services.category_create, _("诉求类别已添加。"),
                form_name="category_form")  # fmt: skip


def _add(request, compound, form, create, done: str, *, form_name: str, aliases=None):
    """Create a category or a routing rule from ``form``: back to the settings, or the
    settings with the form's errors (400)."""
    if form.is_valid():
        try:
            create(actor=request.user, compound=compound, **form.service_kwargs())
        except ValidationError as exc:
            f.add_service_errors(form, exc, aliases)
        else:
            messages.success(request, done)
            return redirect("demands:settings", pk=compound.pk)
    return _render_settings(request, compound, status=400, **{form_name: form})


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
    return _add(request, compound, form, services.routing_rule_create, _("派单规则已添加。"),
                form_name="rule_form", aliases=ALIASES)  # fmt: skip


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
