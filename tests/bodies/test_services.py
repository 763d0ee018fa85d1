"""bodies.services: appointing and ending memberships, 双报到, central households, founding bodies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies import services
from gongzhi.bodies.models import (
    Body,
    BodyKind,
    CentralHouseholdLink,
    Membership,
    PartyMember,
    Post,
)
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from tests.factories import (
    AccountFactory,
    HouseholdFactory,
    MembershipFactory,
    PartyMemberFactory,
    RoomFactory,
    resident_of,
)

TODAY = timezone.localdate()


# --- appointing -----------------------------------------------------------------------


def test_secretary_appoints_a_building_leader_scoped_to_a_building(cast):
    person = resident_of(cast.a)
    membership = services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=person, post=Post.BUILDING_LEADER,
        scope=cast.building_a2,
    )  # fmt: skip
    assert membership.scope_path == cast.building_a2.path
    event = AuditEvent.objects.get(action="membership.appoint")
    assert event.place_path == cast.building_a2.path
    assert event.actor == cast.secretary
    assert event.after["post"] == "building_leader"


def test_scope_defaults_to_the_bodys_place(cast):
    membership = services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a), post=Post.MEMBER
    )
    assert membership.scope_path == cast.a.path


@pytest.mark.parametrize("scope", ["room_b", "b", "community", "z"])
def test_membership_scope_must_lie_within_the_bodys_place(cast, scope):
    with pytest.raises(ValidationError) as error:
        services.membership_appoint(
            actor=cast.community_worker, body=cast.branch_a, person=resident_of(cast.a),
            post=Post.BUILDING_LEADER, scope=getattr(cast, scope),
        )  # fmt: skip
    assert "scope" in error.value.message_dict
    assert (
        not Membership.objects.filter(body=cast.branch_a, post="building_leader")
        .exclude(person=cast.building_leader.person)
        .exists()
    )
    assert not AuditEvent.objects.exists()


def test_unknown_post_is_refused(cast):
    with pytest.raises(ValidationError):
        services.membership_appoint(
            actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a), post="king"
        )


def test_appointment_grants_at_once(cast):
    account = AccountFactory(person=resident_of(cast.a))
    assert not access.allows(account, Cap.VIEW_ROSTER, cast.a.path)  # (and caches "nothing")
    services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=account.person, post=Post.MEMBER
    )
    assert access.allows(account, Cap.VIEW_ROSTER, cast.a.path)


@pytest.mark.parametrize("role", ["clerk", "clerk_b", "owners_chair", "building_leader",
                                  "grid_worker", "street_official", "resident", "nobody"])  # fmt: skip
def test_appointing_needs_manage_bodies_over_the_body(cast, role):
    with pytest.raises(PermissionDenied):
        services.membership_appoint(
            actor=getattr(cast, role), body=cast.branch_a, person=resident_of(cast.a),
            post=Post.MEMBER,
        )  # fmt: skip
    assert not AuditEvent.objects.exists()


def test_secretary_of_a_cannot_appoint_in_the_community_body(cast):
    with pytest.raises(PermissionDenied):
        services.membership_appoint(
            actor=cast.secretary, body=cast.residents_committee, person=resident_of(cast.a),
            post=Post.COMMUNITY_WORKER,
        )  # fmt: skip


# --- terms ------------------------------------------------------------------------------


def test_term_ending_before_it_starts_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(body=cast.branch_a, start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 30))


def test_term_ending_before_it_starts_is_refused_by_the_service(cast):
    with pytest.raises(ValidationError):
        services.membership_appoint(
            actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a), post=Post.MEMBER,
            start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 30),
        )  # fmt: skip
    assert not AuditEvent.objects.exists()


def test_one_day_term_is_allowed(cast):
    day = dt.date(2026, 5, 1)
    membership = services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a), post=Post.MEMBER,
        start=day, end=day,
    )  # fmt: skip
    assert membership.end == membership.start


def test_membership_end_refuses_an_end_before_the_start(cast):
    membership = Membership.objects.get(person=cast.clerk.person)
    with pytest.raises(ValidationError):
        services.membership_end(
            actor=cast.community_worker,
            membership=membership,
            end=membership.start - dt.timedelta(days=1),
        )
    membership.refresh_from_db()
    assert membership.end is None


def test_ended_membership_no_longer_grants(cast):
    membership = Membership.objects.get(person=cast.clerk.person)
    Membership.objects.filter(pk=membership.pk).update(start=TODAY - dt.timedelta(days=30))
    membership.refresh_from_db()
    services.membership_end(
        actor=cast.community_worker, membership=membership, end=TODAY - dt.timedelta(days=1)
    )
    access.forget(cast.clerk)
    assert not access.allows(cast.clerk, DemandCap.HANDLE, cast.room_a.path)
    event = AuditEvent.objects.get(action="membership.end")
    assert event.before == {"end": None}
    assert event.after == {"end": (TODAY - dt.timedelta(days=1)).isoformat()}


def test_membership_ending_today_still_grants_today(cast):
    membership = Membership.objects.get(person=cast.clerk.person)
    services.membership_end(actor=cast.community_worker, membership=membership, end=TODAY)
    access.forget(cast.clerk)
    assert access.allows(cast.clerk, DemandCap.HANDLE, cast.room_a.path)


# --- 双报到: in-service party members register where they live ----------------------------


def test_dual_registration_needs_an_in_service_member(cast):
    with pytest.raises(ValidationError, match="在职党员"):
        services.party_member_register(
            actor=cast.community_worker, person=resident_of(cast.a), organisation_name="某局机关党支部",
            is_in_service=False, registered_community=cast.community,
        )  # fmt: skip
    assert not PartyMember.objects.exists()
    assert not AuditEvent.objects.exists()


def test_dual_registration_of_a_retired_member_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMemberFactory(is_in_service=False, registered_community=cast.community)


def test_in_service_member_registers_and_may_handle_in_the_community(cast):
    account = AccountFactory(person=resident_of(cast.a))  # lives in the community
    member = services.party_member_register(
        actor=cast.community_worker, person=account.person, organisation_name="某局机关党支部",
        is_in_service=True, registered_community=cast.community,
    )  # fmt: skip
    assert member.registered_on == TODAY
    assert access.allows(account, DemandCap.HANDLE, cast.b.path)
    assert not access.allows(account, DemandCap.HANDLE, cast.z.path)
    assert not access.allows(account, Cap.VIEW_ROSTER, cast.a.path)
    event = AuditEvent.objects.get(action="party_member.register")
    assert event.place_path == cast.community.path


def test_member_without_dual_registration_needs_no_service(cast):
    member = services.party_member_register(
        actor=cast.community_worker, person=resident_of(cast.a), organisation=cast.branch_a
    )
    assert member.registered_community is None
    assert member.registered_on is None


def test_party_member_needs_an_organisation(cast):
    with pytest.raises(ValidationError):
        services.party_member_register(
            actor=cast.community_worker, person=resident_of(cast.a), is_in_service=True,
            registered_community=cast.community,
        )  # fmt: skip


def test_secretary_of_a_cannot_register_members_with_the_community(cast):
    with pytest.raises(PermissionDenied):
        services.party_member_register(
            actor=cast.secretary, person=resident_of(cast.a), organisation_name="某局机关党支部",
            is_in_service=True, registered_community=cast.community,
        )  # fmt: skip


# --- central households -----------------------------------------------------------------


@pytest.fixture
def central(cast) -> Membership:
    return services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a),
        post=Post.CENTRAL_HOUSEHOLD,
    )  # fmt: skip


def test_central_household_links_a_household_of_the_compound(cast, central):
    household = HouseholdFactory(room=cast.room_a)
    link = services.central_household_link(
        actor=cast.secretary, membership=central, household=household
    )
    assert link.household == household
    event = AuditEvent.objects.get(action="central_household.link")
    assert event.place_path == cast.room_a.path


def test_central_household_cannot_link_a_household_of_another_compound(cast, central):
    with pytest.raises(ValidationError, match="本组织范围内"):
        services.central_household_link(
            actor=cast.community_worker, membership=central,
            household=HouseholdFactory(room=cast.room_b),
        )  # fmt: skip
    assert not CentralHouseholdLink.objects.exists()


def test_only_a_central_household_links_households(cast):
    member = services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a), post=Post.MEMBER
    )
    with pytest.raises(ValidationError, match="党员中心户"):
        services.central_household_link(
            actor=cast.secretary, membership=member, household=HouseholdFactory(room=cast.room_a)
        )


def test_the_same_household_is_linked_once(cast, central):
    household = HouseholdFactory(room=cast.room_a)
    services.central_household_link(actor=cast.secretary, membership=central, household=household)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.central_household_link(
            actor=cast.secretary, membership=central, household=household
        )


def test_linking_needs_manage_bodies(cast, central):
    with pytest.raises(PermissionDenied):
        services.central_household_link(
            actor=cast.clerk, membership=central, household=HouseholdFactory(room=cast.room_a)
        )


def test_ended_central_household_cannot_link_households(cast, central):
    """A central household whose term has ended is given no more households."""
    Membership.objects.filter(pk=central.pk).update(
        start=TODAY - dt.timedelta(days=30), end=TODAY - dt.timedelta(days=1)
    )
    central.refresh_from_db()
    with pytest.raises(ValidationError):
        services.central_household_link(
            actor=cast.secretary, membership=central, household=HouseholdFactory(room=cast.room_a)
        )
    assert not CentralHouseholdLink.objects.exists()


def test_central_household_links_only_within_its_own_scope(cast):
    """One scoped to building 2 looks after households of building 2, not of building 1."""
    scoped = services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=resident_of(cast.a),
        post=Post.CENTRAL_HOUSEHOLD, scope=cast.building_a2,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.central_household_link(
            actor=cast.secretary, membership=scoped, household=HouseholdFactory(room=cast.room_a)
        )
    room_a2 = RoomFactory(building=cast.building_a2)
    services.central_household_link(
        actor=cast.secretary, membership=scoped, household=HouseholdFactory(room=room_a2)
    )


# --- founding bodies --------------------------------------------------------------------


def test_community_worker_founds_a_body_in_a_compound(cast):
    body = services.body_create(
        actor=cast.community_worker, kind=BodyKind.VOLUNTEER_TEAM, name="乙小区志愿服务队",
        place=cast.b,
    )  # fmt: skip
    assert (body.place_path, body.compound, body.community) == (cast.b.path, cast.b, cast.community)
    assert AuditEvent.objects.get(action="body.create").place_path == cast.b.path


def test_founding_a_compound_body_needs_manage_bodies_above_the_compound(cast):
    with pytest.raises(PermissionDenied):
        services.body_create(
            actor=cast.secretary, kind=BodyKind.VOLUNTEER_TEAM, name="志愿服务队", place=cast.a
        )
    assert not Body.objects.filter(name="志愿服务队").exists()


def test_secretary_founds_a_building_party_group_inside_the_compound(cast):
    body = services.body_create(
        actor=cast.secretary, kind=BodyKind.BUILDING_PARTY_GROUP, name="1号楼党小组",
        place=cast.building_a1, parent=cast.branch_a,
    )  # fmt: skip
    assert body.place_path == cast.building_a1.path
    assert body.compound == cast.a


def test_secretary_cannot_appoint_an_owners_committee_chair(cast):
    """Appointing never hands out powers the appointer lacks (voting.manage here)."""
    from django.core.exceptions import PermissionDenied

    from gongzhi.bodies import services as body_services
    from gongzhi.bodies.models import Membership

    # The secretary may manage the branch's members ...
    someone = resident_of(cast.a)
    body_services.membership_appoint(
        actor=cast.secretary, body=cast.branch_a, person=someone, post="member"
    )
    # ... but not give a post that brings voting.manage, which they do not hold.
    before = Membership.objects.count()
    with pytest.raises(PermissionDenied):
        body_services.membership_appoint(
            actor=cast.secretary,
            body=cast.owners_committee_a,
            person=cast.secretary.person,
            post="chair",
        )
    assert Membership.objects.count() == before


def test_community_worker_may_appoint_a_property_clerk(cast):
    from gongzhi.bodies import services as body_services

    membership = body_services.membership_appoint(
        actor=cast.community_worker, body=cast.property_a, person=resident_of(cast.a), post="clerk"
    )
    assert membership.pk
