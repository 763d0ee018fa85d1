"""Load generation: wrk with bench/wrk/rotate.lua, or a Python thread client when wrk is
not to be had (said so in the results).

A measurement is a warm-up run followed by the measured run, both over the same rotating
set of prepared requests (or, for one-time requests such as ballots, over disjoint parts
of them). Any response other than the expected one (any 2xx, or a web form's 302 to the
right place), and any socket error or timeout, makes the measurement invalid: ``Invalid``
is raised with the first error seen.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
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


HTML = "text/html,application/xhtml+xml,*/*;q=0.8"  # what a browser asks for a page


@dataclass(frozen=True)
class Request:
    """One prepared request. ``token``: a DRF token (``Authorization: Token …``); ``body``:
    JSON, or with ``form=True`` an urlencoded form; ``cookie``: a ``Cookie`` header (a web
    session); ``csrf``: the ``X-CSRFToken`` header (the CSRF cookie's secret)."""

    method: str
    path: str
    token: str = ""
    body: str = ""
    cookie: str = ""
    csrf: str = ""
    form: bool = False

    def line(self) -> str:
        parts = (self.path, self.token, self.body, self.cookie, self.csrf)
        for part in parts:
            if "\t" in part or "\n" in part:
                raise ValueError("tabs and newlines cannot be sent through the wrk data file")
        fields = [self.method, self.path, self.token, self.body]
        if self.cookie or self.csrf or self.form:  # the four-field format otherwise
            fields += [self.cookie, self.csrf, "form" if self.form else ""]
        return "\t".join(fields)

    def headers(self) -> dict[str, str]:
        headers = {"Accept": HTML if self.cookie and not self.token else "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
        if self.body:
            headers["Content-Type"] = (
                "application/x-www-form-urlencoded" if self.form else "application/json"
            )
        return headers


@dataclass(frozen=True)
class Expect:
    """What a measured response must be: any 2xx by default; for a web form's
    POST-redirect-GET, ``status=302`` and a ``Location`` matching ``location`` (a Lua
    pattern, e.g. ``^/demands/%d+/filed/$``: a redirect to the login page is a failure)."""

    status: int | None = None
    location: str = ""


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
        expect: Expect | None = None,
        once_rate: float | None = None,
    ) -> dict:
        """Warm-up, then the measured run. ``expect``: what every response must be (any
        2xx by default). ``once_rate``: each request may be sent only once (a ballot: one
        per voter and question); the warm-up takes the first ``warmup × once_rate``
        requests, the measured run the rest, each wrk thread its own slice of them, and
        running out of them makes the measurement invalid (prepare more)."""
        if not requests:
            raise Invalid(f"{name}: nothing to send")
        expect = expect or Expect()
        measured = requests
        if once_rate is not None:
            reserved = math.ceil(max(warmup, 0) * once_rate) if warmup > 0 else 0
            if reserved >= len(requests):
                raise Invalid(f"{name}: {len(requests)} prepared requests, the warm-up needs more")
            warm, measured = requests[:reserved], requests[reserved:]
        if warmup > 0:
            self._run(name, warm if once_rate is not None else requests, connections, warmup,
                      expect, once_rate is not None)  # fmt: skip
        result = self._run(name, measured, connections, duration, expect, once_rate is not None)
        result.update(connections=connections, distinct_requests=len(measured))
        if expect.status:
            result["expected_status"] = expect.status
        if check:
            errors = result["errors"]
            socket_errors = sum(v for k, v in errors.items() if k != "status")
            wanted = f"non-{expect.status}" if expect.status else "non-2xx"
            if result["non2xx"] or socket_errors or not result["requests"]:
                raise Invalid(
                    f"{name}: {result['non2xx']} {wanted} responses, socket errors {errors}, "
                    f"{result['requests']} requests; first error: {result['first_error']!r}"
                )
            if result.get("exhausted"):
                raise Invalid(
                    f"{name}: ran out of the {len(measured)} prepared one-time requests "
                    f"({result['requests']} sent): prepare more"
                )
        return result

    def _run(self, name, requests, connections, seconds, expect, once) -> dict:
        if self.wrk:
            return self._wrk(name, requests, connections, seconds, expect, once)
        return _python_client(self.base_url, requests, connections, seconds, expect, once)

    def _wrk(self, name, requests, connections, seconds, expect: Expect, once: bool) -> dict:
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
        env = {**os.environ, "BENCH_DATA": str(data), "BENCH_ONCE": "1" if once else "",
               "BENCH_THREADS_N": str(threads), "BENCH_EXPECT": str(expect.status or ""),
               "BENCH_LOCATION": expect.location}  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, env=env)
        for line in out.stdout.splitlines():
            if line.startswith("BENCH_RESULT "):
                return json.loads(line[len("BENCH_RESULT ") :])
        raise Invalid(f"{name}: wrk printed no result (exit {out.returncode}): {out.stderr[-800:]}")


def _lua_pattern(pattern: str) -> re.Pattern:
    """The Python regex of the Lua patterns used for ``Expect.location`` (``%d``, ``%a``…)."""
    classes = {"d": r"\d", "a": "[A-Za-z]", "w": r"\w", "s": r"\s"}
    return re.compile(re.sub(r"%(.)", lambda m: classes.get(m[1], re.escape(m[1])), pattern))


def _python_client(base_url: str, requests: list[Request], connections: int, seconds: float,
                   expect: Expect | None = None, once: bool = False):  # fmt: skip
    """A closed-loop client: ``connections`` threads, each with one keep-alive connection
    (reopened when the server closes it), for ``seconds``. ``once``: each request is sent
    at most once (shared, in order)."""
    expect = expect or Expect()
    location = _lua_pattern(expect.location) if expect.location else None
    host, port = base_url.split("://", 1)[1].split(":")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0}
    first_error = [""]
    bad = [0]
    exhausted = [False]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    shared = iter(requests)

    def worker(offset: int) -> None:
        conn = None
        i = offset
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            if once:
                with lock:
                    r = next(shared, None)
                if r is None:
                    exhausted[0] = True
                    break
            else:
                r = requests[i % len(requests)]
                i += 1
            headers = {**r.headers(), "Host": f"{host}:{port}"}
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
            if expect.status:
                where = response.getheader("Location", "")
                good = response.status == expect.status and (
                    location is None or bool(location.search(where))
                )
            else:
                good = 200 <= response.status < 300
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if not good:
                    bad[0] += 1
                    if response.status >= 400:
                        errors["status"] += 1
                    first_error[0] = first_error[0] or (
                        f"{response.status} {response.getheader('Location', '')} {body[:400]!r}"
                    )
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
        "non2xx": bad[0],
        "errors": errors,
        "first_error": first_error[0],
        "exhausted": exhausted[0],
    }
