"""A whole synthetic district for benchmarks: ``manage.py generate_district``.

Streets of 5–8 communities, communities of 10–20 compounds, each compound with exactly
``rooms_per_compound`` rooms (flats, a few shops and parking spaces, some still held by
the developer), households, people, owners and residents, and the usual bodies with a
few posts each (branch secretary, owners' body chair, property clerk, building leaders).

Everything is inserted with ``bulk_create`` in batches, paths computed in Python
(``bulk.insert_nodes``), compounds processed in chunks so memory stays flat, all in one
transaction, with one ``district.generate`` audit event at the end. The region code of
the ID numbers is ``3599xx``, a prefecture that does not exist, so generated people can
never be mistaken for real ones.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from gongzhi.audit import services as audit
from gongzhi.bodies.models import Body, BodyKind, Membership, Post
from gongzhi.core.demo import tables
from gongzhi.core.demo.bulk import BATCH_SIZE, insert_nodes
from gongzhi.core.demo.names import Identities
from gongzhi.core.demo.synthetic import Population, layout, make_person
from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.places import services as places
from gongzhi.places.models import (
    Community,
    Compound,
    District,
    OwnersBodyKind,
    Street,
)

ROOMS_PER_CHUNK = 50_000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The words of the place names: data/generator.toml.
_DATA = tables.load("gongzhi.core.demo", "generator")
_STREET_WORDS = _words(_DATA["street_words"])
_COMMUNITY_WORDS = _words(_DATA["community_words"])
_COMPOUND_WORDS = _words(_DATA["compound_words"])
_COMPOUND_SUFFIXES: tuple[str, ...] = tuple(_DATA["compound_suffixes"])


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @contextmanager
    def timed(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started


class GeneratorError(Exception):
    pass


def generate(
    *,
    compounds: int,
    rooms_per_compound: int = 500,
    seed: int = 1,
    name: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] = lambda line: None,
) -> tuple[District, Report]:
    if compounds < 1 or rooms_per_compound < 1:
        raise GeneratorError("小区数和每小区房屋数必须是正整数。")
    name = name or f"基准测试区{seed}"
    if District.objects.filter(name=name).exists():
        raise GeneratorError(f"已有名为“{name}”的区;请用 --name 另取一个名字。")
    rng = random.Random(seed)
    region = f"3599{seed % 100:02d}"
    taken = Person.objects.filter(id_number__startswith=region[:4]).values_list(
        "id_number", flat=True
    )
    ids = Identities(rng, taken_id_numbers=taken)
    report = Report()
    with transaction.atomic():
        with report.timed("上层地点(区/街道/社区/小区)"):
            district = places.district_create(actor=None, name=name, code=region)
            tree = _upper_tree(rng, district, compounds, report, batch_size)
        with report.timed("街道与社区的组织"):
            _upper_bodies(rng, ids, region, tree, report, batch_size)
        per_chunk = max(1, ROOMS_PER_CHUNK // rooms_per_compound)
        all_compounds = [c for _, _, cs in tree for c in cs]
        for start in range(0, len(all_compounds), per_chunk):
            chunk = all_compounds[start : start + per_chunk]
            began = time.perf_counter()
            _chunk(rng, ids, region, chunk, rooms_per_compound, report, batch_size)
            progress(
                f"小区 {start + 1}–{start + len(chunk)} / {len(all_compounds)}:"
                f"{time.perf_counter() - began:.1f} 秒"
            )
        audit.record(
            actor=None,
            action="district.generate",
            obj=district,
            after={"seed": seed, "rooms_per_compound": rooms_per_compound, **report.counts},
        )
    return district, report


def _upper_tree(rng, district, n_compounds, report, batch_size):
    """Streets → communities → compounds; returns [(street, community, [compounds])]."""
    plan: list[list[int]] = []  # per street, the number of compounds of each community
    left = n_compounds
    while left > 0:
        street = []
        for _ in range(rng.randint(5, 8)):
            if left <= 0:
                break
            take = min(left, rng.randint(10, 20))
            street.append(take)
            left -= take
        plan.append(street)
    streets = [
        Street(district=district, name=_unique(_STREET_WORDS, i, "街道")) for i in range(len(plan))
    ]
    insert_nodes(streets, [district.path] * len(streets), batch_size=batch_size)
    communities, owners = [], []
    for street, sizes in zip(streets, plan, strict=True):
        for j in range(len(sizes)):
            communities.append(Community(street=street, name=_unique(_COMMUNITY_WORDS, j, "社区")))
            owners.append(street)
    insert_nodes(communities, [s.path for s in owners], batch_size=batch_size)
    compounds = []
    sizes = [size for street_sizes in plan for size in street_sizes]
    for community, size in zip(communities, sizes, strict=True):
        for k in range(size):
            roll = rng.random()
            if roll < 0.05:  # 三无小区
                kind, has_property = OwnersBodyKind.NONE, False
            elif roll < 0.2:
                kind, has_property = OwnersBodyKind.PROPERTY_MANAGEMENT_COMMITTEE, True
            else:
                kind, has_property = OwnersBodyKind.OWNERS_COMMITTEE, True
            compounds.append(
                Compound(
                    community=community,
                    name=_compound_name(rng, k),
                    built_year=rng.randint(1985, 2020),
                    has_property_company=has_property,
                    owners_body_kind=kind,
                )
            )
    insert_nodes(compounds, [c.community.path for c in compounds], batch_size=batch_size)
    report.counts.update(
        streets=len(streets), communities=len(communities), compounds=len(compounds)
    )
    tree = []
    by_community = defaultdict(list)
    for compound in compounds:
        by_community[compound.community_id].append(compound)
    for community in communities:
        tree.append((community.street, community, by_community[community.pk]))
    return tree


def _upper_bodies(rng, ids, region, tree, report, batch_size):
    """Each street's party committee and office, each community's party committee and
    residents' committee, with a secretary or worker each."""
    bodies, holders = [], []
    seen_streets = set()
    for street, community, _ in tree:
        if street.pk not in seen_streets:
            seen_streets.add(street.pk)
            bodies.append(
                Body(
                    kind=BodyKind.STREET_PARTY_COMMITTEE,
                    name=f"{street.name}党工委",
                    place_path=street.path,
                )
            )
            holders.append(Post.SECRETARY)
            bodies.append(
                Body(
                    kind=BodyKind.STREET_OFFICE, name=f"{street.name}办事处", place_path=street.path
                )
            )
            holders.append(Post.OFFICIAL)
        bodies.append(
            Body(
                kind=BodyKind.COMMUNITY_PARTY_COMMITTEE,
                name=f"{community.name}党委",
                place_path=community.path,
                community=community,
            )
        )
        holders.append(Post.SECRETARY)
        bodies.append(
            Body(
                kind=BodyKind.RESIDENTS_COMMITTEE,
                name=f"{community.name}居民委员会",
                place_path=community.path,
                community=community,
            )
        )
        holders.append(Post.COMMUNITY_WORKER)
    Body.objects.bulk_create(bodies, batch_size=batch_size)
    staff = [make_person(rng, ids, region, age=(28, 55)) for _ in bodies]
    Person.objects.bulk_create(staff, batch_size=batch_size)
    Membership.objects.bulk_create(
        [
            Membership(
                body=body,
                person=person,
                post=post,
                scope_path=body.place_path,
                start=dt.date(2023, 1, 1),
            )
            for body, person, post in zip(bodies, staff, holders, strict=True)
        ],
        batch_size=batch_size,
    )
    report.counts["bodies"] += len(bodies)
    report.counts["memberships"] += len(bodies)
    report.counts["persons"] += len(staff)


def _chunk(rng, ids, region, compounds, rooms_per_compound, report, batch_size):
    """Places, people and bodies of a few compounds, inserted in bulk."""
    with report.timed("楼栋/单元/房屋"):
        grids, buildings, entrances, rooms = layout(rng, compounds, rooms_per_compound)
        insert_nodes(grids, [g.compound.path for g in grids], batch_size=batch_size)
        insert_nodes(
            buildings, [(b.grid or b.compound).path for b in buildings], batch_size=batch_size
        )
        insert_nodes(entrances, [e.building.path for e in entrances], batch_size=batch_size)
        insert_nodes(rooms, [(r.entrance or r.building).path for r in rooms], batch_size=batch_size)
    report.counts["grids"] += len(grids)
    report.counts["buildings"] += len(buildings)
    report.counts["entrances"] += len(entrances)
    report.counts["rooms"] += len(rooms)

    with report.timed("人员"):
        population = Population(rng, ids, region)
        by_compound = defaultdict(list)
        for room in rooms:
            by_compound[room.compound_id].append(room)
        for compound in compounds:
            population.compound(compound, by_compound[compound.pk])
        Person.objects.bulk_create(population.persons, batch_size=batch_size)
    with report.timed("户/居住/产权"):
        Household.objects.bulk_create(population.households, batch_size=batch_size)
        Residency.objects.bulk_create(population.residencies, batch_size=batch_size)
        Ownership.objects.bulk_create(population.ownerships, batch_size=batch_size)
    for key in ("persons", "households", "residencies", "ownerships"):
        report.counts[key] += len(getattr(population, key))

    with report.timed("小区组织与任职"):
        _compound_bodies(rng, ids, region, compounds, buildings, population, report, batch_size)


def _compound_bodies(rng, ids, region, compounds, buildings, population, report, batch_size):
    """Per compound: party branch (secretary, building leaders), owners' body (chair) and
    property company (clerk), as the compound's kind has them."""
    bodies: list[Body] = []
    wanted: list[tuple[Body, str, object]] = []  # (body, post, resident-picker or building)
    buildings_of = defaultdict(list)
    for building in buildings:
        if building.grid_id:
            buildings_of[building.compound_id].append(building)
    for compound in compounds:
        branch = Body(
            kind=BodyKind.COMPOUND_PARTY_BRANCH,
            name=f"{compound.name}党支部",
            place_path=compound.path,
            compound=compound,
            community=compound.community,
        )
        bodies.append(branch)
        wanted.append((branch, Post.SECRETARY, None))
        for building in buildings_of[compound.pk]:
            wanted.append((branch, Post.BUILDING_LEADER, building))
        kind = compound.owners_body_kind
        if kind != OwnersBodyKind.NONE:
            label = "业主委员会" if kind == OwnersBodyKind.OWNERS_COMMITTEE else "物业管理委员会"
            owners_body = Body(
                kind=kind,
                name=f"{compound.name}{label}",
                place_path=compound.path,
                compound=compound,
                community=compound.community,
                term_start=dt.date(2023, 6, 1),
                term_end=dt.date(2028, 5, 31),
            )
            bodies.append(owners_body)
            wanted.append((owners_body, Post.CHAIR, None))
        if compound.has_property_company:
            company = Body(
                kind=BodyKind.PROPERTY_COMPANY,
                name=f"{compound.name}物业",
                place_path=compound.path,
                compound=compound,
                community=compound.community,
                contract_start=dt.date(2024, 1, 1),
                contract_end=dt.date(2027, 12, 31),
            )
            bodies.append(company)
            wanted.append((company, Post.CLERK, "staff"))
    Body.objects.bulk_create(bodies, batch_size=batch_size)

    staff: list[Person] = []
    memberships = []
    used: set[int] = set()
    for body, post, where in wanted:
        if where == "staff":
            person = make_person(rng, ids, region, age=(23, 50))
            staff.append(person)
            scope = body.place_path
        else:
            candidates = [
                (p, room)
                for p, room in population.residents_of[body.compound_id]
                if id(p) not in used and (where is None or room.building_id == where.pk)
            ]
            if not candidates:
                continue
            person, _ = rng.choice(candidates)
            used.add(id(person))
            scope = where.path if where is not None else body.place_path
        memberships.append(
            Membership(
                body=body, person=person, post=post, scope_path=scope, start=dt.date(2023, 6, 1)
            )
        )
    Person.objects.bulk_create(staff, batch_size=batch_size)
    Membership.objects.bulk_create(memberships, batch_size=batch_size)
    report.counts["bodies"] += len(bodies)
    report.counts["memberships"] += len(memberships)
    report.counts["persons"] += len(staff)


def _unique(words, index: int, suffix: str) -> str:
    """The index-th name from a word list, numbered once the list runs out."""
    word = words[index % len(words)]
    round_ = index // len(words)
    return f"{word}{round_ + 1 if round_ else ''}{suffix}"


def _compound_name(rng, index: int) -> str:
    """Unique within a community: a word and a suffix, numbered after the first pass."""
    word = _COMPOUND_WORDS[index % len(_COMPOUND_WORDS)]
    suffix = _COMPOUND_SUFFIXES[rng.randrange(len(_COMPOUND_SUFFIXES))]
    round_ = index // len(_COMPOUND_WORDS)
    return f"{word}{suffix}" + (f"{round_ + 1}期" if round_ else "")
