"""Production settings are safe by default: check --deploy passes and DEBUG is off."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by settings_test (or a developer's shell): none may reach the production run.
OURS = {
    "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "SECURE", "SECURE_HSTS_SECONDS",
    "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CSRF_TRUSTED_ORIGINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests while Playwright runs
}  # fmt: skip


def production_env(**extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(
        DJANGO_SETTINGS_MODULE="gongzhi.settings",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="gongzhi.example.cn",
        PYTHONIOENCODING="utf-8",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_check_deploy_passes_with_no_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS:" not in output and "ERRORS:" not in output
    assert "security.W" not in output


def test_a_server_command_without_secret_key_refuses_to_start():
    env = production_env()
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_the_keyless_recount_leaves_the_key_empty_so_nothing_can_be_signed():
    env = production_env(GONGZHI_KEYLESS_COMMAND="tally")
    del env["SECRET_KEY"]
    script = "import django; django.setup(); from django.core import signing; signing.dumps(1)"
    result = run(["-c", script], env)
    assert result.returncode != 0 and "SECRET_KEY setting must not be empty" in result.stderr


def test_debug_defaults_to_off():
    script = "from django.conf import settings; print(settings.DEBUG)"
    result = run(["-c", script], production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_defaults_are_secure():
    script = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.DATABASES['default']['ENGINE'])"
    )
    result = run(["-c", script], production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 4 + ["django.db.backends.sqlite3"]


def _database_options(**extra: str) -> dict:
    code = "import django, json; django.setup(); from django.conf import settings; " \
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"  # fmt: skip
    result = run(["-c", code], production_env(**extra))
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_prepares_statements_unless_told_not_to():
    url = "postgres://gongzhi@127.0.0.1:5432/gongzhi"
    on = _database_options(DATABASE_URL=url)
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 5
    off = _database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    sqlite = _database_options()  # SQLite has no such thing
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


def test_sqlite_lets_the_server_and_the_task_worker_write_one_file():
    options = _database_options()
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
