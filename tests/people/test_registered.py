"""people.permissions helpers: where a person is registered, and what is revealed of a
person met at several places."""

import pytest
from django.http import Http404

from gongzhi.core.capabilities import Cap
from gongzhi.people import permissions as p
from tests.factories import OwnershipFactory


def test_lives_or_owns_in(cast):
    assert p.lives_or_owns_in(cast.resident.person, cast.a.path)
    assert p.lives_or_owns_in(cast.owner.person, cast.a.path)
    assert not p.lives_or_owns_in(cast.resident.person, cast.b.path)
    assert not p.lives_or_owns_in(cast.clerk.person, cast.a.path)  # works there, no home
    # so a clerk is nobody a demand can be filed for, nor a proxy holder, as a resident
    with pytest.raises(Http404):
        p.get_resident_for(cast.community_worker, cast.a, cast.clerk.person.pk)
    assert p.get_resident_for(cast.community_worker, cast.a, cast.owner.person.pk)


def test_registered_elsewhere_is_outside_the_room_s_compound(cast):
    assert p.registered_elsewhere(cast.resident.person, cast.room_a.path) == []
    OwnershipFactory(room=cast.room_b, person=cast.resident.person)
    assert p.registered_elsewhere(cast.resident.person, cast.room_a.path) == [cast.room_b.path]
    assert p.registered_elsewhere(cast.resident.person, cast.room_b.path) == [cast.room_a.path]


def test_person_getter_fixes_the_capability(cast):
    by_phone = p.person_getter(Cap.VIEW_PHONE)
    assert by_phone(cast.clerk, cast.resident.person.pk) == cast.resident.person
    with pytest.raises(Http404):
        by_phone(cast.owners_chair, cast.resident.person.pk)  # roster, but no phones
    assert p.get_person_for(cast.owners_chair, cast.resident.person.pk) == cast.resident.person


def test_reveal_at_any_shows_each_kind_where_one_place_allows_it(cast):
    # The grid worker sees phones and care flags in room 101 of A (grid 甲一网格), nothing in B.
    only_b = p.reveal_at_any(cast.grid_worker, [cast.room_b.path])
    assert (only_b.phone, only_b.id_number, only_b.care) == (False, False, False)
    both = p.reveal_at_any(cast.grid_worker, [cast.room_b.path, cast.room_a.path])
    assert (both.phone, both.id_number, both.care) == (True, False, True)
    assert p.reveal_at_any(cast.grid_worker, []) == only_b
