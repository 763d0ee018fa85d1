"""Reads on notifications: a user's own list and unread count, staff's delivery log."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import QuerySet

from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.notifications.models import Delivery, Notification, NotificationPreference


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


# The navigation shows the unread count on every page, so it is kept in the cache (shared
# by every worker with Redis in production) and dropped by every write that changes it
# (``forget_unread``: new notifications, marking read, and any save or delete of one).
# A cache local to each process (the demo's server beside its task worker) cannot hear
# the other process's writes: the count then catches up within UNREAD_SECONDS.
UNREAD_SECONDS = 60


def _unread_key(account_id) -> str:
    return f"notifications:unread:{account_id}"


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread: from the cache, else one COUNT on
    a partial index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(account_ids: Iterable[int]) -> None:
    """Drop the cached unread counts of these accounts. (A page read between the write
    and its commit may keep the count of before, for UNREAD_SECONDS at most.)"""
    keys = [_unread_key(pk) for pk in set(account_ids)]
    if keys:
        cache.delete_many(keys)


def preferences_of(*, user) -> tuple[dict[tuple[str, str], bool], str]:
    """The user's recorded choices ``{(kind, channel): wants}`` and notification email."""
    choices = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(
            account=user
        ).values_list("kind", "channel", "enabled")
    }
    contact = getattr(user, "notification_contact", None)
    return choices, (contact.email if contact else "")


def deliveries_for(*, user, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries of batches about the places where ``user`` may read the audit log."""
    qs = Delivery.objects.filter(access.scope_q(user, Cap.VIEW_AUDIT, "batch__place_path"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("batch").order_by("-updated_at", "-id")
