"""The kinds of notification, registered by the apps that send them.

An app registers its kinds in ``AppConfig.ready`` so the preferences page can offer them::

    from gongzhi.notifications.kinds import register_kind
    register_kind("demand.dispatched", _("诉求派单"))

``notify`` accepts an unregistered kind too; an account's choice for "other kinds"
then applies to it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_kinds: dict[str, object] = {}


def register_kind(code: str, label) -> None:
    if not code or len(code) > 64:
        raise ValueError(f"notification kind {code!r} must be 1 to 64 characters")
    _kinds[code] = label


def kind_label(code: str) -> str:
    return str(_kinds.get(code, code))


def registered_kinds() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in _kinds.items()]


register_kind("system", _("系统通知"))
