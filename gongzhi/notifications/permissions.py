"""Who may see what: a notification is its recipient's alone; the delivery log is staff's."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.notifications.models import Notification


def get_notification_for(user, pk: int) -> Notification:
    """The user's own notification ``pk``, or 404 (someone else's is as good as absent)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(Notification, pk=pk, recipient=user)


def can_view_deliveries(user) -> bool:
    """Staff who read the audit log somewhere see that place's failed deliveries."""
    return access.is_superuser(user) or bool(access.paths_for(user, Cap.VIEW_AUDIT))
