"""Story 001: 江南街道, 贺州市八步区 (article 001, the "124" model).

From the article: the four-level party tree 街道党工委—社区大党委—小区党支部—网格党小组;
owners' committees (9 in the street, 5 with their own party branch) and property
management committees (11); red property companies; 27 partner units (区域包保包联单位)
and in-service party members (双报到) claiming items of the problem list; 厦良社区,
点灯社区's 秀峰苑小区, and 香槟城小区 (the "党建引领 幸福香槟" brand).

Assumed: 香槟城小区 lies in 厦良社区; the sizes; every name of a person or company; six of
the 27 partner units are created (names invented). 秀峰苑小区 is added as a compound run
by a property management committee (物管会), the other kind of owners' body.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.bodies.models import BodyKind as K
from gongzhi.bodies.models import Post
from gongzhi.core.demo import org as demo_org
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.org import (
    found_world,
    grid_worker,
    partner_unit,
    place_fields,
    property_company,
    team,
)
from gongzhi.core.demo.roster import RosterPlan

KEY = "001"

DATA = demo_org.story_data(KEY)  # data/story_001.toml: the places, the roster plan, the units
PLACE, PLAN = DATA.place, DATA.plan
ORGS = DATA.table["organisations"]  # the names of the bodies it sets up
GRIDS = PLAN.grids
# 秀峰苑小区, the second compound, in 点灯社区.
SECOND_PLACE = place_fields(DATA.table["second_place"])
SECOND_PLAN = RosterPlan.from_table(DATA.table["second_roster"])
PARTNERS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in DATA.table["partners"].items()}


def build(ctx: DemoContext) -> World:
    rng = ctx.rng
    world, so, co, co2 = found_world(
        ctx,
        KEY,
        PLAN,
        **PLACE,
    )
    xialiang, diandeng = co.community, co2.community
    compound, roster = world.compound, world.roster
    b, p, m = world.bodies, world.people, world.memberships

    # Four levels: 街道党工委 → 社区大党委 → 小区党支部 → 网格党小组.
    branch = ctx.body(
        K.COMPOUND_PARTY_BRANCH,
        ORGS["branch"],
        compound,
        parent=co.party,
        established_on=dt.date(2020, 7, 1),
    )
    b["branch"] = branch
    secretary = roster.pick(rng, age=(40, 62), owner=True).person
    deputy = roster.pick(rng, age=(35, 65), owner=True).person
    for person in (secretary, deputy):
        ctx.party_member(person, organisation=branch)
    m["secretary"] = ctx.appoint(branch, secretary, Post.SECRETARY, start=dt.date(2020, 7, 1))
    ctx.appoint(branch, deputy, Post.DEPUTY_SECRETARY, start=dt.date(2020, 7, 1))
    p["secretary"] = secretary
    for name in GRIDS:
        grid = roster.grids[name]
        p[f"grid_worker:{name}"] = grid_worker(ctx, co, grid)
        group = ctx.body(
            K.GRID_PARTY_GROUP,
            f"{PLACE['compound']}{name}党小组",
            grid,
            parent=branch,
            established_on=dt.date(2021, 3, 1),
        )
        b[f"grid_group:{name}"] = group
        in_grid = [bb for bb in roster.buildings if bb.grid_id == grid.pk]
        leader = roster.pick(rng, building=in_grid[0], age=(35, 70)).person
        ctx.party_member(leader, organisation=branch)
        ctx.appoint(group, leader, Post.SECRETARY, start=dt.date(2021, 3, 1))
        for building in in_grid:
            for _ in range(2):
                person = roster.pick(rng, building=building, age=(25, 85)).person
                ctx.party_member(person, organisation=branch)
                ctx.appoint(group, person, Post.MEMBER, start=dt.date(2021, 3, 1))
            leader_of_building = roster.pick(rng, building=building, age=(35, 70), owner=True)
            ctx.appoint(
                group,
                leader_of_building.person,
                Post.BUILDING_LEADER,
                scope=building,
                start=dt.date(2021, 3, 1),
            )

    # An owners' committee with its own party branch, and a red property company.
    term = dt.date(2022, 6, 18)
    committee = ctx.body(
        K.OWNERS_COMMITTEE,
        ORGS["owners_committee"],
        compound,
        term_start=term,
        term_end=dt.date(2027, 6, 17),
        has_party_organisation=True,
        established_on=dt.date(2017, 6, 1),
    )
    b["owners_committee"] = committee
    chair = roster.pick(rng, age=(40, 66), owner=True).person
    ctx.party_member(chair, organisation=branch)
    m["owners_chair"] = ctx.appoint(committee, chair, Post.CHAIR, start=term)
    for post in (Post.VICE_CHAIR, Post.MEMBER, Post.MEMBER, Post.MEMBER):
        ctx.appoint(committee, roster.pick(rng, age=(30, 70), owner=True).person, post, start=term)
    b["property"], manager, clerks = property_company(
        ctx,
        compound,
        co,
        name=ORGS["property"],
        legal_name=ORGS["property_legal"],
        start=dt.date(2023, 1, 1),
        end=dt.date(2027, 12, 31),
        red=True,
    )

    # Volunteers: party members as examples, residents won over as volunteers.
    captain = roster.pick(rng, age=(30, 60)).person
    ctx.party_member(captain, organisation=branch)
    volunteers = [roster.pick(rng, age=(18, 72)).person for _ in range(8)]
    b["team:volunteers"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["volunteers"],
        compound,
        captain,
        volunteers,
        post=Post.VOLUNTEER,
        parent=branch,
        start=dt.date(2021, 5, 1),
    )
    # In-service party members living here, 双报到 with 厦良社区.
    world.more["in_service"] = []
    for unit in DATA.table["in_service_units"]:
        person = roster.pick(rng, age=(26, 55)).person
        ctx.party_member(
            person, organisation_name=unit, in_service=True, registered_community=xialiang
        )
        world.more["in_service"].append(person)

    # Some of the 27 partner units (区域包保包联单位), each with a liaison.
    for org, community in ((co, xialiang), (co2, diandeng)):
        for name in PARTNERS[community.name]:
            b[f"partner:{name}"], p[f"liaison:{name}"] = partner_unit(ctx, org, name)

    # 秀峰苑小区: a property management committee (物管会) appointed in 点灯社区.
    second, second_roster = ctx.compound(
        diandeng,
        SECOND_PLACE["compound"],
        SECOND_PLAN,
        **{k: v for k, v in SECOND_PLACE.items() if k != "compound"},
    )
    world.more["second_compound"] = second
    world.more["second_roster"] = second_roster
    grid = second_roster.grids["第一网格"]
    grid_worker(ctx, co2, grid)
    branch2 = ctx.body(
        K.COMPOUND_PARTY_BRANCH,
        ORGS["second_branch"],
        second,
        parent=co2.party,
        established_on=dt.date(2021, 4, 1),
    )
    secretary2 = second_roster.pick(rng, age=(50, 72), owner=True).person
    ctx.party_member(secretary2, organisation=branch2)
    ctx.appoint(branch2, secretary2, Post.SECRETARY, start=dt.date(2021, 4, 1))
    for _ in range(6):
        ctx.party_member(second_roster.pick(rng, age=(30, 88)).person, organisation=branch2)
    pmc = ctx.body(
        K.PROPERTY_MANAGEMENT_COMMITTEE,
        ORGS["second_pmc"],
        second,
        term_start=dt.date(2023, 3, 1),
        term_end=dt.date(2027, 2, 28),
        established_on=dt.date(2023, 3, 1),
    )
    b["second:pmc"] = pmc
    # A 物管会 is chaired by the community and filled with owners' representatives.
    ctx.appoint(pmc, co2.workers[0], Post.CHAIR, start=dt.date(2023, 3, 1))
    ctx.appoint(pmc, secretary2, Post.VICE_CHAIR, start=dt.date(2023, 3, 1))
    for _ in range(3):
        ctx.appoint(
            pmc,
            second_roster.pick(rng, age=(35, 72), owner=True).person,
            Post.MEMBER,
            start=dt.date(2023, 3, 1),
        )
    for number in range(1, len(SECOND_PLAN.buildings) + 1):
        building = second_roster.building(number)
        leader = second_roster.pick(rng, building=building, age=(40, 75), owner=True).person
        ctx.appoint(
            branch2, leader, Post.BUILDING_LEADER, scope=building, start=dt.date(2023, 3, 1)
        )
    property_company(
        ctx,
        second,
        co2,
        name=ORGS["second_property"],
        legal_name=ORGS["second_property_legal"],
        start=dt.date(2023, 5, 1),
        end=dt.date(2028, 4, 30),
        clerks=1,
    )

    ctx.account("jiangnan_secretary", secretary, PLACE["compound"])
    return world
