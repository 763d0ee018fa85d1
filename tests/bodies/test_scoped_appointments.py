"""Appointing names a person: that id is resolved in the appointer's scope (core.refs).

The hole this closes: a community worker or branch secretary appointed a person of
another compound by id, got 201 with that person's full contacts, and the outsider then
gained access to the compound.
"""

import pytest
from django.core.exceptions import ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies import services
from gongzhi.bodies.models import Membership, Post
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.people.permissions import PERSON_NOT_FOUND, can_reach_person, registered_paths
from tests.factories import (
    AccountFactory,
    MembershipFactory,
    OwnershipFactory,
    PersonFactory,
    RoomFactory,
    resident_of,
)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def client_for(account):
        client = APIClient()
        client.force_authenticate(account)
        return client

    return client_for


def appoint(client, body, **payload):
    return client.post(f"/api/v1/bodies/{body.pk}/memberships", payload, format="json")


# --- where a person is registered ------------------------------------------------------


def test_a_person_is_registered_at_their_homes(cast):
    person = resident_of(cast.a)
    OwnershipFactory(room=cast.room_z, person=person)
    paths = registered_paths([person.pk])[person.pk]
    assert len(paths) == 2
    assert any(p.startswith(cast.a.path) for p in paths)
    assert any(p.startswith(cast.z.path) for p in paths)


def test_without_a_home_a_person_is_registered_at_their_posts(cast):
    clerk = cast.clerk.person  # lives nowhere, serves at 甲物业
    assert registered_paths([clerk.pk]) == {clerk.pk: [cast.a.path]}


def test_a_person_with_neither_is_registered_nowhere(cast):
    person = PersonFactory()
    MembershipFactory(person=person, body=cast.branch_a, start="2020-01-01", end="2021-01-01")
    assert registered_paths([person.pk]) == {}


@pytest.mark.parametrize(
    "where, role, reached",
    [
        ("a", "secretary", True),
        ("b", "secretary", False),  # another compound of the same community
        ("z", "secretary", False),
        ("a", "community_worker", True),
        ("b", "community_worker", True),  # the community covers both
        ("z", "community_worker", False),  # another community
        ("a", "clerk", False),  # no bodies.manage at all
    ],
)
def test_reach_needs_the_capability_where_the_person_is_registered(cast, where, role, reached):
    person = resident_of(getattr(cast, where))
    assert can_reach_person(getattr(cast, role), person, Cap.MANAGE_BODIES) is reached


def test_a_person_registered_in_two_places_needs_a_scope_covering_both(cast):
    person = resident_of(cast.a)
    assert can_reach_person(cast.community_worker, person, Cap.MANAGE_BODIES)
    OwnershipFactory(room=cast.room_z, person=person)
    assert not can_reach_person(cast.community_worker, person, Cap.MANAGE_BODIES)
    assert not can_reach_person(cast.secretary, person, Cap.MANAGE_BODIES)


def test_a_person_registered_nowhere_is_reached_by_superusers_only(cast):
    person = PersonFactory()
    admin = AccountFactory(is_superuser=True)
    assert not can_reach_person(cast.community_worker, person, Cap.MANAGE_BODIES)
    assert can_reach_person(admin, person, Cap.MANAGE_BODIES)


# --- the service refuses --------------------------------------------------------------


@pytest.mark.parametrize("where", ["b", "z"])
def test_secretary_cannot_appoint_a_person_of_another_compound(cast, where):
    person = resident_of(getattr(cast, where))
    with pytest.raises(ValidationError) as error:
        services.membership_appoint(
            actor=cast.secretary, body=cast.branch_a, person=person, post=Post.MEMBER
        )
    assert error.value.message_dict == {"person": [str(PERSON_NOT_FOUND)]}
    assert not Membership.objects.filter(person=person).exists()
    assert not AuditEvent.objects.filter(action="membership.appoint").exists()


def test_the_outsider_gains_nothing(cast):
    outsider = cast.outsider  # lives in Z
    with pytest.raises(ValidationError):
        services.membership_appoint(
            actor=cast.community_worker, body=cast.branch_a, person=outsider.person,
            post=Post.MEMBER,
        )  # fmt: skip
    access.forget(outsider)
    assert not access.allows(outsider, Cap.VIEW_ROSTER, cast.a.path)


def test_appointing_across_compounds_is_seen_by_the_auditors_of_both(cast):
    person = resident_of(cast.b)
    services.membership_appoint(
        actor=cast.community_worker, body=cast.branch_a, person=person, post=Post.MEMBER
    )
    event = AuditEvent.objects.get(action="membership.appoint")
    assert event.place_path == cast.a.path
    touched = list(event.places.values_list("path", flat=True))
    assert len(touched) == 1 and touched[0].startswith(cast.b.path)
    # The auditors of B (its property company has no audit rights: use a B-only auditor).
    from gongzhi.audit.permissions import can_view_event, events_visible_to
    from tests.factories import BodyFactory

    b_committee = BodyFactory(kind="residents_committee", place_path=cast.b.path)
    b_auditor = AccountFactory()
    MembershipFactory(body=b_committee, person=b_auditor.person, post="community_worker",
                      scope_path=cast.b.path)  # fmt: skip
    assert can_view_event(b_auditor, event)
    assert event in events_visible_to(b_auditor)
    z_committee = BodyFactory(kind="residents_committee", place_path=cast.z.path)
    z_auditor = AccountFactory()
    MembershipFactory(body=z_committee, person=z_auditor.person, post="community_worker",
                      scope_path=cast.z.path)  # fmt: skip
    assert not can_view_event(z_auditor, event)
    assert event not in events_visible_to(z_auditor)


# --- the API and the web page refuse the same way as a missing id ------------------------


def test_api_refuses_another_compounds_person_as_it_refuses_a_missing_one(cast, api):
    client = api(cast.secretary)
    outsider = cast.outsider.person
    outsider.id_number = "11010119900307651X"
    outsider.save()
    foreign = appoint(client, cast.branch_a, person=outsider.pk, post="member")
    missing = appoint(client, cast.branch_a, person=99999999, post="member")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json() == {"person": [str(PERSON_NOT_FOUND)]}
    body = foreign.content.decode()
    assert outsider.phone not in body and outsider.name not in body
    assert not Membership.objects.filter(person=outsider).exists()


@pytest.mark.parametrize("value", ["²", "١٢", "1e3", True, -4, 2**70, "12 ", None])
def test_api_odd_person_ids_are_field_errors(cast, api, value):
    response = appoint(api(cast.secretary), cast.branch_a, person=value, post="member")
    assert response.status_code == 400
    assert "person" in response.json()


def test_web_form_does_not_find_a_person_outside_the_appointers_reach(cast, client):
    person = resident_of(cast.z, phone="13912345678")
    client.force_login(cast.secretary)
    response = client.post(
        f"/bodies/{cast.branch_a.pk}/members/",
        {"person": person.phone, "post": "member", "start": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(person=person).exists()


def test_web_form_finds_a_person_of_the_compound(cast, client):
    person = resident_of(cast.a, phone="13912345679")
    room = RoomFactory(building=cast.building_a1)
    assert room.compound == cast.a
    client.force_login(cast.secretary)
    response = client.post(
        f"/bodies/{cast.branch_a.pk}/members/",
        {"person": person.phone, "post": "member", "start": "2026-01-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(person=person, body=cast.branch_a).exists()


# --- a newcomer is registered by the post they are given ---------------------------------


def test_community_worker_registers_and_appoints_a_clerk_living_elsewhere(cast, api):
    response = appoint(
        api(cast.community_worker), cast.property_a, post="clerk",
        newcomer={"name": "新物业员", "phone": "13912340000"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    membership = Membership.objects.get(pk=response.json()["id"])
    assert membership.person.name == "新物业员"
    assert registered_paths([membership.person.pk]) == {membership.person.pk: [cast.a.path]}
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "place_path"))
    assert actions == [("person.create", cast.a.path), ("membership.appoint", cast.a.path)]


def test_a_newcomer_with_an_id_number_on_record_is_refused_without_telling_whose(cast, api):
    cast.outsider.person.id_number = "11010119900307651X"
    cast.outsider.person.save()
    response = appoint(
        api(cast.community_worker), cast.property_a, post="clerk",
        newcomer={"name": "冒名", "phone": "13912340001", "id_number": "11010119900307651X"},
    )  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()) == ["id_number"]
    assert cast.outsider.person.name not in response.content.decode()
    assert (
        not Membership.objects.filter(body=cast.property_a, post="clerk")
        .exclude(person=cast.clerk.person)
        .exists()
    )
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"person": 1, "newcomer": {"name": "甲", "phone": "13912340002"}},
        {"newcomer": {"name": "甲", "phone": "123"}},
        {"newcomer": {"name": "甲", "phone": "13912340002", "id_number": "110101199003076510"}},
    ],
)
def test_person_or_newcomer_exactly_one_and_valid(cast, api, payload):
    response = appoint(api(cast.community_worker), cast.property_a, post="clerk", **payload)
    assert response.status_code == 400
    assert not AuditEvent.objects.exists()


def test_web_form_registers_a_newcomer(cast, client):
    client.force_login(cast.community_worker)
    response = client.post(
        f"/bodies/{cast.property_a.pk}/members/",
        {"new_name": "新物业员", "new_phone": "13912340003", "post": "clerk",
         "start": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.filter(body=cast.property_a, person__name="新物业员").exists()


def test_web_form_asks_for_someone(cast, client):
    client.force_login(cast.community_worker)
    response = client.post(
        f"/bodies/{cast.property_a.pk}/members/", {"post": "clerk", "start": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "请填写手机号或身份证号" in response.content.decode()
