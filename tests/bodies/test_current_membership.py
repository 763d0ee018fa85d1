"""One meaning of "holds this post now": the term is current AND the body is not dissolved
on the day (bodies.models.membership_current_q), wherever posts are read.

Before, the grants query and ``Membership.objects.active()`` ignored ``dissolved_on``
while the demands inbox honoured it: a clerk of a dissolved property company lost the
inbox but kept roster, contacts and handling rights.
"""

from __future__ import annotations

import datetime as dt
from itertools import product

import pytest
from django.utils import timezone

from gongzhi.bodies import selectors
from gongzhi.bodies.models import Body, BodyKind, Membership, Post
from gongzhi.bodies.permissions import membership_grants
from gongzhi.core import access
from gongzhi.demands import permissions as demand_permissions
from gongzhi.demands import selectors as demand_selectors
from gongzhi.demands import services as demand_services
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import Category, PlaceKind
from gongzhi.people.models import Account
from gongzhi.people.permissions import registered_paths
from gongzhi.voting.capabilities import VotingCap
from tests.factories import AccountFactory, BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
DAYS = {"yesterday": TODAY - DAY, "today": TODAY, "tomorrow": TODAY + DAY, "never": None}


def fresh(account):
    return Account.objects.get(pk=account.pk)


def dissolve(body: Body, on=TODAY) -> None:
    Body.objects.filter(pk=body.pk).update(dissolved_on=on)


def test_a_post_is_held_while_its_term_runs_and_its_body_exists():
    """The definition itself, on every combination of start, end and dissolution."""
    account = AccountFactory()
    expected = set()
    for n, (start, end, dissolved) in enumerate(
        product(("yesterday", "today", "tomorrow"), DAYS, DAYS)
    ):
        start_day, end_day, dissolved_on = DAYS[start], DAYS[end], DAYS[dissolved]
        if end_day is not None and end_day < start_day:
            continue
        body = BodyFactory(
            kind=BodyKind.PROPERTY_COMPANY, name=f"物业{n}", place_path=f"d1/s1/c1/p{n}/",
            dissolved_on=dissolved_on,
        )  # fmt: skip
        m = MembershipFactory(
            body=body, person=account.person, post=Post.CLERK, scope_path=body.place_path,
            start=start_day, end=end_day,
        )  # fmt: skip
        held = (
            start_day <= TODAY
            and (end_day is None or end_day >= TODAY)
            and (dissolved_on is None or dissolved_on > TODAY)
        )
        if held:
            expected.add(m.pk)
    assert {m.pk for m in Membership.objects.active()} == expected
    assert 0 < len(expected) < Membership.objects.count()
    # The grants query (hand-written SQL) reads exactly the same posts.
    paths = {m.scope_path for m in Membership.objects.filter(pk__in=expected)}
    assert {g.path for g in membership_grants(fresh(account))} == paths


def test_the_day_can_be_given(cast):
    dissolve(cast.property_a, TODAY - DAY)
    clerk_post = Membership.objects.filter(person=cast.clerk.person)
    assert not clerk_post.active().exists()
    Membership.objects.filter(pk=clerk_post.get().pk).update(start=TODAY - 5 * DAY)
    assert clerk_post.active(TODAY - 2 * DAY).exists()
    assert not Body.objects.current().filter(pk=cast.property_a.pk).exists()
    assert Body.objects.current(TODAY - 2 * DAY).filter(pk=cast.property_a.pk).exists()


# --- every reader of posts follows it ---------------------------------------------------


@pytest.fixture
def dispatched(cast):
    """A demand of room A dispatched to A's property company (the clerk's inbox)."""
    category = Category.objects.create(name="维修", accept_within_hours=24, resolve_within_days=3)
    demand = demand_services.demand_file(
        actor=cast.resident, compound=cast.a, category=category, description="楼道灯坏了",
        place_kind=PlaceKind.ROOM, room=cast.room_a,
    )  # fmt: skip
    return demand_services.demand_dispatch(
        actor=cast.secretary, demand=demand, handler_body=cast.property_a
    )


def _readers(cast, demand):
    """What the clerk of A's property company holds, each as one reader of posts sees it."""
    clerk = fresh(cast.clerk)
    return {
        "grants (access.allows)": access.allows(clerk, DemandCap.HANDLE, cast.room_a.path),
        "access.holders": clerk in access.holders(DemandCap.HANDLE, cast.room_a.path),
        "demands.handler_memberships": bool(demand_permissions.handler_memberships(clerk)),
        "demands.can_handle": demand_permissions.can_handle(fresh(cast.clerk), demand),
        "demands.inbox_for": list(demand_selectors.inbox_for(fresh(cast.clerk))) == [demand],
        "demands.inbox_page (PostgreSQL: demands_inbox_page)": [
            row.pk for row in demand_selectors.inbox_page(fresh(cast.clerk))
        ]
        == [demand.pk],
        "demands.accounts_handling": clerk in demand_selectors.accounts_handling(demand),
        "bodies.body_with_members": cast.clerk.person_id
        in {
            m.person_id for m in selectors.body_with_members(cast.property_a.pk).current_memberships
        },
        "bodies.memberships_of": selectors.memberships_of(cast.clerk.person_id).exists(),
        "bodies.bodies_of_place": cast.property_a in selectors.bodies_of_place(cast.a.path),
        "people.registered_paths": bool(registered_paths([cast.clerk.person_id])),
    }


def test_every_reader_of_posts_sees_the_clerk_of_a_current_company(cast, dispatched):
    readers = _readers(cast, dispatched)
    assert [name for name, holds in readers.items() if not holds] == []


@pytest.mark.parametrize("on", [TODAY, TODAY - DAY], ids=["today", "yesterday"])
def test_no_reader_of_posts_sees_the_clerk_of_a_dissolved_company(cast, dispatched, on):
    dissolve(cast.property_a, on)
    readers = _readers(cast, dispatched)
    assert [name for name, holds in readers.items() if holds] == []


def test_every_reader_still_sees_a_company_dissolved_tomorrow(cast, dispatched):
    dissolve(cast.property_a, TODAY + DAY)
    readers = _readers(cast, dispatched)
    assert [name for name, holds in readers.items() if not holds] == []


def test_partner_unit_liaisons_of_a_dissolved_unit_claim_nothing(cast):
    from gongzhi.lists import permissions as list_permissions

    unit = BodyFactory(kind=BodyKind.PARTNER_UNIT, name="共建单位", place_path=cast.community.path)
    liaison = AccountFactory()
    MembershipFactory(body=unit, person=liaison.person, post=Post.LIAISON,
                      scope_path=unit.place_path)  # fmt: skip
    assert list_permissions._liaisons(fresh(liaison))
    dissolve(unit)
    assert list_permissions._liaisons(fresh(liaison)) == ()
    assert not list_permissions.body_may_claim(Body.objects.get(pk=unit.pk), _list_at(cast))


def _list_at(cast):
    class _List:  # body_may_claim reads the place only
        place_path = cast.a.path

    return _List()


def test_the_chair_of_a_dissolved_owners_committee_manages_no_vote(cast):
    from gongzhi.voting.selectors import vote_managers_of

    assert cast.owners_chair in vote_managers_of(cast.a)
    dissolve(cast.owners_committee_a)
    assert cast.owners_chair not in vote_managers_of(cast.a)
    assert not access.allows(fresh(cast.owners_chair), VotingCap.MANAGE_VOTES, cast.a.path)


def test_who_to_tell_and_who_manages_are_the_holders_of_the_capability(cast, dispatched):
    """The audiences that once each read the role table on their own now ask
    access.holders: the same people, with the same meaning of a current post."""
    from types import SimpleNamespace

    from gongzhi.lists.selectors import owner_accounts
    from gongzhi.voting.selectors import vote_managers_of

    at_room = access.holders(DemandCap.DISPATCH, cast.room_a.path)
    assert {cast.secretary, cast.grid_worker, cast.community_worker} == set(at_room)
    assert demand_selectors.accounts_dispatching(dispatched) == at_room
    work_list = SimpleNamespace(place_path=cast.a.path, created_by_id=None)
    assert owner_accounts(work_list) == access.holders(DemandCap.DISPATCH, cast.a.path)
    assert list(vote_managers_of(cast.a)) == access.holders(VotingCap.MANAGE_VOTES, cast.a.path)
    assert demand_selectors.accounts_of_body(cast.property_a.pk, cast.room_a.path) == [cast.clerk]
    dissolve(cast.branch_a)
    assert cast.secretary not in demand_selectors.accounts_dispatching(dispatched)
    assert cast.secretary not in owner_accounts(work_list)
