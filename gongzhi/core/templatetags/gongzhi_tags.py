"""Template helpers of the whole site: links that may not exist yet, the navigation,
masked contacts and areas. ``{% load gongzhi_tags %}``.

The navigation is an inclusion tag rather than a context processor, so base.html
needs no entry in settings.TEMPLATES.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongzhi.core import access
from gongzhi.core.capabilities import Cap

register = template.Library()


@register.simple_tag
def maybe_url(name: str, *args) -> str:
    """Like ``{% url %}``, but "" when the URL is not (yet) defined: links to other
    apps' pages appear once those pages exist. ``{% maybe_url "audit:list" as href %}``."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def area(value) -> str:
    """Square metres with two decimals and grouped digits: ``55,012.40``. (Django's zh-hans
    number format does not group digits, which makes 46297.32 hard to read at a glance.)"""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number:,.2f}"


def _may_view_audit(user) -> bool:
    if apps.is_installed("gongzhi.audit"):
        from gongzhi.audit.permissions import may_view_audit

        return may_view_audit(user)
    return access.is_superuser(user) or bool(access.paths_for(user, Cap.VIEW_AUDIT))


def _unread_count(user) -> int:
    if not apps.is_installed("gongzhi.notifications"):
        return 0
    from gongzhi.notifications.selectors import unread_count

    return unread_count(user=user)


def _nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    here = (match.namespace, match.url_name) if match else ("", "")

    def item(label, href, icon, active=False, badge=0):
        return {"label": label, "href": href, "icon": icon, "active": active, "badge": badge}

    items = [item(_("首页"), reverse("core:home"), "home", here == ("core", "home"))]
    if access.is_superuser(user) or access.grants_for(user):
        items.append(
            item(_("小区"), maybe_url("places:compound_list"), "compound", here[0] == "places")
        )
    if access.grants_for(user) or access.is_superuser(user):
        items.append(item(_("诉求"), maybe_url("demands:index"), "demand", here[0] == "demands"))
    notifications = maybe_url("notifications:list")
    if notifications:
        items.append(
            item(
                _("消息"),
                notifications,
                "bell",
                here[0] == "notifications",
                _unread_count(user),
            )
        )
    if _may_view_audit(user):
        items.append(item(_("审计日志"), maybe_url("audit:event_list"), "log", here[0] == "audit"))
    if access.is_superuser(user):
        items.append(item(_("管理后台"), reverse("admin:index"), "admin"))
    return [i for i in items if i["href"]]


@register.simple_tag(takes_context=True)
def site_nav(context) -> str:
    """The navigation for the signed-in user ("" for visitors):
    ``{% site_nav as nav %}{% if nav %}...{{ nav }}``."""
    items = _nav_items(context.get("request"))
    return render_to_string("_nav.html", {"items": items}) if items else ""


# Language autonyms, short enough for a phone's header; the full name is the button's title.
_SHORT_LANGUAGE_NAMES = {"zh-hans": "简", "zh-hant": "繁", "en": "EN"}


@register.filter
def language_short(code: str) -> str:
    return _SHORT_LANGUAGE_NAMES.get(code, code)


@register.filter
def minutes(value) -> int | str:
    """A timedelta (or hours as a number) in whole minutes, for "locked for 30 minutes"."""
    if hasattr(value, "total_seconds"):
        return round(value.total_seconds() / 60)
    try:
        return round(float(value) * 60)
    except (TypeError, ValueError):
        return ""
