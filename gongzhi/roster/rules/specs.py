"""What a valid file says, merged across rows: the plan services.roster_import writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

RoomKey = tuple[str, str]  # (building name, room name)
PersonKey = tuple[str, ...]  # ("id", number) | ("np", name, phone) | ("room", b, r, name)


@dataclass
class PersonSpec:
    """A person as the file gives them; ``None`` means "not given" (leave as it is)."""

    key: PersonKey
    row: int
    name: str
    gender: str | None = None
    id_number: str | None = None
    phone: str = ""
    vulnerable: bool | None = None


@dataclass
class OwnerSpec:
    person: PersonKey
    row: int
    designated: bool


@dataclass
class MemberSpec:
    person: PersonKey
    row: int
    relation: str
    is_tenant: bool


@dataclass
class HouseholdSpec:
    """The one household the file describes for a room; the head is members[0]."""

    head: PersonKey
    is_renting: bool
    members: list[MemberSpec]


@dataclass
class RoomSpec:
    key: RoomKey
    row: int
    area: Decimal
    area_source: str
    entrance: str | None = None
    floor: int | None = None
    use: str | None = None
    held_by_developer: bool | None = None
    owners: list[OwnerSpec] = field(default_factory=list)
    voter_explicit: bool = False  # some row said 指定表决人=是
    household: HouseholdSpec | None = None

    @property
    def building(self) -> str:
        return self.key[0]

    @property
    def name(self) -> str:
        return self.key[1]


@dataclass
class BuildingSpec:
    name: str
    row: int
    grid: str | None = None


@dataclass
class Roster:
    """A whole valid file: what to upsert into one compound."""

    rows: int
    buildings: dict[str, BuildingSpec]
    rooms: dict[RoomKey, RoomSpec]
    persons: dict[PersonKey, PersonSpec]
    columns: dict[str, str]  # canonical column → the header as the file spells it

    @property
    def grids(self) -> list[str]:
        return list(dict.fromkeys(b.grid for b in self.buildings.values() if b.grid))

    @property
    def entrances(self) -> list[tuple[str, str]]:
        return list(
            dict.fromkeys((r.building, r.entrance) for r in self.rooms.values() if r.entrance)
        )
