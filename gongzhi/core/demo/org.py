"""Bodies every story needs: the street's and community's, and the usual compound bodies;
and ``found_world``, which lays every story's foundations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongzhi.bodies.models import Body, BodyKind, Membership, Post
from gongzhi.core.demo import tables
from gongzhi.core.demo.context import DemoContext, World
from gongzhi.core.demo.roster import RosterPlan
from gongzhi.people.models import Person
from gongzhi.places.models import Community, Compound, Grid, OwnersBodyKind, Street

K = BodyKind


@dataclass
class StreetOrg:
    street: Street
    party: Body  # 街道党工委
    office: Body  # 街道办事处
    official: Person  # a 街道干部 who looks after the communities
    region: str
    surnames: str


@dataclass
class CommunityOrg:
    community: Community
    street: StreetOrg
    party: Body  # 社区(大)党委
    committee: Body  # 社区居民委员会
    secretary: Person  # party secretary, also chair of the residents' committee
    workers: list[Person] = field(default_factory=list)
    grid_workers: dict[str, Person] = field(default_factory=dict)  # grid path → worker

    @property
    def region(self) -> str:
        return self.street.region

    @property
    def surnames(self) -> str:
        return self.street.surnames


def street_org(ctx: DemoContext, street: Street, *, region: str, surnames: str) -> StreetOrg:
    """街道党工委 and 街道办事处, with a secretary, a director and an official."""
    party = ctx.body(K.STREET_PARTY_COMMITTEE, f"{street.name}党工委", street)
    office = ctx.body(K.STREET_OFFICE, f"{street.name}办事处", street)
    staff = {"region": region, "surnames": surnames}
    secretary = ctx.outsider(age=(42, 56), **staff)
    ctx.appoint(party, secretary, Post.SECRETARY, start=dt.date(2021, 9, 1))
    director = ctx.outsider(age=(38, 52), **staff)
    ctx.appoint(party, director, Post.DEPUTY_SECRETARY, start=dt.date(2021, 9, 1))
    ctx.appoint(office, director, Post.CHAIR, start=dt.date(2021, 9, 1))
    official = ctx.outsider(age=(28, 45), **staff)
    ctx.appoint(office, official, Post.OFFICIAL, start=dt.date(2022, 3, 1))
    organisation = f"{street.name}机关党支部"
    for person in (secretary, director, official):
        ctx.party_member(
            person,
            organisation=party if person is secretary else None,
            organisation_name="" if person is secretary else organisation,
        )
    return StreetOrg(street, party, office, official, region, surnames)


def community_org(
    ctx: DemoContext,
    community: Community,
    so: StreetOrg,
    *,
    party_name: str | None = None,
    workers: int = 3,
) -> CommunityOrg:
    """社区党委 and 居委会; the secretary chairs both (the usual 一肩挑 of a community)."""
    party = ctx.body(
        K.COMMUNITY_PARTY_COMMITTEE,
        party_name or f"{community.name}党委",
        community,
        parent=so.party,
    )
    committee = ctx.body(
        K.RESIDENTS_COMMITTEE,
        f"{community.name}居民委员会",
        community,
        parent=so.office,
        # Re-elected in the nationwide 2026 elections of residents' committees.
        term_start=dt.date(2026, 5, 20),
        term_end=dt.date(2031, 5, 19),
    )
    staff = {"region": so.region, "surnames": so.surnames}
    secretary = ctx.outsider(age=(40, 55), **staff)
    ctx.appoint(party, secretary, Post.SECRETARY, start=dt.date(2021, 6, 1))
    ctx.appoint(committee, secretary, Post.CHAIR, start=dt.date(2021, 6, 1))
    ctx.party_member(secretary, organisation=party)
    org = CommunityOrg(community, so, party, committee, secretary)
    for i in range(workers):
        worker = ctx.outsider(age=(24, 48), **staff)
        ctx.appoint(committee, worker, Post.COMMUNITY_WORKER, start=dt.date(2022 + i % 3, 3, 1))
        if i == 0:
            ctx.appoint(party, worker, Post.MEMBER, start=dt.date(2021, 6, 1))
            ctx.party_member(worker, organisation=party)
        org.workers.append(worker)
    return org


@dataclass(frozen=True)
class StoryData:
    """A story's data file ``data/story_<key>.toml``: the whole table, its ``[place]`` as
    ``found_world``'s keywords and its ``[roster]`` as a plan."""

    table: Mapping[str, Any]
    place: dict
    plan: RosterPlan


def story_data(key: str) -> StoryData:
    table = tables.load("gongzhi.core.demo", f"story_{key}")
    return StoryData(table, place_fields(table["place"]), RosterPlan.from_table(table["roster"]))


def place_fields(table) -> dict:
    """A story's ``[place]`` table as ``found_world``'s (or ``ctx.compound``'s) keywords:
    the owners' body kind by its value ("owners_committee")."""
    fields = dict(table)
    if "owners_body_kind" in fields:
        fields["owners_body_kind"] = OwnersBodyKind(fields["owners_body_kind"])
    return fields


def found_world(
    ctx: DemoContext,
    key: str,
    plan: RosterPlan,
    *,
    district: str,
    street: str,
    community: str,
    compound: str,
    party_name: str | None = None,
    neighbours: dict[str, dict] | None = None,
    **compound_fields,
) -> tuple[World, StreetOrg, CommunityOrg, *tuple[CommunityOrg, ...]]:
    """A story's foundations, recorded as ``ctx.worlds[key]``: the district (coded
    ``plan.region``), the street and the community with their bodies, and the compound
    with its roster (``compound_fields`` go to ``ctx.compound``).

    ``neighbours`` are the street's other communities the story needs, each name with its
    ``community_org`` options; their orgs follow the community's in what is returned:
    ``world, so, co, *neighbour_orgs``. Things are made in a fixed order (places, street
    and community bodies, then the compound), so the random draws, and with them every
    generated name and number, stay the same from one load to the next.
    """
    neighbours = neighbours or {}
    d = ctx.district(district, plan.region)
    s = ctx.street(d, street)
    home = ctx.community(s, community)
    others = {name: ctx.community(s, name) for name in neighbours}
    so = street_org(ctx, s, region=plan.region, surnames=plan.surnames)
    co = community_org(ctx, home, so, party_name=party_name)
    other_orgs = [community_org(ctx, c, so, **neighbours[name]) for name, c in others.items()]
    place, roster = ctx.compound(home, compound, plan, **compound_fields)
    world = World(key, d, s, home, place, roster)
    ctx.worlds[key] = world
    world.bodies.update(
        street_party=so.party,
        street_office=so.office,
        community_party=co.party,
        residents_committee=co.committee,
    )
    return (world, so, co, *other_orgs)


def grid_worker(ctx: DemoContext, org: CommunityOrg, grid: Grid, person: Person | None = None):
    """A 网格员 of the residents' committee, scoped to one grid."""
    person = person or ctx.outsider(age=(24, 45), region=org.region, surnames=org.surnames)
    ctx.appoint(org.committee, person, Post.GRID_WORKER, scope=grid, start=dt.date(2023, 1, 1))
    org.grid_workers[grid.path] = person
    return person


def property_company(
    ctx: DemoContext,
    compound: Compound,
    org: CommunityOrg,
    *,
    name: str,
    legal_name: str = "",
    start: dt.date,
    end: dt.date,
    red: bool = False,
    clerks: int = 2,
) -> tuple[Body, Person, list[Person]]:
    """物业服务企业 serving the compound under contract: a project manager and clerks."""
    body = ctx.body(
        K.PROPERTY_COMPANY,
        name,
        compound,
        legal_name=legal_name,
        contract_start=start,
        contract_end=end,
        has_party_organisation=red,
    )
    staff = {"region": org.region, "surnames": org.surnames}
    manager = ctx.outsider(age=(33, 52), note=f"{name}项目经理", **staff)
    ctx.appoint(body, manager, Post.MANAGER, start=start)
    people = []
    for _ in range(clerks):
        clerk = ctx.outsider(age=(23, 45), note=f"{name}物业管家", **staff)
        ctx.appoint(body, clerk, Post.CLERK, start=start)
        people.append(clerk)
    if red:
        ctx.party_member(manager, organisation_name=f"{name}党支部")
    return body, manager, people


def team(
    ctx: DemoContext,
    kind: str,
    name: str,
    place,
    lead: Person | None,
    members: list[Person],
    *,
    post: str,
    lead_post: str = Post.CAPTAIN,
    parent: Body | None = None,
    start: dt.date,
) -> tuple[Body, list[Membership]]:
    """A team-like body (volunteers, advisers, think tank): a lead, if any, and members."""
    body = ctx.body(kind, name, place, parent=parent, established_on=start)
    made = [ctx.appoint(body, lead, lead_post, start=start)] if lead is not None else []
    made += [ctx.appoint(body, person, post, start=start) for person in members]
    return body, made


def partner_unit(
    ctx: DemoContext,
    org: CommunityOrg,
    name: str,
    *,
    place=None,
    scope=None,
    since: dt.date = dt.date(2021, 3, 1),
) -> tuple[Body, Person]:
    """共建单位 with its liaison, an in-service party member of the unit.

    The unit itself reports to the community (单位报到); the liaison lives elsewhere, so
    is not 双报到-registered here (that is for in-service members living in the community).
    """
    place = place or org.community
    body = ctx.body(K.PARTNER_UNIT, name, place, legal_name=name, established_on=since)
    liaison = ctx.outsider(
        age=(28, 50), region=org.region, surnames=org.surnames, note=f"{name}联络人"
    )
    ctx.appoint(body, liaison, Post.LIAISON, scope=scope, start=since)
    ctx.party_member(liaison, organisation_name=f"{name}党支部", in_service=True)
    return body, liaison
