"""people.permissions in the matrix: the roster, each kind of personal data in full, and
whom a write may name (a person is reached where they are registered).

The person registered at each place: at ``A`` someone living in building 2 of A (outside
the building leader's building and the grid worker's grid), at ``A/1号楼`` the cast's
resident of room 101, at ``B`` someone living in B, at ``Z`` the cast's outsider.
"""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied

from gongzhi.core.capabilities import Cap
from gongzhi.people import permissions as p
from tests.factories import AccountFactory, ResidencyFactory, RoomFactory
from tests.permission_matrix.framework import Check, anywhere, found
from tests.permission_matrix.tables import (
    EDIT_ROSTER,
    VIEW_CARE,
    VIEW_ID_NUMBER,
    VIEW_PHONE,
    VIEW_ROSTER,
    _path,
    compound_at,
    holding,
)  # fmt: skip

# Who holds roster.view over the whole compound (not a building or a grid of it).
_COMPOUND_ROSTER = {
    "A": frozenset({"clerk", "secretary", "owners_chair", "community_worker"}),
    "B": frozenset({"clerk_b", "community_worker"}),
    "Z": frozenset(),
}


def _living_in(room):
    person = AccountFactory().person
    ResidencyFactory(household__room=room, household__head=person)
    return person


def build(cast):
    persons = {
        "A": _living_in(RoomFactory(building=cast.building_a2, name="201")),
        "A/1号楼": cast.resident.person,
        "B": _living_in(cast.room_b),
        "Z": cast.outsider.person,
    }
    return SimpleNamespace(cast=cast, persons=persons)


def _cap(predicate):
    return lambda u, w, place: predicate(u, _path(w.cast, place))


def _resident(user, w, place) -> bool:
    compound = compound_at(w.cast, place)
    pk = w.persons[place].pk
    return found(lambda: p.get_resident_for(user, compound, pk, capability=Cap.VIEW_ROSTER))


def _may_link(user, w, place) -> bool:
    try:  # the person of B linked into a room of A: roster.edit over B is needed
        person = w.persons["B"]
        elsewhere = p.registered_elsewhere(person, w.cast.room_a.path)
        assert elsewhere == [w.cast.room_b.path]
        return p.may_link_person(user, person, Cap.EDIT_ROSTER, elsewhere=elsewhere)
    except PermissionDenied:
        return False


PREDICATES = {
    "can_view_roster": Check(_cap(p.can_view_roster), holding(VIEW_ROSTER)),
    "can_view_phone": Check(_cap(p.can_view_phone), holding(VIEW_PHONE)),
    "can_view_id_number": Check(_cap(p.can_view_id_number), holding(VIEW_ID_NUMBER)),
    "can_view_care": Check(_cap(p.can_view_care), holding(VIEW_CARE)),
    "can_edit_roster": Check(_cap(p.can_edit_roster), holding(EDIT_ROSTER)),
    "can_reach_person": Check(
        lambda u, w, place: p.can_reach_person(u, w.persons[place], Cap.VIEW_ROSTER),
        holding(VIEW_ROSTER),
    ),
    "get_person_for": Check(
        lambda u, w, place: found(lambda: p.get_person_for(u, w.persons[place].pk)),
        holding(VIEW_ROSTER),
    ),
    "get_resident_for": Check(_resident, _COMPOUND_ROSTER),
    "may_link_person": Check(_may_link, anywhere({"community_worker"})),
}
HELPERS = {
    "residence_grants": "the grant provider of homes and ownership (core.access): "
    "tests/core/test_access.py",
    "reveal_at": "what a page masks, from the three predicates above: "
    "test_capability_table.test_what_pages_reveal_agrees_with_the_personal_data_columns",
    "reveal_at_any": "reveal_at over several places: tests/people/test_registered.py",
    "register_person_places": "the registry of person-place providers (bodies registers one)",
    "registered_paths": "where people are registered: tests/bodies/test_scoped_appointments.py",
    "person_getter": "get_person_for with a capability fixed: tests/people/test_registered.py",
    "lives_or_owns_in": "a fact about a person, not a permission: tests/people/test_registered.py",
    "registered_elsewhere": "a fact about a person: tests/people/test_registered.py",
}
