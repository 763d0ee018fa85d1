"""Plausible values (issue 8): a room of 99,999,999.99 m² was accepted, and would outweigh a
whole compound in an art. 278 area count. Areas and floors are bounded in places.rules,
by validation (model, API, roster) and by check constraints in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from gongzhi.places import rules
from gongzhi.places.models import Building, Compound, Room
from gongzhi.roster import rules as roster_rules
from tests.factories import RoomFactory
from tests.roster import files

LIMIT = rules.ROOM_AREA_MAX
CENT = Decimal("0.01")


@pytest.fixture
def api():
    def client_for(account) -> APIClient:
        client = APIClient()
        client.force_login(account)
        return client

    return client_for


def new_room(cast, **fields) -> Room:
    return Room(building=cast.building_a2, compound=cast.a, name="新房", **fields)


# -- the database ---------------------------------------------------------------------


def test_room_area_at_the_limit_is_stored(cast):
    assert RoomFactory(building=cast.building_a2, exclusive_area=LIMIT).exclusive_area == LIMIT


@pytest.mark.parametrize("area", [LIMIT + CENT, Decimal("99999999.99")])
def test_room_area_over_the_limit_is_refused_by_the_database(cast, area):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.filter(pk=cast.room_a.pk).update(exclusive_area=area)


@pytest.mark.parametrize(
    ("floor", "ok"),
    [(rules.FLOOR_RANGE[0], True), (rules.FLOOR_RANGE[0] - 1, False),
     (rules.FLOOR_RANGE[1], True), (rules.FLOOR_RANGE[1] + 1, False), (None, True)],
)  # fmt: skip
def test_room_floor_is_bounded_by_the_database(cast, floor, ok):
    if ok:
        Room.objects.filter(pk=cast.room_a.pk).update(floor=floor)
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.filter(pk=cast.room_a.pk).update(floor=floor)


@pytest.mark.parametrize(
    ("floors", "ok"),
    [(0, False), (1, True), (rules.BUILDING_FLOORS_RANGE[1], True),
     (rules.BUILDING_FLOORS_RANGE[1] + 1, False), (None, True)],
)  # fmt: skip
def test_building_floors_are_bounded_by_the_database(cast, floors, ok):
    if ok:
        Building.objects.filter(pk=cast.building_a1.pk).update(floors=floors)
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Building.objects.filter(pk=cast.building_a1.pk).update(floors=floors)


def test_compound_floor_area_is_bounded_by_the_database(cast):
    Compound.objects.filter(pk=cast.a.pk).update(total_floor_area=rules.COMPOUND_AREA_MAX)
    with pytest.raises(IntegrityError), transaction.atomic():
        Compound.objects.filter(pk=cast.a.pk).update(
            total_floor_area=rules.COMPOUND_AREA_MAX + CENT
        )


# -- validation, in Chinese, naming the limit -----------------------------------------


def test_model_validation_names_the_area_limit(cast):
    with pytest.raises(ValidationError) as error:
        new_room(cast, exclusive_area=LIMIT + CENT).full_clean(exclude=["path"])
    assert error.value.message_dict["exclusive_area"] == ["专有面积不能超过 50,000 ㎡。"]


def test_model_validation_names_the_floor_range(cast):
    room = new_room(cast, exclusive_area=Decimal("80"), floor=rules.FLOOR_RANGE[1] + 1)
    with pytest.raises(ValidationError) as error:
        room.full_clean(exclude=["path"])
    assert error.value.message_dict["floor"] == ["楼层不能高于 200。"]


def test_model_validation_of_compound_area_names_the_limit(cast):
    cast.a.total_floor_area = rules.COMPOUND_AREA_MAX + CENT
    with pytest.raises(ValidationError) as error:
        cast.a.full_clean()
    assert error.value.message_dict["total_floor_area"] == ["总建筑面积不能超过 20,000,000 ㎡。"]


def test_api_refuses_an_absurd_room_area_naming_the_limit(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "999", "exclusive_area": "99999999.99"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"exclusive_area": ["专有面积不能超过 50,000 ㎡。"]}
    assert not Room.objects.filter(name="999").exists()


def test_api_accepts_the_limit_itself(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "998", "exclusive_area": str(LIMIT)},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_roster_refuses_an_area_over_the_limit_naming_it():
    row = files.owner_row(1)
    row[roster_rules.AREA] = "99999999.99"
    table, _errors = roster_rules.read_table(files.csv_bytes([row]), "r.csv")
    _roster, errors = roster_rules.validate(table)
    (error,) = errors
    assert error.message == "「99999999.99」超过了面积上限 50,000 ㎡。"


def test_roster_accepts_the_area_limit():
    row = files.owner_row(1)
    row[roster_rules.AREA] = str(LIMIT)
    table, _errors = roster_rules.read_table(files.csv_bytes([row]), "r.csv")
    roster, errors = roster_rules.validate(table)
    assert not errors and next(iter(roster.rooms.values())).area == LIMIT


def test_roster_floor_error_names_the_range():
    row = files.owner_row(1)
    row[roster_rules.FLOOR] = str(rules.FLOOR_RANGE[1] + 1)
    table, _errors = roster_rules.read_table(files.csv_bytes([row]), "r.csv")
    _roster, errors = roster_rules.validate(table)
    (error,) = errors
    assert "-10 至 200" in error.message
