"""Template helpers of the whole site: the navigation (every app's items, from
core.registry), compound links, areas. ``{% load gongzhi_tags %}``.

The navigation is an inclusion tag rather than a context processor, so base.html
needs no entry in settings.TEMPLATES.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.template.loader import render_to_string

from gongzhi.core import access, registry

register = template.Library()


@register.filter
def area(value) -> str:
    """Square metres with two decimals and grouped digits: ``55,012.40``. (Django's zh-hans
    number format does not group digits, which makes 46297.32 hard to read at a glance.)"""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number:,.2f}"


def _nav_items(request) -> list[dict]:
    """Every app's navigation items (core.registry) for the signed-in user."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    here = (match.namespace, match.url_name) if match else ("", "")
    return registry.nav_items(user, here)


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


@register.simple_tag(takes_context=True)
def compound_links(context, compound) -> list:
    """Every app's links for ``compound`` that the signed-in user may follow there:
    ``{% compound_links compound as links %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return registry.compound_links(compound, access.capabilities_at(user, compound.path))
