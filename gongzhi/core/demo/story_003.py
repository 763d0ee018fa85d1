"""Story 003: a 三无小区 of 下站街道, 阳泉市城区 (article 003).

From the article: compounds with no property company and no owners' committee; a
party tree of 网格党支部 (its secretary a community grid worker) → 楼栋党小组 (each led
by a party member of the self-management committee; members are committee party
members, resident representatives, party-member building leaders and in-service
members) → 党员中心户, each of which serves five needy households; a self-management
committee (自管会) chosen by self-nomination, nomination by residents and election,
acting for an owners' committee; city and district units supporting the compound; the
"党员帮帮团"; residents, tenants and shopkeepers side by side.

Assumed: the community (桥北社区), the compound's name and size, every person's name.
The article's 网格党支部 is stored as the grid's party body (kind grid_party_group):
there is no separate compound branch here, as in the article's five levels.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.bodies.models import BodyKind as K
from gongzhi.bodies.models import Post
from gongzhi.core.demo import org as demo_org
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.org import found_world, grid_worker, partner_unit, team
from gongzhi.people.models import Person

KEY = "003"
CENTRAL_HOUSEHOLDS = 4
LINKED_EACH = 5

DATA = demo_org.story_data(KEY)  # data/story_003.toml: the places, the roster plan, the units
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

    # 网格党支部, led by the community's grid worker.
    grid = roster.grids["第一网格"]
    worker = grid_worker(ctx, co, grid)
    ctx.party_member(worker, organisation=co.party)
    grid_branch = ctx.body(
        K.GRID_PARTY_GROUP,
        ORGS["grid_branch"],
        grid,
        parent=co.party,
        established_on=dt.date(2021, 4, 20),
    )
    b["grid_branch"] = grid_branch
    ctx.appoint(grid_branch, worker, Post.SECRETARY, start=dt.date(2021, 4, 20))
    p["grid_worker"] = worker

    # The self-management committee, elected after self- and residents' nomination.
    # Founded in 2021 for three years, re-elected in 2024.
    since = dt.date(2021, 5, 28)
    smc = ctx.body(
        K.SELF_MANAGEMENT_COMMITTEE,
        ORGS["self_management"],
        compound,
        term_start=dt.date(2024, 5, 28),
        term_end=dt.date(2027, 5, 27),
        established_on=since,
    )
    b["self_management"] = smc
    chair = roster.pick(rng, age=(55, 70), owner=True, gender="m").person
    vice = roster.pick(rng, age=(45, 65), owner=True).person
    members = [roster.pick(rng, age=(35, 75), owner=True).person for _ in range(3)]
    for person in (chair, vice, members[0]):
        ctx.party_member(person, organisation=grid_branch)
    m["smc_chair"] = ctx.appoint(smc, chair, Post.CHAIR, start=since)
    ctx.appoint(smc, vice, Post.VICE_CHAIR, start=since)
    for person in members:
        ctx.appoint(smc, person, Post.MEMBER, start=since)
    ctx.appoint(smc, worker, Post.MEMBER, start=since)  # 网格管理员 on the committee
    p.update(smc_chair=chair)

    # A 楼栋党小组 per building, led by a committee party member or party-member 楼院长.
    leads = [chair, vice, members[0]]
    central: list = []
    for number in range(1, len(PLAN.buildings) + 1):
        building = roster.building(number)
        group = ctx.body(
            K.BUILDING_PARTY_GROUP,
            f"{building.name}党小组",
            building,
            parent=grid_branch,
            established_on=dt.date(2021, 4, 20),
        )
        b[f"building_group:{number}"] = group
        yard_leader = roster.pick(rng, building=building, age=(45, 78), owner=True).person
        ctx.party_member(yard_leader, organisation=grid_branch)
        ctx.appoint(smc, yard_leader, Post.BUILDING_LEADER, scope=building, start=since)
        lead = leads[number - 1] if number <= len(leads) else yard_leader
        ctx.appoint(group, lead, Post.SECRETARY, start=dt.date(2021, 6, 1))
        ctx.appoint(
            group, yard_leader, Post.BUILDING_LEADER, scope=building, start=dt.date(2021, 6, 1)
        )
        member = roster.pick(rng, building=building, age=(30, 88)).person
        ctx.party_member(member, organisation=grid_branch)
        ctx.appoint(group, member, Post.MEMBER, start=dt.date(2021, 6, 1))
        if len(central) < CENTRAL_HOUSEHOLDS and number in (1, 2, 4, 5):
            central.append((building, group))

    # 党员中心户: each looks after five needy households (三级包干).
    linked: set[int] = set()
    world.more["links"] = {}
    for building, group in central:
        head = roster.pick(rng, building=building, age=(45, 75), owner=True, head=True)
        ctx.party_member(head.person, organisation=grid_branch)
        membership = ctx.appoint(
            group, head.person, Post.CENTRAL_HOUSEHOLD, scope=building, start=dt.date(2021, 7, 1)
        )
        neighbours = [
            h
            for h in roster.households_in(building, exclude=[head.household])
            if h.pk not in linked
        ]
        needy = _neediest(roster, neighbours, LINKED_EACH)
        for household in needy:
            ctx.link(membership, household)
            linked.add(household.pk)
        world.more["links"][membership.pk] = needy
        m.setdefault("central_households", []).append(membership)
        p.setdefault("central_household", head.person)

    # In-service party members serving after hours, and the 党员帮帮团.
    helpers = []
    for unit in DATA.table["in_service_units"]:
        person = roster.pick(rng, age=(28, 55)).person
        ctx.party_member(
            person, organisation_name=unit, in_service=True, registered_community=community
        )
        helpers.append(person)
    helpers += [roster.pick(rng, age=(40, 75)).person for _ in range(4)]
    b["team:helpers"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["helpers"],
        compound,
        vice,
        helpers,
        post=Post.VOLUNTEER,
        parent=grid_branch,
        start=dt.date(2021, 6, 1),
    )
    # City- and district-level units that took on the compound (包建单位).
    for name in DATA.table["partners"]:
        b[f"partner:{name}"], p[f"liaison:{name}"] = partner_unit(ctx, co, name, place=compound)

    resident = roster.pick(rng, age=(30, 70), head=True, tenant=False)
    p["resident"] = resident.person
    ctx.account("central_household", p["central_household"], PLACE["compound"])
    ctx.account("sanwu_resident", resident.person, PLACE["compound"])
    ctx.account("self_management_chair", chair, PLACE["compound"])
    return world


def _neediest(roster, households, count: int) -> list:
    """The ``count`` households with the oldest heads; their heads are flagged as needy."""
    ages = {r.household.pk: r.age for r in roster.residents if r.relation in ("head", "tenant")}
    chosen = sorted(households, key=lambda h: (-ages.get(h.pk, 0), h.pk))[:count]
    heads = [h.head_id for h in chosen]
    Person.objects.filter(pk__in=heads).update(is_vulnerable=True)
    for resident in roster.residents:
        if resident.person.pk in heads:
            resident.person.is_vulnerable = True
    return chosen
