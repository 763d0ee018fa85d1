"""Typed reading of settings from environment variables.

Every helper fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a
deployment is a start-up error, not a silently wrong setting. Secrets may also come from
a file named by ``NAME_FILE`` (Docker/Kubernetes secrets), as in healthchecks.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """A rate limit, "N/period": "10/h", "100/d", "5/30m" (period s, m, h or d, with an
    optional count of them); "off" for none. As (count, seconds), or None."""
    raw = (os.environ.get(name) or default).strip().lower()
    if raw == "off":
        return None
    count, _slash, period = raw.partition("/")
    unit = period[-1:]
    amount = period[:-1] or "1"
    digits = (count + amount).isascii() and count.isdigit() and amount.isdigit()
    if not (digits and unit in _PERIODS and int(count) > 0):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; write e.g. 10/h, 100/d, 5/30m, or off."
        )
    return int(count), int(amount) * _PERIODS[unit]


def env_cache(name: str, default: str) -> dict:
    """The default cache from a URL: redis://host:6379/0 (or rediss://, unix://) for
    Django's RedisCache, locmem:// for memory local to each process, dummy:// for none."""
    url = (env_str(name) or default).strip()
    scheme = url.partition("://")[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.partition("://")[2] or "gongzhi",
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"{name}={url!r}: use redis://host:port/db, rediss://…, unix://…, locmem:// or dummy://."
    )
