"""The kinds of notification, registered by the apps that send them.

An app registers its kinds in ``AppConfig.ready`` so the preferences page can offer them::

    from gongzhi.notifications.kinds import register_kind
    register_kind("demand.dispatched", _("诉求派单"), words=demand_words)

``words(params)`` returns ``(title, body)`` in the active language. A notification sent
with ``params`` keeps that code and those values and is worded when it is read, in the
reader's language (as demands' system notes on a timeline are); its ``title`` and ``body``
columns hold the simplified-Chinese text of the moment, for exports and the admin.

``notify`` accepts an unregistered kind too; an account's choice for "other kinds"
then applies to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("gongzhi.notifications")

Words = Callable[[Mapping], tuple[str, str]]

_kinds: dict[str, object] = {}
_words: dict[str, Words] = {}


def register_kind(code: str, label, *, words: Words | None = None) -> None:
    if not code or len(code) > 64:
        raise ValueError(f"notification kind {code!r} must be 1 to 64 characters")
    _kinds[code] = label
    if words is not None:
        _words[code] = words


def kind_label(code: str) -> str:
    return str(_kinds.get(code, code))


def registered_kinds() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in _kinds.items()]


def has_words(code: str) -> bool:
    return code in _words


def word(code: str, params: Mapping | None) -> tuple[str, str] | None:
    """``(title, body)`` of a notification of kind ``code`` with ``params``, in the active
    language; None when the kind has no wording or the values do not fit it (an older
    notification then shows the text it was stored with)."""
    words = _words.get(code)
    if words is None or not isinstance(params, Mapping):
        return None
    try:
        title, body = words(params)
    except (KeyError, TypeError, ValueError):
        logger.warning("notification %s: params %r do not fit its wording", code, params)
        return None
    return str(title), str(body)


def word_stored(code: str, params: Mapping | None) -> tuple[str, str] | None:
    """The wording in simplified Chinese, for the stored ``title`` and ``body`` columns."""
    with translation.override("zh-hans"):
        return word(code, params)


register_kind("system", _("系统通知"))
