"""A body's page, and appointing and ending memberships through it."""

from __future__ import annotations

import datetime as dt

import pytest

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import CentralHouseholdLink, Membership, Post
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, ResidencyFactory

pytestmark = pytest.mark.django_db


def url(body, suffix=""):
    return f"/bodies/{body.pk}/{suffix}"


def test_body_page_lists_current_members(client, cast):
    client.force_login(cast.resident)
    html = client.get(url(cast.branch_a)).content.decode()
    assert "甲小区党支部" in html
    assert cast.secretary.person.name in html and "书记" in html
    assert cast.building_leader.person.name in html and "1号楼" in html  # narrowed scope
    assert "任命成员" not in html  # a resident may look, not manage


def test_secretary_is_listed_before_building_leader(client, cast):
    client.force_login(cast.resident)
    html = client.get(url(cast.branch_a)).content.decode()
    assert html.index(cast.secretary.person.name) < html.index(cast.building_leader.person.name)


def test_ended_membership_is_not_listed(client, cast):
    Membership.objects.filter(person=cast.secretary.person).update(
        start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)
    )
    client.force_login(cast.resident)
    assert cast.secretary.person.name not in client.get(url(cast.branch_a)).content.decode()


def test_body_of_other_compound_is_404(client, cast):
    client.force_login(cast.clerk_b)
    assert client.get(url(cast.branch_a)).status_code == 404


def test_secretary_sees_the_appoint_form(client, cast):
    client.force_login(cast.secretary)
    html = client.get(url(cast.branch_a)).content.decode()
    assert "任命成员" in html and "结束任职" in html
    assert f'value="b{cast.building_a2.pk}"' in html  # scope choices: buildings and grids


def test_secretary_appoints_a_resident_by_phone(client, cast):
    client.force_login(cast.secretary)
    response = client.post(
        url(cast.branch_a, "members/"),
        {
            "person": cast.resident.phone,
            "post": Post.BUILDING_LEADER,
            "scope": f"b{cast.building_a2.pk}",
            "start": "2026-01-01",
        },
    )
    assert response.status_code == 302
    m = Membership.objects.get(person=cast.resident.person, body=cast.branch_a)
    assert m.post == Post.BUILDING_LEADER and m.scope_path == cast.building_a2.path
    assert AuditEvent.objects.filter(action="membership.appoint", actor=cast.secretary).exists()
    html = client.get(url(cast.branch_a)).content.decode()
    assert "已任命" in html


def test_appointing_someone_outside_scope_changes_nothing(client, cast):
    client.force_login(cast.secretary)
    before = Membership.objects.count()
    response = client.post(
        url(cast.branch_a, "members/"),
        {"person": cast.outsider.phone, "post": Post.MEMBER, "start": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "在本组织范围内没有找到" in response.content.decode()
    assert Membership.objects.count() == before


def test_term_ending_before_it_starts_is_refused(client, cast):
    client.force_login(cast.secretary)
    before = Membership.objects.count()
    response = client.post(
        url(cast.branch_a, "members/"),
        {
            "person": cast.resident.phone,
            "post": Post.MEMBER,
            "start": "2026-05-01",
            "end": "2026-04-01",
        },
    )
    assert response.status_code == 400
    assert "任期结束不能早于开始" in response.content.decode()
    assert Membership.objects.count() == before


def test_unknown_post_is_refused(client, cast):
    client.force_login(cast.secretary)
    response = client.post(
        url(cast.branch_a, "members/"),
        {"person": cast.resident.phone, "post": "emperor", "start": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(person=cast.resident.person).exists()


def test_secretary_ends_a_membership(client, cast):
    m = Membership.objects.get(person=cast.building_leader.person)
    client.force_login(cast.secretary)
    response = client.post(url(cast.branch_a, f"members/{m.pk}/end/"), {"end": ""})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end is not None
    assert AuditEvent.objects.filter(action="membership.end", object_id=str(m.pk)).exists()


def test_ending_before_the_start_changes_nothing(client, cast):
    m = Membership.objects.get(person=cast.building_leader.person)
    client.force_login(cast.secretary)
    response = client.post(url(cast.branch_a, f"members/{m.pk}/end/"), {"end": "1999-01-01"})
    assert response.status_code == 400
    assert "任期结束不能早于开始" in response.content.decode()
    m.refresh_from_db()
    assert m.end is None


def test_membership_of_another_body_cannot_be_ended_through_this_one(client, cast):
    other = Membership.objects.get(person=cast.clerk.person)  # in 甲物业
    client.force_login(cast.secretary)
    response = client.post(url(cast.branch_a, f"members/{other.pk}/end/"))
    assert response.status_code == 404


def test_members_are_managed_only_by_those_allowed(client, cast):
    m = Membership.objects.get(person=cast.building_leader.person)
    client.force_login(cast.clerk)  # sees the branch, may not manage it
    assert client.post(url(cast.branch_a, f"members/{m.pk}/end/")).status_code == 403
    assert (
        client.post(
            url(cast.branch_a, "members/"),
            {"person": cast.resident.phone, "post": Post.MEMBER, "start": "2026-01-01"},
        ).status_code
        == 403
    )
    client.force_login(cast.clerk_b)  # does not even see it
    assert client.post(url(cast.branch_a, f"members/{m.pk}/end/")).status_code == 404
    m.refresh_from_db()
    assert m.end is None


def test_central_household_shows_linked_households(client, cast):
    central = MembershipFactory(
        body=cast.branch_a, person=PersonFactory(name="李大姐"), post=Post.CENTRAL_HOUSEHOLD
    )
    for name in ("张阿婆", "陈伯"):
        household = HouseholdFactory(room=cast.room_a, head=PersonFactory(name=name))
        ResidencyFactory(household=household, person=household.head)
        CentralHouseholdLink.objects.create(membership=central, household=household)
    client.force_login(cast.secretary)
    html = client.get(url(cast.branch_a)).content.decode()
    assert "李大姐" in html and "联系 2 户" in html
    assert "张阿婆" in html and "陈伯" in html
    client.force_login(cast.resident)  # sees the count, not who the households are
    html = client.get(url(cast.branch_a)).content.decode()
    assert "联系 2 户" in html and "张阿婆" not in html


def test_body_page_queries_are_bounded(client, cast, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(body=cast.branch_a, post=Post.MEMBER)
    client.force_login(cast.secretary)
    with django_assert_max_num_queries(16):
        assert client.get(url(cast.branch_a)).status_code == 200
