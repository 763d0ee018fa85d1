"""The bench database: create, migrate, generate, reuse, and the benchmark's users.

A marker table (``bench_marker``) records what was generated (scale, seed, data
version, counts). A later run with the same scale reuses the data (after ``migrate``, in
case another app gained a migration); ``BENCH_FRESH=1`` or any mismatch drops the database
and generates it again.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import history
from bench.config import DATA_VERSION, PYTHON, ROOT, Scale

HANDLER_INBOX = ("accepted", "dispatched", "evaluated", "rectifying", "whistled")


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def connect(url: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), **kwargs)


def server_version(url: str) -> str:
    with connect(url, autocommit=True) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def marker(url: str) -> dict | None:
    """What the bench database holds, or None (no database, or no marker)."""
    try:
        conn = connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        return None
    with conn:
        row = conn.execute("SELECT to_regclass('bench_marker') IS NOT NULL").fetchone()
        if not row[0]:
            return None
        row = conn.execute("SELECT value FROM bench_marker WHERE key = 'data'").fetchone()
        return row[0] if row else None


def reusable(url: str, scale: Scale) -> tuple[bool, str]:
    found = marker(url)
    if found is None:
        return False, "no generated data (no marker)"
    wanted = {
        "scale": scale.name,
        "compounds": scale.compounds,
        "rooms_per_compound": scale.rooms_per_compound,
        "demands": scale.demands,
        "seed": scale.seed,
        "data_version": DATA_VERSION,
    }
    for key, value in wanted.items():
        if found.get(key) != value:
            return False, f"marker {key}={found.get(key)!r}, wanted {value!r}"
    with connect(url, autocommit=True) as conn:
        rooms = conn.execute("SELECT count(*) FROM places_room").fetchone()[0]
        demands = conn.execute("SELECT count(*) FROM demands_demand").fetchone()[0]
    if rooms < scale.rooms or demands < scale.demands:
        return False, f"counts fell short: {rooms} rooms, {demands} demands"
    return True, f"reusing {found['scale']} data generated at {found.get('generated_at')}"


def recreate(url: str) -> None:
    name = _db_name(url)
    with connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, log=None) -> None:
    """Run ``manage.py`` with the bench environment; output streamed; raise on failure."""
    command = [str(PYTHON), str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed with exit code {result.returncode}")


def generate(url: str, env: dict, scale: Scale, stages: dict, log=print) -> dict:
    """Drop, create, migrate, generate the district and the demand history, analyse."""
    t0 = time.perf_counter()
    recreate(url)
    stages["db_recreate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v", "0")
    stages["migrate"] = time.perf_counter() - t0
    log(f"  migrated in {stages['migrate']:.1f} s")

    t0 = time.perf_counter()
    manage(
        env,
        "generate_district",
        "--compounds", str(scale.compounds),
        "--rooms-per-compound", str(scale.rooms_per_compound),
        "--seed", str(scale.seed),
    )  # fmt: skip
    stages["generate_district"] = time.perf_counter() - t0
    log(f"  district generated in {stages['generate_district']:.1f} s")

    t0 = time.perf_counter()
    with connect(url) as conn:
        loaded = history.load(conn, scale.demands, seed=scale.seed, progress=log)
    stages["load_demands"] = time.perf_counter() - t0
    log(f"  {loaded['demands']:,} demands loaded in {stages['load_demands']:.1f} s")

    t0 = time.perf_counter()
    with connect(url, autocommit=True) as conn:
        # The visibility map too (index-only scans), as autovacuum would after a load.
        conn.execute("VACUUM (ANALYZE) demands_demand")
        conn.execute("ANALYZE")
    stages["vacuum_analyze"] = time.perf_counter() - t0
    log(f"  VACUUM ANALYZE in {stages['vacuum_analyze']:.1f} s")

    data = {
        "scale": scale.name,
        "compounds": scale.compounds,
        "rooms_per_compound": scale.rooms_per_compound,
        "demands": scale.demands,
        "seed": scale.seed,
        "data_version": DATA_VERSION,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "stages_seconds": {k: round(v, 1) for k, v in stages.items()},
        "load_seconds": {k: round(v, 1) for k, v in loaded["seconds"].items()},
    }
    with connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_marker (key text PRIMARY KEY, value jsonb NOT NULL)")
        conn.execute("INSERT INTO bench_marker VALUES ('data', %s::jsonb)", [json.dumps(data)])
    return data


def district_path(url: str, seed: int) -> str:
    """The path of the generated district (``generate_district`` names it 基准测试区<seed>)."""
    with connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT path FROM places_district WHERE name = %s", [f"基准测试区{seed}"]
        ).fetchone()
    if row is None:
        raise RuntimeError(f"no generated district 基准测试区{seed} in the bench database")
    return row[0]


def counts(url: str, district: str) -> dict:
    """Compounds and rooms of the generated district; every demand in the database."""
    like = district + "%"
    with connect(url, autocommit=True) as conn:
        one = lambda sql, *p: conn.execute(sql, p).fetchone()[0]  # noqa: E731
        return {
            "compounds": one("SELECT count(*) FROM places_compound WHERE path LIKE %s", like),
            "rooms": one("SELECT count(*) FROM places_room WHERE path LIKE %s", like),
            "demands": one("SELECT count(*) FROM demands_demand"),
        }


# --------------------------------------------------------------------------- users


def _accounts_and_tokens(cursor, person_ids: list[int]) -> dict[int, str]:
    """An active account (the person's own mobile) and an API token for each person, made
    in bulk where missing; returns person → token key."""
    if not person_ids:
        return {}
    cursor.execute(
        "INSERT INTO people_account (password, is_superuser, phone, is_active, is_staff,"
        " date_joined, person_id)"
        " SELECT '!', false, p.phone, true, false, now(), p.id FROM people_person p"
        " WHERE p.id = ANY(%s) AND p.phone ~ '^1[3-9][0-9]{9}$'"
        " AND NOT EXISTS (SELECT 1 FROM people_account a WHERE a.person_id = p.id)"
        " ON CONFLICT DO NOTHING",
        [person_ids],
    )
    cursor.execute(
        "SELECT id FROM people_account a WHERE a.person_id = ANY(%s) AND a.is_active"
        " AND NOT EXISTS (SELECT 1 FROM authtoken_token t WHERE t.user_id = a.id)",
        [person_ids],
    )
    missing = [row[0] for row in cursor.fetchall()]
    if missing:
        with cursor.copy("COPY authtoken_token (key, created, user_id) FROM STDIN") as copy:
            for account in missing:
                copy.write_row((secrets.token_hex(20), "now", account))
    cursor.execute(
        "SELECT a.person_id, t.key FROM people_account a"
        " JOIN authtoken_token t ON t.user_id = a.id"
        " WHERE a.person_id = ANY(%s) AND a.is_active",
        [person_ids],
    )
    return dict(cursor.fetchall())


def accounts_of(cursor, person_ids: list[int]) -> dict[int, int]:
    """person → account id, the accounts made where missing (``_accounts_and_tokens``)."""
    _accounts_and_tokens(cursor, person_ids)
    cursor.execute(
        "SELECT person_id, id FROM people_account WHERE person_id = ANY(%s) AND is_active",
        [person_ids],
    )
    return dict(cursor.fetchall())


def prepare_users(url: str, scale: Scale, district: str, seed: int = 1) -> dict:
    """The users of the measurements, with tokens (a setup step, idempotent):

    * handlers: current holders of a handling post (property clerk, owners' body chair,
      branch secretary, building leader, community worker, street official) who have at
      least one demand in their inbox, up to ``scale.handlers``, with their inbox sizes;
    * residents: household members of residential rooms, up to ``scale.residents``, each
      with a valid filing body for their own room, building or compound;
    * officials: street officials with their street's path (figures);
    * floor: the range of room ids (bench/floor).
    """
    import random

    rng = random.Random(seed)
    states = list(HANDLER_INBOX)
    with connect(url) as conn, conn.transaction(), conn.cursor() as cur:
        # Inbox size of each holder: demands of their body within their scope, plus those
        # addressed to them as a person.
        cur.execute(
            """
            WITH holders AS (
                SELECT m.person_id, m.body_id, m.scope_path, b.kind, m.post
                FROM bodies_membership m JOIN bodies_body b ON b.id = m.body_id
                WHERE m."end" IS NULL AND b.dissolved_on IS NULL AND (b.kind, m.post) IN (
                    ('property_company', 'clerk'), ('owners_committee', 'chair'),
                    ('property_management_committee', 'chair'),
                    ('self_management_committee', 'chair'),
                    ('compound_party_branch', 'secretary'),
                    ('compound_party_branch', 'building_leader'),
                    ('residents_committee', 'community_worker'),
                    ('street_office', 'official'))
            )
            SELECT h.person_id, h.kind, h.post,
                (SELECT count(*) FROM demands_demand d WHERE d.handler_body_id = h.body_id
                   AND d.state = ANY(%(states)s) AND d.place_path LIKE h.scope_path || '%%')
                + (SELECT count(*) FROM demands_demand d WHERE d.handler_person_id = h.person_id
                   AND d.state = ANY(%(states)s)
                   AND d.handler_body_id IS DISTINCT FROM h.body_id) AS open
            FROM holders h ORDER BY h.person_id
            """,
            {"states": states},
        )
        holders = [row for row in cur.fetchall() if row[3] > 0]
        rng.shuffle(holders)
        holders = holders[: scale.handlers]
        handler_tokens = _accounts_and_tokens(cur, [row[0] for row in holders])
        handlers = [
            {"token": handler_tokens[p], "kind": kind, "post": post, "open": n}
            for p, kind, post, n in holders
            if p in handler_tokens
        ]

        cur.execute(
            "SELECT r.person_id, rm.id, rm.building_id, rm.compound_id FROM people_residency r"
            " JOIN people_household h ON h.id = r.household_id"
            " JOIN places_room rm ON rm.id = h.room_id"
            " WHERE r.until IS NULL AND h.moved_out IS NULL AND rm.use = 'residential'"
            " AND rm.path LIKE %s ORDER BY r.id",
            [district + "%"],
        )
        everyone = cur.fetchall()
        picked = rng.sample(everyone, min(scale.residents, len(everyone)))
        resident_tokens = _accounts_and_tokens(cur, [row[0] for row in picked])
        resident_accounts = accounts_of(cur, [row[0] for row in picked])
        cur.execute(
            "SELECT id, name, resolve_within_days FROM demands_category"
            " WHERE compound_id IS NULL AND is_active ORDER BY sort_order, id"
        )
        categories = cur.fetchall()
        names = {name: pk for pk, name, _ in categories}
        residents = []
        for person, room, building, compound in picked:
            if person not in resident_tokens:
                continue
            name, weight, _h, _d, _k, texts = history.CATEGORIES[
                rng.randrange(len(history.CATEGORIES))
            ]
            text = rng.choice(texts).format(
                b=rng.randint(1, 12), u=rng.randint(1, 3), f=rng.randint(2, 18)
            )
            body = {"compound": compound, "category": names.get(name, categories[0][0]),
                    "description": f"【压测】{text}", "urgency": "normal", "is_public": False}  # fmt: skip
            roll = rng.random()
            if roll < 0.5:
                body.update(place_kind="room", room=room)
            elif roll < 0.8:
                body.update(place_kind="building", building=building)
            else:
                body.update(place_kind="common", location_note="中心花园")
            residents.append({"token": resident_tokens[person], "body": body,
                              "account": resident_accounts[person]})  # fmt: skip

        cur.execute(
            "SELECT m.person_id, b.place_path FROM bodies_membership m"
            " JOIN bodies_body b ON b.id = m.body_id"
            " WHERE b.kind = 'street_office' AND m.post = 'official' AND m.\"end\" IS NULL"
            " AND b.place_path LIKE %s ORDER BY m.id",
            [district + "%"],
        )
        officials_rows = cur.fetchall()
        official_tokens = _accounts_and_tokens(cur, [row[0] for row in officials_rows])
        officials = [
            {"token": official_tokens[p], "street": path}
            for p, path in officials_rows
            if p in official_tokens
        ]
        cur.execute("SELECT min(id), max(id) FROM places_room WHERE path LIKE %s", [district + "%"])
        low, high = cur.fetchone()
    opens = sorted(h["open"] for h in handlers)
    by_post: dict[str, list[int]] = {}
    for h in handlers:
        by_post.setdefault(f"{h['kind']}/{h['post']}", []).append(h["open"])
    per_post = {
        key: {"handlers": len(v), "min": min(v), "median": sorted(v)[len(v) // 2], "max": max(v)}
        for key, v in sorted(by_post.items())
    }
    return {
        "handlers": handlers,
        "residents": residents,
        "officials": officials,
        "floor": {"min_id": low, "max_id": max(low, high - 20)},
        "inbox_sizes": {
            "handlers": len(opens),
            "min": opens[0] if opens else 0,
            "median": opens[len(opens) // 2] if opens else 0,
            "p90": opens[int(len(opens) * 0.9)] if opens else 0,
            "max": opens[-1] if opens else 0,
            "by_post": per_post,
        },
    }


def django_env(url: str) -> dict:
    """The environment of manage.py and gunicorn in the benchmark: production settings
    (DEBUG off, secure cookies off for plain HTTP on loopback), persistent connections."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gongzhi.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or "bench-" + secrets.token_hex(24),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE="false",
        DATABASE_URL=url,
        DATABASE_CONN_MAX_AGE="600",
        # The filing rate limits still count (their cost is in the figures), never refuse.
        RATE_DEMAND_FILE_ACCOUNT="1000000/h",
        RATE_DEMAND_FILE_STAFF="1000000/h",
        RATE_DEMAND_FILE_ADDRESS="1000000/h",
        BENCH_ENDPOINTS="true",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("Q_SYNC", None)
    return env


if __name__ == "__main__":  # pragma: no cover - manual use
    print(json.dumps(marker(sys.argv[1] if len(sys.argv) > 1 else ""), indent=2))
