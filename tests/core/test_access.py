from gongzhi.core import access, capabilities
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.voting.capabilities import VotingCap


def test_clerk_acts_in_own_compound_only(cast):
    assert access.allows(cast.clerk, DemandCap.HANDLE, cast.room_a.path)
    assert not access.allows(cast.clerk, DemandCap.HANDLE, cast.room_b.path)


def test_community_worker_covers_every_compound_of_community(cast):
    for compound in (cast.a, cast.b):
        assert access.allows(cast.community_worker, Cap.EDIT_ROSTER, compound.path)
    assert not access.allows(cast.community_worker, Cap.VIEW_PLACE, cast.z.path)


def test_street_official_sees_figures_across_street(cast):
    for compound in (cast.a, cast.b, cast.z):
        assert access.allows(cast.street_official, Cap.VIEW_FIGURES, compound.path)
    for cap in (Cap.VIEW_PHONE, Cap.VIEW_ID_NUMBER, Cap.VIEW_CARE):
        assert not access.allows(cast.street_official, cap, cast.a.path)


def test_building_leader_reaches_compound_but_acts_in_building(cast):
    assert access.reaches(cast.building_leader, cast.a.path)
    assert access.allows(cast.building_leader, DemandCap.HANDLE, cast.room_a.path)
    assert not access.allows(cast.building_leader, DemandCap.HANDLE, cast.building_a2.path)


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
    assert not access.allows(resident, DemandCap.FILE_DEMAND, cast.a.path)


# --- holders: who holds a capability at a place (the reverse of allows) ------------------

MEMBERSHIP_KINDS = {"resident", "owner"}  # grants of homes: people registers no holders


def _places(cast):
    return [
        cast.a, cast.b, cast.z, cast.room_a, cast.room_b, cast.room_z, cast.building_a2,
        cast.grid_a, cast.community, cast.other_community, cast.street,
    ]  # fmt: skip


def _allowed_through_posts(account, capability, path) -> bool:
    return any(
        capability in g.capabilities and path.startswith(g.path) and g.kind not in MEMBERSHIP_KINDS
        for g in access.grants_for(account)
    )


def test_holders_are_exactly_those_whom_posts_allow(cast):
    """For every capability and place: holders(cap, path) is the set of accounts that
    allows(account, cap, path) through a post or a 双报到 registration."""
    from gongzhi.bodies.models import Body
    from tests.factories import AccountFactory, PartyMemberFactory

    dual = AccountFactory()
    PartyMemberFactory(
        person=dual.person, is_in_service=True, registered_community=cast.community,
        organisation_name="市税务局",
    )  # fmt: skip
    ended = AccountFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(body=cast.branch_a, person=ended.person, post="secretary",
                      scope_path=cast.a.path, start="2020-01-01", end="2021-01-01")  # fmt: skip
    Body.objects.filter(pk=cast.property_b.pk).update(dissolved_on="2026-01-01")
    accounts = [*cast.roles().values(), dual, ended]
    assert accounts[0].pk  # the cast is saved
    checked = 0
    for capability in sorted(capabilities.known()):
        for place in _places(cast):
            expected = [a for a in accounts if _allowed_through_posts(a, capability, place.path)]
            assert access.holders(capability, place.path) == sorted(expected, key=lambda a: a.pk), (
                capability, place,
            )  # fmt: skip
            checked += bool(expected)
    assert checked > 40  # most pairs have holders: the comparison is not empty on both sides
    assert dual in access.holders(DemandCap.HANDLE, cast.room_b.path)  # 双报到 over the community
    assert cast.clerk_b not in access.holders(DemandCap.HANDLE, cast.room_b.path)  # dissolved
    assert ended not in access.holders(DemandCap.DISPATCH, cast.a.path)


def test_holders_of_any_of_several_capabilities_and_within_one_body(cast):
    handling = {DemandCap.HANDLE, DemandCap.DISPATCH}
    at_room = access.holders(handling, cast.room_a.path)
    assert {cast.clerk, cast.secretary, cast.building_leader, cast.grid_worker,
            cast.owners_chair, cast.community_worker} == set(at_room)  # fmt: skip
    assert access.holders(handling, cast.room_a.path, body=cast.branch_a.pk) == sorted(
        [cast.secretary, cast.building_leader], key=lambda a: a.pk
    )
    assert access.holders(handling, cast.building_a2.path, body=cast.branch_a.pk) == [
        cast.secretary
    ]  # the building leader's scope is building 1
    assert access.holders(DemandCap.HANDLE, cast.room_a.path, body=cast.street_office.pk) == []


def test_holders_leave_out_inactive_accounts_and_answer_nothing_for_no_place(cast):
    cast.clerk.is_active = False
    cast.clerk.save(update_fields=["is_active"])
    assert cast.clerk not in access.holders(DemandCap.HANDLE, cast.room_a.path)
    assert access.holders(DemandCap.HANDLE, "") == []
    assert access.holders(set(), cast.a.path) == []


def test_holders_on_a_given_day(cast):
    import datetime as dt

    from gongzhi.bodies.models import Membership

    Membership.objects.filter(person=cast.clerk.person).update(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)
    )
    assert cast.clerk in access.holders(DemandCap.HANDLE, cast.a.path, on=dt.date(2026, 1, 31))
    assert cast.clerk not in access.holders(DemandCap.HANDLE, cast.a.path, on=dt.date(2026, 2, 1))


def test_holders_add_up_what_every_registered_provider_answers(cast, monkeypatch):
    """Core knows no app: each app registers how its grants answer (bodies: memberships)."""
    asked = []

    def provider(capabilities, path, *, on, body):
        asked.append((capabilities, path, body))
        return [cast.nobody.person_id]

    monkeypatch.setattr(access, "_holder_providers", [*access._holder_providers])
    access.register_holder_provider(provider)
    access.register_holder_provider(provider)  # once only
    found = access.holders(VotingCap.VOTE, cast.a.path)
    assert cast.nobody in found
    assert asked == [(frozenset({VotingCap.VOTE}), cast.a.path, None)]
