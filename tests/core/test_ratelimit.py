"""core.ratelimit: fixed windows in the cache, the client address, and the settings that
name the rates and the cache (gongzhi.env)."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation

from gongzhi import env
from gongzhi.core import ratelimit
from gongzhi.core.ratelimit import Limit, RateLimited

T = 1_000_000 * 3600.0  # the start of an hour


def limit(rate=(3, 3600), key="7") -> Limit:
    return Limit("test", key, rate, "请 %(wait)s 后再试(每 %(period)s %(count)s 次)。")


def test_the_nth_is_allowed_and_the_next_refused_until_the_window_ends():
    for _ in range(3):
        ratelimit.take(limit(), now=T + 10)
    with pytest.raises(RateLimited) as refused:
        ratelimit.take(limit(), now=T + 10)
    assert refused.value.wait == 3590
    assert refused.value.message == "请 60 分钟 后再试(每 1 小时 3 次)。"
    assert refused.value.status_code == 429
    ratelimit.take(limit(), now=T + 3600)  # a new window


def test_a_refused_action_counts_against_no_limit():
    other = Limit("other", "7", (10, 3600), "%(wait)s")
    for _ in range(3):
        ratelimit.take(other, limit(), now=T)
    for _ in range(5):
        with pytest.raises(RateLimited):
            ratelimit.take(other, limit(), now=T)
    for _ in range(7):
        ratelimit.take(other, now=T)
    with pytest.raises(RateLimited):
        ratelimit.take(other, now=T)


def test_keys_and_scopes_count_apart():
    for _ in range(3):
        ratelimit.take(limit(key="1"), now=T)
    ratelimit.take(limit(key="2"), now=T)
    ratelimit.take(Limit("other", "1", (3, 3600), "%(wait)s"), now=T)


def test_given_back_counts_do_not_count():
    for _ in range(5):
        ratelimit.give_back(ratelimit.take(limit(), now=T))
    for _ in range(3):
        ratelimit.take(limit(), now=T)


def test_no_rate_or_no_key_counts_nothing():
    for _ in range(10):
        assert ratelimit.take(limit(rate=None), limit(key=""), now=T) == []


def test_a_cache_that_is_down_lets_the_action_through(monkeypatch, caplog):
    def broken(items):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(ratelimit, "_count", broken)
    for _ in range(5):
        ratelimit.take(limit(), now=T)
    assert "cache unavailable" in caplog.text


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 秒"), (59, "59 秒"), (60, "1 分钟"), (61, "2 分钟"), (3600, "1 小时"),
     (86_400, "1 天")],
)  # fmt: skip
def test_duration_is_worded_rounded_up(seconds, words):
    assert ratelimit.duration(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"),
     (3600, "1 hour"), (7200, "2 hours"), (86_400, "1 day"), (86_401, "2 days")],
)  # fmt: skip
def test_english_says_one_minute_and_two_minutes(seconds, words):
    with translation.override("en"):
        assert ratelimit.duration(seconds) == words


@pytest.mark.parametrize(
    ("meta", "proxies", "address"),
    [
        ({"REMOTE_ADDR": "203.0.113.7"}, 0, "203.0.113.7"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}, 0,
         "10.0.0.1"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}, 1,
         "203.0.113.7"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 10.0.0.2"}, 2,
         "198.51.100.9"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": ""}, 1, "10.0.0.1"),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, 0, "2001:db8:1:2::/64"),
        ({"REMOTE_ADDR": "::ffff:203.0.113.7"}, 0, "203.0.113.7"),
    ],
)  # fmt: skip
def test_client_address(settings, meta, proxies, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)
    assert ratelimit.client_address(request) == address


@pytest.mark.parametrize(
    ("raw", "rate"),
    [("10/h", (10, 3600)), ("5/30m", (5, 1800)), ("100/d", (100, 86_400)), ("3/s", (3, 1)),
     ("off", None), (" 10/H ", (10, 3600))],
)  # fmt: skip
def test_env_rate(monkeypatch, raw, rate):
    monkeypatch.setenv("RATE_X", raw)
    assert env.env_rate("RATE_X", "1/h") == rate


@pytest.mark.parametrize(
    "raw", ["10", "10/hour", "0/h", "-1/h", "x/h", "10/0.5h", "²/h", "10/²h", "١٠/h"]
)
def test_env_rate_refuses_what_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("RATE_X", raw)
    with pytest.raises(ImproperlyConfigured):
        env.env_rate("RATE_X", "1/h")


def test_env_cache(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert env.env_cache("CACHE_URL", "locmem://")["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/2")
    assert env.env_cache("CACHE_URL", "locmem://") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
    }
    monkeypatch.setenv("CACHE_URL", "memcached://x")
    with pytest.raises(ImproperlyConfigured):
        env.env_cache("CACHE_URL", "locmem://")


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_the_same_limits_hold_on_redis(settings, monkeypatch):
    """Production's backend (Django's RedisCache): counters shared by every process."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "redis-test": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "gongzhi-test",
        },
    }
    monkeypatch.setattr(ratelimit, "CACHE", "redis-test")
    cache = caches["redis-test"]
    cache.clear()
    try:
        for _ in range(3):
            ratelimit.take(limit(), now=T)
        with pytest.raises(RateLimited):
            ratelimit.take(limit(), now=T)
        keys = ratelimit.take(limit(key="8"), now=T)
        ratelimit.give_back(keys)
        assert cache.get(keys[0]) == 0
        ttl = cache._cache.get_client().ttl(cache.make_key(keys[0]))  # expires with its window
        assert 0 < ttl <= 3601
    finally:
        cache.clear()
