"""gongzhi.env: typed settings from the environment, failing loudly on what they cannot read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongzhi.env import env_bool, env_int, env_list, env_required, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["true", "True", " TRUE ", "1", "yes", "on"])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("GZ_FLAG", raw)
    assert env_bool("GZ_FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["false", "False", "0", "no", "off"])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("GZ_FLAG", raw)
    assert env_bool("GZ_FLAG", default=True) is False


@pytest.mark.parametrize("raw", ["maybe", "ture", "2", "y"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("GZ_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="GZ_FLAG"):
        env_bool("GZ_FLAG", default=False)


@pytest.mark.parametrize("raw", [None, ""])
def test_env_bool_unset_or_empty_is_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("GZ_FLAG", raising=False)
    else:
        monkeypatch.setenv("GZ_FLAG", raw)
    assert env_bool("GZ_FLAG", default=True) is True
    assert env_bool("GZ_FLAG", default=False) is False


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv("GZ_NUMBER", "42")
    assert env_int("GZ_NUMBER", 7, minimum=1) == 42


def test_env_int_unset_is_the_default(monkeypatch):
    monkeypatch.delenv("GZ_NUMBER", raising=False)
    assert env_int("GZ_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["abc", "4.5", "1e3"])
def test_env_int_refuses_a_non_integer(monkeypatch, raw):
    monkeypatch.setenv("GZ_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("GZ_NUMBER", 7)


def test_env_int_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv("GZ_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 1"):
        env_int("GZ_NUMBER", 7, minimum=1)


def test_env_int_accepts_the_minimum_itself(monkeypatch):
    monkeypatch.setenv("GZ_NUMBER", "1")
    assert env_int("GZ_NUMBER", 7, minimum=1) == 1


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("GZ_HOSTS", " a.cn, b.cn ,,")
    assert env_list("GZ_HOSTS", ["x"]) == ["a.cn", "b.cn"]
    monkeypatch.delenv("GZ_HOSTS")
    assert env_list("GZ_HOSTS", ["x"]) == ["x"]


def test_secret_is_read_from_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("GZ_SECRET", "from-the-environment")
    monkeypatch.setenv("GZ_SECRET_FILE", str(secret))
    assert env_str("GZ_SECRET") == "from-the-file"
    assert env_required("GZ_SECRET") == "from-the-file"


def test_unreadable_name_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GZ_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="GZ_SECRET_FILE"):
        env_str("GZ_SECRET")


@pytest.mark.parametrize("raw", [None, ""])
def test_missing_required_value_raises(monkeypatch, raw):
    monkeypatch.delenv("GZ_SECRET_FILE", raising=False)
    if raw is None:
        monkeypatch.delenv("GZ_SECRET", raising=False)
    else:
        monkeypatch.setenv("GZ_SECRET", raw)
    with pytest.raises(ImproperlyConfigured, match="GZ_SECRET must be set"):
        env_required("GZ_SECRET")


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import gongzhi.settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if not _is_ours(k)}
    clean.update(DJANGO_SETTINGS_MODULE="gongzhi.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import gongzhi.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def _is_ours(name: str) -> bool:
    return name in {
        "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "SECURE", "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
    }  # fmt: skip


def test_missing_secret_key_without_debug_refuses_to_start():
    result = _import_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_secret_key_from_file_lets_production_start(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("k" * 60, encoding="utf-8")
    result = _import_settings(SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="gongzhi.example.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_typo_in_debug_refuses_to_start():
    result = _import_settings(DEBUG="maybe", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr
