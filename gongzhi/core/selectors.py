"""Reads that assemble pages across apps: the home page per role, figures for many
compounds at once, names of place paths, and the lookups of the bodies pages.

Each function runs a fixed number of queries however many compounds, grants or members
there are; views call them and render.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core import access, registry
from gongzhi.core.capabilities import Cap
from gongzhi.core.inputs import ascii_int
from gongzhi.core.registry import Link
from gongzhi.places import rules as place_rules
from gongzhi.places.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Grid,
    Room,
    Street,
)  # fmt: skip

LEVEL_MODELS = {
    "district": District,
    "street": Street,
    "community": Community,
    "compound": Compound,
    "grid": Grid,
    "building": Building,
    "entrance": Entrance,
    "room": Room,
}
LEVEL_RANK = {level: i for i, (level, _prefix) in enumerate(place_rules.LEVELS)}
COMPOUND_RANK = LEVEL_RANK["compound"]

# Grants that come from living or owning somewhere (people.permissions), not from a post.
RESIDENCE_KINDS = ("resident", "owner")
KIND_LABELS = {
    "resident": gettext_lazy("居民"),
    "owner": gettext_lazy("业主"),
    "dual_registered": gettext_lazy("双报到在职党员"),
}


# ---------------------------------------------------------------------------
# Small helpers


def natural_key(name: str) -> tuple:
    """Sort key that reads numbers as numbers: 2号楼 before 10号楼, 2单元 before 10单元."""
    return tuple(
        (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)
        for part in re.split(r"([0-9]+)", name or "")
        if part
    )


def level_of(path: str) -> str:
    """The level of the node a path names (its last segment): ``"d1/s2/"`` → ``"street"``."""
    parts = place_rules.parse_path(path)
    return parts[-1][0] if parts else ""


def place_names(paths: Iterable[str]) -> dict[str, str]:
    """``{path: name}`` for the nodes the paths name, in one query per level present."""
    wanted: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in set(paths):
        try:
            parts = place_rules.parse_path(path)
        except ValueError:
            continue
        if parts:
            level, pk = parts[-1]
            wanted[level][pk].append(path)
    names: dict[str, str] = {}
    for level, by_pk in wanted.items():
        model = LEVEL_MODELS[level]
        for pk, name in model.objects.filter(pk__in=by_pk).values_list("pk", "name"):
            for path in by_pk[pk]:
                names[path] = name
    return names


# Links to named URLs: core.registry.Link (an unknown URL name raises).


# ---------------------------------------------------------------------------
# Figures for many compounds at once


def figures_for(compound_ids: Iterable[int]) -> dict[int, dict]:
    """Roster figures per compound, five grouped queries for any number of compounds.

    The same figures as ``places.selectors.compound_figures`` gives for one compound.
    """
    from gongzhi.people.models import Household, Ownership, Residency

    ids = list(set(compound_ids))
    if not ids:
        return {}
    out: dict[int, dict] = {
        pk: {
            "buildings": 0,
            "rooms": 0,
            "exclusive_area": Decimal("0.00"),
            "households": 0,
            "residents": 0,
            "owners": 0,
        }
        for pk in ids
    }

    def put(rows, key):
        for pk, value in rows:
            out[pk][key] = value

    put(
        Building.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"))
        .values_list("compound_id", "n"),
        "buildings",
    )
    for pk, rooms, area in (
        Room.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"), area=Coalesce(Sum("exclusive_area"), Decimal("0.00")))
        .values_list("compound_id", "n", "area")
    ):
        out[pk]["rooms"] = rooms
        out[pk]["exclusive_area"] = area
    put(
        Household.objects.filter(room__compound_id__in=ids, moved_out__isnull=True)
        .values("room__compound_id")
        .annotate(n=Count("id"))
        .values_list("room__compound_id", "n"),
        "households",
    )
    put(
        Residency.objects.filter(
            household__room__compound_id__in=ids,
            household__moved_out__isnull=True,
            until__isnull=True,
        )
        .values("household__room__compound_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("household__room__compound_id", "n"),
        "residents",
    )
    put(
        Ownership.objects.filter(room__compound_id__in=ids, until__isnull=True)
        .values("room__compound_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("room__compound_id", "n"),
        "owners",
    )
    return out


def figures_total(rows: Iterable[dict]) -> dict:
    total: dict = defaultdict(int)
    total["exclusive_area"] = Decimal("0.00")
    for row in rows:
        for key, value in row.items():
            total[key] += value
    return dict(total)


# ---------------------------------------------------------------------------
# The home page


@dataclass
class CompoundEntry:
    compound: Compound
    links: list[Link] = field(default_factory=list)
    figures: dict | None = None


@dataclass
class PlaceGroup:
    title: str  # community (and street) name; "" when the card has one compound
    entries: list[CompoundEntry]


@dataclass
class RoleCard:
    title: str  # "太平洋花园党支部 · 书记"
    kind: str  # body kind, "resident", "owner", "dual_registered" or "superuser"
    post: str
    scope_label: str  # the name of the place the role covers
    scope_level: str
    groups: list[PlaceGroup] = field(default_factory=list)
    figure_rows: list[CompoundEntry] = field(default_factory=list)  # for the figures table
    figures_total: dict | None = None
    links: list[Link] = field(default_factory=list)  # work not tied to one compound
    residencies: list = field(default_factory=list)
    ownerships: list = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # roles merged into this card
    figures: list = field(default_factory=list)  # core.registry.ShownFigures of each app
    sections: list = field(default_factory=list)  # core.registry.ShownSection of each app

    @property
    def compound_count(self) -> int:
        return sum(len(g.entries) for g in self.groups)

    @property
    def has_entry_actions(self) -> bool:
        """Some compound offers work beyond its overview page (the table's last column)."""
        return any(len(e.links) > 1 for g in self.groups for e in g.entries)

    @property
    def is_residence(self) -> bool:
        return self.kind in RESIDENCE_KINDS


@dataclass
class Home:
    name: str
    cards: list[RoleCard]


AUDIT_LIST = "audit:event_list"


def home_for(user) -> Home:
    """What a signed-in user's home page shows: one card per role they hold (see module doc).

    Queries: the grants (about four), the compounds, the place names, the user's
    memberships, the figures (five, only when some role may see figures) and the user's
    own rooms (two, only for residents and owners); none per compound.
    """
    from gongzhi.bodies.selectors import memberships_of
    from gongzhi.people.selectors import places_of_person
    from gongzhi.places.selectors import compound_list_for

    name = getattr(user, "display_name", str(user))
    if access.is_superuser(user):
        card = RoleCard(
            title=_("系统管理员"),
            kind="superuser",
            post="",
            scope_label="",
            scope_level="",
            links=[
                Link(_("全部小区"), "places:compound_list"),
                Link(_("审计日志"), AUDIT_LIST),
                Link(_("管理后台"), "admin:index"),
            ],
        )
        return Home(name=name, cards=[card])

    grants = access.grants_for(user)
    if not grants:
        return Home(name=name, cards=[])

    compounds = list(compound_list_for(user))
    names = place_names(g.path for g in grants)
    memberships = list(memberships_of(user.person_id)) if user.person_id else []
    own_places = (
        places_of_person(user.person)
        if user.person_id and any(g.kind in RESIDENCE_KINDS for g in grants)
        else {"residencies": [], "ownerships": []}
    )

    # Work first (the widest scope first), then where the user lives, then what they own.
    order = {"dual_registered": 1, "resident": 2, "owner": 3}
    grants = sorted(
        grants, key=lambda g: (order.get(g.kind, 0), LEVEL_RANK.get(level_of(g.path), 0))
    )
    cards: list[RoleCard] = []
    card_grants: list = []
    # Two posts over the same place with the same powers (a community worker who also sits
    # on the community party committee) would repeat one card: they share one instead.
    shared: dict[tuple[str, frozenset], RoleCard] = {}
    figure_ids: set[int] = set()
    for grant in grants:
        card = _card_for(grant, compounds, names, memberships, own_places)
        key = (grant.path, grant.capabilities)
        if grant.kind not in KIND_LABELS and key in shared:
            first = shared[key]
            first.also.append(card.title)
            first.links.extend(link for link in card.links if link not in first.links)
            continue
        if grant.kind not in KIND_LABELS:
            shared[key] = card
        if Cap.VIEW_FIGURES in grant.capabilities:
            figure_ids.update(e.compound.pk for g in card.groups for e in g.entries)
        cards.append(card)
        card_grants.append(grant)

    if figure_ids:
        figures = figures_for(figure_ids)
        for card, grant in zip(cards, card_grants, strict=True):
            if Cap.VIEW_FIGURES not in grant.capabilities:
                continue
            for group in card.groups:
                for entry in group.entries:
                    entry.figures = figures.get(entry.compound.pk)
            if card.compound_count > 1:
                card.figure_rows = [e for g in card.groups for e in g.entries]
                card.figures_total = figures_total(e.figures for e in card.figure_rows)
    for card in cards:
        card.sections = registry.card_sections(user, card)
    return Home(name=name, cards=cards)


def _card_for(grant, compounds, names, memberships, own_places) -> RoleCard:
    level = level_of(grant.path)
    wide = LEVEL_RANK.get(level, 0) <= COMPOUND_RANK
    if wide:
        mine = [c for c in compounds if c.path.startswith(grant.path)]
    else:  # a grid or building: the compound around it
        mine = [c for c in compounds if grant.path.startswith(c.path)]
    scope_label = names.get(grant.path, "")

    title = grant.source
    card_links: list[Link] = []
    if grant.kind in KIND_LABELS:
        title = f"{scope_label} · {KIND_LABELS[grant.kind]}" if scope_label else grant.source
    else:
        for m in memberships:
            if (m.body.kind, m.post, m.scope_path) == (grant.kind, grant.post, grant.path):
                title = f"{m.body.name} · {m.get_post_display()}"
                card_links.append(Link(m.body.name, "bodies:body_detail", (m.body_id,)))
    if Cap.VIEW_AUDIT in grant.capabilities:
        card_links.append(Link(_("审计日志"), AUDIT_LIST))
    figures = registry.figures_at(grant.path, grant.capabilities)  # each app's, for the role
    if not wide and Cap.VIEW_ROSTER in grant.capabilities and level == "building" and mine:
        building_pk = place_rules.parse_path(grant.path)[-1][1]
        card_links.insert(
            0,
            Link(
                _("我负责的楼栋:%(name)s") % {"name": scope_label},
                "places:building_detail",
                (mine[0].pk, building_pk),
            ),
        )

    caps = grant.capabilities if wide else frozenset({Cap.VIEW_PLACE})
    entries_by_group: dict[str, list[CompoundEntry]] = {}
    for compound in mine:
        if LEVEL_RANK.get(level, 0) < LEVEL_RANK["street"]:
            key = f"{compound.community.street.name} · {compound.community.name}"
        elif LEVEL_RANK.get(level, 0) < LEVEL_RANK["compound"]:
            key = compound.community.name
        else:
            key = ""
        entries_by_group.setdefault(key, []).append(
            CompoundEntry(compound=compound, links=registry.compound_links(compound, caps))
        )
    card = RoleCard(
        title=title,
        kind=grant.kind,
        post=grant.post,
        scope_label=scope_label,
        scope_level=level,
        groups=[PlaceGroup(title=k, entries=v) for k, v in entries_by_group.items()],
        links=card_links,
        figures=figures,
    )
    if grant.kind == "resident":
        card.residencies = [
            r
            for r in own_places["residencies"]
            if r.household.room.compound.path.startswith(grant.path)
        ]
    elif grant.kind == "owner":
        card.ownerships = [
            o for o in own_places["ownerships"] if o.room.compound.path.startswith(grant.path)
        ]
    return card


# ---------------------------------------------------------------------------
# Bodies pages


def person_in_scope(term: str, path: str) -> list:
    """Persons whose phone or ID number is ``term`` and who live, own or serve inside ``path``."""
    from gongzhi.people.models import Person
    from gongzhi.people.rules import normalise_mobile

    term = (term or "").strip()
    if not term or not path:
        return []
    phone = normalise_mobile(term)
    inside = (
        Q(
            residencies__household__room__path__startswith=path,
            residencies__until__isnull=True,
        )
        | Q(ownerships__room__path__startswith=path, ownerships__until__isnull=True)
        | Q(memberships__scope_path__startswith=path)
    )
    return list(
        Person.objects.filter(Q(phone=phone) | Q(id_number=term.upper()))
        .filter(inside)
        .distinct()
        .order_by("pk")[:5]
    )


def scope_choices(path: str) -> list[tuple[str, str]]:
    """Grids and buildings inside a body's place a membership may be narrowed to."""
    if level_of(path) != "compound":
        return []
    grids = Grid.objects.filter(path__startswith=path).order_by("name").values_list("pk", "name")
    buildings = (
        Building.objects.filter(path__startswith=path).order_by("name").values_list("pk", "name")
    )
    return [(f"g{pk}", name) for pk, name in grids] + [(f"b{pk}", name) for pk, name in buildings]


def scope_node(value: str, path: str):
    """The grid or building a ``scope_choices`` value names, if it lies inside ``path``."""
    model = {"g": Grid, "b": Building}.get(value[:1])
    pk = ascii_int(value[1:], minimum=1)
    if model is None or pk is None:
        return None
    return model.objects.filter(pk=pk, path__startswith=path).first()


def central_links(memberships: Iterable) -> dict[int, list]:
    """Households linked to the given central-household memberships, by membership id."""
    from gongzhi.bodies.models import CentralHouseholdLink, Post

    ids = [m.pk for m in memberships if m.post == Post.CENTRAL_HOUSEHOLD]
    out: dict[int, list] = defaultdict(list)
    if not ids:
        return out
    links = (
        CentralHouseholdLink.objects.filter(membership_id__in=ids)
        .select_related("household__room__building", "household__head")
        .order_by("household__room__building__name", "household__room__name")
    )
    for link in links:
        out[link.membership_id].append(link)
    return out


# ---------------------------------------------------------------------------
# Places pages


def compound_search(user, *, search: str = ""):
    """The compounds ``user`` may see whose name contains ``search``."""
    from gongzhi.places.selectors import compound_list_for

    qs = compound_list_for(user)
    return qs.filter(name__contains=search) if search else qs


@dataclass
class RoomRow:
    room: Room
    owners: list = field(default_factory=list)  # PersonCard, with "share" and "voter"
    households: list = field(default_factory=list)  # dicts: head (PersonCard), is_renting


def building_rows(building: Building, *, roster: bool, sight) -> list[RoomRow]:
    """The rooms of a building; with ``roster``, their owners and households too, seen
    through ``sight`` (people.selectors.Sight: personal data masked unless the reader may
    see it; it collects whose ID numbers were shown). Two queries without the roster, four
    with it. The page shows a household head's phone but not their ID number."""
    from dataclasses import replace

    from gongzhi.people.selectors import person_card
    from gongzhi.places.selectors import rooms_of

    if not roster:
        rooms = (
            Room.objects.filter(building=building)
            .select_related("entrance")
            .order_by("entrance__name", "floor", "name")
        )
        return [RoomRow(room=room) for room in rooms]
    head_reveal = replace(sight.reveal, id_number=False)
    rows = []
    for room in rooms_of(building):
        rows.append(
            RoomRow(
                room=room,
                owners=[
                    {
                        "person": sight.card(o.person),
                        "share": o.share,
                        "voter": o.is_designated_voter,
                    }
                    for o in room.current_ownerships
                ],
                households=[
                    {
                        "head": person_card(h.head, reveal=head_reveal) if h.head_id else None,
                        "is_renting": h.is_renting,
                    }
                    for h in room.current_households
                ],
            )
        )
    return rows
