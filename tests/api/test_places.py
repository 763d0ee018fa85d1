"""Places API: compounds, buildings and rooms, scoped by the cast's roles."""

from decimal import Decimal

import pytest

from gongzhi.audit.models import AuditEvent
from gongzhi.places.models import Building, Room
from tests.factories import (
    EntranceFactory,
    GridFactory,
    OwnershipFactory,
    PersonFactory,
    ResidencyFactory,
    RoomFactory,
)

NOT_FOUND = {"detail": "未找到。"}
DENIED = {"detail": "您没有权限执行此操作。"}


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


# Compounds


def test_community_worker_sees_compounds_a_and_b_not_z(cast, api):
    response = api(cast.community_worker).get("/api/v1/compounds")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert names(response) == {"甲小区", "乙小区"}


def test_street_official_sees_every_compound_of_the_street(cast, api):
    assert names(api(cast.street_official).get("/api/v1/compounds")) == {
        "甲小区",
        "乙小区",
        "丙小区",
    }


@pytest.mark.parametrize("role, expected", [("clerk", {"甲小区"}), ("clerk_b", {"乙小区"}),
                                            ("resident", {"甲小区"}), ("building_leader", {"甲小区"}),
                                            ("outsider", {"丙小区"}), ("nobody", set())])  # fmt: skip
def test_each_role_lists_only_its_compounds(cast, api, role, expected):
    assert names(api(getattr(cast, role)).get("/api/v1/compounds")) == expected


def test_compounds_filter_by_community_street_and_name(cast, api):
    client = api(cast.street_official)
    by_community = client.get("/api/v1/compounds", {"community": cast.other_community.pk})
    assert names(by_community) == {"丙小区"}
    assert names(client.get("/api/v1/compounds", {"street": cast.other_street.pk})) == set()
    assert names(client.get("/api/v1/compounds", {"street": cast.street.pk, "q": "乙"})) == {
        "乙小区"
    }


def test_compound_list_shows_community_and_street(cast, api):
    row = api(cast.clerk).get("/api/v1/compounds").json()["results"][0]
    assert row["community"] == {"id": cast.community.pk, "name": "一社区"}
    assert row["street"] == {"id": cast.street.pk, "name": "一街道"}
    assert row["path"] == cast.a.path


def test_bad_filter_is_400_in_chinese(cast, api):
    response = api(cast.clerk).get("/api/v1/compounds", {"community": "abc"})
    assert response.status_code == 400
    assert response.json() == {"community": ["请填写合法的整数值。"]}


def test_compound_list_queries_do_not_grow_with_rows(cast, api, django_assert_max_num_queries):
    from tests.factories import CompoundFactory

    for i in range(25):
        CompoundFactory(community=cast.community, name=f"新小区{i}")
    client = api(cast.community_worker)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/compounds")
    assert response.json()["count"] == 27
    assert len(response.json()["results"]) == 20


def test_clerk_of_other_compound_gets_404_for_compound_a(cast, api):
    client = api(cast.clerk_b)
    for url in (
        f"/api/v1/compounds/{cast.a.pk}",
        f"/api/v1/compounds/{cast.a.pk}/buildings",
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


def test_hidden_and_missing_compounds_look_the_same(cast, api):
    client = api(cast.clerk_b)
    hidden = client.get(f"/api/v1/compounds/{cast.a.pk}")
    missing = client.get("/api/v1/compounds/987654")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_compound_detail_has_figures_for_a_role_that_may_see_them(cast, api):
    body = api(cast.street_official).get(f"/api/v1/compounds/{cast.a.pk}").json()
    assert body["name"] == "甲小区"
    assert body["figures"] == {
        "rooms": 1,
        "residential": 1,
        "developer_held": 0,
        "exclusive_area": "89.57",
        "buildings": 2,
        "households": 1,
        "residents": 1,
        "owners": 1,
    }


def test_compound_detail_hides_figures_from_a_resident(cast, api):
    body = api(cast.resident).get(f"/api/v1/compounds/{cast.a.pk}").json()
    assert body["name"] == "甲小区"
    assert body["figures"] is None


# Buildings


def test_buildings_of_compound_with_room_counts(cast, api):
    response = api(cast.resident).get(f"/api/v1/compounds/{cast.a.pk}/buildings")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["1号楼"]["room_count"] == 1
    assert rows["1号楼"]["area"] == "89.57"
    assert rows["1号楼"]["grid"] == {"id": cast.grid_a.pk, "name": "甲一网格"}
    assert rows["2号楼"]["grid"] is None


def test_building_list_queries_do_not_grow_with_rows(cast, api, django_assert_max_num_queries):
    from tests.factories import BuildingFactory

    for i in range(25):
        BuildingFactory(compound=cast.a, grid=cast.grid_a, name=f"{i + 10}号楼")
    client = api(cast.clerk)
    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/compounds/{cast.a.pk}/buildings")
    assert response.json()["count"] == 27


def test_community_worker_creates_a_building_and_it_is_audited(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings",
        {"name": "3号楼", "floors": 6, "has_elevator": True, "grid": cast.grid_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    building = Building.objects.get(pk=body["id"])
    assert (building.compound, building.grid, building.floors) == (cast.a, cast.grid_a, 6)
    assert body["path"] == building.path
    assert body["room_count"] == 0
    event = AuditEvent.objects.get(action="building.create", object_id=str(building.pk))
    assert event.actor == cast.community_worker
    assert event.place_path == building.path


def test_clerk_may_not_create_buildings(cast, api):
    response = api(cast.clerk).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings", {"name": "3号楼"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == DENIED
    assert not Building.objects.filter(name="3号楼").exists()
    assert not AuditEvent.objects.filter(action="building.create").exists()


def test_clerk_of_other_compound_gets_404_creating_in_a(cast, api):
    response = api(cast.clerk_b).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings", {"name": "3号楼"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": ""}, "name"),
        ({"name": "3号楼", "floors": 0}, "floors"),
        ({"name": "3号楼", "floors": "六"}, "floors"),
    ],
)
def test_bad_building_input_is_400_and_writes_nothing(cast, api, payload, field):
    response = api(cast.community_worker).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Building.objects.filter(compound=cast.a).count() == 2
    assert not AuditEvent.objects.exists()


def test_grid_of_another_compound_is_refused(cast, api):
    other_grid = GridFactory(compound=cast.b)
    response = api(cast.community_worker).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings",
        {"name": "3号楼", "grid": other_grid.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"grid": ["该小区没有这个网格。"]}


def test_duplicate_building_name_is_400(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/compounds/{cast.a.pk}/buildings", {"name": "1号楼"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["该小区已有同名楼栋。"]}
    assert not AuditEvent.objects.exists()


def test_duplicate_room_name_is_400(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "101", "exclusive_area": "80"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["该楼栋已有同名房屋。"]}


# Rooms


def _occupy(room, phone="13912345678", id_number="11010519491231002X"):
    owner = PersonFactory(name="王业主", phone=phone, id_number=id_number)
    OwnershipFactory(room=room, person=owner)
    ResidencyFactory(household__room=room, household__head=owner)
    return owner


def test_rooms_show_each_kind_of_personal_data_only_to_roles_that_need_it(cast, api):
    room = RoomFactory(building=cast.building_a1, name="102")
    owner_person = _occupy(room)
    owner_person.is_vulnerable = True
    owner_person.save()
    url = f"/api/v1/buildings/{cast.building_a1.pk}/rooms"

    def owner_of_102(client):
        rows = {row["name"]: row for row in client.get(url).json()["results"]}
        return rows["102"]["owners"][0]["person"], rows["102"]["households"][0]["head"]

    def seen(card):
        return card["phone"], card["id_number"], card["is_vulnerable"], card["masked"]

    # The building leader and the clerk serve residents: phones; no ID numbers, no care.
    for role in ("building_leader", "clerk"):
        owner, head = owner_of_102(api(getattr(cast, role)))
        assert seen(owner) == ("13912345678", "1101**********002X", None, True), role
        assert seen(head) == ("13912345678", "1101**********002X", None, True), role
    # The grid worker cares for the grid: phones and care flags, no ID numbers.
    owner, _ = owner_of_102(api(cast.grid_worker))
    assert seen(owner) == ("13912345678", "1101**********002X", True, True)
    # The community worker keeps the roster: everything.
    owner, _ = owner_of_102(api(cast.community_worker))
    assert seen(owner) == ("13912345678", "11010519491231002X", True, False)


def test_building_leader_gets_403_for_rooms_of_another_building(cast, api):
    response = api(cast.building_leader).get(f"/api/v1/buildings/{cast.building_a2.pk}/rooms")
    assert response.status_code == 403
    assert response.json() == DENIED


def test_resident_may_not_list_rooms(cast, api):
    response = api(cast.resident).get(f"/api/v1/buildings/{cast.building_a1.pk}/rooms")
    assert response.status_code == 403


def test_missing_building_is_404(cast, api):
    assert api(cast.clerk).get("/api/v1/buildings/987654/rooms").json() == NOT_FOUND


def test_rooms_are_paged_by_limit_and_offset(cast, api):
    for i in range(24):
        RoomFactory(building=cast.building_a1, name=f"{201 + i}")
    client = api(cast.clerk)
    url = f"/api/v1/buildings/{cast.building_a1.pk}/rooms"
    first = client.get(url).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"].endswith("limit=20&offset=20")
    assert len(client.get(url, {"limit": 5, "offset": 20}).json()["results"]) == 5
    assert len(client.get(url, {"limit": 1000}).json()["results"]) == 25  # at most 100 a page


def test_room_list_queries_do_not_grow_with_rows(cast, api, django_assert_max_num_queries):
    for i in range(25):
        room = RoomFactory(building=cast.building_a1, entrance=None, name=f"{201 + i}")
        _occupy(room, phone=f"1391234{i:04d}", id_number=None)
    client = api(cast.clerk)
    # 2 for the session, 4 for the grants, the building, the count, the page of rooms and
    # one query each for their owners and their households.
    with django_assert_max_num_queries(11):
        response = client.get(f"/api/v1/buildings/{cast.building_a1.pk}/rooms")
    assert len(response.json()["results"]) == 20


def test_community_worker_creates_a_room_and_it_is_audited(cast, api):
    entrance = EntranceFactory(building=cast.building_a1, name="1单元")
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "301", "floor": 3, "exclusive_area": "101.5", "entrance": entrance.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    room = Room.objects.get(pk=body["id"])
    assert room.exclusive_area == Decimal("101.50")
    assert (room.compound, room.entrance) == (cast.a, entrance)
    assert body["exclusive_area"] == "101.50"
    assert body["entrance"] == {"id": entrance.pk, "name": "1单元"}
    assert body["owners"] == [] and body["households"] == []
    assert AuditEvent.objects.filter(action="room.create", object_id=str(room.pk)).exists()


def test_room_area_may_be_a_json_number(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "301", "exclusive_area": 88.25},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["exclusive_area"] == "88.25"


@pytest.mark.parametrize(
    "area, message",
    [
        ("0", "专有面积必须大于0。"),
        ("0.00", "专有面积必须大于0。"),
        ("-5", "专有面积必须大于0。"),
        ("89.567", "请确保总计不超过 2 个小数位。"),
        (89.567, "请确保总计不超过 2 个小数位。"),
        ("abc", "请填写合法的数字。"),
        ("NaN", "请填写合法的数字。"),
        ("123456789.00", "请确保总计不超过 10 个数字。"),
    ],
)
def test_bad_room_area_is_400_in_chinese_and_nothing_is_written(cast, api, area, message):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "301", "exclusive_area": area},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"exclusive_area": [message]}
    assert not Room.objects.filter(name="301").exists()
    assert not AuditEvent.objects.exists()


def test_room_area_is_required(cast, api):
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms", {"name": "301"}, format="json"
    )
    assert response.json() == {"exclusive_area": ["该字段是必填项。"]}


def test_entrance_of_another_building_is_refused(cast, api):
    entrance = EntranceFactory(building=cast.building_a2)
    response = api(cast.community_worker).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "301", "exclusive_area": "80", "entrance": entrance.pk},
        format="json",
    )
    assert response.json() == {"entrance": ["该楼栋没有这个单元。"]}


def test_resident_cannot_probe_room_names_through_validation(cast, api):
    response = api(cast.resident).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "101", "exclusive_area": "80"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == DENIED


def test_building_leader_may_not_create_rooms(cast, api):
    response = api(cast.building_leader).post(
        f"/api/v1/buildings/{cast.building_a1.pk}/rooms",
        {"name": "301", "exclusive_area": "80"},
        format="json",
    )
    assert response.status_code == 403
    assert not Room.objects.filter(name="301").exists()
