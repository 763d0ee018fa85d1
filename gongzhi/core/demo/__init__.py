"""Demo data: the five compounds of the source articles, one module per story.

``load()`` builds them all in one transaction through the services (actor ``None``, the
system) where a row matters on its own, and in bulk for the hundreds of rooms and
people of each roster, then records one ``demo.load`` audit event with the counts.
To add to a story (demands, votes, meetings…), extend its ``build(ctx)``: what it made
is in ``ctx.worlds[key]``. See docs/demo.md.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from gongzhi.audit import services as audit
from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import Body, CentralHouseholdLink, Membership, PartyMember
from gongzhi.core.demo import activity, story_000, story_001, story_002, story_003, story_004
from gongzhi.core.demo.context import DEMO_PHONES, DemoAccount, DemoContext
from gongzhi.people.models import Account, Household, Ownership, Person, Residency
from gongzhi.places.models import Building, Compound, District, Room

STORIES = (story_000, story_001, story_002, story_003, story_004)
# The districts of the five articles (their presence means the demo is loaded) and the
# compound of each, as the stories' data files name them (data/story_*.toml).
DEMO_DISTRICTS = {story.PLACE["district"]: story.PLAN.region for story in STORIES}
DEMO_COMPOUNDS = tuple(story.PLACE["compound"] for story in STORIES)
LOAD_ACTION = "demo.load"


class DemoConflict(Exception):
    """The database holds data that the demo would clash with."""


@dataclass
class LoadResult:
    loaded: bool  # False when the demo was already there
    seconds: float
    accounts: list[DemoAccount]
    counts: dict


def is_loaded() -> bool:
    return AuditEvent.objects.filter(action=LOAD_ACTION).exists()


def check_clashes() -> list[str]:
    """Why the demo cannot be loaded here (empty when it can)."""
    problems = []
    names = list(District.objects.filter(name__in=DEMO_DISTRICTS).values_list("name", flat=True))
    if names:
        problems.append(f"已有同名的区:{'、'.join(names)}")
    phones = sorted(Account.objects.filter(phone__in=DEMO_PHONES).values_list("phone", flat=True))
    if phones:
        problems.append(f"演示账号的手机号已被占用:{'、'.join(phones)}")
    return problems


def only_demo_data() -> list[str]:
    """What is in the database besides the demo (empty when nothing is)."""
    found = []
    other = District.objects.exclude(name__in=DEMO_DISTRICTS).values_list("name", flat=True)
    if other:
        found.append(f"非演示的区:{'、'.join(other[:5])}")
    accounts = Account.objects.exclude(phone__in=DEMO_PHONES).count()
    if accounts:
        found.append(f"{accounts} 个非演示账号")
    return found


def load(*, seed: int | None = None) -> LoadResult:
    """Build the demo unless it is there already; raise DemoConflict on clashing data."""
    started = time.monotonic()
    if is_loaded():
        return LoadResult(False, time.monotonic() - started, [], {})
    problems = check_clashes()
    if problems:
        raise DemoConflict(";".join(problems))
    # ID numbers of anyone already here from the demo's prefectures, never to be reused.
    prefectures = {code[:4] for code in DEMO_DISTRICTS.values()}
    taken = Person.objects.filter(_any_prefix("id_number", prefectures)).values_list(
        "id_number", flat=True
    )
    ctx = DemoContext(taken_ids=taken) if seed is None else DemoContext(seed=seed, taken_ids=taken)
    token = audit.set_correlation(uuid.uuid4())
    try:
        with transaction.atomic():
            ctx.superuser()
            for story in STORIES:
                story.build(ctx)
            activity.build(ctx)
            counts = summary(ctx)
            audit.record(
                actor=None,
                action=LOAD_ACTION,
                object_type="core.demo",
                object_repr="演示数据",
                after=counts,
            )
    finally:
        audit.reset_correlation(token)
    return LoadResult(True, time.monotonic() - started, ctx.accounts, counts)


def summary(ctx: DemoContext) -> dict:
    """Counts per compound and in all, as recorded in the ``demo.load`` event."""
    districts = [w.district for w in ctx.worlds.values()]
    compounds = Compound.objects.filter(community__street__district__in=districts).order_by("pk")
    per_compound = {compound.name: compound_counts(compound) for compound in compounds}
    return {
        "compounds": per_compound,
        "bodies": Body.objects.filter(_demo_bodies(ctx)).count(),
        "memberships": Membership.objects.filter(
            body__in=Body.objects.filter(_demo_bodies(ctx))
        ).count(),
        "party_members": ctx.counts["party_members"],
        "accounts": len(ctx.accounts),
    }


def compound_counts(compound: Compound) -> dict:
    rooms = Room.objects.filter(compound=compound)
    residencies = Residency.objects.filter(household__room__compound=compound, until__isnull=True)
    owners = Ownership.objects.filter(room__compound=compound, until__isnull=True)
    return {
        "buildings": Building.objects.filter(compound=compound).count(),
        "rooms": rooms.count(),
        "flats": rooms.filter(use="residential").count(),
        "households": Household.objects.filter(room__compound=compound).count(),
        "residents": residencies.values("person").distinct().count(),
        "owners": owners.values("person").distinct().count(),
        "bodies": Body.objects.filter(place_path__startswith=compound.path).count(),
        "memberships": Membership.objects.filter(scope_path__startswith=compound.path).count(),
        "party_members": PartyMember.objects.filter(
            Q(person__residencies__household__room__compound=compound)
        )
        .distinct()
        .count(),
        "central_household_links": CentralHouseholdLink.objects.filter(
            household__room__compound=compound
        ).count(),
    }


def _demo_bodies(ctx: DemoContext) -> Q:
    return _any_prefix("place_path", [w.district.path for w in ctx.worlds.values()])


def _any_prefix(field: str, prefixes) -> Q:
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q
