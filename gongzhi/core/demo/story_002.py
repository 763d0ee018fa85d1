"""Story 002: 太平洋花园, 东湖街道铭湖社区, 泉州市丰泽区 (article 002, "1+4" 工作法).

From the article: built 1999, 11 buildings, 306 households, 910 residents, about
55,000 m²; 9 old elevators; the 6th owners' committee of 7, 5 of them party members;
a compound party branch whose secretary also chairs the owners' committee (一肩挑);
11 building leaders; 5 advisers (doctor, teacher, lawyer…), 4 think-tank members,
3 volunteer teams; a property company; partner units bringing legal advice, anti-fraud,
health and repairs. Names of people and companies are invented.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.bodies.models import BodyKind as K
from gongzhi.bodies.models import Post
from gongzhi.core.demo import org as demo_org
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.org import found_world, grid_worker, partner_unit, property_company, team
from gongzhi.people.models import Person

KEY = "002"

# 9 elevators: buildings 1–4 have two entrances with one each, building 5 one.
DATA = demo_org.story_data(KEY)  # data/story_002.toml: the places, the roster plan, the units
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
    street, community = world.street, world.community
    compound, roster = world.compound, world.roster
    b, p, m = world.bodies, world.people, world.memberships

    for name, grid in roster.grids.items():
        p[f"grid_worker:{name}"] = grid_worker(ctx, co, grid)

    # The 6th owners' committee: 7 members, 5 party members (2 retired, 3 in service).
    chair = roster.pick(rng, age=(60, 70), owner=True, head=True, gender="m").person
    retired = roster.pick(rng, age=(58, 72), owner=True).person
    serving = [roster.pick(rng, age=(32, 55), owner=True).person for _ in range(3)]
    others = [roster.pick(rng, age=(35, 70), owner=True).person for _ in range(2)]
    branch = ctx.body(
        K.COMPOUND_PARTY_BRANCH,
        ORGS["branch"],
        compound,
        parent=co.party,
        established_on=dt.date(2024, 12, 10),
    )
    b["branch"] = branch
    # "发动业委会中2名退休党员到小区报到": their party relationship moves to the branch.
    for person in (chair, retired):
        ctx.party_member(person, organisation=branch)
    for person, unit in zip(serving, IN_SERVICE_UNITS, strict=False):
        ctx.party_member(
            person, organisation_name=unit, in_service=True, registered_community=community
        )
    term = dt.date(2024, 11, 18)
    committee = ctx.body(
        K.OWNERS_COMMITTEE,
        ORGS["owners_committee"],
        compound,
        term_start=term,
        term_end=dt.date(2029, 11, 17),
        established_on=dt.date(2000, 6, 1),
    )
    b["owners_committee"] = committee
    m["owners_chair"] = ctx.appoint(committee, chair, Post.CHAIR, start=term)
    ctx.appoint(committee, serving[0], Post.VICE_CHAIR, start=term)
    for person in (retired, serving[1], serving[2], *others):
        ctx.appoint(committee, person, Post.MEMBER, start=term)
    p.update(secretary=chair, owners_member=retired)
    world.more["committee_party_members"] = [chair, retired, *serving]

    # The branch: secretary = committee chair (一肩挑), a deputy, a committee member,
    # and the retired party members living in the compound.
    since = dt.date(2024, 12, 10)
    m["secretary"] = ctx.appoint(branch, chair, Post.SECRETARY, start=since)
    deputy = roster.pick(rng, age=(55, 70), owner=True).person
    ctx.party_member(deputy, organisation=branch)
    ctx.appoint(branch, deputy, Post.DEPUTY_SECRETARY, start=since)
    ctx.appoint(branch, retired, Post.MEMBER, start=since)
    for _ in range(12):
        ctx.party_member(roster.pick(rng, age=(56, 88)).person, organisation=branch)

    # 11 building leaders, party members or not ("有热心、有公心的党员或群众").
    leaders = []
    for number in range(1, 12):
        building = roster.building(number)
        person = roster.pick(rng, building=building, age=(45, 75), owner=True).person
        if number not in (4, 8, 10):
            ctx.party_member(person, organisation=branch)
        ctx.appoint(branch, person, Post.BUILDING_LEADER, scope=building, start=dt.date(2025, 1, 5))
        leaders.append(person)
    p["building_leader"] = leaders[0]
    world.more["building_leaders"] = leaders

    # 党员中心户: party-member households, each looking after a few neighbours.
    for number in (2, 5, 7, 10):
        building = roster.building(number)
        head = roster.pick(rng, building=building, age=(50, 80), owner=True, head=True)
        ctx.party_member(head.person, organisation=branch)
        membership = ctx.appoint(
            branch, head.person, Post.CENTRAL_HOUSEHOLD, scope=building, start=dt.date(2025, 3, 1)
        )
        neighbours = roster.households_in(building, exclude=[head.household])
        for household in rng.sample(neighbours, 4):
            ctx.link(membership, household)
        m.setdefault("central_households", []).append(membership)

    # 顾问组 (5 能人) and 智囊团 (4 residents who speak up).
    advisers = []
    for job in DATA.table["adviser_jobs"]:
        person = roster.pick(rng, age=(35, 68)).person
        _note(person, f"小区顾问组·{job}")
        advisers.append(person)
    b["advisers"], _ = team(
        ctx,
        K.ADVISERS,
        ORGS["advisers"],
        compound,
        None,
        advisers,
        post=Post.ADVISER,
        parent=branch,
        start=dt.date(2025, 2, 20),
    )
    thinkers = [roster.pick(rng, age=(30, 75)).person for _ in range(4)]
    b["think_tank"], _ = team(
        ctx,
        K.THINK_TANK,
        ORGS["think_tank"],
        compound,
        None,
        thinkers,
        post=Post.MEMBER,
        parent=branch,
        start=dt.date(2025, 2, 20),
    )

    # Three volunteer teams (of the 8 service lists: 环保, 安全巡逻, 文明劝导, …).
    for key, name in DATA.table["volunteer_teams"].items():
        captain = roster.pick(rng, age=(40, 68)).person
        volunteers = [roster.pick(rng, age=(18, 72)).person for _ in range(rng.randint(5, 8))]
        b[f"team:{key}"], _ = team(
            ctx,
            K.VOLUNTEER_TEAM,
            f"{PLACE['compound']}{name}志愿服务队",
            compound,
            captain,
            volunteers,
            post=Post.VOLUNTEER,
            parent=branch,
            start=dt.date(2025, 3, 15),
        )
        p[f"captain:{key}"] = captain

    # An in-service party member living here, registered with the community (双报到).
    dual = roster.pick(rng, age=(28, 50), tenant=False).person
    ctx.party_member(
        dual, organisation_name=IN_SERVICE_UNITS[3], in_service=True, registered_community=community
    )
    ctx.appoint(b["team:civility"], dual, Post.VOLUNTEER, start=dt.date(2025, 4, 1))
    p["dual_registered"] = dual

    company, manager, clerks = property_company(
        ctx,
        compound,
        co,
        name=ORGS["property"],
        legal_name=ORGS["property_legal"],
        start=dt.date(2024, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    b["property"] = company
    p.update(property_manager=manager, property_clerk=clerks[0])

    # Partner units of the community, bringing the services into the compound.
    for key, name in DATA.table["partners"].items():
        b[f"partner:{key}"], p[f"liaison:{key}"] = partner_unit(ctx, co, name)

    # The people behind the demo accounts.
    elderly = _elderly_alone(rng, roster)
    owner = roster.pick_landlord(rng, resident=False)
    tenant = roster.pick(rng, tenant=True, head=True, age=(22, 50)).person
    p.update(elderly=elderly, owner=owner, tenant=tenant)
    where = PLACE["compound"]
    ctx.account("street_official", so.official, f"{street.name}")
    ctx.account("community_worker", co.workers[0], f"{community.name}")
    ctx.account("grid_worker", p["grid_worker:第一网格"], f"{where}第一网格")
    ctx.account("branch_secretary", chair, where)
    ctx.account("owners_member", retired, where)
    ctx.account("property_manager", manager, where)
    ctx.account("property_clerk", clerks[0], where)
    ctx.account("building_leader", leaders[0], f"{where}1号楼")
    ctx.account("dual_registered", dual, f"{where}({community.name}报到)")
    ctx.account(
        "partner_liaison", p["liaison:legal"], f"{community.name}·{b['partner:legal'].name}"
    )
    ctx.account("volunteer_captain", p["captain:patrol"], f"{where}安全巡逻志愿服务队")
    ctx.account("elderly_resident", elderly, where)
    ctx.account("owner", owner, f"{where}(不在小区居住)")
    ctx.account("tenant", tenant, where)
    return world


def _note(person: Person, note: str) -> None:
    Person.objects.filter(pk=person.pk).update(note=note)
    person.note = note


def _elderly_alone(rng, roster) -> Person:
    """An old resident living alone (独居老人), flagged as needing care."""
    try:
        resident = roster.pick(rng, age=(75, 100), head=True, where=lambda r: r.household_size == 1)
    except LookupError:
        resident = roster.pick(rng, age=(75, 100), head=True)
    person = resident.person
    if not person.is_vulnerable:
        Person.objects.filter(pk=person.pk).update(is_vulnerable=True)
        person.is_vulnerable = True
    return person
