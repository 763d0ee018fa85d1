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
def _demand_notifications_inline(monkeypatch):
    """Demand notifications are worked out in the task worker; tests run that work in the
    committing process (tests/demands/test_notify_worker.py covers the worker path)."""
    from gongzhi.demands import notify

    monkeypatch.setattr(notify, "IN_WORKER", False)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (zh-hans), whatever a test before
    it activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
