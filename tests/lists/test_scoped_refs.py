"""Ids named by a list write are resolved against the list (core.refs): the unit or member
a claim names, the community of a new list, the category of an item and the demands put
on a list. One of elsewhere is refused exactly as an id naming nothing (same status, same
words), nothing is written, and nobody is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongzhi.demands.models import Category
from gongzhi.lists import services
from gongzhi.lists.models import ItemClaim, ListItem, WorkList
from gongzhi.lists.rules import ListError
from tests.lists.conftest import add_meeting_item
from tests.scoped import MISSING, api_client, assert_refused_alike, audit_count

V1 = "/api/v1/lists"


def claim(client, item, **data):
    return client.post(f"{V1}/items/{item.pk}/claim", data, format="json")


# --- claims -------------------------------------------------------------------------------


def test_assigning_to_a_unit_of_another_community_is_refused_as_to_a_missing_one(
    cast, partners, fix_now
):
    client = api_client(cast.secretary)
    before = audit_count()
    foreign = claim(client, fix_now, body=partners.unit_z.pk)
    missing = claim(client, fix_now, body=MISSING)
    assert_refused_alike(foreign, missing, hidden=[partners.unit_z.name])
    assert foreign.json() == {"body": ["该单位不是覆盖本小区的共建单位,不能认领。"]}
    assert not ItemClaim.objects.exists() and audit_count() == before


def test_assigning_to_a_member_of_another_community_is_refused_as_to_a_missing_one(
    cast, partners, fix_now
):
    client = api_client(cast.secretary)
    member = partners.member_z.person  # 双报到 with C2
    foreign = claim(client, fix_now, person=member.pk)
    missing = claim(client, fix_now, person=MISSING)
    assert_refused_alike(foreign, missing, hidden=[member.name, member.phone])
    assert foreign.json() == {"person": ["该党员不是在本社区双报到的在职党员,不能认领。"]}
    assert not ItemClaim.objects.exists()


def test_a_liaison_naming_a_unit_of_elsewhere_is_refused_as_naming_a_missing_one(
    cast, partners, fix_now
):
    client = api_client(partners.liaison)
    foreign = claim(client, fix_now, body=partners.unit_z.pk)
    missing = claim(client, fix_now, body=MISSING)
    assert_refused_alike(foreign, missing, hidden=[partners.unit_z.name])
    assert not ItemClaim.objects.exists()


def test_assigning_within_the_community_still_works(cast, partners, fix_now):
    response = claim(api_client(cast.secretary), fix_now, person=partners.member.person_id)
    assert response.status_code == 200, response.json()
    assert ItemClaim.objects.get().person_id == partners.member.person_id


def test_the_claim_button_refuses_a_unit_of_elsewhere_as_a_missing_one(
    client, cast, partners, fix_now
):
    client.force_login(cast.secretary)
    url = reverse("lists:item_claim", args=[fix_now.pk])
    for body in (partners.unit_z.pk, MISSING, "²", 2**70):
        response = client.post(url, {"body": body}, follow=True)
        assert "该单位不是覆盖本小区的共建单位,不能认领。" in response.content.decode()
        assert partners.unit_z.name not in response.content.decode()
    assert not ItemClaim.objects.exists()


def test_the_service_refuses_a_unit_of_elsewhere_too(cast, partners, fix_now):
    with pytest.raises(ListError) as error:
        services.item_claim(actor=None, item=fix_now, body=partners.unit_z)
    assert error.value.message_dict == {"body": ["该单位不是覆盖本小区的共建单位,不能认领。"]}


# --- creating a list, adding items ----------------------------------------------------------


def test_a_list_for_a_community_out_of_sight_is_refused_as_for_a_missing_one(cast):
    client = api_client(cast.secretary)  # branch of A, in C1

    def create(community):
        return client.post(V1, {"community": community, "kind": "needs", "title": "社区清单",
                                "period": "2024"}, format="json")  # fmt: skip

    before = audit_count()
    foreign, missing = create(cast.other_community.pk), create(MISSING)
    assert_refused_alike(foreign, missing, hidden=[cast.other_community.name])
    assert foreign.json() == {"community": ["社区不存在。"]}
    assert not WorkList.objects.exists() and audit_count() == before


def test_an_item_with_another_compounds_category_is_refused_as_with_a_missing_one(cast, draft):
    other = Category.objects.create(compound=cast.b, name="乙小区专用")
    client = api_client(cast.secretary)

    def add(category):
        return client.post(f"{V1}/{draft.pk}/items", {
            "title": "东门路灯不亮", "source": "meeting", "source_label": "3月邻里夜谈",
            "category": category,
        }, format="json")  # fmt: skip

    foreign, missing = add(other.pk), add(MISSING)
    assert_refused_alike(foreign, missing, hidden=["乙小区专用"])
    assert foreign.json() == {"category": ["该类别不适用于本小区。"]}
    assert not ListItem.objects.exists()


def test_the_item_service_refuses_another_compounds_category_too(cast, draft):
    other = Category.objects.create(compound=cast.b, name="乙小区专用")
    with pytest.raises(ListError):
        add_meeting_item(cast.secretary, draft, category=other)
    assert not ListItem.objects.exists()


def test_demands_out_of_the_actors_sight_are_refused_as_missing_ones(cast, draft, make_demand):
    """A grid worker compiles the compound's list but sees only their grid's demands: a
    demand of the neighbouring grid is as missing as one that does not exist."""
    hidden = make_demand(building=cast.building_a2, is_public=False)  # not in grid_a
    client = api_client(cast.grid_worker)

    def compile_(demand_id):
        return client.post(f"{V1}/{draft.pk}/from-demands", {"demands": [demand_id]},
                           format="json")  # fmt: skip

    foreign, missing = compile_(hidden.pk), compile_(MISSING)
    assert foreign.status_code == missing.status_code == 400
    assert foreign.content.decode().replace(
        str(hidden.pk), "N"
    ) == missing.content.decode().replace(str(MISSING), "N")
    assert hidden.description not in foreign.content.decode()
    assert not ListItem.objects.exists()


@pytest.mark.parametrize("value", ["²", 2**70, -1, True])
def test_odd_demand_ids_are_field_errors(cast, draft, value):
    response = api_client(cast.secretary).post(
        f"{V1}/{draft.pk}/from-demands", {"demands": [value]}, format="json"
    )
    assert response.status_code == 400 and "demands" in response.json()


# --- milestones (already safe: found through the item's list) --------------------------------


def test_completing_a_milestone_of_a_list_out_of_sight_is_refused_as_a_missing_one(cast, project):
    milestone = project.milestones.first()
    client = api_client(cast.outsider)  # lives in Z: A's list is out of sight
    foreign = client.post(f"{V1}/milestones/{milestone.pk}/done", {}, format="json")
    missing = client.post(f"{V1}/milestones/{MISSING}/done", {}, format="json")
    assert_refused_alike(foreign, missing, status=404, hidden=[milestone.title])
    milestone.refresh_from_db()
    assert milestone.done_at is None
