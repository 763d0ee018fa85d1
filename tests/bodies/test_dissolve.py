"""Dissolving a body (bodies.services.body_dissolve), by page and API, and what it takes
away: from the day it is dissolved its members hold none of its posts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies import services
from gongzhi.bodies.models import Body, Post
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.people.models import Account
from tests.factories import resident_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def fresh(account):
    """The account as a new request would load it (no cached grants)."""
    return Account.objects.get(pk=account.pk)


def dissolve(cast, body=None, **kwargs):
    kwargs.setdefault("reason", "物业服务合同终止")
    return services.body_dissolve(
        actor=kwargs.pop("actor", cast.community_worker), body=body or cast.property_a, **kwargs
    )


# --- the service ------------------------------------------------------------------------


def test_community_staff_dissolve_a_compound_body_and_it_is_audited(cast):
    body = dissolve(cast, reason="  物业服务合同\n终止  ")
    body.refresh_from_db()
    assert (body.dissolved_on, body.dissolution_reason) == (TODAY, "物业服务合同 终止")
    event = AuditEvent.objects.get(action="body.dissolve")
    assert event.actor == cast.community_worker
    assert event.place_path == cast.a.path
    assert event.before == {"dissolved_on": None, "dissolution_reason": ""}
    assert event.after == {
        "dissolved_on": TODAY.isoformat(),
        "dissolution_reason": body.dissolution_reason,
    }


def test_the_clerk_of_a_dissolved_company_loses_roster_contacts_and_handling(cast):
    clerk = cast.clerk
    held = access.capabilities_at(clerk, cast.room_a.path)
    assert {Cap.VIEW_ROSTER, DemandCap.HANDLE} <= held
    dissolve(cast)
    for cap in held:
        assert not access.allows(fresh(clerk), cap, cast.room_a.path), cap
    assert access.grants_for(fresh(clerk)) == ()


def test_the_actors_own_cached_grants_are_dropped(cast):
    """A branch secretary who dissolves the grid party group they lead (from the branch)
    no longer holds its post in the same request."""
    group = services.body_create(
        actor=cast.community_worker, kind="grid_party_group", name="甲一网格党小组",
        place=cast.grid_a,
    )  # fmt: skip
    services.membership_appoint(
        actor=cast.community_worker, body=group, person=cast.secretary.person,
        post=Post.BUILDING_LEADER,
    )  # fmt: skip
    secretary = fresh(cast.secretary)
    assert any(g.kind == "grid_party_group" for g in access.grants_for(secretary))
    services.body_dissolve(actor=secretary, body=group, reason="网格调整")
    assert not any(g.kind == "grid_party_group" for g in access.grants_for(secretary))
    assert access.allows(secretary, DemandCap.DISPATCH, cast.a.path)  # the branch post stays


def test_a_body_is_dissolved_once(cast):
    dissolve(cast)
    with pytest.raises(ValidationError) as refused:
        dissolve(cast, reason="再撤销一次")
    assert refused.value.message_dict == {"on": [f"该组织已于 {TODAY.isoformat()} 撤销。"]}
    assert AuditEvent.objects.filter(action="body.dissolve").count() == 1


def test_a_stale_copy_of_the_body_cannot_dissolve_it_again(cast):
    stale = Body.objects.get(pk=cast.property_a.pk)
    dissolve(cast)
    with pytest.raises(ValidationError):
        dissolve(cast, body=stale)
    assert Body.objects.get(pk=stale.pk).dissolution_reason == "物业服务合同终止"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "请填写撤销原因。"),
        (" \n\t ", "请填写撤销原因。"),
        ("长" * 201, "撤销原因不能超过 200 个字。"),
    ],
)
def test_a_reason_is_required_and_bounded(cast, reason, message):
    with pytest.raises(ValidationError) as refused:
        dissolve(cast, reason=reason)
    assert refused.value.message_dict == {"reason": [message]}
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None
    assert not AuditEvent.objects.filter(action="body.dissolve").exists()


def test_a_body_is_not_dissolved_before_it_was_founded(cast):
    Body.objects.filter(pk=cast.property_a.pk).update(established_on=TODAY - DAY)
    with pytest.raises(ValidationError) as refused:
        dissolve(cast, body=Body.objects.get(pk=cast.property_a.pk), on=TODAY - 2 * DAY)
    assert refused.value.message_dict == {"on": ["撤销日期不能早于成立日期。"]}
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None


@pytest.mark.parametrize(
    ("role", "body"),
    [
        ("secretary", "branch_a"),  # its own leader
        ("secretary", "owners_committee_a"),  # would take away the chair's voting.manage
        ("owners_chair", "owners_committee_a"),
        ("clerk", "property_a"),
        ("clerk_b", "property_a"),
        ("community_worker", "residents_committee"),  # founded from the street
        ("street_official", "property_a"),  # the street does not manage bodies
        ("outsider", "property_a"),
    ],
)
def test_only_those_who_may_found_a_body_there_may_dissolve_it(cast, role, body):
    with pytest.raises(PermissionDenied):
        dissolve(cast, actor=getattr(cast, role), body=getattr(cast, body))
    assert getattr(cast, body).__class__.objects.get(pk=getattr(cast, body).pk).dissolved_on is None


def test_nobody_is_appointed_to_a_dissolved_body(cast):
    dissolve(cast)
    with pytest.raises(ValidationError) as refused:
        services.membership_appoint(
            actor=cast.community_worker, body=Body.objects.get(pk=cast.property_a.pk),
            person=resident_of(cast.a), post=Post.CLERK,
        )  # fmt: skip
    assert refused.value.message_dict == {"start": ["该组织已撤销,不能任命成员。"]}


def test_a_body_dissolved_on_a_later_day_exists_until_then(cast):
    dissolve(cast, on=TODAY + DAY)
    clerk = fresh(cast.clerk)
    assert access.allows(clerk, DemandCap.HANDLE, cast.room_a.path)
    assert Body.objects.current().filter(pk=cast.property_a.pk).exists()
    assert not Body.objects.current(TODAY + DAY).filter(pk=cast.property_a.pk).exists()
    with pytest.raises(ValidationError):  # but it is dissolved once
        dissolve(cast)


def test_a_dissolution_recorded_late_is_dated_when_it_happened(cast):
    from gongzhi.bodies.models import Membership

    Membership.objects.filter(body=cast.property_a).update(start=TODAY - 30 * DAY)
    dissolve(cast, on=TODAY - 7 * DAY)
    assert not access.allows(fresh(cast.clerk), DemandCap.HANDLE, cast.room_a.path)
    held = Membership.objects.filter(person=cast.clerk.person)
    assert held.active(TODAY - 8 * DAY).exists()  # held the post until then
    assert not held.active(TODAY - 7 * DAY).exists()
    assert held.get().end is None  # the term itself is left as it was


# --- the page ---------------------------------------------------------------------------


def url(body, suffix=""):
    return f"/bodies/{body.pk}/{suffix}"


def test_community_staff_see_the_dissolve_form_others_do_not(client, cast):
    client.force_login(cast.community_worker)
    assert "撤销组织" in client.get(url(cast.property_a)).content.decode()
    client.force_login(cast.secretary)  # manages A's bodies' members, may not dissolve them
    html = client.get(url(cast.property_a)).content.decode()
    assert "任命成员" in html and "撤销组织" not in html


def test_dissolving_by_the_page(client, cast):
    client.force_login(cast.community_worker)
    response = client.post(url(cast.property_a, "dissolve/"), {"reason": "合同终止"})
    assert response.status_code == 302 and response["Location"] == url(cast.property_a)
    html = client.get(url(cast.property_a)).content.decode()
    assert f"本组织已于 {TODAY.isoformat()} 撤销" in html and "合同终止" in html
    assert cast.clerk.person.name not in html  # no current members
    assert "撤销组织" not in html and "任命成员" not in html


def test_the_page_refuses_a_missing_reason_and_changes_nothing(client, cast):
    client.force_login(cast.community_worker)
    response = client.post(url(cast.property_a, "dissolve/"), {"on": "", "reason": " "})
    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()
    response = client.post(url(cast.property_a, "dissolve/"), {"on": "不是日期", "reason": "x"})
    assert response.status_code == 400
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None


def test_the_page_refuses_twice_with_the_services_message(client, cast):
    dissolve(cast)
    client.force_login(cast.community_worker)
    response = client.post(url(cast.property_a, "dissolve/"), {"reason": "又一次"})
    assert response.status_code == 400
    assert f"该组织已于 {TODAY.isoformat()} 撤销。" in response.content.decode()


def test_the_page_refuses_those_who_may_not(client, cast):
    client.force_login(cast.secretary)
    assert client.post(url(cast.property_a, "dissolve/"), {"reason": "x"}).status_code == 403
    client.force_login(cast.clerk_b)  # cannot even see it
    assert client.post(url(cast.property_a, "dissolve/"), {"reason": "x"}).status_code == 404
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None


# --- the API ----------------------------------------------------------------------------


def api(account) -> APIClient:
    client = APIClient()
    client.force_login(account)
    return client


def api_url(body) -> str:
    return f"/api/v1/bodies/{body.pk}/dissolve"


def test_dissolving_by_the_api(cast):
    on = (TODAY - DAY).isoformat()
    response = api(cast.community_worker).post(
        api_url(cast.property_a), {"on": on, "reason": "合同终止"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["dissolved_on"], data["dissolution_reason"]) == (
        cast.property_a.pk, on, "合同终止",
    )  # fmt: skip
    assert data["active_members"] == 0
    again = api(cast.community_worker).post(api_url(cast.property_a), {"reason": "x"})
    assert again.status_code == 400
    assert again.json() == {"on": [f"该组织已于 {on} 撤销。"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "x", "on": "2026-13-01"}, "on"),
        ({"reason": "长" * 201}, "reason"),
    ],
)
def test_the_api_refuses_bad_input_and_changes_nothing(cast, body, field):
    response = api(cast.community_worker).post(api_url(cast.property_a), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None


def test_the_api_refuses_before_reading_the_input_and_hides_other_compounds(cast):
    assert api(cast.secretary).post(api_url(cast.property_a), {}).status_code == 403
    assert api(cast.clerk_b).post(api_url(cast.property_a), {"reason": "x"}).status_code == 404
    assert Body.objects.get(pk=cast.property_a.pk).dissolved_on is None
