"""selectors.figures (daily roll-up + live aggregate on PostgreSQL, one aggregate on
SQLite) against the figures counted one demand at a time in Python, on random demands
and random periods, before and after random changes (state, rating, counters, deadlines,
merges, deletions)."""

import datetime as dt
import random

import pytest
from django.db import connection

from gongzhi.demands import rules, selectors
from gongzhi.demands.models import Category, Demand
from gongzhi.demands.models.demand import Kind, PlaceKind
from gongzhi.demands.rules import State

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
PAST = dt.datetime(2026, 1, 20, tzinfo=dt.UTC)


def reference_figures(rows, place_path, since=None, until=None, *, kind=None, now=None):
    """The figures counted one demand at a time in Python, straight from the definitions
    in rules.py: independent of both the SQL aggregate (SQLite) and the roll-up
    (PostgreSQL), so the test can fail on either database."""
    counts = dict.fromkeys(
        ("received", "solved", "overdue", "escalated", "rated", "satisfied",
         "unrated_closed", "open", "withdrawn"), 0,
    )  # fmt: skip
    for d in rows:
        if d.state == State.MERGED or not d.place_path.startswith(place_path):
            continue
        if (since is not None and d.created_at < since) or (
            until is not None and d.created_at >= until
        ):
            continue
        if kind and d.kind != kind:
            continue
        counts["received"] += 1
        counts["solved"] += d.state in rules.SOLVED
        counts["overdue"] += d.overdue_count > 0 or (d.due_at is not None and d.due_at < now)
        counts["escalated"] += d.escalation_count > 0
        rated = d.rating is not None and d.state != State.CLOSED_UNRATED
        counts["rated"] += rated
        counts["satisfied"] += rated and d.rating >= rules.SATISFIED_AT_OR_ABOVE
        counts["unrated_closed"] += d.state == State.CLOSED_UNRATED
        counts["open"] += d.state in rules.UNRESOLVED
        counts["withdrawn"] += d.state == State.WITHDRAWN
    rated = counts["rated"]
    counts["satisfaction"] = round(counts["satisfied"] / rated, 4) if rated else None
    return counts


def _random_fields(rng, cast, handler):
    state = rng.choice(list(State.values))
    fields = {
        "state": state,
        "rating": rng.choice([None, None, 1, 2, 3, 4, 5]),
        "escalation_count": rng.choice([0, 0, 0, 1, 2]),
        "overdue_count": rng.choice([0, 0, 0, 1]),
        "due_at": rng.choice([None, None, PAST - 3 * HOUR * 24, PAST + 3 * HOUR * 24]),
        "handler_body": handler if state in rules.HAS_HANDLER else rng.choice([None, handler]),
        "merged_into": None,
    }
    return fields


def _make(rng, cast, handler, n):
    category = Category.objects.get_or_create(name="随机类别")[0]
    places = [(cast.room_a, cast.a), (cast.room_b, cast.b), (cast.room_z, cast.z)]
    rows = []
    for _ in range(n):
        room, compound = rng.choice(places)
        fields = _random_fields(rng, cast, handler)
        if fields["state"] == State.MERGED:
            fields["state"] = State.CLOSED
        rows.append(
            Demand(
                kind=rng.choice([Kind.DEMAND, Kind.DEMAND, Kind.MICRO_WISH]),
                street_id=compound.community.street_id,
                community_id=compound.community_id,
                compound=compound,
                place_kind=PlaceKind.ROOM,
                building_id=room.building_id,
                room=room,
                place_path=room.path,
                description="随机诉求",
                category=category,
                created_at=T0 + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 12)),
                **fields,
            )
        )
    return Demand.objects.bulk_create(rows)


def _periods(rng):
    yield None, None
    for _ in range(25):
        a = T0 + dt.timedelta(minutes=rng.randrange(-600, 60 * 24 * 13))
        b = a + dt.timedelta(minutes=rng.randrange(1, 60 * 24 * 8))
        yield rng.choice([(a, b), (a, None), (None, b), (a, b)])
    # whole UTC days and whole Shanghai days (the API's)
    yield T0 + dt.timedelta(days=2), T0 + dt.timedelta(days=9)
    yield T0 + dt.timedelta(days=2, hours=-8), T0 + dt.timedelta(days=9, hours=-8)
    yield T0 + dt.timedelta(days=3), T0 + dt.timedelta(days=3, hours=5)


def _compare(cast, rng):
    paths = [cast.district.path if hasattr(cast, "district") else None, cast.street.path,
             cast.community.path, cast.other_community.path, cast.other_street.path,
             cast.a.path, cast.building_a1.path, cast.room_a.path]  # fmt: skip
    paths = [p for p in paths if p]
    if not hasattr(cast, "district"):
        paths.append(cast.street.path.rsplit("/", 2)[0] + "/")
    checked = 0
    rows = list(Demand.objects.all())
    for since, until in _periods(rng):
        for path in paths:
            for kind in (None, Kind.DEMAND, Kind.MICRO_WISH):
                expected = reference_figures(rows, path, since, until, kind=kind, now=PAST)
                got = selectors.figures(path, since, until, kind=kind, now=PAST)
                assert got == expected, (path, since, until, kind)
                checked += 1
    return checked


@pytest.mark.django_db
def test_figures_equal_a_count_one_demand_at_a_time_on_random_data(cast):
    rng = random.Random(20261123)
    handler = cast.property_a
    demands = _make(rng, cast, handler, 400)
    assert _compare(cast, rng) > 100
    # random changes: the roll-up must follow every one of them
    for d in rng.sample(demands, 150):
        for key, value in _random_fields(rng, cast, handler).items():
            setattr(d, key, value)
        if d.state == State.MERGED:
            target = rng.choice([x for x in demands if x.pk != d.pk])
            d.merged_into = target
        d.save()
    Demand.objects.filter(pk__in=[d.pk for d in rng.sample(demands, 10)]).filter(
        duplicates__isnull=True
    ).delete()
    Demand.objects.filter(state=State.RESOLVED).update(state=State.CLOSED)
    _compare(cast, rng)


@pytest.mark.django_db
def test_rollup_rebuild_matches_the_trigger(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the roll-up exists on PostgreSQL only")
    from gongzhi.demands import rollup

    rng = random.Random(7)
    demands = _make(rng, cast, cast.property_a, 200)
    for d in rng.sample(demands, 80):
        d.state = rng.choice([State.CLOSED, State.WITHDRAWN, State.ACCEPTED, State.RESOLVED])
        d.rating = rng.choice([None, 2, 5])
        d.handler_body = cast.property_a
        d.save()
    columns = ", ".join(("community_id", "day", "kind", "street_id", *rollup.COUNTS))
    query = f"SELECT {columns} FROM {rollup.TABLE} WHERE received <> 0 ORDER BY 1, 2, 3"
    with connection.cursor() as cursor:
        cursor.execute(query)
        by_trigger = cursor.fetchall()
        rollup.rebuild(cursor)
        cursor.execute(query)
        assert cursor.fetchall() == by_trigger
