import pytest

from gongzhi.audit import sealing
from tests.cast import build_cast


@pytest.fixture(scope="session", autouse=True)
def _flush_past_seals():
    """A transactional test ends with a flush (TRUNCATE of every table), which the sealed
    tables refuse on PostgreSQL; lift the seals for that flush only (audit/sealing.py)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, *args, **kwargs):
        return sealing.wipe_statements(original(self, *args, **kwargs))

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


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
