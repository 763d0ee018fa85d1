from gongzhi.core import access
from gongzhi.core.capabilities import Cap


def test_clerk_acts_in_own_compound_only(cast):
    assert access.allows(cast.clerk, Cap.HANDLE, cast.room_a.path)
    assert not access.allows(cast.clerk, Cap.HANDLE, cast.room_b.path)


def test_community_worker_covers_every_compound_of_community(cast):
    for compound in (cast.a, cast.b):
        assert access.allows(cast.community_worker, Cap.EDIT_ROSTER, compound.path)
    assert not access.allows(cast.community_worker, Cap.VIEW_PLACE, cast.z.path)


def test_street_official_sees_figures_across_street(cast):
    for compound in (cast.a, cast.b, cast.z):
        assert access.allows(cast.street_official, Cap.VIEW_FIGURES, compound.path)
    assert not access.allows(cast.street_official, Cap.VIEW_CONTACT, cast.a.path)


def test_building_leader_reaches_compound_but_acts_in_building(cast):
    assert access.reaches(cast.building_leader, cast.a.path)
    assert access.allows(cast.building_leader, Cap.HANDLE, cast.room_a.path)
    assert not access.allows(cast.building_leader, Cap.HANDLE, cast.building_a2.path)


def test_ended_membership_grants_nothing(cast):
    from gongzhi.bodies.models import Membership

    Membership.objects.filter(person=cast.clerk.person).update(end="2000-01-01", start="1999-01-01")
    access.forget(cast.clerk)
    assert not access.allows(cast.clerk, Cap.VIEW_PLACE, cast.a.path)


def test_scope_q_filters_compounds(cast):
    from gongzhi.places.models import Compound

    seen = set(Compound.objects.filter(access.scope_q(cast.community_worker, Cap.VIEW_PLACE)))
    assert seen == {cast.a, cast.b}
