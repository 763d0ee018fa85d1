"""The web pages of `make bench` (issue 9): the dispatch board, a demand's page, filing by
the web form and casting a ballot by the web form, next to the API's filing and ballots.

* ``prepare_pages`` (SQL, idempotent): branch secretaries of compounds with thousands of
  demands, with accounts, and for each of their compounds a few demands given a timeline
  of at least ``TIMELINE_EVENTS`` events (the history is generated without events): a
  lifecycle consistent with the demand's state, padded with comments.
* ``web_sessions`` (Django): a logged-in session and a CSRF secret for each account, made
  in bulk directly in the session table, as a login would leave them.
* ``prepare_voters``: a compound of owners with accounts, tokens and sessions, and an open
  assembly with enough questions that no (voter, question) is ever cast twice in a run.
* ``count_queries``: the statements one request of each kind runs, in this process
  (django.test.Client with the same session cookies and CSRF header), warm.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
import string
import urllib.parse

from bench import database
from bench.loadgen import Expect, Request

TIMELINE_EVENTS = 12  # a demand's page shows at least this many events (issue 9: ≥ 10)
BOARD_MIN_DEMANDS = 2000  # "a compound with thousands of demands"
SECRETARIES = 300
TIMELINE_PER_COMPOUND = 4  # two open, two closed

# What each web form's success is: a redirect to the right page (never to the login page).
EXPECT_FILED = Expect(302, "^/demands/%d+/filed/$")
EXPECT_VOTED = Expect(302, "^/assemblies/%d+/$")

OPEN_STATES = ("filed", "dispatched", "returned", "whistled", "accepted")

# The steps that led to each state (after "filed"), as (event kind, from, to, who).
_LIFE = {
    "filed": [],
    "dispatched": [("dispatched", "filed", "dispatched", "staff")],
    "returned": [("dispatched", "filed", "dispatched", "staff"),
                 ("returned", "dispatched", "returned", "staff")],
    "whistled": [("dispatched", "filed", "dispatched", "staff"),
                 ("whistled", "dispatched", "whistled", "reporter")],
    "accepted": [("dispatched", "filed", "dispatched", "staff"),
                 ("accepted", "dispatched", "accepted", "staff")],
    "closed": [("dispatched", "filed", "dispatched", "staff"),
               ("accepted", "dispatched", "accepted", "staff"),
               ("whistled", "accepted", "whistled", "reporter"),
               ("reported_in", "whistled", "accepted", "staff"),
               ("resolved", "accepted", "resolved", "staff"),
               ("evaluated", "resolved", "evaluated", "reporter"),
               ("feedback", "evaluated", "feedback_given", "staff"),
               ("closed", "feedback_given", "closed", "staff")],
}  # fmt: skip
_TEXTS = {
    "returned": "不属于本单位职责范围,请重新派单。",
    "whistled": "三天了还没人来看,请上级协调。",
    "reported_in": "已到现场,协调物业和业委会共同处理。",
    "resolved": "已修复,请居民查看。",
    "feedback": "已将评价意见反馈给承办单位。",
    "closed": "问题已解决,居民满意,归档。",
}
_COMMENTS = (
    "请问什么时候能来处理?",
    "已电话联系居民,明天上午上门查看。",
    "楼上邻居也反映了同样的问题。",
    "物业已派人到现场拍照取证。",
    "维修材料已订购,预计两天到货。",
    "谢谢,辛苦了!",
    "今天又出现了,麻烦再看一下。",
    "已与业委会沟通,费用从公共收益列支。",
)


def prepare_pages(url: str, district: str, seed: int = 1) -> dict:
    """Secretaries (account, compound) of compounds with ≥ BOARD_MIN_DEMANDS demands, and
    the demands whose pages are read, each with a timeline of ≥ TIMELINE_EVENTS events."""
    rng = random.Random(seed + 9)
    with database.connect(url) as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            SELECT m.person_id, b.compound_id FROM bodies_membership m
            JOIN bodies_body b ON b.id = m.body_id
            WHERE b.kind = 'compound_party_branch' AND m.post = 'secretary'
              AND m."end" IS NULL AND b.dissolved_on IS NULL AND b.place_path LIKE %s
              AND (SELECT count(*) FROM demands_demand d WHERE d.compound_id = b.compound_id)
                  >= %s
            ORDER BY m.id
            """,
            [district + "%", BOARD_MIN_DEMANDS],
        )
        rows = cur.fetchall()
        rng.shuffle(rows)
        rows = rows[:SECRETARIES]
        accounts = database.accounts_of(cur, [p for p, _ in rows])
        secretaries = [{"account": accounts[p], "compound": c} for p, c in rows if p in accounts]
        pages = []
        for s in secretaries:
            # The latest open ones, and the latest closed ones (on the board index).
            for state in ("open", "closed"):
                where = "state = ANY(%s)" if state == "open" else "state = %s"
                cur.execute(
                    f"SELECT id FROM demands_demand WHERE compound_id = %s AND {where}"
                    " AND reporter_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT %s",
                    [s["compound"], list(OPEN_STATES) if state == "open" else state,
                     TIMELINE_PER_COMPOUND // 2],
                )  # fmt: skip
                pages += [{"account": s["account"], "demand": d} for (d,) in cur.fetchall()]
        made = _timelines(cur, pages, rng)
    return {"secretaries": secretaries, "pages": pages, "timelines_made": made}


def _timelines(cur, pages: list[dict], rng: random.Random) -> int:
    """Give each page's demand a timeline (once: demands that have events keep them)."""
    ids = [p["demand"] for p in pages]
    cur.execute(
        "SELECT d.id, d.state, d.created_at, coalesce(d.closed_at, now()), d.reporter_id,"
        " d.handler_body_id, coalesce(d.rating, 4) FROM demands_demand d"
        " WHERE d.id = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM demands_demandevent e WHERE e.demand_id = d.id)",
        [ids],
    )
    demands = cur.fetchall()
    if not demands:
        return 0
    reporters = database.accounts_of(cur, sorted({row[4] for row in demands}))
    staff = {p["demand"]: p["account"] for p in pages}
    events = []
    for pk, state, created, ended, reporter, body, rating in demands:
        steps = [("filed", "", "filed", "reporter"), *_LIFE[state]]
        comments = max(0, TIMELINE_EVENTS - len(steps))
        for _ in range(comments):  # comments between the moves, in time order
            steps.insert(rng.randint(1, len(steps)), ("comment", "", "", rng.choice(
                ("reporter", "staff"))))  # fmt: skip
        span = max((ended - created).total_seconds(), 3600.0)
        for i, (kind, before, after, who) in enumerate(steps):
            at = created + dt.timedelta(seconds=span * i / len(steps))
            actor = reporters.get(reporter) if who == "reporter" else staff[pk]
            text = rng.choice(_COMMENTS) if kind == "comment" else _TEXTS.get(kind, "")
            data = f'{{"rating": {rating}}}' if kind == "evaluated" else "{}"
            events.append((pk, kind, before, after, "", text, data, at, actor,
                           body if kind == "dispatched" else None, None))  # fmt: skip
    with cur.copy(
        "COPY demands_demandevent (demand_id, kind, from_state, to_state, level, text, data,"
        " at, actor_id, body_id, person_id) FROM STDIN"
    ) as copy:
        for row in events:
            copy.write_row(row)
    return len(demands)


# --------------------------------------------------------------------------- sessions


def _csrf_secret() -> str:
    chars = string.ascii_letters + string.digits
    return "".join(secrets.choice(chars) for _ in range(32))


def web_sessions(account_ids) -> dict[int, tuple[str, str]]:
    """account → (Cookie header, CSRF secret): a session as ``login()`` leaves it (the
    account, its backend and its session hash), written in bulk, and a CSRF cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from gongzhi.people.models import Account

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    expire = timezone.now() + dt.timedelta(days=1)
    store = SessionStore()
    out, rows = {}, []
    for account in Account.objects.filter(pk__in=list(account_ids)).only("pk", "password"):
        key = secrets.token_hex(16)
        data = {SESSION_KEY: str(account.pk), BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: account.get_session_auth_hash()}  # fmt: skip
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        csrf = _csrf_secret()
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        out[account.pk] = (cookie, csrf)
    Session.objects.bulk_create(rows, batch_size=2000)
    return out


# --------------------------------------------------------------------------- ballots


def prepare_voters(slots: int, questions: int = 10) -> dict:
    """An open assembly with ``questions`` questions and enough owners that each of the
    two ballot measurements (web, API) has ``slots`` distinct (voter, question) pairs: web
    casts on the first half of the questions, the API on the second."""
    from bench import bench_voting

    half = questions // 2
    voters = max(100, math.ceil(slots / half))
    prepared = bench_voting.prepare_ballots_bench(voters=voters, questions=questions)
    prepared["sessions"] = web_sessions(prepared["accounts"])
    prepared["web_questions"] = prepared["questions"][:half]
    prepared["api_questions"] = prepared["questions"][half:]
    return prepared


# --------------------------------------------------------------------------- requests


def _form(fields: dict) -> str:
    return urllib.parse.urlencode({k: v for k, v in fields.items() if v not in (None, False)})


def filing_form(body: dict) -> str:
    """The web form's fields for a filing the API would get as ``body``."""
    return _form({
        "category": body.get("category"), "description": body["description"],
        "place_kind": body["place_kind"], "room": body.get("room"),
        "building": body.get("building"), "location_note": body.get("location_note"),
        "urgency": body.get("urgency", "normal"), "is_public": "on" if body.get("is_public") else None,
    })  # fmt: skip


def page_requests(pages: dict, residents: list[dict], sessions: dict) -> dict[str, list[Request]]:
    """board_web, demand_page, file_web (each user through their own session)."""

    def web(method, path, account, body="", form=False):
        cookie, csrf = sessions[account]
        return Request(method, path, body=body, cookie=cookie, csrf=csrf, form=form)

    board = [web("GET", "/demands/board/", s["account"]) for s in pages["secretaries"]]
    detail = [web("GET", f"/demands/{p['demand']}/", p["account"]) for p in pages["pages"]]
    file_web = [
        web(
            "POST",
            f"/demands/new/?compound={r['body']['compound']}",
            r["account"],
            filing_form(r["body"]),
            form=True,
        )  # fmt: skip
        for r in residents
        if r.get("account") in sessions
    ]
    return {"board_web": board, "demand_page": detail, "file_web": file_web}


def ballot_requests(prepared: dict) -> dict[str, list[Request]]:
    """ballot_web and ballot_api: every (voter, question) once, question after question, so
    that requests in flight together are different voters."""
    assembly = prepared["assembly"]
    web, api = [], []
    for q in prepared["web_questions"]:
        for account in prepared["accounts"]:
            cookie, csrf = prepared["sessions"][account]
            web.append(Request("POST", f"/assemblies/{assembly}/vote",
                               body=_form({f"q{q}": "agree", "confirm": "1"}),
                               cookie=cookie, csrf=csrf, form=True))  # fmt: skip
    for q in prepared["api_questions"]:
        for token in prepared["tokens"]:
            api.append(Request("POST", f"/api/v1/assemblies/{assembly}/ballots/", token,
                               f'{{"question":{q},"choice":"agree"}}'))  # fmt: skip
    return {"ballot_web": web, "ballot_api": api}


# --------------------------------------------------------------------------- queries


def count_queries(request: Request, expect: Expect | None = None, *, host="127.0.0.1") -> int:
    """The statements one request runs, in this process: django.test.Client with the
    request's own cookies and headers (CSRF enforced), after Django is set up. Raises
    AssertionError when the answer is not the expected one.

    Warm, as a user meets it: the same client first GETs the request's path (the page
    itself, or the form a POST comes from), so the session and the account's cached data
    are in the cache, as they are for every page after the login (cached_db sessions;
    with Redis in production they are there from the login on). Nothing is written by
    that GET; the measured request is the one counted."""
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    for part in request.cookie.split(";"):
        if "=" in part:
            name, value = part.strip().split("=", 1)
            client.cookies[name] = value
    headers = {k: v for k, v in request.headers().items() if k not in ("Cookie", "Content-Type")}
    kwargs = {"headers": headers}
    if request.body:
        kwargs["data"] = request.body
        kwargs["content_type"] = request.headers()["Content-Type"]
    path, _, query = request.path.partition("?")
    if query:
        path = f"{path}?{query}"
    warm = client.get(path, headers={k: v for k, v in headers.items() if k != "X-CSRFToken"})
    if warm.status_code != 200:
        raise AssertionError(f"GET {path} before {request.method}: {warm.status_code}")
    with CaptureQueriesContext(connection) as captured:
        response = client.generic(request.method, path, **kwargs)
    expect = expect or Expect()
    if expect.status:
        where = response.get("Location", "")
        pattern = expect.location.replace("%d", r"\d")
        ok = response.status_code == expect.status and re.search(pattern, where)
    else:
        ok = 200 <= response.status_code < 300
    if not ok:
        raise AssertionError(
            f"{request.method} {request.path}: {response.status_code} "
            f"{response.get('Location', '')} {response.content[:300]!r}"
        )
    return len(captured.captured_queries)


# --------------------------------------------------------------------------- the run

# issue 9: each web page as a ratio to the floor of the same run, and its statements.
PAGE_TARGETS = {
    "board_web_vs_floor": 0.25,
    "demand_page_vs_floor": 0.36,
    "file_web_vs_floor": 0.3,
    "ballot_web_vs_floor": 0.3,
}
QUERY_LIMIT = 10  # `<name>_queries` ≤ 10 for each of the four
API_RATIOS = {"submit_vs_floor": "submit_rps", "ballot_api_vs_floor": "ballot_api_rps"}
BALLOT_RATE = 600  # one-time ballots prepared per second of each ballot run (web, API)


def measure_pages(result: dict, *, url, district, seed, users, gen, settings, stages, log):
    """board_web, demand_page, file_web, ballot_web and ballot_api: throughput with wrk
    next to the floor of the same run, and each page's statements, into ``result``."""
    import os

    details = result.setdefault("details", {})
    with stages("web: pages, timelines and sessions"):
        pages = prepare_pages(url, district, seed)
        accounts = {s["account"] for s in pages["secretaries"]}
        accounts |= {p["account"] for p in pages["pages"]}
        accounts |= {r["account"] for r in users["residents"] if r.get("account")}
        sessions = web_sessions(accounts)
        requests = page_requests(pages, users["residents"], sessions)
        log(
            f"   {len(pages['secretaries'])} secretaries of compounds with ≥ "
            f"{BOARD_MIN_DEMANDS} demands, {len(pages['pages'])} demand pages "
            f"({pages['timelines_made']} timelines made), {len(sessions)} web sessions"
        )
    with stages("web: ballots prepared"):
        seconds = settings.duration + settings.warmup
        prepared = prepare_voters(int(BALLOT_RATE * seconds) + 200)
        requests.update(ballot_requests(prepared))
    # One request of each kind runs in this process first, to count its statements (and
    # check its answer); those requests are not sent again.
    expects = {"file_web": EXPECT_FILED, "ballot_web": EXPECT_VOTED}
    for name in ("board_web", "demand_page", "file_web", "ballot_web"):
        if not requests[name]:
            result[f"{name}_queries"] = None
            result["missing"][f"{name}_queries"] = "nothing to send"
            continue
        probe = requests[name].pop()
        try:
            result[f"{name}_queries"] = count_queries(probe, expects.get(name))
        except AssertionError as exc:
            result[f"{name}_queries"] = None
            result["errors"].append(f"{name}: {exc}")
            requests[name] = []
        log(f"   {name}: {result[f'{name}_queries']} statements per request")
    once = {"ballot_web", "ballot_api"}
    for name, connections in (
        ("board_web", settings.connections), ("demand_page", settings.connections),
        ("file_web", settings.submit_connections), ("ballot_web", 32), ("ballot_api", 32),
    ):  # fmt: skip
        key = f"{name}_rps"
        if not requests[name]:
            result[key] = None
            result["missing"][key] = "nothing to send (or its check failed)"
            continue
        with stages(f"measure {name}"):
            try:
                r = gen.measure(
                    name, requests[name], connections=connections, duration=settings.duration,
                    warmup=settings.warmup, expect=expects.get(name),
                    once_rate=BALLOT_RATE if name in once else None,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - Invalid: reported, the run is invalid
                result[key] = None
                result["missing"][key] = "invalid measurement (errors)"
                result["errors"].append(str(exc))
                log(f"   INVALID: {exc}")
                continue
        r["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        details[name] = r
        result[key] = round(r["rps"], 1)
        log(
            f"   {r['rps']:.1f} req/s, p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
            f"{r['requests']} requests, {connections} conn."
        )
    floor = result.get("floor_rps")
    for ratio in PAGE_TARGETS:
        name = ratio.removesuffix("_vs_floor")
        rps = result.get(f"{name}_rps")
        result[ratio] = round(rps / floor, 3) if rps and floor else None
    for ratio, key in API_RATIOS.items():
        rps = result.get(key)
        result[ratio] = round(rps / floor, 3) if rps and floor else None
