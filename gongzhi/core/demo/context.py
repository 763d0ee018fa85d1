"""The context every story builds on: randomness, identities, service calls, accounts.

Each story module has ``build(ctx)`` and records what it made in ``ctx.worlds[key]``
(a ``World``), so that later additions to the demo (demands, votes, meetings, …) can
find the compound, its bodies and its people by name instead of querying for them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from gongzhi.audit import services as audit
from gongzhi.bodies import services as bodies
from gongzhi.bodies.models import Body, CentralHouseholdLink, Membership, PartyMember
from gongzhi.core.demo import tables
from gongzhi.core.demo.names import Identities
from gongzhi.core.demo.roster import RoomPlan, Roster, RosterPlan, plan_rooms, write_roster
from gongzhi.people import services as people
from gongzhi.people.models import Account, Household, Person
from gongzhi.places import services as places
from gongzhi.places.models import Community, Compound, District, Street

SEED = 2026
DEMO_PASSWORD = "gongzhi2026"
# Ages and dates of birth are computed as of this day, so one seed gives one demo.
REFERENCE_DATE = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Role:
    key: str
    label: str  # shown in the table, in Chinese
    phone: str


# One account per role; phones 13800000000–13800000099 are reserved for them.
ROLES: tuple[Role, ...] = tuple(
    Role(*row) for row in tables.load("gongzhi.core.demo", "accounts")["roles"]
)  # data/accounts.toml
ROLE_BY_KEY = {r.key: r for r in ROLES}
DEMO_PHONES = frozenset(r.phone for r in ROLES)


@dataclass
class DemoAccount:
    role: Role
    person: Person
    account: Account
    where: str


@dataclass
class World:
    """One story's places, bodies and people."""

    key: str
    district: District
    street: Street
    community: Community
    compound: Compound
    roster: Roster
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    more: dict[str, object] = field(default_factory=dict)  # anything else a story keeps


class DemoContext:
    def __init__(self, *, seed: int = SEED, today: dt.date = REFERENCE_DATE, taken_ids=()):
        self.rng = random.Random(seed)
        self.ids = Identities(self.rng, taken_id_numbers=taken_ids, taken_phones=DEMO_PHONES)
        self.today = today
        self.worlds: dict[str, World] = {}
        self.accounts: list[DemoAccount] = []
        self.counts: dict[str, int] = {"bodies": 0, "memberships": 0, "party_members": 0}
        # PBKDF2 costs ~0.4 s a hash; the demo accounts share one published password, so
        # they share one hash too (the demo loads in seconds, not tens of seconds).
        self.password_hash = make_password(DEMO_PASSWORD)

    # Places ---------------------------------------------------------------------------
    def district(self, name: str, code: str) -> District:
        return places.district_create(actor=None, name=name, code=code)

    def street(self, district: District, name: str) -> Street:
        return places.street_create(actor=None, district=district, name=name)

    def community(self, street: Street, name: str) -> Community:
        return places.community_create(actor=None, street=street, name=name)

    def compound(
        self, community: Community, name: str, plan: RosterPlan, *, floor_area=None, **fields
    ) -> tuple[Compound, Roster]:
        """Create the compound with its public figures, then its whole roster in bulk."""
        rooms = plan_rooms(self.rng, plan)
        flats = [r for r in rooms if r.use == "residential"]
        households = plan.households
        if households is None:
            households = round(len(flats) * (1 - plan.vacancy))
        fields.setdefault("households", households)
        fields.setdefault("buildings_count", len(plan.buildings))
        if floor_area is None:
            # Exclusive areas plus common parts (stairs, lobbies): about a fifth more.
            floor_area = (_total(rooms) * Decimal("1.2")).quantize(Decimal("1"))
        compound = places.compound_create(
            actor=None,
            community=community,
            name=name,
            total_floor_area=Decimal(floor_area).quantize(Decimal("0.01")),
            residents=plan.residents or 0,
            **fields,
        )
        roster = write_roster(self.rng, self.ids, compound, plan, rooms, today=self.today)
        if not plan.residents:
            # Only now known: the household sizes were drawn while writing the roster.
            Compound.objects.filter(pk=compound.pk).update(residents=len(roster.residents))
            compound.residents = len(roster.residents)
        return compound, roster

    # People ---------------------------------------------------------------------------
    def outsider(
        self,
        *,
        region: str,
        surnames: str,
        age: tuple[int, int] = (28, 55),
        gender: str | None = None,
        note: str = "",
    ) -> Person:
        """Someone who works here but lives elsewhere (staff, liaisons), via the service."""
        gender = gender or self.ids.gender()
        birth = self.ids.birth_date(age[0], age[1], self.today)
        return people.person_create(
            actor=None,
            name=self.ids.name(gender, birth.year, surnames),
            gender=gender,
            birth_date=birth,
            phone=self.ids.phone(),
            id_number=self.ids.id_number(region, birth, gender),
            note=note,
        )

    # Bodies ---------------------------------------------------------------------------
    def body(self, kind: str, name: str, place, parent: Body | None = None, **fields) -> Body:
        self.counts["bodies"] += 1
        return bodies.body_create(
            actor=None, kind=kind, name=name, place=place, parent=parent, **fields
        )

    def appoint(
        self, body: Body, person: Person, post: str, *, scope=None, start: dt.date | None = None
    ) -> Membership:
        self.counts["memberships"] += 1
        return bodies.membership_appoint(
            actor=None, body=body, person=person, post=post, scope=scope, start=start
        )

    def party_member(
        self,
        person: Person,
        *,
        organisation: Body | None = None,
        organisation_name: str = "",
        in_service: bool = False,
        registered_community: Community | None = None,
        joined: int | None = None,
    ) -> PartyMember:
        """Register a party member, joined in ``joined`` (a year) or at a plausible age."""
        existing = PartyMember.objects.filter(person=person).first()
        if existing is not None:
            return existing
        if joined is None:
            born = person.birth_date.year if person.birth_date else 1970
            joined = min(self.today.year - 1, born + self.rng.randint(20, 35))
        self.counts["party_members"] += 1
        return bodies.party_member_register(
            actor=None,
            person=person,
            organisation=organisation,
            organisation_name=organisation_name,
            is_in_service=in_service,
            registered_community=registered_community,
            joined_on=dt.date(joined, self.rng.randint(1, 12), self.rng.randint(1, 28)),
        )

    def link(self, membership: Membership, household: Household) -> CentralHouseholdLink:
        return bodies.central_household_link(actor=None, membership=membership, household=household)

    # Accounts -------------------------------------------------------------------------
    def account(self, key: str, person: Person, where: str) -> Account:
        """Open the demo account of role ``key`` for ``person``; the phone becomes theirs."""
        role = ROLE_BY_KEY[key]
        Person.objects.filter(pk=person.pk).update(phone=role.phone)
        person.phone = role.phone
        account = people.account_create(actor=None, person=person, phone=role.phone)
        # Same published password for every demo account; see password_hash above.
        Account.objects.filter(pk=account.pk).update(password=self.password_hash)
        account.password = self.password_hash
        self.accounts.append(DemoAccount(role=role, person=person, account=account, where=where))
        return account

    def superuser(self) -> Account:
        role = ROLE_BY_KEY["admin"]
        person = people.person_create(actor=None, name="平台管理员", phone=role.phone)
        account = people.account_create(actor=None, person=person, phone=role.phone)
        Account.objects.filter(pk=account.pk).update(
            password=self.password_hash, is_superuser=True, is_staff=True
        )
        audit.record(
            actor=None,
            action="account.superuser",
            obj=account,
            after={"is_superuser": True, "is_staff": True},
        )
        self.accounts.append(DemoAccount(role=role, person=person, account=account, where="全平台"))
        return account


def _total(rooms: list[RoomPlan]) -> Decimal:
    return sum((r.area for r in rooms), Decimal("0.00"))
