"""Story 004: 纺织生活二区, 翠屏社区, 南城街道, 龙岩市新罗区 (article 004).

From the article: an old textile-mill compound (翠屏 dates from the "小三线" of 1964);
"三红": compound party branch, red owners' committee and red property company; the
district-owned 龙传物业 brought in where nobody had managed the compound; the party
branch of the 南城街道 offices paired with one building; firms (喜鹊, 佳丽斯) and the
city's SME chamber of commerce supporting it; four renovated shops whose rent (6.4万 a
year) is the community's income; volunteer teams; the whistle chain
(居民→物业→业委会→书记).

Assumed: the compound's size and build year, every person's name; the shops are held by
the community as a collective owner.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.bodies.models import BodyKind as K
from gongzhi.bodies.models import Post
from gongzhi.core.demo import org as demo_org
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.org import found_world, grid_worker, partner_unit, property_company, team

KEY = "004"
SHOP_RENT_PER_YEAR = 64000  # 元, "每年可为社区带来居财收入6.4万元"

DATA = demo_org.story_data(KEY)  # data/story_004.toml: the places, the roster plan, the units
PLACE, PLAN = DATA.place, DATA.plan
ORGS = DATA.table["organisations"]  # the names of the bodies it sets up


def build(ctx: DemoContext) -> World:
    rng = ctx.rng
    world, so, co = found_world(
        ctx,
        KEY,
        PLAN,
        **PLACE,
    )
    community, compound, roster = world.community, world.compound, world.roster
    b, p, m = world.bodies, world.people, world.memberships
    world.more["shop_rent_per_year"] = SHOP_RENT_PER_YEAR
    grid = roster.grids["第一网格"]
    p["grid_worker"] = grid_worker(ctx, co, grid)

    # 三红: the branch, the red owners' committee, the red property company.
    branch = ctx.body(
        K.COMPOUND_PARTY_BRANCH,
        ORGS["branch"],
        compound,
        parent=co.party,
        established_on=dt.date(2022, 3, 1),
    )
    b["branch"] = branch
    secretary = roster.pick(rng, age=(50, 68), owner=True).person
    deputy = roster.pick(rng, age=(55, 75), owner=True).person
    for person in (secretary, deputy):
        ctx.party_member(person, organisation=branch)
    m["secretary"] = ctx.appoint(branch, secretary, Post.SECRETARY, start=dt.date(2022, 3, 1))
    ctx.appoint(branch, deputy, Post.DEPUTY_SECRETARY, start=dt.date(2022, 3, 1))
    for _ in range(14):  # retired mill workers, many of them party members
        ctx.party_member(roster.pick(rng, age=(60, 92)).person, organisation=branch)
    p["secretary"] = secretary

    term = dt.date(2022, 5, 20)
    committee = ctx.body(
        K.OWNERS_COMMITTEE,
        ORGS["owners_committee"],
        compound,
        legal_name=ORGS["owners_committee_legal"],
        has_party_organisation=True,
        term_start=term,
        term_end=dt.date(2027, 5, 19),
        established_on=term,
    )
    b["owners_committee"] = committee
    chair = roster.pick(rng, age=(50, 70), owner=True).person
    ctx.party_member(chair, organisation=branch)
    m["owners_chair"] = ctx.appoint(committee, chair, Post.CHAIR, start=term)
    vice = roster.pick(rng, age=(45, 70), owner=True).person
    ctx.party_member(vice, organisation=branch)
    ctx.appoint(committee, vice, Post.VICE_CHAIR, start=term)
    for n in range(3):
        person = roster.pick(rng, age=(40, 75), owner=True).person
        if n == 0:
            ctx.party_member(person, organisation=branch)
        ctx.appoint(committee, person, Post.MEMBER, start=term)
    p["owners_chair"] = chair

    b["property"], manager, clerks = property_company(
        ctx,
        compound,
        co,
        name=ORGS["property"],
        start=dt.date(2022, 6, 1),
        end=dt.date(2027, 5, 31),
        red=True,
    )
    p.update(property_manager=manager, property_clerk=clerks[0])

    # Building leaders; the street offices' party branch pairs with building 1.
    for number in range(1, len(PLAN.buildings) + 1):
        building = roster.building(number)
        leader = roster.pick(rng, building=building, age=(45, 78), owner=True).person
        ctx.party_member(leader, organisation=branch)
        ctx.appoint(branch, leader, Post.BUILDING_LEADER, scope=building, start=dt.date(2022, 4, 1))
    first = roster.building(1)
    b["partner:street_branch"], p["liaison:street_branch"] = partner_unit(
        ctx, co, ORGS["street_branch"], place=compound, scope=first, since=dt.date(2022, 8, 1)
    )
    for name in DATA.table["partners"]:
        b[f"partner:{name}"], p[f"liaison:{name}"] = partner_unit(
            ctx, co, name, since=dt.date(2022, 9, 1)
        )

    # Two central households, and two of the community's eight volunteer teams.
    for number in (3, 6):
        building = roster.building(number)
        head = roster.pick(rng, building=building, age=(55, 80), owner=True, head=True)
        ctx.party_member(head.person, organisation=branch)
        membership = ctx.appoint(
            branch, head.person, Post.CENTRAL_HOUSEHOLD, scope=building, start=dt.date(2022, 10, 1)
        )
        for household in rng.sample(roster.households_in(building, exclude=[head.household]), 4):
            ctx.link(membership, household)
    patrol = [roster.pick(rng, age=(35, 70)).person for _ in range(7)]
    b["team:patrol"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["patrol"],
        community,
        patrol[0],
        patrol[1:],
        post=Post.VOLUNTEER,
        parent=co.party,
        start=dt.date(2022, 7, 1),
    )
    care = [roster.pick(rng, age=(25, 70)).person for _ in range(6)]
    b["team:care"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["party_volunteers"],
        compound,
        care[0],
        care[1:],
        post=Post.VOLUNTEER,
        parent=branch,
        start=dt.date(2022, 7, 1),
    )

    ctx.account("property_clerk_other", clerks[0], f"{PLACE['compound']}·{ORGS['property']}")
    ctx.account("red_owners_chair", chair, PLACE["compound"])
    return world
