"""`make demo` (scripts/demo.sh) on a fresh SQLite file: the server answers, the task
worker runs the notifications and the automatic escalation by itself, the log has no
"database is locked", and Ctrl-C stops both.

It runs the real script in a subprocess (about a minute), once: on the SQLite pass of the
suite (the demo is SQLite by definition).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the demo runs on SQLite; one run is enough"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def query(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def group_alive(pgid: int) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if line.split(None, 1)[0] == str(pgid)]


def test_make_demo_starts_server_and_worker_and_ctrl_c_stops_both(tmp_path):
    db = tmp_path / "demo.sqlite3"
    log = tmp_path / "demo.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(PYTHON=sys.executable, DATABASE_URL=f"sqlite:///{db}", DEMO_ADDR=f"127.0.0.1:{port}")
    with log.open("wb") as out:
        demo = subprocess.Popen(
            ["sh", "scripts/demo.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )  # fmt: skip
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/"), 240, "the server")
        assert any("qcluster" in line for line in group_alive(demo.pid))
        # The worker sends the demo's queued notifications and runs the escalation job.
        wait_for(
            lambda: query(db, "SELECT count(*) FROM django_q_task WHERE success = 1"),
            120,
            "a task done by the worker",
        )
        wait_for(
            lambda: query(
                db,
                "SELECT count(*) FROM django_q_task WHERE success = 1"
                " AND func = 'gongzhi.demands.jobs.escalate_overdue_job'",
            ),
            120,
            "the automatic escalation",
        )
    finally:
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
        try:
            demo.wait(timeout=40)
        finally:
            wait_for(lambda: not group_alive(demo.pid), 20, "every demo process to stop")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "database is locked" not in text
    assert "task worker started" in text
