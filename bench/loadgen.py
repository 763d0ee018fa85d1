"""Load generation: wrk with bench/wrk/rotate.lua, or a Python thread client when wrk is
not to be had (said so in the results).

A measurement is a warm-up run followed by the measured run, both over the same rotating
set of prepared requests. Any response outside 2xx, and any socket error or timeout,
makes the measurement invalid: ``Invalid`` is raised with the first error seen.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.config import WRK_DIR


class Invalid(Exception):
    """A measurement had errors: its figures mean nothing."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str = ""
    body: str = ""

    def line(self) -> str:
        for part in (self.path, self.token, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError("tabs and newlines cannot be sent through the wrk data file")
        return f"{self.method}\t{self.path}\t{self.token}\t{self.body}"


def ensure_wrk(log=print) -> str | None:
    """The wrk binary, installed from Debian's packages when missing and possible."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("  wrk not found: apt-get install -y wrk")
        for command in (["apt-get", "install", "-y", "-q", "wrk"],
                        ["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "wrk"]):  # fmt: skip
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
            found = shutil.which("wrk")
            if found:
                return found
    return None


def wrk_version(binary: str) -> str:
    out = subprocess.run([binary, "-v"], capture_output=True, text=True)
    return (out.stdout + out.stderr).strip().splitlines()[0]


class LoadGenerator:
    def __init__(self, base_url: str, *, kind: str = "auto", threads: int = 2, log=print):
        self.base_url = base_url.rstrip("/")
        self.threads = threads
        self.log = log
        self.wrk = ensure_wrk(log) if kind in ("auto", "wrk") else None
        if kind == "wrk" and not self.wrk:
            raise RuntimeError("BENCH_LOADGEN=wrk but wrk cannot be installed")
        self.name = wrk_version(self.wrk) if self.wrk else "python threads (wrk unavailable)"
        self.workdir = Path(tempfile.mkdtemp(prefix="gongzhi-bench-"))

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def measure(
        self,
        name: str,
        requests: list[Request],
        *,
        connections: int,
        duration: float,
        warmup: float,
        check: bool = True,
    ) -> dict:
        if not requests:
            raise Invalid(f"{name}: nothing to send")
        if warmup > 0:
            self._run(name, requests, connections, warmup)
        result = self._run(name, requests, connections, duration)
        result.update(connections=connections, distinct_requests=len(requests))
        if check:
            errors = result["errors"]
            socket_errors = sum(v for k, v in errors.items() if k != "status")
            if result["non2xx"] or socket_errors or not result["requests"]:
                raise Invalid(
                    f"{name}: {result['non2xx']} non-2xx responses, socket errors {errors}, "
                    f"{result['requests']} requests; first error: {result['first_error']!r}"
                )
        return result

    def _run(self, name: str, requests: list[Request], connections: int, seconds: float) -> dict:
        if self.wrk:
            return self._wrk(name, requests, connections, seconds)
        return _python_client(self.base_url, requests, connections, seconds)

    def _wrk(self, name: str, requests: list[Request], connections: int, seconds: float) -> dict:
        data = self.workdir / f"{name}.tsv"
        data.write_text("\n".join(r.line() for r in requests) + "\n", encoding="utf-8")
        threads = max(1, min(self.threads, connections))
        command = [
            self.wrk,
            f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--timeout", "30s", "--latency",
            "-s", str(WRK_DIR / "rotate.lua"),
            f"{self.base_url}/",
        ]  # fmt: skip
        env = {**os.environ, "BENCH_DATA": str(data)}
        out = subprocess.run(command, capture_output=True, text=True, env=env)
        for line in out.stdout.splitlines():
            if line.startswith("BENCH_RESULT "):
                return json.loads(line[len("BENCH_RESULT ") :])
        raise Invalid(f"{name}: wrk printed no result (exit {out.returncode}): {out.stderr[-800:]}")


def _python_client(base_url: str, requests: list[Request], connections: int, seconds: float):
    """A closed-loop client: ``connections`` threads, each with one keep-alive connection
    (reopened when the server closes it), for ``seconds``."""
    host, port = base_url.split("://", 1)[1].split(":")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0}
    first_error = [""]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = None
        i = offset
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            r = requests[i % len(requests)]
            i += 1
            headers = {"Accept": "application/json", "Host": f"{host}:{port}"}
            if r.token:
                headers["Authorization"] = f"Token {r.token}"
            if r.body:
                headers["Content-Type"] = "application/json"
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, int(port), timeout=30)
                conn.request(r.method, r.path, body=r.body.encode() or None, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors["timeout" if isinstance(exc, TimeoutError) else "read"] += 1
                    first_error[0] = first_error[0] or repr(exc)
                conn = None
                continue
            mine.append(time.perf_counter() - start)
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if not 200 <= response.status < 300:
                    if response.status >= 400:
                        errors["status"] += 1
                    first_error[0] = first_error[0] or f"{response.status} {body[:400]!r}"
        with lock:
            latencies.extend(mine)

    pool = [
        threading.Thread(target=worker, args=(k * 7919,), daemon=True) for k in range(connections)
    ]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    total = len(latencies)
    return {
        "requests": total,
        "duration_s": round(elapsed, 3),
        "rps": total / elapsed if elapsed else 0.0,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0.0,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
        "non2xx": sum(n for s, n in statuses.items() if not 200 <= s < 300),
        "errors": errors,
        "first_error": first_error[0],
    }
