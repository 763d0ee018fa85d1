"""Reads that assemble the home page: one card per role a user holds, with each app's
links, figures and sections (core.registry). The reads it builds on belong to the apps
whose data they read: names of place paths, compound figures and the places pages in
``places.selectors``, the bodies pages' lookups in ``bodies.selectors``.

Each function runs a fixed number of queries however many compounds, grants or members
there are; views call them and render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core import access, registry
from gongzhi.core.capabilities import Cap
from gongzhi.core.registry import Link
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Compound
from gongzhi.places.rules import level_of
from gongzhi.places.selectors import (
    figures_for,
    figures_total,
    place_names,
)

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
