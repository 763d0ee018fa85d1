"""Ids named by other writes on bodies (core.refs): the building or place an appointment's
scope names, and the person a party member record names. One outside the body, or out
of the actor's reach, is refused exactly as a missing one; the party member event is seen
where the person is registered and at their organisation's place. Central household links
were already limited to the post's scope (tests/bodies/test_services.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies import services
from gongzhi.bodies.models import BodyKind, Membership, PartyMember
from gongzhi.people.permissions import PERSON_NOT_FOUND
from tests.factories import BodyFactory, PersonFactory, resident_of
from tests.scoped import MISSING, api_client, assert_refused_alike, audit_count


def appoint(client, body, **payload):
    return client.post(f"/api/v1/bodies/{body.pk}/memberships", payload, format="json")


def test_an_appointment_scoped_to_another_compounds_building_is_refused_as_to_a_missing_one(
    cast,
):
    client = api_client(cast.secretary)
    person = resident_of(cast.a)
    foreign_building = cast.room_b.building_id
    before = audit_count()
    foreign = appoint(client, cast.branch_a, person=person.pk, post="building_leader",
                      building=foreign_building)  # fmt: skip
    missing = appoint(client, cast.branch_a, person=person.pk, post="building_leader",
                      building=MISSING)  # fmt: skip
    assert_refused_alike(foreign, missing, hidden=["乙小区"])
    assert foreign.json() == {"building": ["没有这个楼栋。"]}
    assert not Membership.objects.filter(person=person).exists()
    assert audit_count() == before


def test_an_appointment_scoped_to_a_place_outside_the_body_is_refused_as_to_a_missing_one(
    cast,
):
    client = api_client(cast.secretary)
    person = resident_of(cast.a)
    outside = cast.room_b.building.path
    nowhere = outside.replace(f"b{cast.room_b.building_id}/", f"b{MISSING}/")
    foreign = appoint(client, cast.branch_a, person=person.pk, post="member", scope_path=outside)
    missing = appoint(client, cast.branch_a, person=person.pk, post="member", scope_path=nowhere)
    assert_refused_alike(foreign, missing)
    assert foreign.json() == {"scope_path": ["没有这个地点。"]}


def test_an_appointment_scoped_to_a_building_of_the_body_still_works(cast):
    response = appoint(api_client(cast.secretary), cast.branch_a,
                       person=resident_of(cast.a).pk, post="building_leader",
                       building=cast.building_a2.pk)  # fmt: skip
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("where", ["z", None])
def test_a_party_member_record_names_only_a_person_the_actor_reaches(cast, where):
    person = resident_of(cast.z) if where else PersonFactory()
    before = audit_count()
    with pytest.raises(ValidationError) as error:
        services.party_member_register(
            actor=cast.community_worker, person=person, organisation_name="某局机关党支部",
            is_in_service=True, registered_community=cast.community,
        )  # fmt: skip
    assert error.value.message_dict == {"person": [str(PERSON_NOT_FOUND)]}
    assert not PartyMember.objects.exists() and audit_count() == before


def test_the_party_member_event_is_seen_at_the_organisations_place(cast):
    agency = BodyFactory(kind=BodyKind.COMMUNITY_PARTY_COMMITTEE, name="二社区党委",
                         place_path=cast.other_community.path)  # fmt: skip
    services.party_member_register(
        actor=cast.community_worker, person=resident_of(cast.b), organisation=agency,
        is_in_service=True, registered_community=cast.community,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="party_member.register")
    assert event.place_path == cast.community.path
    assert list(event.places.values_list("path", flat=True)) == [cast.other_community.path]
