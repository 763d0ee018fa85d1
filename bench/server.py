"""gunicorn for the benchmark: started on a free loopback port, always stopped."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.config import GUNICORN, ROOT


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gunicorn gongzhi.wsgi`` in its own process group, so stopping it stops every worker."""

    def __init__(self, env: dict, workers: int, worker_class: str, log_path: Path):
        self.env = env
        self.workers = workers
        self.worker_class = worker_class
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.base_url = f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [
            str(GUNICORN),
            "gongzhi.wsgi:application",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--bind", f"127.0.0.1:{self.port}",
            "--backlog", "2048",
            "--timeout", "120",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
        ]  # fmt: skip
        if self.worker_class == "gthread":
            command += ["--threads", os.environ.get("BENCH_THREADS", "4")]
        return command

    def start(self, timeout: float = 60.0) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        url = f"{self.base_url}/bench/floor"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with code {self.process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not answer on {url} within {timeout:.0f} s")
        # Every worker loads Django lazily on its first request: touch them all.
        for _ in range(self.workers * 4):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url, timeout=5).read()
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
