"""Pure rules of notifications: which channels apply, preferences, message text, errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gongzhi.people.rules import mask_phone

INAPP = "inapp"  # always on; every other channel name is an external channel

# 企业微信群机器人: a markdown message holds at most 4096 bytes of UTF-8.
WECOM_MARKDOWN_MAX_BYTES = 4096
# WeCom answers HTTP 200 with an errcode; these mean "this webhook is wrong", so a retry
# cannot help. Anything else (45009 rate limit, -1 busy, ...) is retried.
WECOM_PERMANENT_ERRCODES = frozenset({93000})  # invalid webhook url
SMS_MAX_CHARS = 300
ERROR_MAX_CHARS = 1000
WEBHOOK_GLOBAL = "global"


def effective_channels(
    requested: Iterable[str] | None, *, enabled: Iterable[str], broadcast: Iterable[str]
) -> list[str]:
    """The external channels one notification goes out on.

    ``enabled`` is the deployment's switch (NOTIFY_CHANNELS). Without an explicit request a
    notification goes out on every enabled channel that reaches its recipients in person;
    a ``broadcast`` channel (a group bot, seen by a whole group) only when asked for by
    name, so a resident's private notice never lands in a group chat by default.
    """
    switched_on = [c for c in dict.fromkeys(enabled) if c != INAPP]
    if requested is None:
        silent = set(broadcast)
        return [c for c in switched_on if c not in silent]
    wanted = set(requested)
    return [c for c in switched_on if c in wanted]


def wants(channel: str, kind: str, preferences: Mapping[tuple[str, str], bool]) -> bool:
    """An account's choice for ``kind`` on ``channel``: its row for the kind, else for
    any kind (""), else yes."""
    if (kind, channel) in preferences:
        return preferences[(kind, channel)]
    return preferences.get(("", channel), True)


def is_safe_link(url: str) -> bool:
    """A notification links to a path of this site or to an http(s) page, nothing else."""
    if not url:
        return True
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url
    return url.startswith(("https://", "http://"))


def absolute_link(url: str, base_url: str) -> str:
    """``/demands/3/`` under ``https://gz.example.cn`` → ``https://gz.example.cn/demands/3/``."""
    if not url or not url.startswith("/"):
        return url
    if not base_url:
        return url
    return base_url.rstrip("/") + url


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut ``text`` so its UTF-8 form fits in ``max_bytes`` (a CJK character is 3 bytes)."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    ellipsis = "…".encode()
    return data[: max_bytes - len(ellipsis)].decode("utf-8", errors="ignore") + "…"


def sms_text(title: str, body: str, link: str, *, limit: int = SMS_MAX_CHARS) -> str:
    """One SMS: the title, the body, then the link (the link is never cut)."""
    text = f"{title}：{body}" if body else title
    if link:
        room = max(limit - len(link) - 1, 20)
        return f"{truncate(text, room)} {link}"
    return truncate(text, limit)


def wecom_markdown(title: str, body: str, link: str, *, link_label: str) -> str:
    """The ``markdown.content`` of a WeCom group-bot message."""
    parts = [f"**{title}**"]
    if body:
        parts.append(body)
    tail = f"\n[{link_label}]({link})" if link else ""
    head = truncate_utf8("\n".join(parts), WECOM_MARKDOWN_MAX_BYTES - len(tail.encode("utf-8")))
    return head + tail


def wecom_outcome(status_code: int, payload: object) -> tuple[bool, bool, str]:
    """(ok, retry, error) for a WeCom webhook's answer."""
    if status_code >= 500 or status_code == 429:
        return False, True, f"HTTP {status_code}"
    if status_code >= 400:
        return False, False, f"HTTP {status_code}"
    if not isinstance(payload, dict):
        return False, True, f"HTTP {status_code}: 应答不是 JSON"
    errcode = payload.get("errcode", 0)
    if errcode in (0, None):
        return True, False, ""
    error = f"errcode {errcode}: {payload.get('errmsg', '')}"
    return False, errcode not in WECOM_PERMANENT_ERRCODES, error


def error_text(error: object) -> str:
    text = str(error) or type(error).__name__
    return truncate(text, ERROR_MAX_CHARS)


def webhook_address(pk: int | None) -> str:
    """The target of a WeCom delivery: the WebhookTarget row, or the global setting.

    The webhook URL itself holds a secret key, so deliveries store only this reference.
    """
    return f"wecom:{pk if pk is not None else WEBHOOK_GLOBAL}"


def mask_target(target: str) -> str:
    """A delivery target as staff see it: phones and mailboxes masked."""
    if target.startswith("wecom:"):
        return target
    if "@" in target:
        name, _, domain = target.partition("@")
        return f"{name[:1]}***@{domain}"
    if target.isascii() and target.isdigit():
        return mask_phone(target)
    return target
