"""Compound, building and resident pages: scope, masking, search, query counts."""

from __future__ import annotations

import pytest

from gongzhi.people.rules import mask_phone
from tests.factories import BuildingFactory, CompoundFactory, ResidencyFactory, RoomFactory

pytestmark = pytest.mark.django_db


def get(client, account, url):
    client.force_login(account)
    return client.get(url)


def test_compound_list_shows_only_compounds_in_scope(client, cast):
    html = get(client, cast.clerk_b, "/compounds/").content.decode()
    assert "乙小区" in html and "甲小区" not in html and "丙小区" not in html


def test_compound_list_searches_by_name(client, cast):
    html = get(client, cast.street_official, "/compounds/?q=乙").content.decode()
    assert "乙小区" in html and "甲小区" not in html


def test_compound_list_queries_do_not_grow_with_compounds(
    client, cast, django_assert_max_num_queries
):
    for i in range(30):
        CompoundFactory(community=cast.community, name=f"新{i}小区")
    client.force_login(cast.street_official)
    with django_assert_max_num_queries(12):
        response = client.get("/compounds/")
    assert "新29小区" in response.content.decode()


def test_compound_page_shows_figures_bodies_and_buildings(client, cast):
    cast.a.households = 306
    cast.a.residents = 910
    cast.a.save()
    html = get(client, cast.secretary, f"/compounds/{cast.a.pk}/").content.decode()
    assert "306" in html and "910" in html  # public figures
    assert "名册数据" in html  # roster figures, for the branch secretary
    assert "甲小区党支部" in html and "甲物业" in html and "一街道办事处" in html
    assert f'href="/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"' in html
    assert "乙物业" not in html


def test_resident_sees_compound_but_not_roster_figures(client, cast):
    html = get(client, cast.resident, f"/compounds/{cast.a.pk}/").content.decode()
    assert "小区概况" in html
    assert "名册数据" not in html
    assert f'href="/compounds/{cast.a.pk}/residents/"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/compounds/{a}/",
        "/compounds/{a}/buildings/{a1}/",
        "/compounds/{a}/residents/",
        "/compounds/{a}/residents/?q=1",
    ],
)
def test_clerk_of_other_compound_gets_404(client, cast, url):
    url = url.format(a=cast.a.pk, a1=cast.building_a1.pk)
    assert get(client, cast.clerk_b, url).status_code == 404


def test_building_of_another_compound_is_404(client, cast):
    other = cast.room_b.building
    assert (
        get(client, cast.clerk, f"/compounds/{cast.a.pk}/buildings/{other.pk}/").status_code == 404
    )


def test_building_leader_cannot_open_another_building(client, cast):
    url = f"/compounds/{cast.a.pk}/buildings/{cast.building_a2.pk}/"
    assert get(client, cast.building_leader, url).status_code == 404


def test_owners_chair_sees_masked_phone(client, cast):
    phone = cast.resident.person.phone
    html = get(
        client, cast.owners_chair, f"/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"
    ).content.decode()
    assert cast.resident.person.name in html
    assert mask_phone(phone) in html
    assert phone not in html
    assert cast.owner.person.name in html and cast.owner.phone not in html


def test_building_leader_sees_phones_of_own_building(client, cast):
    html = get(
        client, cast.building_leader, f"/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"
    ).content.decode()
    assert cast.resident.person.phone in html and cast.owner.phone in html


def test_clerk_sees_full_phone(client, cast):
    html = get(
        client, cast.clerk, f"/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"
    ).content.decode()
    assert cast.resident.person.phone in html
    assert cast.owner.phone in html


def test_resident_sees_rooms_but_no_roster(client, cast):
    html = get(
        client, cast.resident, f"/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"
    ).content.decode()
    assert "101" in html
    assert cast.owner.person.name not in html


def test_resident_list_masks_contacts_for_owners_chair(client, cast):
    html = get(client, cast.owners_chair, f"/compounds/{cast.a.pk}/residents/").content.decode()
    assert cast.resident.person.name in html
    assert mask_phone(cast.resident.phone) in html
    assert cast.resident.phone not in html


def test_resident_list_shows_contacts_to_clerk(client, cast):
    html = get(client, cast.clerk, f"/compounds/{cast.a.pk}/residents/").content.decode()
    assert cast.resident.phone in html
    assert f'hx-get="/compounds/{cast.a.pk}/residents/"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#resident-table"' in html


def test_resident_list_is_forbidden_without_roster_rights(client, cast):
    assert get(client, cast.resident, f"/compounds/{cast.a.pk}/residents/").status_code == 403


def test_resident_search_via_htmx_returns_only_the_table(client, cast):
    ResidencyFactory(household__room=cast.room_a, household__head__name="王秀英")
    client.force_login(cast.clerk)
    response = client.get(
        f"/compounds/{cast.a.pk}/residents/", {"q": "秀英"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert "王秀英" in html and cast.resident.person.name not in html
    assert "HX-Request" in response["Vary"]


def test_resident_search_without_htmx_returns_the_whole_page(client, cast):
    html = get(client, cast.clerk, f"/compounds/{cast.a.pk}/residents/?q=101").content.decode()
    assert "<html" in html and cast.resident.person.name in html


def test_htmx_history_restore_gets_the_whole_page(client, cast):
    client.force_login(cast.clerk)
    response = client.get(
        f"/compounds/{cast.a.pk}/residents/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_resident_list_queries_do_not_grow_with_residents(
    client, cast, django_assert_max_num_queries
):
    for i in range(40):
        room = RoomFactory(building=cast.building_a2, name=f"{200 + i}")
        ResidencyFactory(household__room=room)
    client.force_login(cast.clerk)
    with django_assert_max_num_queries(12):
        response = client.get(f"/compounds/{cast.a.pk}/residents/")
    assert response.status_code == 200


def test_building_page_queries_do_not_grow_with_rooms(client, cast, django_assert_max_num_queries):
    building = BuildingFactory(compound=cast.a, name="9号楼")
    for i in range(30):
        ResidencyFactory(household__room=RoomFactory(building=building, name=f"{300 + i}"))
    client.force_login(cast.clerk)
    with django_assert_max_num_queries(14):
        response = client.get(f"/compounds/{cast.a.pk}/buildings/{building.pk}/")
    assert response.status_code == 200


def test_compound_page_queries_are_bounded(client, cast, django_assert_max_num_queries):
    for i in range(10):
        BuildingFactory(compound=cast.a, name=f"{10 + i}号楼")
    client.force_login(cast.secretary)
    with django_assert_max_num_queries(20):
        assert client.get(f"/compounds/{cast.a.pk}/").status_code == 200
