"""`make bench`: the platform measured over loopback on PostgreSQL (docs/bench.md).

Stages: the bench database (reused when its marker matches the scale, else dropped,
migrated, generated: district by ``generate_district``, demand history by COPY), the
users and their API tokens, gunicorn (workers tuned unless BENCH_WORKERS is set), the
measurements with wrk (floor, inbox, figures, filing), the voting figures from
bench/bench_voting.py, then the table and bench/results/latest.json. gunicorn is always
stopped. Any non-2xx response or socket error makes the run invalid: it exits non-zero.

Environment: BENCH_SCALE=small|district, BENCH_FRESH=1, BENCH_DATABASE_URL,
BENCH_DURATION (s, 15), BENCH_WARMUP (s, 3), BENCH_WORKERS (auto or a number),
BENCH_WORKER_CLASS (sync), BENCH_CONNECTIONS (16), BENCH_SUBMIT_CONNECTIONS (16),
BENCH_DASHBOARD_CONNECTIONS (2), BENCH_LOADGEN (auto|wrk|python), BENCH_SKIP_VOTING=1.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import database, web  # noqa: E402
from bench.config import RESULTS_DIR, Settings  # noqa: E402
from bench.loadgen import Invalid, LoadGenerator, Request  # noqa: E402
from bench.server import Server  # noqa: E402

TARGETS = {  # issue 3 and issue 4, at district scale
    "inbox_vs_floor": (">=", 0.4),
    "dashboard_p95_ms": ("<=", 100.0),
    "submit_rps": (">=", 200.0),
    "tally_10k_ms": ("<=", 100.0),
    **{key: (">=", bound) for key, bound in web.PAGE_TARGETS.items()},  # issue 9
    **{f"{key.removesuffix('_vs_floor')}_queries": ("<=", float(web.QUERY_LIMIT))
       for key in web.PAGE_TARGETS},
}  # fmt: skip
BALLOT_VOTERS = 1000
WEB_ROWS = (
    ("board_web", "dispatch board, web, secretaries"),
    ("demand_page", "a demand's page, ≥ 10 events"),
    ("file_web", "filing by the web form, CSRF"),
    ("ballot_web", "a ballot by the web form"),
    ("ballot_api", "a ballot by the API, 32 conn."),
)


def log(message: str = "") -> None:
    print(message, flush=True)


class Stages:
    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        log(f"== {name}")
        started = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - started
            self.seconds[name] = round(self.seconds.get(name, 0) + took, 1)
            log(f"   ({name}: {took:.1f} s)")


def cpu_busy_percent(seconds: float = 1.0) -> float:
    """Share of CPU time spent busy, machine-wide, over ``seconds`` (from /proc/stat)."""

    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return -1.0
    total = total1 - total0
    return round(100.0 * (total - (idle1 - idle0)) / total, 1) if total else 0.0


def machine_info() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip()


def http(base: str, method: str, path: str, token: str = "", body: str = ""):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body:
        headers["Content-Type"] = "application/json"
        data = body.encode()
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def check_endpoint(base: str, name: str, request: Request, expect: int, shape) -> None:
    """One request before the load: the right status and a plausible body, or Invalid."""
    status, body = http(base, request.method, request.path, request.token, request.body)
    if status != expect:
        raise Invalid(f"{name}: {request.method} {request.path} answered {status}: {body[:400]!r}")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise Invalid(f"{name}: not JSON: {body[:200]!r}") from exc
    problem = shape(payload)
    if problem:
        raise Invalid(f"{name}: {problem}: {json.dumps(payload, ensure_ascii=False)[:400]}")


def requests_for(users: dict, rng: random.Random) -> dict[str, list[Request]]:
    low, high = users["floor"]["min_id"], users["floor"]["max_id"]
    floor = [Request("GET", f"/bench/floor?from={rng.randint(low, high)}") for _ in range(2000)]
    inbox = [Request("GET", "/api/v1/demands/inbox", h["token"]) for h in users["handlers"]]
    dashboard = [
        Request(
            "GET",
            "/api/v1/figures/demands?" + urllib.parse.urlencode({"place": o["street"]}),
            o["token"],
        )
        for o in users["officials"]
    ]
    submit = [
        Request(
            "POST",
            "/api/v1/demands",
            r["token"],
            json.dumps(r["body"], ensure_ascii=False, separators=(",", ":")),
        )
        for r in users["residents"]
    ]
    return {"floor": floor, "inbox": inbox, "dashboard": dashboard, "submit": submit}


def _has(key):
    return lambda p: None if key in p else f"no {key!r} in the answer"


def _inbox_shape(p):
    if not isinstance(p.get("results"), list):
        return "no results list"
    if not p["results"]:
        return "empty inbox for a handler with open demands"
    return None


def _figures_shape(p):
    missing = [k for k in ("received", "solved", "overdue", "escalated", "satisfaction")
               if k not in p]  # fmt: skip
    if missing:
        return f"missing {missing}"
    if not p["received"]:
        return "no demands received in the street"
    return None


def _floor_shape(p):
    return None if len(p.get("results", [])) == 20 else "not 20 rows"


def choose_workers(settings: Settings, env: dict, gen_factory, requests, stages) -> tuple:
    """gunicorn workers: BENCH_WORKERS, or the best of (cores, cores + 1, 2 × cores + 1) in
    short runs of the inbox and of filing: the most of both, by the geometric mean of their
    requests/s (one server for every measurement, as in production: reads are CPU-bound,
    filings also wait for the commit). Floor alone when neither is available."""
    cores = os.cpu_count() or 1
    if settings.workers != "auto":
        return int(settings.workers), {}
    candidates = sorted({cores, cores + 1, 2 * cores + 1})
    tune_seconds = float(os.environ.get("BENCH_TUNE_SECONDS", "5"))
    names = [n for n in ("inbox", "submit") if requests[n]] or ["floor"]
    trials: dict[int, dict[str, float]] = {}
    with stages("tune gunicorn workers"):
        for workers in candidates:
            server = Server(env, workers, settings.worker_class, RESULTS_DIR / "gunicorn.log")
            try:
                server.start()
                gen = gen_factory(server.base_url)
                try:
                    for name in names:
                        r = gen.measure(
                            f"tune-{workers}-{name}",
                            requests[name],
                            connections=settings.connections,
                            duration=tune_seconds,
                            warmup=2,
                        )
                        trials.setdefault(workers, {})[name] = round(r["rps"], 1)
                        log(f"   {workers} workers: {name} {r['rps']:.0f} req/s,"
                            f" p95 {r['p95_ms']:.1f} ms")  # fmt: skip
                finally:
                    gen.close()
            finally:
                server.stop()
    score = {w: math.prod(t.values()) ** (1 / len(t)) for w, t in trials.items()}
    best = max(score, key=score.get)
    return best, {"endpoints": names, "seconds": tune_seconds, "rps_by_workers": trials,
                  "score_by_workers": {w: round(v, 1) for w, v in score.items()}}  # fmt: skip


def evaluate_targets(result: dict) -> dict:
    out = {}
    applies = result["scale"]["name"] == "district"
    for key, (op, bound) in TARGETS.items():
        value = result.get(key)
        passed = None
        if value is not None:
            passed = value >= bound if op == ">=" else value <= bound
        out[key] = {"target": f"{op} {bound:g}", "value": value, "pass": passed,
                    "applies_at_this_scale": applies}  # fmt: skip
    ballots = result.get("ballots") or {}
    out["ballots_exact"] = {
        "target": f"exactly {BALLOT_VOTERS} counted with 200 duplicates refused",
        "value": ballots.get("counted"),
        "pass": ballots.get("ok"),
        "applies_at_this_scale": True,
    }
    return out


def _fmt(value, unit="") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}" if value >= 10 else f"{value:.2f}{unit}"
    return f"{value}{unit}"


def print_table(result: dict) -> None:
    scale = result["scale"]
    log("")
    log(
        f"gongzhi bench — scale {scale['name']}: {scale['compounds']:,} compounds, "
        f"{scale['rooms']:,} rooms, {scale['demands']:,} demands"
    )
    m = result["machine"]
    log(
        f"{m['cores']} cores, gunicorn {m['gunicorn_workers']} {m['gunicorn_worker_class']} "
        f"workers, PostgreSQL {m['postgresql']}, load average before "
        f"{m['load_average_before']} after {m['load_average_after']}, {m['loadgen']}"
    )
    rows = [
        ("floor_rps", "bare Django view, one 20-row query", result.get("floor_rps"), " req/s"),
        ("inbox_rps", "handler inbox, first page", result.get("inbox_rps"), " req/s"),
        ("inbox_p95_ms", "", result.get("inbox_p95_ms"), " ms"),
        ("inbox_vs_floor", "inbox_rps / floor_rps", result.get("inbox_vs_floor"), ""),
        ("submit_rps", "residents filing, 16 connections", result.get("submit_rps"), " req/s"),
        ("dashboard_p95_ms", "street figures", result.get("dashboard_p95_ms"), " ms"),
        ("tally_10k_ms", "10,000 rooms × 5 questions", result.get("tally_10k_ms"), " ms"),
        ("ballots_rps", "1,000 voters + 200 dups, 32 conn.", result.get("ballots_rps"), " req/s"),
    ]
    for name, what in WEB_ROWS:  # issue 9: each page's rate, its ratio, its statements
        rows.append((f"{name}_rps", what, result.get(f"{name}_rps"), " req/s"))
        rows.append((f"{name}_vs_floor", "", result.get(f"{name}_vs_floor"), ""))
        if f"{name}_queries" in result:
            rows.append((f"{name}_queries", "", result.get(f"{name}_queries"), ""))
    rows.append(("submit_vs_floor", "filing by the API / floor", result.get("submit_vs_floor"), ""))
    targets = result["targets"]
    log("")
    log(f"{'figure':<20} {'value':>14}  {'target':<10} {'':<6} what")
    log("-" * 86)
    for key, what, value, unit in rows:
        t = targets.get(key)
        target = t["target"] if t else ""
        verdict = "" if not t or t["pass"] is None else ("pass" if t["pass"] else "FAIL")
        log(f"{key:<20} {_fmt(value, unit):>14}  {target:<10} {verdict:<6} {what}")
    b = targets["ballots_exact"]
    verdict = "—" if b["pass"] is None else ("pass" if b["pass"] else "FAIL")
    log(f"{'ballots exact':<20} {_fmt(b['value']):>14}  {'=1000':<10} {verdict:<6} {b['target']}")
    for key, why in result.get("missing", {}).items():
        log(f"  {key}: not measured — {why}")
    if result["scale"]["name"] != "district":
        log("(targets are set for BENCH_SCALE=district; shown here for orientation)")
    log("")
    log("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["stages_seconds"].items()))
    if result["errors"]:
        log("")
        log("INVALID RUN:")
        for error in result["errors"]:
            log(f"  - {error}")


def write_results(result: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    latest = RESULTS_DIR / "latest.json"
    latest.write_text(text, encoding="utf-8")
    (RESULTS_DIR / f"latest-{result['scale']['name']}.json").write_text(text, encoding="utf-8")
    return latest


def run_voting(result: dict, url: str, base_url: str | None, stages: Stages) -> None:
    """tally_10k_ms and ballots_rps from bench/bench_voting.py, when it is there."""
    missing = result.setdefault("missing", {})
    try:
        from bench import bench_voting
    except Exception as exc:  # noqa: BLE001 - any import failure means "not measured"
        reason = f"bench/bench_voting.py cannot be imported: {exc!r}"
        result["tally_10k_ms"] = result["ballots_rps"] = None
        missing.update(tally_10k_ms=reason, ballots_rps=reason)
        return
    tally = getattr(bench_voting, "measure_tally_10k", None)
    if tally is None:
        result["tally_10k_ms"] = None
        missing["tally_10k_ms"] = "bench_voting.measure_tally_10k is not there yet"
    else:
        with stages("voting: tally 10k"):
            try:
                result["tally_10k_ms"] = float(tally(url))
                log(f"   tally_10k_ms {result['tally_10k_ms']:.2f}")
            except Exception as exc:  # noqa: BLE001
                result["tally_10k_ms"] = None
                missing["tally_10k_ms"] = f"measure_tally_10k failed: {exc!r}"
                result["errors"].append(f"tally_10k_ms: {exc!r}")
                traceback.print_exc()
    measure = getattr(bench_voting, "measure_ballots", None)
    prepare = getattr(bench_voting, "prepare_ballots_bench", None)
    if measure is None or prepare is None or base_url is None:
        result["ballots_rps"] = None
        missing["ballots_rps"] = (
            "no server" if base_url is None else
            "bench_voting.measure_ballots / prepare_ballots_bench are not there yet"
        )  # fmt: skip
        return
    with stages("voting: ballots"):
        try:
            prepared = prepare(voters=BALLOT_VOTERS)
            kwargs = {}
            params = inspect.signature(measure).parameters
            for key in ("assembly", "question"):
                if key in params and key in prepared:
                    kwargs[key] = prepared[key]
            report = measure(base_url, prepared["tokens"], connections=32, **kwargs)
            result["ballots"] = report
            result["ballots_rps"] = float(report["ballots_rps"])
            log(
                f"   ballots_rps {result['ballots_rps']:.1f}; created {report.get('created')}, "
                f"duplicates refused {report.get('duplicates_refused')}, "
                f"counted {report.get('counted')}"
            )
        except Exception as exc:  # noqa: BLE001 - AssertionError: lost or doubled ballots
            result["ballots_rps"] = None
            result["ballots"] = {"ok": False, "error": repr(exc)}
            missing["ballots_rps"] = f"measure_ballots failed: {exc!r}"
            result["errors"].append(f"ballots: {exc!r}")
            traceback.print_exc()


def main() -> int:
    settings = Settings.from_env()
    scale = settings.scale
    url = settings.database_url
    stages = Stages()
    started = dt.datetime.now(dt.UTC)
    result: dict = {
        "started_at": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "scale": {"name": scale.name},
        "errors": [],
        "missing": {},
    }
    load_before = [round(x, 2) for x in os.getloadavg()]
    busy_before = cpu_busy_percent()
    log(f"gongzhi bench: scale {scale.name}, database {url}")
    log(f"load average {load_before}, CPU busy {busy_before}% before the run")
    env = database.django_env(url)
    server: Server | None = None
    gen: LoadGenerator | None = None

    def on_signal(signum, frame):  # stop gunicorn on Ctrl-C / kill too
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        with stages("database"):
            ok, why = (False, "BENCH_FRESH=1") if settings.fresh else database.reusable(url, scale)
            log(f"   {why}")
            if ok:
                database.manage(env, "migrate", "--noinput", "-v", "0")
                result["generated"] = database.marker(url)
                result["reused_data"] = True
            else:
                generated_stages: dict = {}
                result["generated"] = database.generate(url, env, scale, generated_stages, log)
                result["reused_data"] = False
                for key, seconds in generated_stages.items():
                    stages.seconds[f"  {key}"] = round(seconds, 1)
        with stages("static files"):  # the pages' CSS and scripts, as production serves them
            database.manage(env, "collectstatic", "--noinput", "-v", "0")
        district = database.district_path(url, scale.seed)
        result["scale"].update(database.counts(url, district))

        with stages("users and tokens"):
            users = database.prepare_users(url, scale, district, scale.seed)
            result["inbox_sizes"] = users["inbox_sizes"]
            sizes = {k: v for k, v in users["inbox_sizes"].items() if k != "by_post"}
            log(
                f"   {len(users['handlers'])} handlers (open items: {sizes}), "
                f"{len(users['residents'])} residents, {len(users['officials'])} street officials"
            )
            for post, stats in users["inbox_sizes"]["by_post"].items():
                log(f"     {post}: {stats}")
        requests = requests_for(users, random.Random(scale.seed))

        # Django in this process too (bench_voting's setup and tally use it).
        os.environ.update(env)
        import django

        django.setup()

        def gen_factory(base):
            return LoadGenerator(base, kind=settings.loadgen, threads=os.cpu_count() or 2, log=log)

        # Which endpoints answer at all (the demands API may still be in progress)?
        with stages("gunicorn start and endpoint checks"):
            probe = Server(env, 2, settings.worker_class, RESULTS_DIR / "gunicorn.log").start()
            try:
                available = {}
                checks = {
                    "floor": (200, _floor_shape),
                    "inbox": (200, _inbox_shape),
                    "dashboard": (200, _figures_shape),
                    "submit": (201, _has("id")),
                }
                for name, (expect, shape) in checks.items():
                    if not requests[name]:
                        available[name] = "no users for it"
                        continue
                    try:
                        check_endpoint(probe.base_url, name, requests[name][0], expect, shape)
                        available[name] = None
                    except Invalid as exc:
                        available[name] = str(exc)
                        log(f"   {name}: NOT AVAILABLE — {exc}")
            finally:
                probe.stop()
        for name, why in available.items():
            if why:
                requests[name] = []
        if available["floor"]:
            raise Invalid(f"the floor endpoint does not work: {available['floor']}")

        workers, tuning = choose_workers(settings, env, gen_factory, requests, stages)
        result["worker_tuning"] = tuning
        server = Server(env, workers, settings.worker_class, RESULTS_DIR / "gunicorn.log").start()
        gen = gen_factory(server.base_url)
        result["machine"] = {
            **machine_info(),
            "postgresql": database.server_version(url),
            "gunicorn_workers": workers,
            "gunicorn_worker_class": settings.worker_class,
            "loadgen": gen.name,
            "load_average_before": load_before,
            "cpu_busy_percent_before": busy_before,
        }
        details = result.setdefault("details", {})
        plan = [
            ("floor", settings.connections, "floor_rps", None),
            ("inbox", settings.connections, "inbox_rps", "inbox_p95_ms"),
            ("dashboard", settings.dashboard_connections, None, "dashboard_p95_ms"),
            ("submit", settings.submit_connections, "submit_rps", None),
        ]
        for name, connections, rps_key, p95_key in plan:
            if not requests[name]:
                reason = available.get(name) or "nothing to send"
                for key in (rps_key, p95_key):
                    if key:
                        result[key] = None
                        result["missing"][key] = reason
                result["errors"].append(f"{name}: not measured — {reason}")
                continue
            with stages(f"measure {name}"):
                try:
                    r = gen.measure(
                        name,
                        requests[name],
                        connections=connections,
                        duration=settings.duration,
                        warmup=settings.warmup,
                    )
                except Invalid as exc:
                    result["errors"].append(str(exc))
                    log(f"   INVALID: {exc}")
                    for key in (rps_key, p95_key):
                        if key:
                            result[key] = None
                            result["missing"][key] = "invalid measurement (errors)"
                    continue
                r["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
                details[name] = r
                log(
                    f"   {r['rps']:.1f} req/s, p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms,"
                    f" p99 {r['p99_ms']:.1f} ms, {r['requests']} requests, {connections} conn."
                )
                if rps_key:
                    result[rps_key] = round(r["rps"], 1)
                if p95_key:
                    result[p95_key] = round(r["p95_ms"], 2)
        if result.get("inbox_rps") and result.get("floor_rps"):
            result["inbox_vs_floor"] = round(result["inbox_rps"] / result["floor_rps"], 3)
        else:
            result["inbox_vs_floor"] = None

        if settings.pages:
            web.measure_pages(
                result, url=url, district=district, seed=scale.seed, users=users, gen=gen,
                settings=settings, stages=stages, log=log,
            )  # fmt: skip
        if settings.voting:
            run_voting(result, url, server.base_url, stages)
        else:
            result["tally_10k_ms"] = result["ballots_rps"] = None
            result["missing"].update(
                tally_10k_ms="BENCH_SKIP_VOTING", ballots_rps="BENCH_SKIP_VOTING"
            )
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - reported, exit non-zero
        traceback.print_exc()
        result["errors"].append(f"run aborted: {exc!r}")
    finally:
        if gen is not None:
            gen.close()
        if server is not None:
            server.stop()

    result.setdefault("machine", {**machine_info(), "load_average_before": load_before})
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    for key in ("floor_rps", "inbox_rps", "inbox_p95_ms", "submit_rps", "dashboard_p95_ms",
                "inbox_vs_floor", "tally_10k_ms", "ballots_rps", *TARGETS):  # fmt: skip
        result.setdefault(key, None)
    for key in ("compounds", "rooms", "demands"):
        result["scale"].setdefault(key, None)
    result["targets"] = evaluate_targets(result)
    result["stages_seconds"] = stages.seconds
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result["total_seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1)
    result["valid"] = not result["errors"]
    result["machine"].setdefault("gunicorn_workers", None)
    result["machine"].setdefault("gunicorn_worker_class", settings.worker_class)
    result["machine"].setdefault("postgresql", None)
    result["machine"].setdefault("loadgen", None)
    try:
        print_table(result)
    except Exception:  # noqa: BLE001 - the JSON is written regardless
        traceback.print_exc()
    path = write_results(result)
    log(f"results: {path.relative_to(ROOT)} (total {result['total_seconds']:.0f} s)")
    return 0 if result["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
