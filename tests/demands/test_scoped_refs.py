"""Ids named by a demand write are resolved in scope (core.refs): a room, building,
category or compound of elsewhere in a filing, a handler body or person of elsewhere in
a dispatch, and a demand of another compound in a merge are refused exactly as an id
naming nothing is (same status, same words), nothing is written and nobody is named."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand, PlaceKind, RoutingRule
from gongzhi.demands.rules import DemandError, State
from tests.demands.test_api import file_via_api, post
from tests.factories import AccountFactory, resident_of
from tests.scoped import MISSING, api_client, assert_refused_alike, audit_count

# --- filing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, foreign_of",
    [
        ("room", lambda cast: cast.room_b.pk),
        ("room", lambda cast: cast.room_z.pk),
        ("building", lambda cast: cast.room_b.building_id),
        ("category", lambda cast: Category.objects.create(compound=cast.b, name="乙类").pk),
    ],
)
def test_filing_names_a_room_building_or_category_of_elsewhere_as_a_missing_one(
    cast, repair, field, foreign_of
):
    client = api_client(cast.community_worker)
    place = {"place_kind": "building", "room": ""} if field == "building" else {}
    before = audit_count()
    foreign = file_via_api(client, cast, repair, channel="phone", **place,
                           **{field: foreign_of(cast)})  # fmt: skip
    missing = file_via_api(client, cast, repair, channel="phone", **place, **{field: MISSING})
    assert_refused_alike(foreign, missing, hidden=["乙小区", "丙小区", "乙类"])
    assert list(foreign.json()) == [field]
    assert not Demand.objects.exists() and audit_count() == before


def test_filing_in_a_compound_out_of_sight_is_refused_as_in_a_missing_one(cast, repair):
    client = api_client(cast.resident)  # lives in A; Z is another community's
    foreign = file_via_api(client, cast, repair, compound=cast.z.pk, room=cast.room_z.pk)
    missing = file_via_api(client, cast, repair, compound=MISSING, room=cast.room_z.pk)
    assert_refused_alike(foreign, missing, hidden=["丙小区"])
    assert foreign.json() == {"compound": ["小区不存在。"]}
    assert not Demand.objects.exists()


@pytest.mark.parametrize("value", ["²", 2**70, -3, "12 "])
def test_filing_odd_room_ids_are_field_errors(cast, repair, value):
    response = file_via_api(api_client(cast.resident), cast, repair, room=value)
    assert response.status_code == 400 and "room" in response.json()


def test_open311_takes_another_compounds_category_for_an_unknown_service(client, cast, repair):
    other = Category.objects.create(compound=cast.b, name="乙类")
    key = Token.objects.get_or_create(user=cast.resident)[0].key

    def file(code):
        return client.post("/open311/v2/requests.json", {
            "api_key": key, "service_code": str(code), "jurisdiction_id": str(cast.a.pk),
            "address_string": "1号楼", "description": "楼道灯坏了",
        })  # fmt: skip

    foreign, missing = file(other.pk), file(MISSING)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content.decode().replace(str(other.pk), "N") == missing.content.decode().replace(
        str(MISSING), "N"
    )
    assert "乙类" not in foreign.content.decode()
    assert not Demand.objects.exists()


# --- dispatch -----------------------------------------------------------------------------


@pytest.fixture
def filed(file_demand):
    return file_demand()


def _not_dispatched(demand, before: int) -> None:
    demand.refresh_from_db()
    assert demand.state == State.FILED and demand.handler_body_id is None
    assert audit_count() == before


def test_dispatch_to_a_body_of_elsewhere_is_refused_as_to_a_missing_one(cast, filed):
    client = api_client(cast.secretary)
    before = audit_count()
    foreign = post(client, filed, "dispatch", handler_body=cast.property_b.pk)
    missing = post(client, filed, "dispatch", handler_body=MISSING)
    assert_refused_alike(foreign, missing, hidden=["乙物业"])
    assert foreign.json() == {"handler_body": ["承办组织不在该诉求所在范围内。"]}
    _not_dispatched(filed, before)


def test_a_foreign_body_tells_nothing_of_the_person_named_with_it(cast, filed):
    client = api_client(cast.secretary)
    with_person = post(client, filed, "dispatch", handler_body=cast.property_b.pk,
                       handler_person=cast.clerk_b.person_id)  # fmt: skip
    with_missing = post(client, filed, "dispatch", handler_body=cast.property_b.pk,
                        handler_person=MISSING)  # fmt: skip
    assert_refused_alike(with_person, with_missing, hidden=[cast.clerk_b.person.name])


@pytest.mark.parametrize("with_body", [True, False])
def test_dispatch_to_a_person_of_elsewhere_is_refused_as_to_a_missing_one(cast, filed, with_body):
    client = api_client(cast.secretary)
    body = {"handler_body": cast.property_a.pk} if with_body else {}
    foreign_person = cast.clerk_b.person  # serves 乙物业 in B
    before = audit_count()
    foreign = post(client, filed, "dispatch", handler_person=foreign_person.pk, **body)
    missing = post(client, filed, "dispatch", handler_person=MISSING, **body)
    assert_refused_alike(foreign, missing, hidden=[foreign_person.name, foreign_person.phone])
    assert list(foreign.json()) == ["handler_person"]
    _not_dispatched(filed, before)


def test_dispatch_to_the_compounds_own_handler_still_works(cast, filed):
    response = post(api_client(cast.secretary), filed, "dispatch",
                    handler_body=cast.property_a.pk, handler_person=cast.clerk.person_id)  # fmt: skip
    assert response.status_code == 200, response.json()
    filed.refresh_from_db()
    assert filed.handler_person_id == cast.clerk.person_id


def test_dispatch_page_refuses_a_foreign_body_as_a_missing_one(client, cast, filed):
    client.force_login(cast.secretary)
    foreign = client.post(f"/demands/{filed.pk}/dispatch/", {"handler": f"b{cast.property_b.pk}"})
    missing = client.post(f"/demands/{filed.pk}/dispatch/", {"handler": f"b{MISSING}"})
    assert foreign.status_code == missing.status_code == 400
    for response in (foreign, missing):
        assert "承办组织不在该诉求所在范围内。" in response.content.decode()
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_dispatch_page_does_not_drop_a_person_it_cannot_find(client, cast, filed):
    """It used to: "b<body>p<unknown>" dispatched to the body alone."""
    client.force_login(cast.secretary)
    for person_id in (MISSING, cast.clerk_b.person_id):
        response = client.post(
            f"/demands/{filed.pk}/dispatch/", {"handler": f"b{cast.property_a.pk}p{person_id}"}
        )
        assert response.status_code == 400
        assert "承办人不是该组织的在任成员。" in response.content.decode()
    filed.refresh_from_db()
    assert filed.state == State.FILED and filed.handler_body_id is None


def test_dispatch_service_checks_the_handler_too(cast, filed):
    with pytest.raises(DemandError) as error:
        services.demand_dispatch(actor=cast.secretary, demand=filed,
                                 handler_body=cast.property_b)  # fmt: skip
    assert error.value.message_dict == {"handler_body": ["承办组织不在该诉求所在范围内。"]}


# --- merge --------------------------------------------------------------------------------


def test_merge_into_a_demand_of_another_compound_is_refused_as_into_a_missing_one(
    cast, file_demand
):
    duplicate = file_demand()
    elsewhere = file_demand(
        actor=_resident_account(cast.b), compound=cast.b, place_kind=PlaceKind.COMMON
    )
    client = api_client(cast.community_worker)  # sees both A and B
    before = audit_count()
    foreign = post(client, duplicate, "merge", into=elsewhere.pk)
    missing = post(client, duplicate, "merge", into=MISSING)
    assert_refused_alike(foreign, missing, hidden=[elsewhere.description])
    assert foreign.json() == {"into": ["本小区没有这条诉求。"]}
    duplicate.refresh_from_db()
    assert duplicate.state == State.FILED and duplicate.merged_into_id is None
    assert audit_count() == before


def test_merge_page_refuses_a_demand_out_of_sight_as_a_missing_one(client, cast, file_demand):
    file_demand()  # a similar one, so the page has the merge section that shows refusals
    duplicate = file_demand()
    hidden = file_demand(actor=_resident_account(cast.z), compound=cast.z,
                         place_kind=PlaceKind.COMMON)  # fmt: skip
    client.force_login(cast.secretary)
    for into in (hidden.pk, MISSING):
        response = client.post(f"/demands/{duplicate.pk}/merge/", {"into": into})
        assert response.status_code == 400
        assert "本小区没有这条诉求。" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.state == State.FILED


def test_merge_within_the_compound_still_works(cast, file_demand):
    original, duplicate = file_demand(), file_demand(description="电梯又坏了")
    response = post(api_client(cast.secretary), duplicate, "merge", into=original.pk)
    assert response.status_code == 200, response.json()
    assert response.json()["merged_into"] == original.pk


# --- routing rules (already safe: the form offers the compound's own only) -----------------


def test_routing_rule_form_refuses_a_building_of_elsewhere_as_a_missing_one(client, cast):
    client.force_login(cast.secretary)
    url = f"/compounds/{cast.a.pk}/demands/settings/rules/"

    def add(building):
        return client.post(url, {"handler": f"b{cast.property_a.pk}", "place_kind": "building",
                                  "building": building})  # fmt: skip

    foreign, missing = add(cast.room_b.building_id), add(MISSING)
    assert foreign.status_code == missing.status_code
    assert not RoutingRule.objects.exists()


def _resident_account(compound):
    return AccountFactory(person=resident_of(compound))


# --- categories (already safe: the compound is loaded for the user) ---------------------------


def test_a_category_for_a_compound_out_of_sight_is_refused_as_for_a_missing_one(cast):
    client = api_client(cast.secretary)  # A's branch; Z is another community's

    def create(compound):
        return client.post("/api/v1/demands/categories",
                           {"compound": compound, "name": "加装电梯"}, format="json")  # fmt: skip

    before = audit_count()
    foreign, missing = create(cast.z.pk), create(MISSING)
    assert_refused_alike(foreign, missing, status=404, hidden=["丙小区"])
    assert not Category.objects.filter(name="加装电梯").exists() and audit_count() == before


def test_changing_a_category_of_a_compound_out_of_sight_is_refused_as_a_missing_one(cast):
    theirs = Category.objects.create(compound=cast.z, name="丙小区专用")
    client = api_client(cast.secretary)
    foreign = client.patch(f"/api/v1/demands/categories/{theirs.pk}", {"name": "改"}, format="json")
    missing = client.patch(f"/api/v1/demands/categories/{MISSING}", {"name": "改"}, format="json")
    assert_refused_alike(foreign, missing, status=404, hidden=["丙小区专用"])
    theirs.refresh_from_db()
    assert theirs.name == "丙小区专用"


def test_the_filing_page_refuses_a_room_of_elsewhere_as_a_missing_one(client, cast, repair):
    """Already safe: the form offers the compound's own rooms and categories only."""
    client.force_login(cast.resident)
    url = f"/demands/new/?compound={cast.a.pk}"

    def file(room):
        return client.post(url, {"description": "楼道灯坏了", "category": repair.pk,
                                 "place_kind": "room", "room": room})  # fmt: skip

    foreign, missing = file(cast.room_b.pk), file(MISSING)
    assert foreign.status_code == missing.status_code == 400
    for response in (foreign, missing):
        assert "只能为自己居住或拥有的房屋提交诉求。" in response.content.decode()
    assert not Demand.objects.exists()
