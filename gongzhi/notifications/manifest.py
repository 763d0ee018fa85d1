"""What the notifications app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def _unread(user) -> int:
    from gongzhi.notifications.selectors import unread_count

    return unread_count(user=user)


def register() -> None:
    registry.add_nav_item(
        "notifications", _("消息"), "notifications:list", icon="bell",
        visible=lambda user: True, namespace="notifications", badge=_unread, order=30,
    )  # fmt: skip
    registry.add_audit_actions("notifications", {"notifications.preferences": _("修改通知偏好")})
