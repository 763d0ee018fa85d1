"""Synthetic compounds for ``generate_district``: room layouts and their population.

Objects are built unsaved, in memory; the generator inserts them in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from gongzhi.core.demo.names import Identities
from gongzhi.people.models import Household, Ownership, Person, Relation, Residency
from gongzhi.places.models import Building, Compound, Entrance, Grid, Room, RoomUse

TODAY = dt.date(2026, 1, 1)  # ages are as of this day, so one seed gives one district
CENT = Decimal("0.01")
ONE = Decimal("1.0000")
HALF = Decimal("0.5000")


def layout(rng, compounds: list[Compound], rooms_per_compound: int):
    """Unsaved grids, buildings, entrances and rooms: exactly ``rooms_per_compound`` rooms
    a compound, of which 1 in 50 a shop and 1 in 30 a parking space; 2% of the flats are
    still held by the developer. One grid for every four buildings."""
    grids, buildings, entrances, rooms = [], [], [], []
    shops_n = rooms_per_compound // 50
    parking_n = rooms_per_compound // 30
    for compound in compounds:
        flats_left = rooms_per_compound - shops_n - parking_n
        mine: list[Building] = []
        number = 0
        while flats_left > 0:
            number += 1
            n_entrances = rng.choice((1, 2, 2, 3))
            per_floor = rng.choice((2, 2, 3, 4))
            floors = rng.choice((6, 6, 7, 11, 18, 26))
            count = min(flats_left, n_entrances * per_floor * floors)
            flats_left -= count
            building = Building(
                compound=compound, name=f"{number}号楼", floors=floors, has_elevator=floors > 7
            )
            mine.append(building)
            types = [Decimal(str(rng.uniform(60, 140))).quantize(CENT) for _ in range(per_floor)]
            made = 0
            for e in range(1, n_entrances + 1):
                if made >= count:
                    break
                entrance = None
                if n_entrances > 1:
                    entrance = Entrance(building=building, name=f"{e}单元")
                    entrances.append(entrance)
                for floor in range(1, floors + 1):
                    for s in range(1, per_floor + 1):
                        if made >= count:
                            break
                        label = f"{floor}{s:02d}"
                        rooms.append(
                            Room(
                                building=building,
                                entrance=entrance,
                                compound=compound,
                                name=f"{e}单元{label}" if entrance else label,
                                floor=floor,
                                exclusive_area=types[s - 1],
                                held_by_developer=rng.random() < 0.02,
                            )
                        )
                        made += 1
        for n in range(1, shops_n + 1):
            rooms.append(
                Room(
                    building=mine[0],
                    compound=compound,
                    name=f"商铺{n:02d}",
                    floor=1,
                    exclusive_area=Decimal(str(rng.uniform(25, 120))).quantize(CENT),
                    use=RoomUse.COMMERCIAL,
                )
            )
        garage = None
        if parking_n:
            garage = Building(compound=compound, name="地下车库", floors=1)
            for n in range(1, parking_n + 1):
                rooms.append(
                    Room(
                        building=garage,
                        compound=compound,
                        name=f"车位{n:03d}",
                        floor=-1,
                        exclusive_area=Decimal(str(rng.uniform(11.5, 15))).quantize(CENT),
                        use=RoomUse.PARKING,
                    )
                )
        # One grid for every four buildings; the garage belongs to no grid.
        for i in range(0, len(mine), 4):
            grid = Grid(compound=compound, name=f"第{i // 4 + 1}网格")
            grids.append(grid)
            for building in mine[i : i + 4]:
                building.grid = grid
        buildings += mine + ([garage] if garage else [])
    return grids, buildings, entrances, rooms


class Population:
    """Persons, households, residencies and ownerships for some compounds (unsaved)."""

    def __init__(self, rng, ids: Identities, region: str):
        self.rng, self.ids, self.region = rng, ids, region
        self.persons: list[Person] = []
        self.households: list[Household] = []
        self.residencies: list[Residency] = []
        self.ownerships: list[Ownership] = []
        self.residents_of: dict[int, list[tuple[Person, Room]]] = defaultdict(list)  # compound

    def new_person(self, age=(20, 85)) -> Person:
        person = make_person(self.rng, self.ids, self.region, age=age)
        self.persons.append(person)
        return person

    def compound(self, compound: Compound, rooms: list[Room]) -> None:
        rng = self.rng
        flats = [r for r in rooms if r.use == RoomUse.RESIDENTIAL]
        others = [r for r in rooms if r.use != RoomUse.RESIDENTIAL]
        developer = None
        landlord: Person | None = None
        landlord_left = 0
        occupiers: list[Person] = []
        for room in flats:
            if room.held_by_developer:
                if developer is None:
                    developer = Person(
                        name=f"开发商:{compound.name}置业有限公司"[:50], note="单位产权人"
                    )
                    self.persons.append(developer)
                self._own(room, developer)
                if rng.random() < 0.5:
                    self._household(room, self.new_person((22, 55)), renting=True)
                continue
            roll = rng.random()
            if roll < 0.08:  # empty
                self._own(room, self.new_person((30, 75)))
                continue
            if roll < 0.23:  # let: a landlord elsewhere, some owning two or three flats
                if landlord_left <= 0:
                    landlord = self.new_person((35, 75))
                    landlord_left = rng.choice((1, 1, 1, 2, 3))
                landlord_left -= 1
                self._own(room, landlord)
                self._household(room, self.new_person((20, 55)), renting=True)
                continue
            head = self.new_person((25, 88))
            household = self._household(room, head, renting=False)
            occupiers.append(head)
            if rng.random() < 0.3:
                spouse = self.new_person((25, 88))
                self.residencies.append(
                    Residency(
                        person=spouse,
                        household=household,
                        relation=Relation.SPOUSE,
                        since=household.moved_in,
                    )
                )
                self._own(room, head, HALF, True)
                self._own(room, spouse, HALF, False)
            else:
                self._own(room, head)
        for room in others:
            if room.use == RoomUse.PARKING and occupiers:
                self._own(room, rng.choice(occupiers))
            else:
                self._own(room, self.new_person((30, 70)))

    def _household(self, room: Room, head: Person, *, renting: bool) -> Household:
        moved_in = dt.date.fromordinal(
            self.rng.randint(dt.date(2000, 1, 1).toordinal(), dt.date(2025, 6, 30).toordinal())
        )
        household = Household(room=room, head=head, is_renting=renting, moved_in=moved_in)
        self.households.append(household)
        self.residencies.append(
            Residency(
                person=head,
                household=household,
                since=moved_in,
                is_tenant=renting,
                relation=Relation.TENANT if renting else Relation.HEAD,
            )
        )
        if not renting:
            self.residents_of[room.compound_id].append((head, room))
        return household

    def _own(self, room: Room, person: Person, share: Decimal = ONE, voter: bool = True) -> None:
        self.ownerships.append(
            Ownership(room=room, person=person, share=share, is_designated_voter=voter)
        )


def make_person(rng, ids: Identities, region: str, *, age=(20, 85)) -> Person:
    gender = "m" if rng.random() < 0.5 else "f"
    birth = ids.birth_date(age[0], age[1], TODAY)
    return Person(
        name=ids.name(gender, birth.year),
        gender=gender,
        birth_date=birth,
        phone=ids.phone(),
        id_number=ids.id_number(region, birth, gender),
    )
