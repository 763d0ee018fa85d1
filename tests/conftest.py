import pytest

from tests.cast import build_cast


@pytest.fixture
def cast(db):
    """The shared people and places (tests/cast.py)."""
    return build_cast()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _notifications_inline(monkeypatch):
    """Notifications are worked out in the task worker (notifications.outbox); tests run
    that work in the committing process (tests/notifications/test_outbox.py covers the
    worker path)."""
    from gongzhi.notifications import outbox

    monkeypatch.setattr(outbox, "INLINE", True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (core.ratelimit) live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (zh-hans), whatever a test before
    it activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
