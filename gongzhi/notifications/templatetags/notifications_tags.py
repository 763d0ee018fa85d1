"""Template tags: the unread count for the layout's badge, a kind's label."""

from __future__ import annotations

from django import template

from gongzhi.notifications import selectors
from gongzhi.notifications.channels import get_channel
from gongzhi.notifications.kinds import kind_label

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """``{% unread_notification_count as unread %}``: needs only ``request`` in the context."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user=user) if user is not None else 0


@register.filter
def notification_kind_label(code: str) -> str:
    return kind_label(code)


@register.filter
def notification_channel_label(name: str) -> str:
    channel = get_channel(name)
    return str(channel.label) if channel else name
