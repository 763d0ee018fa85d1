"""factory_boy factories for every model tests build."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from gongzhi.bodies.models import Body, Membership, PartyMember
from gongzhi.people.models import Account, Household, Ownership, Person, Residency
from gongzhi.places.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Grid,
    Room,
    Street,
)


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"测试区{n}")


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试街道{n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")


class CompoundFactory(DjangoModelFactory):
    class Meta:
        model = Compound

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class EntranceFactory(DjangoModelFactory):
    class Meta:
        model = Entrance

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n}单元")


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    compound = factory.SelfAttribute("building.compound")
    name = factory.Sequence(lambda n: f"{100 + n}")
    exclusive_area = Decimal("89.57")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    phone = factory.SelfAttribute("person.phone")
    password = factory.PostGenerationMethodCall("set_password", "gongzhi-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    room = factory.SubFactory(RoomFactory)
    head = factory.SubFactory(PersonFactory)


class ResidencyFactory(DjangoModelFactory):
    class Meta:
        model = Residency

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SelfAttribute("household.head")
    relation = "head"


class OwnershipFactory(DjangoModelFactory):
    class Meta:
        model = Ownership

    room = factory.SubFactory(RoomFactory)
    person = factory.SubFactory(PersonFactory)


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    kind = "compound_party_branch"
    name = factory.Sequence(lambda n: f"组织{n}")
    place_path = "d0/"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    post = "member"
    scope_path = factory.SelfAttribute("body.place_path")


class PartyMemberFactory(DjangoModelFactory):
    class Meta:
        model = PartyMember

    person = factory.SubFactory(PersonFactory)
    organisation_name = "某单位党支部"


def resident_of(compound, **person_fields) -> Person:
    """A person living in a new room of ``compound``: registered there, so staff whose
    scope covers the compound may name them in a write (people.permissions)."""
    room = RoomFactory(building=BuildingFactory(compound=compound))
    person = PersonFactory(**person_fields)
    ResidencyFactory(household=HouseholdFactory(room=room, head=person))
    return person
