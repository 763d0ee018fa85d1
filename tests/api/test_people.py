"""People API: residents of a compound and one person, masked per the reader's role."""

import pytest

from tests.factories import OwnershipFactory, PersonFactory, ResidencyFactory, RoomFactory

NOT_FOUND = {"detail": "未找到。"}


@pytest.fixture
def zhang(cast):
    """A resident of room 101 in compound A with full contacts on record."""
    person = PersonFactory(name="张三", phone="13812345678", id_number="11010519491231002X")
    ResidencyFactory(household__room=cast.room_a, household__head=person)
    return person


def residents(client, compound, **params):
    return client.get(f"/api/v1/compounds/{compound.pk}/residents", params)


def card_of(response, name):
    return next(r["person"] for r in response.json()["results"] if r["person"]["name"] == name)


def test_clerk_sees_residents_phones_but_not_id_numbers_or_care_flags(cast, api, zhang):
    zhang.is_vulnerable = True
    zhang.save()
    response = residents(api(cast.clerk), cast.a)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    card = card_of(response, "张三")
    assert (card["phone"], card["id_number"], card["is_vulnerable"], card["masked"]) == (
        "13812345678",
        "1101**********002X",
        None,
        True,
    )


def test_community_worker_sees_residents_in_full(cast, api, zhang):
    zhang.is_vulnerable = True
    zhang.save()
    card = card_of(residents(api(cast.community_worker), cast.a), "张三")
    assert (card["phone"], card["id_number"], card["is_vulnerable"], card["masked"]) == (
        "13812345678",
        "11010519491231002X",
        True,
        False,
    )


def test_owners_chair_sees_residents_masked(cast, api, zhang):
    card = card_of(residents(api(cast.owners_chair), cast.a), "张三")
    assert (card["phone"], card["id_number"], card["masked"]) == (
        "138****5678",
        "1101**********002X",
        True,
    )


def test_resident_row_names_room_and_building(cast, api, zhang):
    row = next(
        r
        for r in residents(api(cast.clerk), cast.a).json()["results"]
        if r["person"]["name"] == "张三"
    )
    assert row["room"]["id"] == cast.room_a.pk
    assert row["room"]["building_name"] == "1号楼"
    assert (row["relation"], row["relation_display"], row["is_tenant"]) == ("head", "户主", False)


def test_residents_search_by_name(cast, api, zhang):
    response = residents(api(cast.clerk), cast.a, q="张")
    assert [r["person"]["name"] for r in response.json()["results"]] == ["张三"]


@pytest.mark.parametrize("role", ["building_leader", "resident", "owner"])
def test_roles_without_roster_of_the_compound_get_403(cast, api, role):
    response = residents(api(getattr(cast, role)), cast.a)
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有权限执行此操作。"}


def test_clerk_of_other_compound_gets_404_for_residents_of_a(cast, api):
    response = residents(api(cast.clerk_b), cast.a)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_community_worker_sees_residents_of_a_and_b_not_z(cast, api):
    client = api(cast.community_worker)
    assert residents(client, cast.a).status_code == 200
    assert residents(client, cast.b).status_code == 200
    assert residents(client, cast.z).status_code == 404


def test_resident_list_queries_do_not_grow_with_rows(cast, api, django_assert_max_num_queries):
    for i in range(25):
        room = RoomFactory(building=cast.building_a1, name=f"{300 + i}")
        ResidencyFactory(household__room=room)
    client = api(cast.clerk)
    with django_assert_max_num_queries(9):
        response = residents(client, cast.a)
    assert response.json()["count"] == 26
    assert len(response.json()["results"]) == 20


# One person


def test_clerk_sees_a_resident_of_a_with_phone_only(cast, api, zhang):
    response = api(cast.clerk).get(f"/api/v1/people/{zhang.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["phone"] == "13812345678"
    assert body["person"]["id_number"] == "1101**********002X"
    assert [r["room"]["id"] for r in body["residencies"]] == [cast.room_a.pk]
    assert body["residencies"][0]["room"]["compound_name"] == "甲小区"
    assert body["ownerships"] == []


def test_owners_chair_sees_the_person_masked(cast, api, zhang):
    body = api(cast.owners_chair).get(f"/api/v1/people/{zhang.pk}").json()
    assert body["person"]["phone"] == "138****5678"
    assert body["person"]["masked"] is True


def test_person_shows_only_the_places_the_reader_may_see(cast, api):
    person = PersonFactory()
    OwnershipFactory(room=cast.room_a, person=person, is_designated_voter=False)
    OwnershipFactory(room=cast.room_b, person=person)
    body = api(cast.clerk).get(f"/api/v1/people/{person.pk}").json()
    assert [o["room"]["id"] for o in body["ownerships"]] == [cast.room_a.pk]

    both = api(cast.community_worker).get(f"/api/v1/people/{person.pk}").json()
    assert {o["room"]["id"] for o in both["ownerships"]} == {cast.room_a.pk, cast.room_b.pk}


@pytest.mark.parametrize("role", ["clerk_b", "resident", "building_leader", "nobody"])
def test_person_outside_the_readers_roster_is_404(cast, api, zhang, role):
    # The building leader holds the roster of building 1 only; room 101 is in it, but
    # a person of building 2 is not.
    other = PersonFactory()
    ResidencyFactory(household__room=RoomFactory(building=cast.building_a2), household__head=other)
    target = other if role == "building_leader" else zhang
    response = api(getattr(cast, role)).get(f"/api/v1/people/{target.pk}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_building_leader_sees_a_person_of_the_building_masked(cast, api, zhang):
    body = api(cast.building_leader).get(f"/api/v1/people/{zhang.pk}").json()
    assert body["person"]["masked"] is True


def test_missing_person_is_404_like_a_hidden_one(cast, api, zhang):
    client = api(cast.clerk_b)
    assert (
        client.get("/api/v1/people/987654").json()
        == client.get(f"/api/v1/people/{zhang.pk}").json()
    )


def test_person_without_any_place_is_404_even_for_community_worker(cast, api):
    person = PersonFactory()
    assert api(cast.community_worker).get(f"/api/v1/people/{person.pk}").status_code == 404
