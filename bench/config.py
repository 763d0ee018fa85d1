"""What `make bench` runs, read from the environment (see docs/bench.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
WRK_DIR = BENCH_DIR / "wrk"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gongzhi_bench"
# The district gets a database of its own, so that a small run does not throw away the
# district's 2,000,000 demands (and the next district run does not wait to regenerate).
DEFAULT_DATABASE_URLS = {"district": DEFAULT_DATABASE_URL + "_district"}

# Bump when the generated data changes shape: a bench database with another version is
# generated afresh instead of reused.
DATA_VERSION = 4


@dataclass(frozen=True)
class Scale:
    name: str
    compounds: int
    rooms_per_compound: int
    demands: int
    seed: int = 1
    # How many users take part in each measurement (tokens rotated by wrk).
    handlers: int = 2000
    residents: int = 2000

    @property
    def rooms(self) -> int:
        return self.compounds * self.rooms_per_compound


SCALES = {
    # Same density per compound as the district (4,000 demands over three years), twenty
    # compounds instead of 500: the whole run stays well under ten minutes on 2 cores.
    "small": Scale("small", compounds=20, rooms_per_compound=500, demands=80_000),
    # Issue 3: at least 500 compounds, 250,000 rooms and 2,000,000 demands of history.
    "district": Scale("district", compounds=500, rooms_per_compound=500, demands=2_000_000),
}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    scale: Scale
    database_url: str
    fresh: bool
    duration: float  # seconds of each measured run
    warmup: float  # seconds of warm-up before it
    connections: int  # wrk connections for floor and inbox
    submit_connections: int
    dashboard_connections: int
    workers: str  # "auto" or a number
    worker_class: str
    loadgen: str  # "auto", "wrk" or "python"
    voting: bool
    pages: bool  # the web pages of issue 9

    @classmethod
    def from_env(cls) -> Settings:
        name = os.environ.get("BENCH_SCALE", "small").strip() or "small"
        if name not in SCALES:
            raise SystemExit(f"BENCH_SCALE={name!r}: choose one of {', '.join(SCALES)}")
        return cls(
            scale=SCALES[name],
            database_url=os.environ.get("BENCH_DATABASE_URL", "").strip()
            or DEFAULT_DATABASE_URLS.get(name, DEFAULT_DATABASE_URL),
            fresh=_bool("BENCH_FRESH"),
            duration=_float("BENCH_DURATION", 15.0),
            warmup=_float("BENCH_WARMUP", 3.0),
            connections=_int("BENCH_CONNECTIONS", 16),
            submit_connections=_int("BENCH_SUBMIT_CONNECTIONS", 16),
            dashboard_connections=_int("BENCH_DASHBOARD_CONNECTIONS", 2),
            workers=os.environ.get("BENCH_WORKERS", "auto").strip() or "auto",
            worker_class=os.environ.get("BENCH_WORKER_CLASS", "gthread").strip() or "gthread",
            loadgen=os.environ.get("BENCH_LOADGEN", "auto").strip() or "auto",
            voting=not _bool("BENCH_SKIP_VOTING"),
            pages=not _bool("BENCH_SKIP_PAGES"),
        )
