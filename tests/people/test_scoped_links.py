"""Linking a person into a room (a household's head, a resident, an owner) or opening
their account names the person by reference: a person registered elsewhere is linked only
by someone holding roster.edit wherever they are registered (people.permissions, the rule
of the roster import); anyone else is refused as a missing person is, nothing is written,
and the auditors of every place the change touches see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.people import services
from gongzhi.people.models import Account, Household, Ownership, Residency
from gongzhi.people.permissions import PERSON_NOT_FOUND
from tests.factories import HouseholdFactory, PersonFactory, RoomFactory, resident_of
from tests.scoped import audit_count


def _link(kind, actor, room, person):
    if kind == "household":
        return services.household_add(actor=actor, room=room, head=person)
    if kind == "resident":
        return services.resident_add(
            actor=actor, household=HouseholdFactory(room=room), person=person, relation="spouse"
        )
    return services.ownership_add(actor=actor, room=room, person=person)


FIELD = {"household": "head", "resident": "person", "ownership": "person"}


@pytest.mark.parametrize("kind", ["household", "resident", "ownership"])
def test_a_person_of_another_community_is_not_linked_into_a(cast, kind):
    person = resident_of(cast.z)  # C2: out of the community worker's reach
    room = RoomFactory(building=cast.building_a1)
    before = audit_count()
    with pytest.raises(ValidationError) as error:
        _link(kind, cast.community_worker, room, person)
    assert error.value.message_dict == {FIELD[kind]: [str(PERSON_NOT_FOUND)]}
    assert not Ownership.objects.filter(person=person, room=room).exists()
    assert not Residency.objects.filter(person=person, household__room=room).exists()
    assert audit_count() == before


@pytest.mark.parametrize("kind", ["household", "resident", "ownership"])
def test_a_person_of_b_is_linked_into_a_by_the_community_and_b_sees_it(cast, kind):
    person = resident_of(cast.b)  # the community worker holds roster.edit over A and B
    room = RoomFactory(building=cast.building_a1)
    _link(kind, cast.community_worker, room, person)
    event = AuditEvent.objects.order_by("-id").first()
    touched = list(event.places.values_list("path", flat=True))
    assert event.place_path == room.path
    assert len(touched) == 1 and touched[0].startswith(cast.b.path)


@pytest.mark.parametrize("kind", ["household", "resident", "ownership"])
def test_a_person_registered_nowhere_is_linked_by_the_roster_editor(cast, kind):
    person = PersonFactory()
    _link(kind, cast.community_worker, RoomFactory(building=cast.building_a1), person)
    assert not AuditEvent.objects.order_by("-id").first().places.exists()


def test_an_account_is_opened_only_by_someone_reaching_every_home_of_the_person(cast):
    person = resident_of(cast.a)
    services.ownership_add(actor=None, room=cast.room_z, person=person)  # also owns in Z
    with pytest.raises(PermissionDenied):
        services.account_create(actor=cast.community_worker, person=person, phone="13912345001")
    assert not Account.objects.filter(person=person).exists()
    other = resident_of(cast.b)
    account = services.account_create(
        actor=cast.community_worker, person=other, phone="13912345002"
    )
    event = AuditEvent.objects.get(action="account.create")
    assert account.person == other and event.place_path.startswith(cast.b.path)


def test_a_new_household_in_a_still_works(cast):
    household = services.household_add(
        actor=cast.community_worker, room=cast.room_a, head=resident_of(cast.a)
    )
    assert Household.objects.filter(pk=household.pk).exists()
