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


def test_homes_and_grants_of_living_and_owning_come_in_one_query_each(
    cast, django_assert_num_queries
):
    import datetime as dt

    from gongzhi.people.models import Account, Ownership, Residency
    from gongzhi.people.selectors import homes_of

    resident = Account.objects.get(pk=cast.resident.pk)
    with django_assert_num_queries(1):
        homes = homes_of(resident)
        assert homes_of(resident) is homes  # kept on the user object
    assert {(h.relation, h.room_id) for h in homes} == {
        ("resident", r.household.room_id)
        for r in Residency.objects.filter(person=resident.person, until__isnull=True)
    } | {("owner", o.room_id) for o in Ownership.objects.filter(person=resident.person)}
    assert homes and all(h.compound_path == cast.a.path for h in homes)
    access.forget(resident)  # drops grants and homes alike
    Residency.objects.filter(person=resident.person).update(until=dt.date(2026, 1, 1))
    Ownership.objects.filter(person=resident.person).update(until=dt.date(2026, 1, 1))
    assert homes_of(resident) == ()
    assert not access.allows(resident, Cap.FILE_DEMAND, cast.a.path)
