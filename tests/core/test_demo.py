"""``manage.py load_demo``: the five compounds of the articles, their bodies and accounts.

The demo is built once for the module inside an outer transaction that is rolled back
at the end (as Django's TestCase.setUpTestData does); each test then runs in its own
savepoint, so nothing leaks into other modules.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import RequestFactory

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import Body, BodyKind, CentralHouseholdLink, Membership, PartyMember
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.core.demo import DEMO_COMPOUNDS
from gongzhi.core.demo.context import DEMO_PASSWORD, ROLES
from gongzhi.demands.capabilities import DemandCap
from gongzhi.people.models import Account, Household, Ownership, Person, Residency
from gongzhi.people.rules import is_id_number, is_mobile
from gongzhi.places.models import Building, Compound, District, Room
from gongzhi.voting.capabilities import VotingCap


# Runs first, before the module's demo exists: an existing district of the same name
# (someone else's data) makes the command refuse rather than mix the demo into it.
def test_refuses_when_a_demo_district_name_is_taken(db):
    District.objects.create(name="泉州市丰泽区")
    with pytest.raises(CommandError, match="泉州市丰泽区"):
        call_command("load_demo", stdout=StringIO())
    assert not Compound.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def tp(demo, db) -> Compound:
    return Compound.objects.get(name="太平洋花园")


@pytest.fixture
def sanwu(demo, db) -> Compound:
    return Compound.objects.get(name="运输公司家属院")


def test_creates_the_five_compounds_with_their_place_names(demo, db):
    where = {
        c.name: (c.community.street.district.name, c.community.street.name, c.community.name)
        for c in Compound.objects.select_related("community__street__district")
    }
    assert set(DEMO_COMPOUNDS) <= set(where)
    assert where["翔鹭花城二期"][:2] == ("厦门市湖里区", "殿前街道")
    assert where["香槟城小区"][:2] == ("贺州市八步区", "江南街道")
    assert where["太平洋花园"] == ("泉州市丰泽区", "东湖街道", "铭湖社区")
    assert where["运输公司家属院"][:2] == ("阳泉市城区", "下站街道")
    assert where["纺织生活二区"] == ("龙岩市新罗区", "南城街道", "翠屏社区")


def test_taiping_has_11_buildings_306_households_910_residents(tp):
    assert Building.objects.filter(compound=tp).count() == 11
    assert Household.objects.filter(room__compound=tp).count() == 306
    residents = Residency.objects.filter(household__room__compound=tp, until__isnull=True)
    assert residents.values("person").distinct().count() == 910
    assert residents.filter(is_tenant=True).exists()
    assert (tp.households, tp.residents, tp.buildings_count) == (306, 910, 11)
    assert tp.total_floor_area == Decimal("55000.00")
    assert tp.built_year == 1999


def test_taiping_306_flats_with_plausible_exclusive_area(tp):
    flats = Room.objects.filter(compound=tp, use="residential")
    assert flats.count() == 306
    total = flats.aggregate(total=Sum("exclusive_area"))["total"]
    assert Decimal("45000") <= total <= Decimal("50000")
    assert all(
        area.as_tuple().exponent == -2 for area in flats.values_list("exclusive_area", flat=True)
    )
    # 9 old elevators: four two-entrance buildings and one single-entrance building.
    elevator_buildings = Building.objects.filter(compound=tp, has_elevator=True)
    entrances = sum(max(1, b.entrances.count()) for b in elevator_buildings)
    assert entrances == 9


def test_taiping_owners_include_co_owners_multi_room_owners_and_the_developer(tp):
    owners = Ownership.objects.filter(room__compound=tp, until__isnull=True)
    per_room = owners.values("room").annotate(
        n=Count("id"), voters=Count("id", filter=Q(is_designated_voter=True))
    )
    assert all(row["voters"] == 1 for row in per_room)
    assert any(row["n"] == 2 for row in per_room)  # co-owned, one designated voter
    assert owners.values("person").annotate(n=Count("room")).filter(n__gte=2).exists()
    held = Room.objects.filter(compound=tp, held_by_developer=True)
    assert held.count() >= 1
    holders = set(owners.filter(room__in=held).values_list("person__name", flat=True))
    assert len(holders) == 1 and holders.pop().startswith("开发商:")


def test_taiping_owners_committee_of_7_with_5_party_members_and_one_shoulder(tp):
    committee = Body.objects.get(compound=tp, kind=BodyKind.OWNERS_COMMITTEE)
    members = Membership.objects.active().filter(body=committee)
    assert members.count() == 7
    assert members.filter(person__party_member__isnull=False).count() == 5
    chair = members.get(post="chair").person
    branch = Body.objects.get(compound=tp, kind=BodyKind.COMPOUND_PARTY_BRANCH)
    assert Membership.objects.active().get(body=branch, post="secretary").person == chair


def test_taiping_has_11_building_leaders_one_per_building(tp):
    leaders = Membership.objects.active().filter(body__compound=tp, post="building_leader")
    assert leaders.count() == 11
    paths = set(Building.objects.filter(compound=tp).values_list("path", flat=True))
    assert set(leaders.values_list("scope_path", flat=True)) == paths


def test_taiping_advisers_think_tank_volunteer_teams_and_property_company(tp):
    def count(kind, **post):
        body = Body.objects.filter(compound=tp, kind=kind)
        return Membership.objects.filter(body__in=body, **post).count()

    assert count(BodyKind.ADVISERS, post="adviser") == 5
    assert count(BodyKind.THINK_TANK) == 4
    assert Body.objects.filter(compound=tp, kind=BodyKind.VOLUNTEER_TEAM).count() == 3
    company = Body.objects.get(compound=tp, kind=BodyKind.PROPERTY_COMPANY)
    assert company.contract_start < company.contract_end
    assert Membership.objects.filter(body=company, post__in=["manager", "clerk"]).count() >= 2


def test_sanwu_compound_has_no_property_company_and_a_self_management_committee(sanwu):
    assert sanwu.is_three_without
    assert not Body.objects.filter(compound=sanwu, kind=BodyKind.PROPERTY_COMPANY).exists()
    assert Body.objects.filter(compound=sanwu, kind=BodyKind.SELF_MANAGEMENT_COMMITTEE).exists()
    groups = Body.objects.filter(
        kind=BodyKind.BUILDING_PARTY_GROUP, place_path__startswith=sanwu.path
    )
    assert groups.count() == Building.objects.filter(compound=sanwu).count()


def test_sanwu_central_households_each_link_five_needy_households(sanwu):
    central = Membership.objects.filter(post="central_household", scope_path__startswith=sanwu.path)
    assert central.count() >= 3
    for membership in central:
        links = CentralHouseholdLink.objects.filter(membership=membership)
        assert links.count() == 5
        assert all(link.household.head.is_vulnerable for link in links)
        assert all(link.household.room.path.startswith(membership.scope_path) for link in links)


def test_xianglu_branch_has_22_registered_party_members(demo, db):
    branch = Body.objects.get(name="翔鹭花城二期小区党支部")
    assert PartyMember.objects.filter(organisation=branch).count() == 22
    assert branch.established_on.year == 2017
    in_service = PartyMember.objects.filter(
        registered_community__compounds__name="翔鹭花城二期", is_in_service=True
    )
    assert in_service.exists()


def test_red_property_company_and_commercial_rooms_in_cuiping(demo, db):
    compound = Compound.objects.get(name="纺织生活二区")
    company = Body.objects.get(compound=compound, kind=BodyKind.PROPERTY_COMPANY)
    assert company.name == "龙传物业" and company.has_party_organisation
    committee = Body.objects.get(compound=compound, kind=BodyKind.OWNERS_COMMITTEE)
    assert committee.has_party_organisation
    assert Room.objects.filter(compound=compound, use="commercial").count() == 4


def test_four_level_party_tree_in_jiangnan(demo, db):
    group = Body.objects.filter(
        kind=BodyKind.GRID_PARTY_GROUP, name__startswith="香槟城小区"
    ).first()
    chain = []
    while group is not None:
        chain.append(group.kind)
        group = group.parent
    assert chain == [
        BodyKind.GRID_PARTY_GROUP,
        BodyKind.COMPOUND_PARTY_BRANCH,
        BodyKind.COMMUNITY_PARTY_COMMITTEE,
        BodyKind.STREET_PARTY_COMMITTEE,
    ]


def test_every_demo_compound_has_every_room_owned_with_one_voter(demo, db):
    rooms = Room.objects.filter(compound__name__in=DEMO_COMPOUNDS).annotate(
        owners=Count("ownerships"),
        voters=Count("ownerships", filter=Q(ownerships__is_designated_voter=True)),
    )
    assert not rooms.filter(owners=0).exists()
    assert not rooms.exclude(voters=1).exists()
    assert all(r.path.startswith(r.compound.path) for r in rooms.select_related("compound"))


def test_id_numbers_and_phones_are_valid_and_unique(demo, db):
    people = Person.objects.all()
    numbers = [p.id_number for p in people if p.id_number]
    assert numbers and all(is_id_number(n) for n in numbers)
    assert len(numbers) == len(set(numbers))
    assert all(is_mobile(p.phone) for p in people if p.phone)


def test_every_demo_account_logs_in_with_the_password(demo, db, client):
    request = RequestFactory().post("/")
    assert Account.objects.filter(phone__in=[r.phone for r in ROLES]).count() == len(ROLES)
    for role in ROLES:
        assert client.login(request=request, phone=role.phone, password=DEMO_PASSWORD), role
        client.logout()
    assert not client.login(request=request, phone=ROLES[1].phone, password="wrong-password")


def test_demo_accounts_hold_the_grants_of_their_roles(tp):
    account = {r.key: Account.objects.get(phone=r.phone) for r in ROLES}
    room = Room.objects.filter(compound=tp).first()
    assert account["admin"].is_superuser
    assert access.allows(account["branch_secretary"], Cap.MANAGE_BODIES, tp.path)
    assert access.allows(account["branch_secretary"], VotingCap.MANAGE_VOTES, tp.path)  # as chair
    assert access.allows(account["property_clerk"], DemandCap.HANDLE, room.path)
    assert not access.allows(account["property_clerk_other"], DemandCap.HANDLE, room.path)
    assert access.allows(account["community_worker"], Cap.EDIT_ROSTER, tp.path)
    assert access.allows(account["street_official"], Cap.VIEW_FIGURES, tp.path)
    assert access.allows(account["owner"], VotingCap.VOTE, tp.path)
    assert not access.allows(account["tenant"], VotingCap.VOTE, tp.path)
    for role in ROLES[1:]:
        assert access.grants_for(account[role.key]), role.key


def test_one_demo_load_event_summarises_the_counts(demo, db):
    event = AuditEvent.objects.get(action="demo.load")
    assert event.actor is None
    assert event.after["compounds"]["太平洋花园"]["households"] == 306
    # Everything the load wrote through the services shares its correlation id.
    assert AuditEvent.objects.filter(correlation_id=event.correlation_id).count() > 100


def test_running_twice_does_not_duplicate(demo, db):
    before = (Compound.objects.count(), Person.objects.count(), Body.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert (Compound.objects.count(), Person.objects.count(), Body.objects.count()) == before
    assert AuditEvent.objects.filter(action="demo.load").count() == 1


def test_reset_refuses_when_other_data_exists(demo, db):
    Account.objects.create_user("13912345678", "another-pass-123")
    with pytest.raises(CommandError, match="非演示账号"):
        call_command("load_demo", "--reset", stdout=StringIO())
    assert Compound.objects.filter(name="太平洋花园").exists()


# Requests ``db`` like the rest, so pytest-django keeps it with them (it runs tests without
# database access last, after other modules, when this module's demo would be rebuilt).
def test_prints_the_accounts_table(demo, db):
    assert DEMO_PASSWORD in demo
    for role in ROLES:
        assert role.phone in demo
