import pytest

from tests.cast import build_cast


@pytest.fixture
def cast(db):
    """The shared people and places (tests/cast.py)."""
    return build_cast()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
