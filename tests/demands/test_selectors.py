"""Selectors: the inbox, the dispatch board and its filters, figures in one query,
duplicates, the timeline and the 404 outside one's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from gongzhi.core import access
from gongzhi.demands import permissions, selectors, services
from gongzhi.demands.models import EventKind, PlaceKind
from gongzhi.demands.rules import State
from gongzhi.people.models import Account
from tests.demands.conftest import SECOND, T0
from tests.factories import ResidencyFactory

DAY = dt.timedelta(days=1)


def fresh(account):
    """The account as a new request would load it (no cached grants)."""
    return Account.objects.get(pk=account.pk)


def dispatch(cast, demand, body=None, person=None, now=T0):
    return services.demand_dispatch(actor=cast.secretary, demand=demand,
                                    handler_body=body or cast.property_a, handler_person=person,
                                    now=now)  # fmt: skip


def file_in_b(cast, repair, description="乙小区1号楼水管爆裂"):
    resident_b = Account.objects.get(pk=cast.nobody.pk)
    ResidencyFactory(household__room=cast.room_b, household__head=resident_b.person)
    return services.demand_file(actor=fresh(resident_b), compound=cast.b, category=repair,
                                description=description, place_kind=PlaceKind.ROOM,
                                room=cast.room_b, now=T0)  # fmt: skip


# --- inbox ------------------------------------------------------------------------------


def test_inbox_holds_open_work_of_the_users_bodies(cast, file_demand):
    waiting = file_demand()  # not dispatched: not in anyone's inbox
    mine = dispatch(cast, file_demand())
    accepted = services.demand_accept(actor=cast.clerk, demand=dispatch(cast, file_demand()))
    done = services.demand_resolve(actor=cast.clerk, demand=accepted)
    inbox = list(selectors.inbox_for(fresh(cast.clerk)))
    assert mine in inbox and waiting not in inbox and done not in inbox
    assert list(selectors.inbox_for(fresh(cast.clerk_b))) == []
    assert list(selectors.inbox_for(fresh(cast.owners_chair))) == []


def test_inbox_is_newest_first(cast, file_demand):
    older = dispatch(cast, file_demand(now=T0))
    newer = dispatch(cast, file_demand(now=T0 + DAY))
    assert list(selectors.inbox_for(fresh(cast.clerk))) == [newer, older]


def test_inbox_respects_a_narrowed_membership_scope(cast, file_demand):
    in_a1 = dispatch(cast, file_demand(), body=cast.branch_a)
    in_a2 = dispatch(cast, file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2),
                     body=cast.branch_a)  # fmt: skip
    leader = list(selectors.inbox_for(fresh(cast.building_leader)))
    assert in_a1 in leader and in_a2 not in leader
    secretary = list(selectors.inbox_for(fresh(cast.secretary)))
    assert in_a1 in secretary and in_a2 in secretary


def test_inbox_holds_demands_given_to_the_person(cast, file_demand):
    d = dispatch(cast, file_demand(), body=cast.branch_a, person=cast.building_leader.person)
    assert list(selectors.inbox_for(fresh(cast.building_leader))) == [d]


def test_inbox_first_page_is_one_query_after_the_memberships(
    cast, file_demand, django_assert_num_queries
):
    for _ in range(3):
        dispatch(cast, file_demand())
    clerk = fresh(cast.clerk)
    with django_assert_num_queries(2):  # the user's memberships (cached), then the page
        rows = list(selectors.inbox_for(clerk)[:20])
    with django_assert_num_queries(1):
        rows = list(selectors.inbox_for(clerk)[:20])
        assert [r.compound.name for r in rows] == ["甲小区"] * 3  # related rows joined
        assert {r.handler_body.name for r in rows} == {"甲物业"}


# --- dispatch board ---------------------------------------------------------------------


def test_board_scope_follows_dispatch_grants(cast, file_demand, repair):
    a = file_demand()
    b = file_in_b(cast, repair)
    assert list(selectors.dispatch_board(fresh(cast.secretary))) == [a]
    assert set(selectors.dispatch_board(fresh(cast.community_worker))) == {a, b}
    assert list(selectors.dispatch_board(fresh(cast.clerk))) == []
    assert list(selectors.dispatch_board(fresh(cast.resident))) == []


def test_grid_worker_board_is_the_grid(cast, file_demand):
    in_grid = file_demand()  # room A, building 1 is in grid A
    outside = file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2)
    board = list(selectors.dispatch_board(fresh(cast.grid_worker)))
    assert in_grid in board and outside not in board


def test_board_filters(cast, file_demand, environment):
    repair_a1 = file_demand()
    env_a2 = file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2,
                         category=environment, description="2号楼垃圾没人清运")  # fmt: skip
    sent = dispatch(cast, file_demand(description="楼道灯不亮"), now=T0)
    secretary = fresh(cast.secretary)

    def board(**filters):
        return set(selectors.dispatch_board(secretary, **filters))

    assert board(state=State.DISPATCHED) == {sent}
    assert board(category=environment.pk) == {env_a2}
    assert board(building=cast.building_a2.pk) == {env_a2}
    assert board(building=cast.building_a1.pk) == {repair_a1, sent}
    # environment: accept within 12 h; repair: 24 h (all filed or dispatched at T0)
    assert board(overdue=True, now=T0 + dt.timedelta(hours=12)) == set()
    assert board(overdue=True, now=T0 + dt.timedelta(hours=12) + SECOND) == {env_a2}
    assert board(overdue=False, now=T0 + dt.timedelta(hours=12) + SECOND) == {repair_a1, sent}
    assert board(overdue=True, now=T0 + DAY + SECOND) == {repair_a1, env_a2, sent}


# --- one demand -------------------------------------------------------------------------


def test_demand_for_is_404_outside_scope(cast, file_demand):
    d = file_demand()
    assert selectors.demand_for(cast.resident, d.pk) == d
    for who in ("clerk_b", "outsider", "owner", "nobody"):
        with pytest.raises(Http404):
            selectors.demand_for(fresh(getattr(cast, who)), d.pk)
    with pytest.raises(Http404):
        selectors.demand_for(cast.resident, 999999)


def test_timeline_in_order_with_system_events(cast, file_demand):
    d = dispatch(cast, file_demand())
    services.escalate_overdue(now=T0 + DAY + SECOND)
    events = list(selectors.timeline(d))
    assert [e.kind for e in events] == [EventKind.FILED, EventKind.DISPATCHED, EventKind.ESCALATED]
    assert events[0].actor == cast.resident and events[-1].actor is None


def test_similar_open_demands_in_the_same_building(cast, file_demand):
    lift = file_demand(description="1号楼电梯坏了,老人下不了楼")
    file_demand(description="小区东门路灯不亮", place_kind=PlaceKind.COMMON)
    other_building = file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2,
                                 description="2号楼电梯坏了,老人下不了楼")  # fmt: skip
    closed = file_demand(description="1号楼电梯坏了,老人下不了楼梯")
    services.demand_withdraw(actor=cast.resident, demand=closed)
    found = selectors.similar_open_demands(
        text="1号楼的电梯又坏了,老人下楼难", building=cast.building_a1
    )
    assert [s.demand for s in found] == [lift]
    assert 0 < found[0].score <= 1
    assert other_building not in [s.demand for s in selectors.similar_open_demands(lift)]
    lamp = selectors.similar_open_demands(text="小区东门路灯又不亮了", compound=cast.a)
    assert [s.demand.description for s in lamp] == ["小区东门路灯不亮"]


def test_suggest_category_from_text(cast, repair, environment):
    assert selectors.suggest_category(cast.a, "楼上漏水") == repair
    assert selectors.suggest_category(cast.a, "垃圾堆了三天") == environment
    assert selectors.suggest_category(cast.a, "你好") is None


def test_demands_of_person_are_filed_or_followed(cast, file_demand):
    mine = file_demand()
    public = file_demand(actor=cast.owner, place_kind=PlaceKind.COMMON, is_public=True)
    services.demand_follow(actor=cast.resident, demand=public)
    assert list(selectors.demands_of_person(cast.resident)) == [public, mine]
    assert list(selectors.demands_of_person(cast.owner)) == [public]


# --- figures ----------------------------------------------------------------------------


def test_figures_in_one_query(cast, file_demand, repair, django_assert_num_queries):
    file_demand()  # received, open
    escalated = dispatch(cast, file_demand())
    services.escalate_overdue(now=T0 + DAY + SECOND)  # overdue + escalated (two: both filed)
    happy = services.demand_accept(actor=cast.clerk, demand=dispatch(cast, file_demand()),
                                   now=T0)  # fmt: skip
    happy = services.demand_resolve(actor=cast.clerk, demand=happy, now=T0)
    services.demand_evaluate(actor=cast.resident, demand=happy, rating=5, now=T0)
    unhappy = services.demand_accept(actor=cast.clerk, demand=dispatch(cast, file_demand()),
                                     now=T0)  # fmt: skip
    unhappy = services.demand_resolve(actor=cast.clerk, demand=unhappy, now=T0)
    services.demand_evaluate(actor=cast.resident, demand=unhappy, rating=3, now=T0)
    silent = services.demand_accept(actor=cast.clerk, demand=dispatch(cast, file_demand()),
                                    now=T0)  # fmt: skip
    silent = services.demand_resolve(actor=cast.clerk, demand=silent, now=T0)
    services.close_unrated(now=T0 + 8 * DAY)
    dup = file_demand()
    services.demand_merge(actor=cast.secretary, demand=dup, into=escalated)
    file_in_b(cast, repair)

    with django_assert_num_queries(1):
        street = selectors.figures(cast.street.path, now=T0 + 9 * DAY)
    assert street["received"] == 6  # five in A (the merged duplicate not counted) + one in B
    assert street["solved"] == 3
    assert street["escalated"] == 2
    assert street["overdue"] >= 2
    assert (street["rated"], street["satisfied"], street["satisfaction"]) == (2, 1, 0.5)
    assert street["unrated_closed"] == 1
    with django_assert_num_queries(1):
        compound_b = selectors.figures(cast.b.path)
    assert compound_b["received"] == 1
    assert selectors.figures(cast.other_street.path)["received"] == 0
    assert selectors.figures(cast.building_a2.path)["received"] == 0
    # periods: [since, until)
    assert selectors.figures(cast.a.path, since=T0 + SECOND)["received"] == 0
    assert selectors.figures(cast.a.path, since=T0, until=T0 + SECOND)["received"] == 5
    assert selectors.figures(cast.a.path, until=T0)["received"] == 0


def test_figures_satisfaction_is_none_when_nothing_rated(cast):
    assert selectors.figures(cast.a.path)["satisfaction"] is None


def test_permissions_helpers_cache_memberships(cast, django_assert_num_queries):
    clerk = fresh(cast.clerk)
    with django_assert_num_queries(1):
        permissions.handler_memberships(clerk)
        permissions.handler_memberships(clerk)
    permissions.forget(clerk)
    assert access.grants_for(clerk)


def test_inbox_page_is_inbox_for_sliced_in_one_query(cast, file_demand, django_assert_num_queries):
    leader_own = dispatch(cast, file_demand(), body=cast.branch_a,
                          person=cast.building_leader.person)  # fmt: skip
    for i in range(7):
        dispatch(cast, file_demand(now=T0 + i * SECOND), body=cast.branch_a)
    dispatch(
        cast,
        file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2),
        body=cast.branch_a,
    )  # fmt: skip  (outside the leader's building)
    for who in ("building_leader", "secretary", "clerk", "clerk_b", "resident"):
        user = fresh(getattr(cast, who))
        everything = [d.pk for d in selectors.inbox_for(user)]
        for offset, limit in ((0, 20), (0, 3), (3, 3), (6, 5), (20, 5)):
            page = [row.pk for row in selectors.inbox_page(user, offset=offset, limit=limit)]
            assert page == everything[offset : offset + limit], (who, offset, limit)
    leader = fresh(cast.building_leader)
    permissions.handler_memberships(leader)
    with django_assert_num_queries(1):
        page = selectors.inbox_page(leader, limit=20)
    assert len(page) == 8 and leader_own.pk in [row.pk for row in page]
    assert page[0].compound_name == "甲小区" and page[0].handler_body_name == "甲小区党支部"


def test_inbox_page_reads_only_current_handling_memberships(cast, file_demand):
    """The page (on PostgreSQL: the function demands_inbox_page) follows the same membership
    rules as inbox_for: a term that ended, a dissolved body, a post that only looks on."""
    from gongzhi.bodies.models import Membership

    d = dispatch(cast, file_demand())  # to the property company of compound A
    clerk = Membership.objects.get(person=cast.clerk.person, body=cast.property_a)
    assert [r.pk for r in selectors.inbox_page(fresh(cast.clerk))] == [d.pk]
    for change, undo in (
        ({"end": T0.date() - DAY, "start": T0.date() - 3 * DAY}, {"end": None}),
        ({"start": timezone.localdate() + DAY}, {"start": clerk.start}),
        ({"post": "member"}, {"post": clerk.post}),  # a plain member only looks on
    ):
        Membership.objects.filter(pk=clerk.pk).update(**change)
        assert list(selectors.inbox_for(fresh(cast.clerk))) == [], change
        assert selectors.inbox_page(fresh(cast.clerk)) == [], change
        Membership.objects.filter(pk=clerk.pk).update(**undo)
    cast.property_a.dissolved_on = T0.date()
    cast.property_a.save(update_fields=["dissolved_on"])
    assert selectors.inbox_page(fresh(cast.clerk)) == []
    assert list(selectors.inbox_for(fresh(cast.clerk))) == []


def test_inbox_page_order_puts_the_longest_overdue_first(cast, file_demand):
    """The inbox page (HTML) lists overdue demands first, the longest overdue at the top,
    then the rest newest first; the same demands as inbox_for."""
    old_late = dispatch(cast, file_demand(now=T0), now=T0)  # accept by T0 + 24 h
    new_late = dispatch(cast, file_demand(now=T0 + DAY), now=T0 + DAY)  # by T0 + 48 h
    on_time = dispatch(cast, file_demand(now=T0 + 3 * DAY), now=T0 + 3 * DAY)
    newest = dispatch(cast, file_demand(now=T0 + 3 * DAY + SECOND), now=T0 + 3 * DAY)
    clerk = fresh(cast.clerk)
    now = T0 + 3 * DAY + 2 * SECOND
    assert list(selectors.inbox_by_urgency(clerk, now)) == [old_late, new_late, newest, on_time]
    assert set(selectors.inbox_by_urgency(clerk, now)) == set(selectors.inbox_for(clerk))
    assert list(selectors.inbox_by_urgency(clerk, T0)) == [newest, on_time, new_late, old_late]
