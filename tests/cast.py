"""The shared people of every test, as healthchecks' alice, bob and charlie.

Street S1 holds community C1 with compounds A and B; community C2 (same street) holds
compound Z; street S2 holds nothing of ours. Each role below acts in A unless named.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongzhi.bodies.models import Body, BodyKind
from gongzhi.people.models import Account
from gongzhi.places.models import Building, Community, Compound, Grid, Room, Street
from tests.factories import (
    AccountFactory,
    BodyFactory,
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    DistrictFactory,
    GridFactory,
    MembershipFactory,
    OwnershipFactory,
    ResidencyFactory,
    RoomFactory,
    StreetFactory,
)


@dataclass
class Cast:
    street: Street
    other_street: Street
    community: Community
    other_community: Community
    a: Compound
    b: Compound
    z: Compound
    grid_a: Grid
    building_a1: Building
    building_a2: Building
    room_a: Room
    room_b: Room
    room_z: Room
    branch_a: Body
    property_a: Body
    property_b: Body
    owners_committee_a: Body
    residents_committee: Body
    street_office: Body
    resident: Account
    owner: Account
    building_leader: Account
    clerk: Account
    clerk_b: Account
    secretary: Account
    owners_chair: Account
    grid_worker: Account
    community_worker: Account
    street_official: Account
    outsider: Account
    nobody: Account

    def roles(self) -> dict[str, Account]:
        return {
            name: getattr(self, name)
            for name in (
                "resident", "owner", "building_leader", "clerk", "clerk_b", "secretary",
                "owners_chair", "grid_worker", "community_worker", "street_official",
                "outsider", "nobody",
            )
        }  # fmt: skip


def _member(body: Body, post: str, scope_path: str | None = None) -> Account:
    account = AccountFactory()
    MembershipFactory(
        body=body, person=account.person, post=post, scope_path=scope_path or body.place_path
    )
    return account


def build_cast() -> Cast:
    district = DistrictFactory(name="测试区")
    street = StreetFactory(district=district, name="一街道")
    other_street = StreetFactory(district=district, name="二街道")
    community = CommunityFactory(street=street, name="一社区")
    other_community = CommunityFactory(street=street, name="二社区")
    a = CompoundFactory(community=community, name="甲小区")
    b = CompoundFactory(community=community, name="乙小区")
    z = CompoundFactory(community=other_community, name="丙小区")
    grid_a = GridFactory(compound=a, name="甲一网格")
    building_a1 = BuildingFactory(compound=a, grid=grid_a, name="1号楼")
    building_a2 = BuildingFactory(compound=a, name="2号楼")
    room_a = RoomFactory(building=building_a1, name="101")
    room_b = RoomFactory(building=BuildingFactory(compound=b, name="1号楼"), name="101")
    room_z = RoomFactory(building=BuildingFactory(compound=z, name="1号楼"), name="101")

    def body(kind, place, name):
        return BodyFactory(
            kind=kind,
            name=name,
            place_path=place.path,
            compound=place if isinstance(place, Compound) else None,
            community=place if isinstance(place, Community) else None,
        )

    branch_a = body(BodyKind.COMPOUND_PARTY_BRANCH, a, "甲小区党支部")
    property_a = body(BodyKind.PROPERTY_COMPANY, a, "甲物业")
    property_b = body(BodyKind.PROPERTY_COMPANY, b, "乙物业")
    owners_committee_a = body(BodyKind.OWNERS_COMMITTEE, a, "甲小区业委会")
    residents_committee = body(BodyKind.RESIDENTS_COMMITTEE, community, "一社区居委会")
    street_office = body(BodyKind.STREET_OFFICE, street, "一街道办事处")

    resident = AccountFactory()
    ResidencyFactory(household__room=room_a, household__head=resident.person)
    owner = AccountFactory()
    OwnershipFactory(room=room_a, person=owner.person)
    outsider = AccountFactory()
    ResidencyFactory(household__room=room_z, household__head=outsider.person)

    return Cast(
        street=street,
        other_street=other_street,
        community=community,
        other_community=other_community,
        a=a,
        b=b,
        z=z,
        grid_a=grid_a,
        building_a1=building_a1,
        building_a2=building_a2,
        room_a=room_a,
        room_b=room_b,
        room_z=room_z,
        branch_a=branch_a,
        property_a=property_a,
        property_b=property_b,
        owners_committee_a=owners_committee_a,
        residents_committee=residents_committee,
        street_office=street_office,
        resident=resident,
        owner=owner,
        building_leader=_member(branch_a, "building_leader", building_a1.path),
        clerk=_member(property_a, "clerk"),
        clerk_b=_member(property_b, "clerk"),
        secretary=_member(branch_a, "secretary"),
        owners_chair=_member(owners_committee_a, "chair"),
        grid_worker=_member(residents_committee, "grid_worker", grid_a.path),
        community_worker=_member(residents_committee, "community_worker"),
        street_official=_member(street_office, "official"),
        outsider=outsider,
        nobody=AccountFactory(),
    )
