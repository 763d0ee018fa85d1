"""Voting figures for `make bench` (issue 4).

* ``measure_tally_10k(database) -> float``: milliseconds to tally an assembly of 10,000
  rooms (each its own head: the worst case) and 5 questions, every room voting on every
  question (50,000 ballots), with the sums done by the database
  (``gongzhi.voting.selectors.tally``). Median of several runs after a warm-up. The
  data is written inside a transaction that is rolled back: nothing is left behind.
* ``measure_ballots(base_url, tokens, connections=32) -> dict``: ballots cast over the
  API by ``len(tokens)`` distinct voters through ``connections`` concurrent connections,
  plus 200 duplicate requests mixed in; checks that exactly ``len(tokens)`` ballots were
  counted (every duplicate refused with 409) and raises AssertionError otherwise.
* ``prepare_ballots_bench(voters=1000) -> dict``: builds, in the default database, a
  compound with ``voters`` owners, their API tokens and one open assembly, for the above.

Run alone: ``python bench/bench_voting.py tally postgres://postgres@127.0.0.1:5432/gongzhi``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TALLY_ROOMS = 10_000
TALLY_QUESTIONS = 5
DUPLICATES = 200


def _django(database: str | None = None) -> None:
    """Set Django up if the caller has not (test settings; DATABASE_URL from ``database``)."""
    from django.conf import settings

    if settings.configured:
        return
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database and "://" in database:
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings_test")
    import django

    django.setup()


def _alias(database: str | None) -> str:
    """A connection alias for ``database``: an alias name, or a URL (registered if new)."""
    from django.db import connections

    if not database or database in connections.databases:
        return database or "default"
    import dj_database_url

    wanted = dj_database_url.parse(database)
    for alias, conf in connections.databases.items():
        if all(conf.get(k) == wanted.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT")):
            return alias
    alias = "bench_voting"
    connections.databases[alias] = {**connections.databases["default"], **wanted}
    return alias


def _tally_data(alias: str, rng: random.Random):
    """Place rows, one assembly with 5 questions, 10,000 roll entries, 50,000 ballots."""
    from gongzhi.places.models import Community, Compound, District, Street
    from gongzhi.voting import ledger, rules
    from gongzhi.voting.models import Assembly, Ballot, Question, RollEntry

    tag = uuid.uuid4().hex[:8]
    district = District.objects.using(alias).create(name=f"bench-{tag}", path=f"bench{tag}/d/")
    street = Street.objects.using(alias).create(district=district, name="s", path=f"bench{tag}/s/")
    community = Community.objects.using(alias).create(
        street=street, name="c", path=f"bench{tag}/c/"
    )
    compound = Compound.objects.using(alias).create(
        community=community, name="c", path=f"bench{tag}/p/"
    )
    from django.utils import timezone

    now = timezone.now()
    assembly = Assembly.objects.using(alias).create(
        compound=compound,
        title="bench",
        state=rules.AssemblyState.OPEN,
        opens_at=now,
        closes_at=now + timezone.timedelta(days=7),
    )
    matters = [
        "use_maintenance_fund",
        "raise_maintenance_fund",
        "management_rules",
        "rebuild",
        "other_major",
    ]
    questions = Question.objects.using(alias).bulk_create(
        Question(assembly=assembly, position=i + 1, title=m, matter=m)
        for i, m in enumerate(matters)
    )
    entries = RollEntry.objects.using(alias).bulk_create(
        (
            RollEntry(
                assembly=assembly,
                voter_key=f"r{i}",
                room_ids=[i],
                rooms_label=f"{i // 100}-{i % 100}",
                area=Decimal(rng.randint(3000, 15000)) / 100,
            )
            for i in range(TALLY_ROOMS)
        ),
        batch_size=5000,
    )
    choices = ["agree", "agree", "agree", "oppose", "abstain"]
    votes: dict[int, dict[str, str]] = {}
    ballots = []
    for q in questions:
        votes[q.pk] = {}
        for e in entries:
            choice = rng.choice(choices)
            votes[q.pk][e.voter_key] = choice
            ballots.append(
                Ballot(
                    question=q,
                    roll_entry=e,
                    choice=choice,
                    channel="online",
                    status="valid",
                    receipt=ledger.new_receipt(),
                    cast_at=now,
                )  # fmt: skip
            )
    Ballot.objects.using(alias).bulk_create(ballots, batch_size=5000)
    roll = {e.voter_key: rules.Totals(e.area, 1) for e in entries}
    return assembly, questions, roll, votes


def _cleanup(alias: str, assembly) -> None:
    """Remove the bench data (raw deletes, children first: the ORM's cascade is slow here)."""
    from django.db import connections, transaction

    from gongzhi.places.models import Community, Compound, District, Street
    from gongzhi.voting.models import Assembly, Ballot, Question, RollEntry

    compound = (
        Compound.objects.using(alias)
        .select_related("community__street__district")
        .get(pk=assembly.compound_id)
    )
    steps = [
        (
            Ballot,
            "question_id IN (SELECT id FROM voting_question WHERE assembly_id = %s)",
            assembly.pk,
        ),
        (RollEntry, "assembly_id = %s", assembly.pk),
        (Question, "assembly_id = %s", assembly.pk),
        (Assembly, "id = %s", assembly.pk),
        (Compound, "id = %s", compound.pk),
        (Community, "id = %s", compound.community_id),
        (Street, "id = %s", compound.community.street_id),
        (District, "id = %s", compound.community.street.district_id),
    ]
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for model, where, value in steps:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {where}", [value])


def measure_tally_10k(database: str = "default", *, runs: int = 9) -> float:
    """Median milliseconds of ``selectors.tally`` over 10,000 rooms × 5 questions.

    ``database``: a Django database alias, or a database URL (the schema must be
    migrated). The data is committed and analysed first, as a real assembly's would be,
    measured, checked once against the pure rules, and deleted again.
    """
    _django(database)
    from django.db import connections, transaction

    from gongzhi.voting import rules, selectors

    alias = _alias(database)
    with transaction.atomic(using=alias):
        assembly, questions, roll, votes = _tally_data(alias, random.Random(4))
    try:
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                for table in ("voting_ballot", "voting_rollentry", "voting_question"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        results = selectors.tally(assembly, using=alias)  # warm-up, and check
        for q in questions:
            assert results[q.pk] == rules.tally_decision(roll, votes[q.pk], q.matter), q.matter
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            selectors.tally(assembly, using=alias)
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        _cleanup(alias, assembly)
    return round(statistics.median(timings), 2)


# --------------------------------------------------------------------------- ballots


def prepare_ballots_bench(voters: int = 1000, questions: int = 1) -> dict:
    """A compound with ``voters`` owners (each with an API token) and one open assembly
    with ``questions`` questions, in the default database. Returns tokens and ids
    (``question``: the first; ``questions``: all; ``accounts``: the owners' accounts)."""
    _django()
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from gongzhi.people.models import Account, Ownership, Person
    from gongzhi.places.models import Building, Community, Compound, District, Room, Street
    from gongzhi.voting import services

    tag = uuid.uuid4().hex[:6]
    district = District.objects.create(name=f"压测区{tag}")
    street = Street.objects.create(district=district, name="压测街道")
    community = Community.objects.create(street=street, name="压测社区")
    compound = Compound.objects.create(community=community, name="压测小区")
    building = Building.objects.create(compound=compound, name="1号楼")
    rooms = Room.objects.bulk_create(
        Room(building=building, compound=compound, name=f"{i:04d}", exclusive_area=Decimal("88.00"))
        for i in range(voters)
    )
    base = random.Random(tag).randint(0, 10**7)
    people = Person.objects.bulk_create(
        Person(name=f"压测业主{i}", phone=f"17{(base + i) % 10**9:09d}") for i in range(voters)
    )
    accounts = Account.objects.bulk_create(
        Account(phone=p.phone, person=p, password="!") for p in people
    )
    Ownership.objects.bulk_create(
        Ownership(room=r, person=p) for r, p in zip(rooms, people, strict=True)
    )
    tokens = Token.objects.bulk_create(Token(user=a, key=Token.generate_key()) for a in accounts)
    now = timezone.now()
    assembly = services.assembly_create(
        actor=None, compound=compound, title="压测会议",
        opens_at=now - dt.timedelta(minutes=5), closes_at=now + dt.timedelta(days=1),
    )  # fmt: skip
    added = [
        services.question_add(
            actor=None,
            assembly=assembly,
            title=f"压测议题{n + 1}" if n else "压测议题",
            matter="other_major",
        )  # fmt: skip
        for n in range(questions)
    ]
    question = added[0]
    services.assembly_publish_roll(
        actor=None, assembly=assembly, objection_days=1, now=now - dt.timedelta(days=2)
    )
    services.assembly_open(actor=None, assembly=assembly, now=now - dt.timedelta(minutes=5))
    return {"tokens": [t.key for t in tokens], "assembly": assembly.pk, "question": question.pk,
            "questions": [q.pk for q in added], "accounts": [a.pk for a in accounts]}  # fmt: skip


def _session_factory():
    import requests

    local = threading.local()

    def session():
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    return session


def _counted(session, base_url: str, token: str, assembly: int, question: int) -> int:
    response = session.get(
        f"{base_url}/api/v1/assemblies/{assembly}/participation",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    response.raise_for_status()
    shares = {q["question"]: q["share"] for q in response.json()["questions"]}
    return shares[question]["participating"]["heads"]


def _discover(session, base_url: str, token: str) -> tuple[int, int]:
    headers = {"Authorization": f"Token {token}"}
    listed = session.get(
        f"{base_url}/api/v1/assemblies/", params={"state": "open"}, headers=headers, timeout=30
    )
    listed.raise_for_status()
    results = listed.json()["results"]
    if not results:
        raise AssertionError("没有进行中的会议可供压测")
    assembly = results[0]["id"]
    detail = session.get(f"{base_url}/api/v1/assemblies/{assembly}/", headers=headers, timeout=30)
    detail.raise_for_status()
    return assembly, detail.json()["questions"][0]["id"]


def measure_ballots(
    base_url: str,
    tokens: list[str],
    connections: int = 32,
    *,
    assembly: int | None = None,
    question: int | None = None,
    duplicates: int = DUPLICATES,
) -> dict:
    """Cast one ballot per token (plus ``duplicates`` repeated requests, shuffled in) over
    ``connections`` concurrent keep-alive connections; return the rate and the checks.

    Raises AssertionError unless exactly ``len(tokens)`` ballots were created and counted
    and every duplicate was refused with 409.
    """
    import requests  # noqa: F401 - fail early if missing

    base_url = base_url.rstrip("/")
    session = _session_factory()
    if assembly is None or question is None:
        assembly, question = _discover(session(), base_url, tokens[0])
    before = _counted(session(), base_url, tokens[0], assembly, question)
    url = f"{base_url}/api/v1/assemblies/{assembly}/ballots/"
    jobs = [(t, "agree") for t in tokens] + [(t, "agree") for t in tokens[:duplicates]]
    random.Random(0).shuffle(jobs)
    statuses: list[int] = []
    lock = threading.Lock()

    def cast(job):
        token, choice = job
        response = session().post(
            url,
            json={"question": question, "choice": choice},
            headers={"Authorization": f"Token {token}"},
            timeout=60,
        )
        with lock:
            statuses.append(response.status_code)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(cast, jobs))
    elapsed = time.perf_counter() - start
    counted = _counted(session(), base_url, tokens[0], assembly, question) - before
    created = statuses.count(201)
    refused = statuses.count(409)
    report = {
        "ballots_rps": round(len(jobs) / elapsed, 1),
        "requests": len(jobs),
        "seconds": round(elapsed, 3),
        "connections": connections,
        "created": created,
        "duplicates_refused": refused,
        "other_statuses": sorted(s for s in statuses if s not in (201, 409)),
        "counted": counted,
    }
    report["ok"] = (
        created == len(tokens) == counted
        and refused == min(duplicates, len(tokens))
        and not report["other_statuses"]
    )
    if not report["ok"]:
        raise AssertionError(f"选票数量不符：{report}")
    return report


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "tally":
        db = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("DATABASE_URL", "default")
        print({"tally_10k_ms": measure_tally_10k(db)})
    else:
        print(__doc__)
