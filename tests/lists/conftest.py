"""Fixtures for list tests: demands to compile, partner units and 双报到 members, lists.

Builds on tests/cast.py: compound A (community C1) is where lists are compiled; compound Z
lies in community C2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from gongzhi.bodies.models import Body, BodyKind
from gongzhi.demands import rules as demand_rules
from gongzhi.demands.models import Category, Demand, PlaceKind
from gongzhi.lists import services
from gongzhi.lists.rules import ListKind, Mode, Source
from gongzhi.people.models import Account
from tests.factories import (
    AccountFactory,
    BodyFactory,
    MembershipFactory,
    PartyMemberFactory,
    ResidencyFactory,
)

T0 = dt.datetime(2024, 3, 4, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def repair(db):
    return Category.objects.create(name="维修", keywords="漏水 路灯")


@pytest.fixture
def make_demand(cast, repair):
    """A demand of compound A filed by the resident (rows written directly: the lists app
    only reads demands)."""

    def _make(
        description="2号楼屋顶漏水,下雨天家里滴水",
        *,
        compound=None,
        building=None,
        is_public=True,
        state="filed",
        reporter=None,
        **kw,
    ) -> Demand:
        compound = compound or cast.a
        building = (
            building if building is not None else (cast.building_a2 if compound == cast.a else None)
        )
        place = building.path if building else compound.path
        return Demand.objects.create(
            street_id=compound.community.street_id,
            community_id=compound.community_id,
            compound=compound,
            place_kind=PlaceKind.BUILDING if building else PlaceKind.COMMON,
            building=building,
            place_path=place,
            category=kw.pop("category", repair),
            description=description,
            is_public=is_public,
            reporter=reporter or cast.resident.person,
            filed_by=cast.resident,
            state=state,
            handler_body=kw.pop(
                "handler_body", cast.property_a if state in demand_rules.HAS_HANDLER else None
            ),
            **kw,
        )

    return _make  # fmt: skip


@dataclass
class Partners:
    unit: Body  # 共建单位 over community C1 (covers A)
    liaison: Account
    unit_z: Body  # 共建单位 over community C2 (covers Z only)
    liaison_z: Account
    member: Account  # 在职党员, 双报到 with C1, living in A
    member_z: Account  # 在职党员, 双报到 with C2
    retired: Account  # 党员 living in A, not in service (no registration)
    volunteer: Account  # a plain member (not liaison) of the partner unit


@pytest.fixture
def partners(cast) -> Partners:
    unit = BodyFactory(
        kind=BodyKind.PARTNER_UNIT, name="区住建局", place_path=cast.community.path,
        community=cast.community,
    )  # fmt: skip
    unit_z = BodyFactory(
        kind=BodyKind.PARTNER_UNIT, name="区司法局", place_path=cast.other_community.path,
        community=cast.other_community,
    )  # fmt: skip

    def liaison_of(body):
        account = AccountFactory()
        MembershipFactory(body=body, person=account.person, post="liaison")
        return account

    member = AccountFactory()
    ResidencyFactory(household__room=cast.room_a, household__head=member.person)
    PartyMemberFactory(
        person=member.person, is_in_service=True, registered_community=cast.community
    )
    member_z = AccountFactory()
    PartyMemberFactory(
        person=member_z.person, is_in_service=True, registered_community=cast.other_community
    )
    retired = AccountFactory()
    ResidencyFactory(household__room=cast.room_a, household__head=retired.person)
    PartyMemberFactory(person=retired.person, is_in_service=False)
    volunteer = AccountFactory()
    MembershipFactory(body=unit, person=volunteer.person, post="member")
    return Partners(
        unit=unit,
        liaison=liaison_of(unit),
        unit_z=unit_z,
        liaison_z=liaison_of(unit_z),
        member=member,
        member_z=member_z,
        retired=retired,
        volunteer=volunteer,
    )


@pytest.fixture
def draft(cast):
    """A draft needs list of compound A, compiled by the branch secretary."""
    return services.worklist_create(
        actor=cast.secretary, kind=ListKind.NEEDS, title="甲小区2024年需求清单", period="2024",
        compound=cast.a, now=T0,
    )  # fmt: skip


def add_meeting_item(actor, work_list, title="东门路灯不亮", **kw):
    kw.setdefault("source", Source.MEETING)
    kw.setdefault("source_label", "3月邻里夜谈")
    return services.item_add(actor=actor, work_list=work_list, title=title, now=T0, **kw)


def add_project(actor, work_list, title="小区出入道路修建", **kw):
    return add_meeting_item(
        actor, work_list, title, mode=Mode.LONG_TERM, plan="共建单位筹款,居民自筹,分两期修建",
        milestones=[("完成方案", dt.date(2024, 4, 30)), ("完工验收", dt.date(2024, 9, 30))], **kw,
    )  # fmt: skip


@pytest.fixture
def published(cast, draft):
    """The draft with a fix-now item and a long-term project, published."""
    add_meeting_item(cast.secretary, draft)
    add_project(cast.secretary, draft)
    return services.worklist_publish(actor=cast.secretary, work_list=draft, now=T0)


@pytest.fixture
def fix_now(published):
    return published.items.get(number=1)


@pytest.fixture
def project(published):
    return published.items.get(number=2)
