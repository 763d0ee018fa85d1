"""Reads of lists: who sees which list, figures in one query, who is told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from gongzhi.lists import permissions, selectors, services
from gongzhi.lists.models import ListItem
from gongzhi.lists.rules import ListKind
from tests.lists.conftest import T0, add_meeting_item, add_project


def visible(account):
    return set(selectors.lists_visible_to(account).values_list("title", flat=True))


@pytest.fixture
def lists(cast, published):
    """A's published needs list, A's draft problem list, Z's published list, a community
    list of C1."""
    draft_a = services.worklist_create(
        actor=cast.secretary, kind=ListKind.PROBLEMS, title="甲问题清单草稿", period="2024",
        compound=cast.a,
    )  # fmt: skip
    z_worker = type(cast.community_worker).objects.get(pk=cast.community_worker.pk)
    list_z = services.worklist_create(
        actor=None, kind=ListKind.NEEDS, title="丙需求清单", period="2024", compound=cast.z
    )
    add_meeting_item(None, list_z)
    list_z = services.worklist_publish(actor=None, work_list=list_z)
    community = services.worklist_create(
        actor=z_worker, kind=ListKind.NEEDS, title="一社区需求清单", period="2024",
        community=cast.community,
    )  # fmt: skip
    add_meeting_item(None, community)
    community = services.worklist_publish(actor=None, work_list=community)
    return {"published": published, "draft": draft_a, "z": list_z, "community": community}


def test_residents_see_published_lists_of_their_compound_and_community_never_a_draft(cast, lists):
    assert visible(cast.resident) == {"甲小区2024年需求清单", "一社区需求清单"}
    assert visible(cast.owner) == visible(cast.resident)


def test_staff_see_their_drafts(cast, lists):
    expected = {"甲小区2024年需求清单", "甲问题清单草稿", "一社区需求清单"}
    assert visible(cast.secretary) == expected
    assert visible(cast.grid_worker) == expected
    assert visible(cast.community_worker) == expected


def test_outsiders_see_only_their_own(cast, lists):
    assert visible(cast.outsider) == {"丙需求清单"}
    assert visible(cast.nobody) == set()
    assert visible(cast.clerk_b) == {"一社区需求清单"}  # B lies in C1 too


def test_the_street_sees_published_lists_not_drafts(cast, lists):
    assert visible(cast.street_official) == {"甲小区2024年需求清单", "丙需求清单", "一社区需求清单"}


@pytest.mark.parametrize("role", ["secretary", "grid_worker", "community_worker", "resident",
                                  "clerk", "street_official", "outsider", "nobody"])  # fmt: skip
def test_the_list_page_filter_agrees_with_the_object_check(cast, lists, role):
    account = getattr(cast, role)
    for work_list in lists.values():
        assert permissions.can_view_list(account, work_list) == (
            work_list.title in visible(account)
        ), work_list.title


def test_get_list_for_404s_outsiders_and_drafts(cast, lists):
    with pytest.raises(Http404):
        permissions.get_list_for(cast.outsider, lists["published"].pk)
    with pytest.raises(Http404):
        permissions.get_list_for(cast.resident, lists["draft"].pk)
    with pytest.raises(Http404):
        permissions.get_list_for(cast.resident, "abc")
    assert permissions.get_list_for(cast.secretary, lists["draft"].pk) == lists["draft"]


def test_lists_of_a_compound_include_its_community_lists(cast, lists):
    titles = {wl.title for wl in selectors.lists_for_compound(cast.resident, cast.a)}
    assert titles == {"甲小区2024年需求清单", "一社区需求清单"}


# --- figures ----------------------------------------------------------------------------------


@pytest.fixture
def worked(cast, partners, published, fix_now, project):
    """Two more items; one solved directly, one claimed and finished, one claimed, one open."""
    third = add_meeting_item(
        cast.secretary, published, "楼道灯不亮", source_date=dt.date(2024, 1, 5)
    )
    add_project(cast.secretary, published, "加装电梯", source_date=dt.date(2023, 12, 1))
    services.item_solve(actor=cast.secretary, item=fix_now)
    services.item_claim(actor=partners.liaison, item=third)
    services.item_finish(actor=partners.liaison, item=third)
    services.item_claim(actor=partners.member, item=project)
    return published


def test_figures_of_a_list_in_one_query(worked, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = selectors.figures_for_list(worked)
    assert (figures.collected, figures.solved, figures.claimed) == (4, 2, 2)
    assert (figures.open, figures.in_progress, figures.fix_now, figures.long_term) == (1, 1, 2, 2)


def test_figures_per_list_for_a_page_in_one_query(cast, worked, lists, django_assert_num_queries):
    ids = [wl.pk for wl in lists.values()]
    with django_assert_num_queries(1):
        figures = selectors.figures_per_list(ids)
    assert figures[worked.pk].collected == 4
    assert figures[lists["draft"].pk].collected == 0
    assert figures[lists["z"].pk].collected == 1


def test_place_figures_over_a_period_in_one_query(cast, worked, lists, django_assert_num_queries):
    with django_assert_num_queries(1):
        street = selectors.list_figures(cast.street.path)
    # A's four, Z's one, the community's one; the draft counts nothing.
    assert street.collected == 6
    assert selectors.list_figures(cast.community.path).collected == 5
    assert selectors.list_figures(cast.a.path).collected == 4
    assert selectors.list_figures(cast.z.path).collected == 1
    in_2024 = selectors.list_figures(cast.a.path, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (in_2024.collected, in_2024.solved, in_2024.claimed) == (3, 2, 2)
    only_2023 = selectors.list_figures(cast.a.path, until=dt.date(2023, 12, 31))
    assert (only_2023.collected, only_2023.open, only_2023.claimed) == (1, 1, 0)
    assert selectors.list_figures(cast.a.path, kind=ListKind.PROBLEMS).collected == 0


def test_figures_by_period_in_one_query(cast, worked, django_assert_num_queries):
    services.worklist_create(
        actor=cast.secretary, kind=ListKind.NEEDS, title="草稿", period="2025", compound=cast.a
    )
    with django_assert_num_queries(1):
        rows = selectors.figures_by_period(cast.a.path)
    assert [(period, f.collected, f.solved) for period, f in rows] == [("2024", 4, 2)]


def test_a_released_claim_does_not_count(cast, partners, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    services.item_release(actor=partners.liaison, item=fix_now, reason="人手不足")
    assert selectors.figures_for_list(fix_now.work_list).claimed == 0


# --- compiling, claiming, telling --------------------------------------------------------------


def test_demands_to_compile(cast, draft, make_demand):
    open_demand = make_demand("路灯不亮")
    listed = make_demand("楼道漏水")
    make_demand("已撤回", state="withdrawn")
    make_demand("别的小区", compound=cast.z)
    make_demand("已办结", state="resolved")
    services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[listed])
    found = list(selectors.demands_to_compile(cast.secretary, draft))
    assert found == [open_demand]
    assert list(selectors.demands_to_compile(cast.grid_worker, draft)) == []  # building 2
    assert list(selectors.demands_to_compile(cast.resident, draft)) == []


def test_claim_options(cast, partners, published):
    assert selectors.claim_options(partners.liaison, published)["bodies"] == [partners.unit]
    assert selectors.claim_options(partners.member, published)["as_member"] is True
    assert selectors.claim_options(partners.retired, published)["as_member"] is False
    staff = selectors.claim_options(cast.secretary, published)
    assert staff["assign_bodies"] == [partners.unit]
    assert staff["assign_people"] == [partners.member.person]


def test_owners_and_claimers(cast, partners, published):
    owners = {a.pk for a in selectors.owner_accounts(published)}
    assert {cast.secretary.pk, cast.community_worker.pk} <= owners
    assert not {cast.resident.pk, cast.clerk.pk, partners.liaison.pk} & owners
    claimers = {a.pk for a in selectors.claimer_accounts(published)}
    assert claimers == {partners.liaison.pk, partners.member.pk}


def test_items_of_a_list_in_three_queries(partners, published, fix_now, django_assert_num_queries):
    services.item_claim(actor=partners.liaison, item=fix_now)
    with django_assert_num_queries(3):
        items = list(selectors.items_of(published))
        assert items[0].active_claims[0].body.name == "区住建局"
        assert [m.title for m in items[1].milestones.all()] == ["完成方案", "完工验收"]
    assert ListItem.objects.count() == 2
    assert T0
