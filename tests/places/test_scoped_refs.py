"""Ids named by a place write (a new building's grid, a new room's entrance) are resolved
inside the compound or building of the URL (core.refs): already so; these tests guard the
class of defect. One of elsewhere is refused exactly as an id naming nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.places import services
from gongzhi.places.models import Building, Room
from tests.factories import EntranceFactory, GridFactory
from tests.scoped import MISSING, api_client, assert_refused_alike


def test_a_building_on_another_compounds_grid_is_refused_as_on_a_missing_one(cast):
    other = GridFactory(compound=cast.b, name="乙二网格")
    client = api_client(cast.community_worker)
    url = f"/api/v1/compounds/{cast.a.pk}/buildings"
    foreign = client.post(url, {"name": "3号楼", "grid": other.pk}, format="json")
    missing = client.post(url, {"name": "3号楼", "grid": MISSING}, format="json")
    assert_refused_alike(foreign, missing, hidden=["乙二网格"])
    assert not Building.objects.filter(name="3号楼").exists()
    assert not AuditEvent.objects.exists()


def test_a_room_in_another_buildings_entrance_is_refused_as_in_a_missing_one(cast):
    other = EntranceFactory(building=cast.room_b.building, name="乙一单元")
    client = api_client(cast.community_worker)
    url = f"/api/v1/buildings/{cast.building_a1.pk}/rooms"
    data = {"name": "909", "exclusive_area": "80.00"}
    foreign = client.post(url, {**data, "entrance": other.pk}, format="json")
    missing = client.post(url, {**data, "entrance": MISSING}, format="json")
    assert_refused_alike(foreign, missing, hidden=["乙一单元"])
    assert not Room.objects.filter(name="909").exists()


def test_the_building_service_refuses_another_compounds_grid(cast):
    with pytest.raises(ValidationError):
        services.building_create(
            actor=cast.community_worker, compound=cast.a, name="3号楼",
            grid=GridFactory(compound=cast.b),
        )  # fmt: skip
    assert not Building.objects.filter(name="3号楼").exists()
