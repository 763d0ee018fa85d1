"""The settings notifications read, with their defaults.

They are read at call time (tests change them with pytest-django's ``settings``), and
through ``getattr`` so the app works before settings.py names them; docs/notifications.md
lists the lines that belong in settings.py.
"""

from __future__ import annotations

from django.conf import settings


def enabled_channels() -> list[str]:
    """NOTIFY_CHANNELS: the channels switched on, e.g. ["inapp", "sms", "wecom"]."""
    return list(getattr(settings, "NOTIFY_CHANNELS", ["inapp"]))


def base_url() -> str:
    """NOTIFY_BASE_URL: the site's address, to make links in SMS, email and WeCom absolute."""
    return getattr(settings, "NOTIFY_BASE_URL", "") or ""


def http_timeout() -> float:
    """NOTIFY_HTTP_TIMEOUT: seconds to wait for a webhook to answer."""
    return float(getattr(settings, "NOTIFY_HTTP_TIMEOUT", 10))


def wecom_webhook_url() -> str:
    """WECOM_WEBHOOK_URL: the group bot used where no place has one of its own."""
    return getattr(settings, "WECOM_WEBHOOK_URL", "") or ""


def _q_cluster() -> dict:
    return getattr(settings, "Q_CLUSTER", {}) or {}


def q_sync() -> bool:
    """Run tasks in the calling process (Q_CLUSTER["sync"]), read now rather than when
    django_q was imported, so a test or a command can switch it."""
    return bool(_q_cluster().get("sync", False))


def max_attempts() -> int:
    """How often one delivery is tried: django-q's max_attempts (0 there means forever;
    a delivery still gives up after 3)."""
    return int(_q_cluster().get("max_attempts") or 3)


def task_budget_seconds() -> float:
    """How long one delivery task may send before it hands the rest to a new task: half
    the worker's timeout, so a big batch is never killed half-way and resent."""
    return float(_q_cluster().get("timeout") or 60) / 2


def stale_after_seconds() -> int:
    """A delivery left pending this long lost its task (worker down, enqueue failed):
    longer than a task may run, so the sweep never races a running task."""
    cluster = _q_cluster()
    return int(max(cluster.get("retry") or 0, cluster.get("timeout") or 0, 60) * 2)
