"""The place tree's models: paths computed on save, and what the database itself refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongzhi.places.models import Compound, OwnersBodyKind, Room
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    EntranceFactory,
    GridFactory,
    RoomFactory,
)


def test_paths_follow_the_tree(cast):
    district = cast.street.district
    assert district.path == f"d{district.pk}/"
    assert cast.street.path == f"{district.path}s{cast.street.pk}/"
    assert cast.community.path == f"{cast.street.path}c{cast.community.pk}/"
    assert cast.a.path == f"{cast.community.path}p{cast.a.pk}/"
    assert cast.grid_a.path == f"{cast.a.path}g{cast.grid_a.pk}/"


def test_building_in_a_grid_lies_under_the_grid(cast):
    assert cast.building_a1.path == f"{cast.grid_a.path}b{cast.building_a1.pk}/"
    assert cast.building_a2.path == f"{cast.a.path}b{cast.building_a2.pk}/"


def test_room_lies_under_its_entrance_or_building(cast):
    entrance = EntranceFactory(building=cast.building_a2)
    room = RoomFactory(building=cast.building_a2, entrance=entrance)
    assert room.path == f"{entrance.path}r{room.pk}/"
    assert cast.room_a.path == f"{cast.building_a1.path}r{cast.room_a.pk}/"


def test_room_takes_its_compound_from_the_building(cast):
    room = Room(building=cast.building_a2, name="301", exclusive_area=Decimal("60.00"))
    room.save()
    assert room.compound == cast.a


def test_path_is_kept_on_a_later_save(cast):
    path = cast.a.path
    cast.a.name = "甲小区(新)"
    cast.a.save()
    cast.a.refresh_from_db()
    assert cast.a.path == path


def test_paths_are_unique(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Compound.objects.filter(pk=cast.b.pk).update(path=cast.a.path)


def test_every_node_is_within_its_ancestors(cast):
    from gongzhi.places.rules import is_within

    chain = [cast.street.district, cast.street, cast.community, cast.a, cast.grid_a,
             cast.building_a1, cast.room_a]  # fmt: skip
    for inner, outer in zip(chain[1:], chain, strict=False):
        assert is_within(inner.path, outer.path)
    assert not is_within(cast.room_b.path, cast.a.path)


@pytest.mark.parametrize("area", [Decimal("0"), Decimal("-1.00")])
def test_room_area_must_be_positive_in_the_database(cast, area):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(
            building=cast.building_a2, compound=cast.a, name="000", exclusive_area=area
        )


def test_room_area_must_be_positive_in_validation(cast):
    room = Room(building=cast.building_a2, compound=cast.a, name="000", exclusive_area=Decimal(0))
    with pytest.raises(ValidationError) as error:
        room.full_clean(exclude=["path"])
    assert "exclusive_area" in error.value.message_dict


def test_smallest_positive_area_is_accepted(cast):
    room = RoomFactory(building=cast.building_a2, exclusive_area=Decimal("0.01"))
    assert room.exclusive_area == Decimal("0.01")


def test_room_area_cannot_be_updated_to_zero(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.filter(pk=cast.room_a.pk).update(exclusive_area=0)


def test_compound_floor_area_cannot_be_negative(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Compound.objects.filter(pk=cast.a.pk).update(total_floor_area=Decimal("-1"))


def test_room_names_are_unique_within_a_building(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomFactory(building=cast.building_a1, name=cast.room_a.name)
    RoomFactory(building=cast.building_a2, name=cast.room_a.name)  # another building: fine


def test_compound_names_are_unique_within_a_community(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompoundFactory(community=cast.community, name=cast.a.name)
    CompoundFactory(community=cast.other_community, name=cast.a.name)


@pytest.mark.parametrize(
    ("has_company", "owners_body", "three_without"),
    [
        (False, OwnersBodyKind.NONE, True),
        (False, OwnersBodyKind.SELF_MANAGEMENT_COMMITTEE, True),
        (False, OwnersBodyKind.OWNERS_COMMITTEE, False),
        (True, OwnersBodyKind.NONE, False),
    ],
)
def test_three_without_compound(db, has_company, owners_body, three_without):
    compound = Compound(has_property_company=has_company, owners_body_kind=owners_body)
    assert compound.is_three_without is three_without


def test_room_with_an_entrance_of_another_building_is_refused(cast):
    """Else the room's path, and every access decision, would point into the other building."""
    other_entrance = EntranceFactory(building=cast.building_a2)
    room = Room(
        building=cast.building_a1, entrance=other_entrance, name="999",
        exclusive_area=Decimal("50.00"),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        room.full_clean(exclude=["path", "compound"])
    with pytest.raises(ValidationError):
        room.save()
    assert not Room.objects.filter(name="999").exists()


def test_room_of_another_compound_than_its_building_is_refused(cast):
    room = Room(
        building=cast.building_a1, compound=cast.b, name="998", exclusive_area=Decimal("50.00")
    )
    with pytest.raises(ValidationError):
        room.save()


def test_building_in_a_grid_of_another_compound_is_refused(cast):
    with pytest.raises(ValidationError):
        BuildingFactory(compound=cast.b, grid=cast.grid_a, name="错网格楼")


def test_grid_and_building_factories_build_inside_the_compound(db):
    compound = CompoundFactory()
    grid = GridFactory(compound=compound)
    building = BuildingFactory(compound=compound, grid=grid)
    assert building.path.startswith(grid.path) and grid.path.startswith(compound.path)
