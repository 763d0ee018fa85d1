"""Rate limits, counted in Django's cache: no database query is added to what they guard.

Four accounts filed 1,626 demands in 20 seconds, and SMS codes could be asked for any
number of phones from one address (issue 8). A limit is a rate from settings,
``(count, seconds)`` or None for none (gongzhi.env.env_rate reads "10/h"), and counts one
kind of action by one key (an account, a client address) in fixed windows: the key
``rl:<scope>:<key>:<seconds>:<window number>`` lives for one window.

``take`` counts an action against every limit that applies and raises ``RateLimited``
past any of them (a refused action counts against none); ``give_back`` returns the counts
of an action that did not happen (a filing refused for bad input). With ``CACHE_URL=redis://…`` every worker shares the
counters; with the default local memory each process counts on its own (one process in
the demo and the tests; N workers would allow up to N times the rate).

If the cache cannot be reached the action is allowed and the failure logged: a limit
must not take the platform down with it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.exceptions import Throttled

log = logging.getLogger(__name__)

CACHE = "default"


class RateLimited(Throttled):
    """Too many of one action. A DRF ``Throttled``: the API answers 429 with Retry-After
    through DRF's own handler; a page shows ``message`` (and answers 429 itself)."""

    def __init__(self, message: str, wait: int):
        # Not Throttled.__init__: it would append its own "expected available in" sentence.
        exceptions.APIException.__init__(self, detail=message, code=self.default_code)
        self.message, self.wait = message, wait


@dataclass(frozen=True)
class Limit:
    """One rate on one key. ``message`` is a sentence with ``%(wait)s`` (how long to wait)
    and may use ``%(count)s`` and ``%(period)s``."""

    scope: str
    key: str
    rate: tuple[int, int] | None
    message: str


def _days(n: int) -> str:
    return ngettext("%(n)d 天", "%(n)d 天", n) % {"n": n}


def _hours(n: int) -> str:
    return ngettext("%(n)d 小时", "%(n)d 小时", n) % {"n": n}


def _minutes(n: int) -> str:
    return ngettext("%(n)d 分钟", "%(n)d 分钟", n) % {"n": n}


def _seconds(n: int) -> str:
    return ngettext("%(n)d 秒", "%(n)d 秒", n) % {"n": n}


def duration(seconds: int) -> str:
    """A wait or a period as people say it: 45 秒, 12 分钟, 2 小时, 1 天 (rounded up); in
    English "1 minute", "2 minutes" (ngettext: each unit with the count it is said with)."""
    for unit, word in ((86_400, _days), (3_600, _hours), (60, _minutes)):
        if seconds >= unit:
            return word(-(-seconds // unit))
    return _seconds(max(1, seconds))


def _redis_client(cache: RedisCache):
    """The cache's Redis client, built once: Django builds one per call (get_client), and
    building a redis-py 8 client takes 0.27 ms, more than the round trip itself."""
    backend = cache._cache
    client = getattr(backend, "_gongzhi_client", None)
    if client is None:
        client = backend._gongzhi_client = backend.get_client(None, write=True)
    return client


def _count(items: list[tuple[str, int]]) -> list[int]:
    """Add one to each counter (creating it to expire after its timeout); the new counts.
    On Redis one round trip for all of them (INCR and EXPIRE, pipelined): the cache API
    would take two per counter (EXISTS, INCR)."""
    cache = caches[CACHE]
    if isinstance(cache, RedisCache):
        pipe = _redis_client(cache).pipeline(transaction=False)
        for key, timeout in items:
            stored = cache.make_and_validate_key(key)
            pipe.incr(stored)
            pipe.expire(stored, timeout)  # the key names its window: a later expiry is harmless
        return pipe.execute()[::2]
    counts = []
    for key, timeout in items:
        try:
            counts.append(cache.incr(key))
        except ValueError:  # no counter yet in this window
            counts.append(1 if cache.add(key, 1, timeout) else cache.incr(key))
    return counts


def take(*limits: Limit, now: float | None = None) -> list[str]:
    """Count one action against each limit; the keys counted. RateLimited past any."""
    now = time.time() if now is None else now
    counted = []
    for limit in limits:
        if not limit.rate or not limit.key:
            continue
        seconds = limit.rate[1]
        window = int(now // seconds)
        counted.append((limit, window, f"rl:{limit.scope}:{limit.key}:{seconds}:{window}"))
    if not counted:
        return []
    try:
        used = _count([(key, limit.rate[1] + 1) for limit, _window, key in counted])
    except Exception as exc:  # the cache is down: allow, and say so (one line)
        log.warning("rate limits not counted: cache unavailable (%r)", exc)
        return []
    taken = [key for _limit, _window, key in counted]
    for (limit, window, _key), count in zip(counted, used, strict=True):
        allowed, seconds = limit.rate
        if count > allowed:
            give_back(taken)  # a refused action counts against no limit
            wait = max(1, int((window + 1) * seconds - now))
            values = {"wait": duration(wait), "count": allowed, "period": duration(seconds)}
            raise RateLimited(limit.message % values, wait)
    return taken


def give_back(keys: list[str]) -> None:
    """Uncount an action that did not happen (its counters, if still in their window)."""
    cache = caches[CACHE]
    for key in keys:
        # Expired meanwhile, or the cache is down: nothing to give back.
        with contextlib.suppress(Exception):
            cache.decr(key)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
    address the outermost trusted proxy saw (X-Forwarded-For, counted from the right; the
    left part is whatever the client wrote). An IPv6 address stands for its /64, the
    block one subscriber gets."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
