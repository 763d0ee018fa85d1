"""Story 000: 翔鹭花城二期, 殿前街道, 厦门市湖里区 (article 000).

From the article: the compound party branch was founded in 2017 with only 22
registered party members; it recruited party members living there but registered
elsewhere into a party-member volunteer team and chose party-member central households;
a young ("85后") secretary was elected in July 2019; after the first owners' committee
was recalled (2016-07) a temporary one ran things from 2017, and the 2nd owners'
committee took office in January 2018 and hired a new property company; a nightly
volunteer patrol; in-service party members (双报到) claim projects; about 280 parking
spaces for more households than spaces (one car per household).

Not in the article, so assumed: the community (兴隆社区), the size of the compound, and
every name of a person or company. The 280 parking spaces are common parts allotted by
registration, not owned rooms, so they are not rooms of the roster.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.bodies.models import BodyKind as K
from gongzhi.bodies.models import Post
from gongzhi.core.demo import org as demo_org
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.org import found_world, grid_worker, partner_unit, property_company, team

KEY = "000"
REGISTERED_PARTY_MEMBERS = 22
PARKING_SPACES = 280

DATA = demo_org.story_data(KEY)  # data/story_000.toml: the places, the roster plan, the units
PLACE, PLAN = DATA.place, DATA.plan
ORGS = DATA.table["organisations"]  # the names of the bodies it sets up
IN_SERVICE_UNITS: tuple[str, ...] = tuple(DATA.table["in_service_units"])


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
    world.more["parking_spaces"] = PARKING_SPACES
    for name, grid in roster.grids.items():
        p[f"grid_worker:{name}"] = grid_worker(ctx, co, grid)

    # The branch, founded in 2017 with 22 registered party members.
    branch = ctx.body(
        K.COMPOUND_PARTY_BRANCH,
        ORGS["branch"],
        compound,
        parent=co.party,
        established_on=dt.date(2017, 6, 16),
    )
    b["branch"] = branch
    secretary = roster.pick(rng, age=(35, 40), gender="f", owner=True).person  # "85后"
    deputy = roster.pick(rng, age=(55, 70), owner=True).person
    member = roster.pick(rng, age=(45, 65), owner=True).person
    owners_chair = roster.pick(rng, age=(45, 68), owner=True).person  # chairs the committee
    registered = [secretary, deputy, member, owners_chair]
    registered += [
        roster.pick(rng, age=(30, 88)).person for _ in range(REGISTERED_PARTY_MEMBERS - 4)
    ]
    for person in registered:
        ctx.party_member(person, organisation=branch)
    m["secretary"] = ctx.appoint(branch, secretary, Post.SECRETARY, start=dt.date(2019, 7, 12))
    ctx.appoint(branch, deputy, Post.DEPUTY_SECRETARY, start=dt.date(2017, 6, 16))
    ctx.appoint(branch, member, Post.MEMBER, start=dt.date(2017, 6, 16))
    p.update(secretary=secretary)
    world.more["registered_party_members"] = registered

    # 党员中心户: party-member families, "小区党支部—党员中心户".
    for person in registered[4:8]:
        resident = roster.resident(person)
        building = roster.building_of(resident.room)
        membership = ctx.appoint(
            branch, person, Post.CENTRAL_HOUSEHOLD, scope=building, start=dt.date(2018, 3, 1)
        )
        neighbours = roster.households_in(building, exclude=[resident.household])
        for household in rng.sample(neighbours, 3):
            ctx.link(membership, household)
        m.setdefault("central_households", []).append(membership)

    # Party members living here but registered elsewhere: in service, 双报到 here.
    in_service = []
    for unit in IN_SERVICE_UNITS:
        person = roster.pick(rng, age=(26, 55)).person
        ctx.party_member(
            person, organisation_name=unit, in_service=True, registered_community=community
        )
        in_service.append(person)
    world.more["in_service"] = in_service
    captain = registered[8]
    volunteers = registered[9:15] + in_service
    b["team:party"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["party_volunteers"],
        compound,
        captain,
        volunteers,
        post=Post.VOLUNTEER,
        parent=branch,
        start=dt.date(2018, 5, 4),
    )
    # The nightly patrol, which the mediation committee's members joined.
    patrol = [roster.pick(rng, age=(30, 68), gender="m").person for _ in range(8)]
    b["team:patrol"], _ = team(
        ctx,
        K.VOLUNTEER_TEAM,
        ORGS["patrol"],
        compound,
        patrol[0],
        patrol[1:],
        post=Post.VOLUNTEER,
        parent=branch,
        start=dt.date(2018, 9, 1),
    )

    # Building leaders, one a building.
    for number in range(1, len(PLAN.buildings) + 1):
        building = roster.building(number)
        person = roster.pick(rng, building=building, age=(40, 72), owner=True).person
        ctx.appoint(branch, person, Post.BUILDING_LEADER, scope=building, start=dt.date(2018, 3, 1))

    # The 2nd owners' committee (January 2018), which hired the new property company.
    term = dt.date(2018, 1, 15)
    committee = ctx.body(
        K.OWNERS_COMMITTEE,
        ORGS["owners_committee"],
        compound,
        term_start=term,
        established_on=dt.date(2004, 5, 1),
    )
    b["owners_committee"] = committee
    chair = owners_chair
    m["owners_chair"] = ctx.appoint(committee, chair, Post.CHAIR, start=term)
    ctx.appoint(
        committee, roster.pick(rng, age=(40, 65), owner=True).person, Post.VICE_CHAIR, start=term
    )
    for _ in range(3):
        ctx.appoint(
            committee, roster.pick(rng, age=(35, 70), owner=True).person, Post.MEMBER, start=term
        )
    b["property"], manager, clerks = property_company(
        ctx,
        compound,
        co,
        name=ORGS["property"],
        legal_name=ORGS["property_legal"],
        start=dt.date(2018, 4, 1),
        end=dt.date(2027, 3, 31),
    )
    p.update(property_manager=manager, owners_chair=chair)
    b["partner:enforcement"], p["liaison:enforcement"] = partner_unit(ctx, co, ORGS["enforcement"])
    ctx.account("xianglu_secretary", secretary, PLACE["compound"])
    return world
