"""A compound's roster for the demo: grids, buildings, entrances, rooms, people, owners.

Two phases. ``plan_rooms`` lays the rooms out in memory (names, floors, areas), so the
compound's public figures are known before anything is written. ``write_roster`` then
inserts the nodes (paths computed in Python, see ``bulk``) and the people, households,
residencies and ownerships in bulk. Bulk rows carry no audit event of their own; the
``demo.load`` event summarises them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from gongzhi.core.demo.bulk import insert_nodes
from gongzhi.core.demo.names import Identities
from gongzhi.people.models import Household, Ownership, Person, Relation, Residency
from gongzhi.places.models import Building, Compound, Entrance, Grid, Room, RoomUse

CENT = Decimal("0.01")
HALF = Decimal("0.5000")

# Province abbreviations for property certificate numbers, by the region code's first 2 digits.
_PROVINCE = {"35": "闽", "45": "桂", "14": "晋"}


@dataclass
class BuildingPlan:
    """One building: ``entrances`` × ``floors`` × ``per_floor`` flats, plus shops."""

    number: int
    entrances: int = 1
    floors: int = 6
    per_floor: int = 2
    area: tuple[int, int] = (70, 110)  # m², range of the flat types
    elevator: bool = False
    grid: str | None = None
    shops: int = 0
    shop_area: tuple[int, int] = (25, 80)

    @property
    def name(self) -> str:
        return f"{self.number}号楼"

    @property
    def flats(self) -> int:
        return self.entrances * self.floors * self.per_floor


@dataclass
class RosterPlan:
    """Who lives in a compound, in proportions; exact totals where the article gives them."""

    region: str  # ID-number region code of most residents
    surnames: str  # key of names.REGIONAL_SURNAMES
    city: str  # for certificate numbers, e.g. "泉州市"
    buildings: list[BuildingPlan]
    grids: tuple[str, ...] = ()
    households: int | None = None  # occupied flats; default from ``vacancy``
    residents: int | None = None  # everyone living there; default from household sizes
    vacancy: float = 0.05
    renting: float = 0.12
    co_owned: float = 0.3
    developer: str | None = None  # "开发商:…有限公司", owner of the flats it still holds
    developer_flats: int = 0
    landlords: int = 0  # owners of two or three flats
    shop_owner: str | None = None  # one collective owning every shop (article 004)
    head_ages: tuple[int, int] = (28, 88)
    moved_in: tuple[int, int] = (2000, 2024)

    @classmethod
    def from_table(cls, table) -> RosterPlan:
        """The plan a story's data file gives (``[roster]``, its ``buildings`` one table
        each; fields left out keep their defaults), arrays read as the tuples above."""
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
        fields["buildings"] = [
            BuildingPlan(**{k: tuple(v) if isinstance(v, list) else v for k, v in b.items()})
            for b in table["buildings"]
        ]
        return cls(**fields)


@dataclass
class RoomPlan:
    building: int  # index into plan.buildings
    entrance: int | None  # 1-based, None when the building has a single entrance
    name: str
    floor: int
    area: Decimal
    use: str = RoomUse.RESIDENTIAL


def plan_rooms(rng, plan: RosterPlan) -> list[RoomPlan]:
    """Lay out every room; flats of one type (same entrance and position) share an area."""
    rooms: list[RoomPlan] = []
    for index, b in enumerate(plan.buildings):
        low, high = b.area
        types = {
            (e, s): Decimal(str(rng.uniform(low, high))).quantize(CENT)
            for e in range(1, b.entrances + 1)
            for s in range(1, b.per_floor + 1)
        }
        for n in range(1, b.shops + 1):
            area = Decimal(str(rng.uniform(*b.shop_area))).quantize(CENT)
            rooms.append(RoomPlan(index, None, f"商铺{n:02d}", 1, area, RoomUse.COMMERCIAL))
        for e in range(1, b.entrances + 1):
            for floor in range(1, b.floors + 1):
                for s in range(1, b.per_floor + 1):
                    number = f"{floor}{s:02d}"
                    name = f"{e}单元{number}" if b.entrances > 1 else number
                    entrance = e if b.entrances > 1 else None
                    rooms.append(RoomPlan(index, entrance, name, floor, types[(e, s)]))
    return rooms


def exclusive_area(rooms: list[RoomPlan], use: str | None = None) -> Decimal:
    return sum((r.area for r in rooms if use is None or r.use == use), Decimal("0.00"))


@dataclass
class Resident:
    person: Person
    household: Household
    room: Room
    relation: str
    age: int
    is_tenant: bool
    owns_home: bool  # owns the room they live in
    household_size: int


@dataclass
class Roster:
    """What ``write_roster`` created, with helpers to pick people for posts."""

    compound: Compound
    grids: dict[str, Grid]
    buildings: list[Building]
    entrances: list[Entrance]
    rooms: list[Room]
    households: list[Household]
    residents: list[Resident]
    owned: dict[int, list[Room]]  # person pk → rooms they own
    owners: dict[int, Person]  # person pk → person, every owner
    developer: Person | None = None
    taken: set[int] = field(default_factory=set)

    def building(self, number: int) -> Building:
        return self.buildings[number - 1]

    def resident(self, person: Person) -> Resident:
        return next(r for r in self.residents if r.person.pk == person.pk)

    def building_of(self, room: Room) -> Building:
        return next(b for b in self.buildings if b.pk == room.building_id)

    def households_in(self, building: Building, *, exclude=()) -> list[Household]:
        skip = {h.pk for h in exclude}
        return [
            h for h in self.households if h.room.building_id == building.pk and h.pk not in skip
        ]

    def heads(self) -> list[Resident]:
        return [r for r in self.residents if r.relation in (Relation.HEAD, Relation.TENANT)]

    def pick(
        self,
        rng,
        *,
        building: Building | None = None,
        age: tuple[int, int] = (18, 120),
        owner: bool | None = None,
        tenant: bool | None = False,
        head: bool | None = None,
        gender: str | None = None,
        where: Callable[[Resident], bool] | None = None,
    ) -> Resident:
        """A resident matching every condition given, not picked before (then marked)."""
        candidates = [
            r
            for r in self.residents
            if r.person.pk not in self.taken
            and age[0] <= r.age <= age[1]
            and (building is None or r.room.building_id == building.pk)
            and (owner is None or r.owns_home == owner)
            and (tenant is None or r.is_tenant == tenant)
            and (head is None or (r.relation in (Relation.HEAD, Relation.TENANT)) == head)
            and (gender is None or r.person.gender == gender)
            and (where is None or where(r))
        ]
        if not candidates:
            raise LookupError(f"{self.compound.name}: nobody left to pick")
        chosen = rng.choice(candidates)
        self.taken.add(chosen.person.pk)
        return chosen

    def pick_landlord(self, rng, *, resident: bool | None = None) -> Person:
        """An owner of two or more rooms (who may or may not live in the compound)."""
        living = {r.person.pk for r in self.residents}
        candidates = [
            self.owners[pk]
            for pk, rooms in self.owned.items()
            if len(rooms) > 1
            and pk not in self.taken
            and (self.developer is None or pk != self.developer.pk)
            and (resident is None or (pk in living) == resident)
        ]
        if not candidates:
            raise LookupError(f"{self.compound.name}: no owner of several rooms left")
        chosen = rng.choice(sorted(candidates, key=lambda p: p.pk))
        self.taken.add(chosen.pk)
        return chosen


def _sizes(rng, count: int, renting: list[bool], target: int | None) -> list[int]:
    """Household sizes; adjusted one person at a time to ``target`` when given."""
    owner_weights = ((1, 15), (2, 30), (3, 28), (4, 16), (5, 8), (6, 3))
    tenant_weights = ((1, 35), (2, 35), (3, 20), (4, 10))
    sizes = []
    for rent in renting:
        table = tenant_weights if rent else owner_weights
        sizes.append(rng.choices([s for s, _ in table], [w for _, w in table])[0])
    if target is not None:
        if not count <= target <= 6 * count:
            raise ValueError(f"{target} residents cannot fill {count} households")
        while (diff := target - sum(sizes)) != 0:
            i = rng.randrange(count)
            if diff > 0 and sizes[i] < 6:
                sizes[i] += 1
            elif diff < 0 and sizes[i] > 1:
                sizes[i] -= 1
    return sizes


def _day_in(rng, year_from: int, year_to: int) -> dt.date:
    start = dt.date(year_from, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(year_to, 12, 31).toordinal()))


def write_roster(
    rng,
    ids: Identities,
    compound: Compound,
    plan: RosterPlan,
    rooms_plan: list[RoomPlan],
    *,
    today: dt.date,
) -> Roster:
    """Insert the planned places and a population for them. Deterministic for one ``rng``."""
    # Places: grids, buildings, entrances, rooms.
    grids = {name: Grid(compound=compound, name=name) for name in plan.grids}
    insert_nodes(list(grids.values()), [compound.path] * len(grids))
    buildings = [
        Building(
            compound=compound,
            grid=grids[b.grid] if b.grid else None,
            name=b.name,
            floors=b.floors,
            has_elevator=b.elevator,
        )
        for b in plan.buildings
    ]
    insert_nodes(buildings, [(b.grid.path if b.grid else compound.path) for b in buildings])
    entrances: dict[tuple[int, int], Entrance] = {}
    for index, b in enumerate(plan.buildings):
        if b.entrances > 1:
            for e in range(1, b.entrances + 1):
                entrances[(index, e)] = Entrance(building=buildings[index], name=f"{e}单元")
    insert_nodes(list(entrances.values()), [e.building.path for e in entrances.values()])
    rooms = []
    parents = []
    for rp in rooms_plan:
        entrance = entrances.get((rp.building, rp.entrance)) if rp.entrance else None
        building = buildings[rp.building]
        rooms.append(
            Room(
                building=building,
                entrance=entrance,
                compound=compound,
                name=rp.name,
                floor=rp.floor,
                exclusive_area=rp.area,
                use=rp.use,
            )
        )
        parents.append(entrance.path if entrance else building.path)
    insert_nodes(rooms, parents)

    people = _Population(rng, ids, plan, today=today)
    flats = [r for r in rooms if r.use == RoomUse.RESIDENTIAL]
    shops = [r for r in rooms if r.use != RoomUse.RESIDENTIAL]

    # Which flats the developer still holds, which are lived in, which are let.
    developer = None
    held: set[int] = set()
    if plan.developer and plan.developer_flats:
        developer = people.organisation(plan.developer)
        high = sorted(flats, key=lambda r: (-(r.floor or 0), r.pk))[: plan.developer_flats * 3]
        held = {r.pk for r in rng.sample(high, plan.developer_flats)}
        for room in flats:
            room.held_by_developer = room.pk in held
    occupied_count = (
        plan.households if plan.households is not None else round(len(flats) * (1 - plan.vacancy))
    )
    occupied = sorted(rng.sample(flats, occupied_count), key=lambda r: r.pk)
    let = [r.pk in held or rng.random() < plan.renting for r in occupied]
    sizes = _sizes(rng, len(occupied), let, plan.residents)

    # Households and who lives in them.
    households: list[Household] = []
    members: list[list[tuple[Person, str, bool]]] = []  # (person, relation, is_tenant)
    for room, rent, size in zip(occupied, let, sizes, strict=True):
        moved_in = _day_in(rng, *((2019, 2025) if rent else plan.moved_in))
        group = people.household(size, tenant=rent)
        households.append(Household(room=room, is_renting=rent, moved_in=moved_in))
        members.append(group)

    # Owners: occupiers own their flat; let and empty flats belong to landlords elsewhere,
    # a few landlords own several; the developer holds its flats; shops have owners too.
    ownerships: list[tuple[Room, Person, Decimal, bool]] = []
    owner_occupied: dict[int, tuple[Person, Person | None]] = {}
    for room, rent, group in zip(occupied, let, members, strict=True):
        if rent:
            continue
        head = group[0][0]
        spouse = next((p for p, rel, _ in group if rel == Relation.SPOUSE), None)
        co_owner = spouse if spouse is not None and rng.random() < plan.co_owned else None
        owner_occupied[room.pk] = (head, co_owner)
    absentee_rooms = [r for r in flats if r.pk not in owner_occupied and r.pk not in held]
    rng.shuffle(absentee_rooms)
    landlord_of: dict[int, Person] = {}
    resident_heads = [owner_occupied[pk][0] for pk in sorted(owner_occupied)]
    for i in range(plan.landlords):
        if len(absentee_rooms) < 1:
            break
        # Half of them live in the compound and let a second flat; half live elsewhere.
        if i % 2 == 0 and resident_heads:
            landlord = resident_heads.pop(rng.randrange(len(resident_heads)))
            extra = 1 + (rng.random() < 0.3)
        else:
            landlord = people.absentee()
            extra = 2 + (rng.random() < 0.4)
        for _ in range(min(extra, len(absentee_rooms))):
            landlord_of[absentee_rooms.pop().pk] = landlord
    for room in absentee_rooms:
        landlord_of[room.pk] = people.absentee()
    collective = people.organisation(plan.shop_owner) if plan.shop_owner and shops else None
    shop_owner_of = {s.pk: collective or people.absentee() for s in shops}

    Person.objects.bulk_create(people.persons, batch_size=5000)
    for household, group in zip(households, members, strict=True):
        household.head = group[0][0]
    Household.objects.bulk_create(households, batch_size=5000)

    residencies = []
    residents: list[Resident] = []
    for household, group in zip(households, members, strict=True):
        for person, relation, is_tenant in group:
            residencies.append(
                Residency(
                    person=person,
                    household=household,
                    relation=relation,
                    is_tenant=is_tenant,
                    since=household.moved_in,
                )
            )
    Residency.objects.bulk_create(residencies, batch_size=5000)
    size_of = {h.pk: len(group) for h, group in zip(households, members, strict=True)}
    for residency in residencies:
        household = residency.household
        owns = (
            household.room.pk in owner_occupied
            and residency.person in owner_occupied[household.room.pk]
        )
        residents.append(
            Resident(
                person=residency.person,
                household=household,
                room=household.room,
                relation=residency.relation,
                age=people.age_of(residency.person),
                is_tenant=residency.is_tenant,
                owns_home=owns,
                household_size=size_of[household.pk],
            )
        )

    province = _PROVINCE.get(plan.region[:2], "")
    since_of = {h.room.pk: h.moved_in for h in households}
    for room in flats + shops:
        if room.pk in held:
            ownerships.append((room, developer, Decimal("1.0000"), True))
        elif room.pk in owner_occupied:
            head, co_owner = owner_occupied[room.pk]
            if co_owner is None:
                ownerships.append((room, head, Decimal("1.0000"), True))
            else:
                ownerships.append((room, head, HALF, True))
                ownerships.append((room, co_owner, HALF, False))
        elif room.pk in landlord_of:
            ownerships.append((room, landlord_of[room.pk], Decimal("1.0000"), True))
        else:
            ownerships.append((room, shop_owner_of[room.pk], Decimal("1.0000"), True))
    certificates: dict[int, str] = {}
    rows = []
    for room, person, share, voter in ownerships:
        since = since_of.get(room.pk) if room.pk in owner_occupied else None
        since = since or _day_in(rng, *plan.moved_in)
        if person is developer or person is collective:
            certificate = ""
        else:
            if room.pk not in certificates:
                year = max(since.year, 2016)
                certificates[room.pk] = (
                    f"{province}({year}){plan.city}不动产权第{rng.randrange(10**7):07d}号"
                )
            certificate = certificates[room.pk]
        rows.append(
            Ownership(
                room=room,
                person=person,
                share=share,
                is_designated_voter=voter,
                certificate_no=certificate,
                since=since,
            )
        )
    Ownership.objects.bulk_create(rows, batch_size=5000)
    owned: dict[int, list[Room]] = {}
    owners: dict[int, Person] = {}
    for row in rows:
        owned.setdefault(row.person.pk, []).append(row.room)
        owners[row.person.pk] = row.person
    if held:
        Room.objects.filter(pk__in=held).update(held_by_developer=True)

    return Roster(
        compound=compound,
        grids=grids,
        buildings=buildings,
        entrances=list(entrances.values()),
        rooms=rooms,
        households=households,
        residents=residents,
        owned=owned,
        owners=owners,
        developer=developer,
    )


class _Population:
    """Makes the (unsaved) people of one compound; ``persons`` is saved in one bulk insert."""

    def __init__(self, rng, ids: Identities, plan: RosterPlan, *, today: dt.date):
        self.rng = rng
        self.ids = ids
        self.plan = plan
        self.today = today
        self.persons: list[Person] = []
        self._ages: dict[int, int] = {}

    def age_of(self, person: Person) -> int:
        return self._ages[id(person)]

    def person(self, *, age: int, gender: str, region: str | None = None) -> Person:
        rng = self.rng
        age = max(0, min(age, 100))
        birth = self.ids.birth_date(age, age, self.today)
        # Most residents were born locally; the rest come from all over the province.
        if region is None:
            region = self.plan.region if rng.random() < 0.75 else self.plan.region[:4] + "01"
        person = Person(
            name=self.ids.name(gender, birth.year, self.plan.surnames),
            gender=gender,
            birth_date=birth,
            phone=self.ids.phone() if age >= 16 and rng.random() < 0.97 else "",
            id_number=self.ids.id_number(region, birth, gender),
            is_vulnerable=False,
        )
        self._ages[id(person)] = age
        self.persons.append(person)
        return person

    def organisation(self, name: str) -> Person:
        """A company or collective owning rooms, represented as one owner on the roll."""
        person = Person(name=name[:50], note="单位产权人")
        self._ages[id(person)] = 0
        self.persons.append(person)
        return person

    def absentee(self) -> Person:
        """An owner who lives elsewhere."""
        rng = self.rng
        return self.person(age=rng.randint(32, 72), gender=self.ids.gender(0.55))

    def household(self, size: int, *, tenant: bool) -> list[tuple[Person, str, bool]]:
        """A family of ``size``: head first. Tenants' families are tenants too."""
        rng = self.rng
        low, high = (22, 58) if tenant else self.plan.head_ages
        head_age = rng.randint(low, high)
        head_gender = self.ids.gender(0.6)
        head = self.person(age=head_age, gender=head_gender)
        group = [(head, Relation.TENANT if tenant else Relation.HEAD, tenant)]
        if size == 1 and head_age >= 70 and rng.random() < 0.7:
            head.is_vulnerable = True  # 独居老人
        if size >= 2:
            if rng.random() < 0.88:
                other = "f" if head_gender == "m" else "m"
                spouse_age = max(20, head_age + rng.randint(-6, 4))
                group.append((self.person(age=spouse_age, gender=other), Relation.SPOUSE, tenant))
            else:
                group.append(self._relative(head_age, tenant))
        parents = 0
        while len(group) < size:
            if head_age < 60 and parents < 2 and rng.random() < 0.2:
                parents += 1
                age = min(100, head_age + rng.randint(24, 32))
                person = self.person(age=age, gender=self.ids.gender())
                group.append((person, Relation.PARENT, tenant))
            else:
                group.append(self._relative(head_age, tenant))
        return group

    def _relative(self, head_age: int, tenant: bool) -> tuple[Person, str, bool]:
        rng = self.rng
        if head_age >= 62 and rng.random() < 0.4:
            # A grandchild living with the grandparents.
            age = rng.randint(2, 17)
            return self.person(age=age, gender=self.ids.gender()), Relation.OTHER, tenant
        age = max(0, head_age - rng.randint(24, 36))
        return self.person(age=age, gender=self.ids.gender()), Relation.CHILD, tenant
