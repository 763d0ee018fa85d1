"""Reads the demands web pages and the Open311 endpoint need beyond ``selectors``.

``selectors`` (the demands core) holds the reads shared with the API and the services;
this module adds what only pages need: which compounds a user files in, residents to
file for, the handlers a dispatcher may choose and the suggested one for a whole page
at once, a board's counts, the timeline as a page shows it, and the public list for
Open311. Never writes. Every query here is bounded: no query per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongzhi.bodies import rules as body_rules
from gongzhi.bodies.models import Body, BodyKind, Membership
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.core.inputs import ascii_int
from gongzhi.demands import permissions, rules, selectors
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import (
    Category,
    Demand,
    DemandPhoto,
    EventKind,
    Follower,
    PhotoStage,
    RoutingRule,
)
from gongzhi.demands.rules import Action, State
from gongzhi.people import rules as people_rules
from gongzhi.people.models import Ownership, Person, Residency
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Building, Compound, Room
from gongzhi.places.rules import natural_key
from gongzhi.places.selectors import ancestors_of

# --- compounds and people for filing ----------------------------------------------------


def _compounds_at(paths: Iterable[str]) -> QuerySet[Compound]:
    """Compounds at or inside the given place paths, or enclosing a path below a compound
    (a grid worker's grid, a building leader's building)."""
    q = Q(pk__in=[])
    for path in paths:
        compound_path = place_rules.ancestor_at(path, "compound")
        q |= Q(path=compound_path) if compound_path else Q(path__startswith=path)
    return Compound.objects.filter(q)


def filing_compounds(user) -> list[Compound]:
    """The compounds where ``user`` files demands for themself (lives or owns there)."""
    if access.is_superuser(user):
        return []
    return list(_compounds_at(access.paths_for(user, DemandCap.FILE_DEMAND)).order_by("name"))


def behalf_compounds(user, limit: int = 200) -> list[Compound]:
    """The compounds where ``user`` may file for a resident (dispatchers and handlers)."""
    if access.is_superuser(user):
        return list(Compound.objects.order_by("name")[:limit])
    paths = [*access.paths_for(user, DemandCap.DISPATCH), *access.paths_for(user, DemandCap.HANDLE)]
    return list(_compounds_at(paths).order_by("name")[:limit])


def may_file_on_behalf_in(user, compound: Compound) -> bool:
    """Staff of the compound, or of part of it (a grid worker's grid, a building leader's
    building): the filing service then checks the place against their scope."""
    if permissions.can_file_on_behalf(user, compound.path):
        return True
    paths = [*access.paths_for(user, DemandCap.DISPATCH), *access.paths_for(user, DemandCap.HANDLE)]
    return any(p.startswith(compound.path) for p in paths)


def own_rooms(user, compound: Compound) -> QuerySet[Room]:
    """The rooms of ``compound`` the user lives in or owns (their "本户")."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Room.objects.none()
    lives = Residency.objects.filter(
        person_id=person_id, until__isnull=True, household__moved_out__isnull=True
    ).values("household__room_id")
    owns = Ownership.objects.filter(person_id=person_id, until__isnull=True).values("room_id")
    return (
        Room.objects.filter(compound=compound)
        .filter(Q(pk__in=lives) | Q(pk__in=owns))
        .select_related("building")
        .order_by("building__name", "name")
    )


def buildings_in(compound: Compound) -> list[Building]:
    return sorted(Building.objects.filter(compound=compound), key=lambda b: natural_key(b.name))


@dataclass(frozen=True)
class ResidentChoice:
    """A person and one room of theirs in the compound: whom staff file for."""

    person: Person
    room: Room
    relation: str  # 居民 / 业主
    phone: str  # masked unless the reader may see phones (Cap.VIEW_PHONE)

    @property
    def value(self) -> str:
        return f"{self.person.pk}:{self.room.pk}"


def _phone_digits(q: str) -> str:
    digits = people_rules.normalise_mobile(q)
    return digits if digits.isascii() and digits.isdigit() and len(digits) >= 4 else ""


def resident_choices(user, compound: Compound, q: str, limit: int = 20) -> list[ResidentChoice]:
    """Residents and owners of ``compound`` found by phone (whole or its last digits),
    room ("101", "1号楼101") or name, for filing on their behalf. Two queries."""
    q = (q or "").strip()
    if not q:
        return []
    reveal = access.allows(user, Cap.VIEW_PHONE, compound.path)
    digits = _phone_digits(q)
    if digits and len(digits) == 11:
        person_q = Q(person__phone=digits)
    elif digits:
        person_q = Q(person__phone__endswith=digits) | Q(room_name=digits)
    else:
        person_q = Q(person__name__contains=q) | Q(room_name=q)
        building = next(
            (b for b in Building.objects.filter(compound=compound) if q.startswith(b.name)), None
        )
        if building is not None and q[len(building.name) :].strip("- "):
            person_q |= Q(room_building=building.pk, room_name=q[len(building.name) :].strip("- "))
    found: dict[tuple[int, int], ResidentChoice] = {}
    sources = (
        (
            Residency.objects.filter(
                household__room__compound=compound,
                household__moved_out__isnull=True,
                until__isnull=True,
            ).select_related("person", "household__room__building"),
            "household__room",
            _("居民"),
        ),
        (
            Ownership.objects.filter(room__compound=compound, until__isnull=True).select_related(
                "person", "room__building"
            ),
            "room",
            _("业主"),
        ),
    )
    for qs, room_field, relation in sources:
        rows = qs.alias(
            room_name=F(f"{room_field}__name"), room_building=F(f"{room_field}__building_id")
        ).filter(person_q)[:limit]
        for row in rows:
            room = row.household.room if room_field == "household__room" else row.room
            key = (row.person_id, room.pk)
            if key not in found:
                phone = row.person.phone
                found[key] = ResidentChoice(
                    row.person,
                    room,
                    relation,
                    phone if reveal else people_rules.mask_phone(phone),
                )
    return sorted(
        found.values(),
        key=lambda c: (natural_key(c.room.building.name), natural_key(c.room.name), c.person.pk),
    )[:limit]


def resident_choice(
    user, compound: Compound, person_id: int, room_id: int
) -> ResidentChoice | None:
    """One (person, room) pair, if the person lives in or owns that room of ``compound``."""
    room = Room.objects.filter(pk=room_id, compound=compound).select_related("building").first()
    if room is None:
        return None
    lives = Residency.objects.filter(
        person_id=person_id,
        household__room=room,
        household__moved_out__isnull=True,
        until__isnull=True,
    ).exists()
    owns = (
        lives
        or Ownership.objects.filter(person_id=person_id, room=room, until__isnull=True).exists()
    )
    if not (lives or owns):
        return None
    person = Person.objects.get(pk=person_id)
    reveal = access.allows(user, Cap.VIEW_PHONE, compound.path)
    return ResidentChoice(
        person,
        room,
        _("居民") if lives else _("业主"),
        person.phone if reveal else people_rules.mask_phone(person.phone),
    )


# --- handlers: the options a dispatcher chooses from, and the suggested one ---------------


@dataclass(frozen=True)
class HandlerOption:
    value: str  # "b12" (a body) or "b12p34" (a person acting for the body)
    label: str
    body: Body
    person: Person | None = None


def handler_value(body_id: int | None, person_id: int | None) -> str:
    if not body_id:
        return ""
    return f"b{body_id}" + (f"p{person_id}" if person_id else "")


_KIND_ORDER = {kind: i for i, kind in enumerate(BodyKind.values)}
_PREFERRED = (
    BodyKind.PROPERTY_COMPANY,
    BodyKind.OWNERS_COMMITTEE,
    BodyKind.PROPERTY_MANAGEMENT_COMMITTEE,
    BodyKind.SELF_MANAGEMENT_COMMITTEE,
    BodyKind.COMPOUND_PARTY_BRANCH,
    BodyKind.BUILDING_PARTY_GROUP,
    BodyKind.GRID_PARTY_GROUP,
    BodyKind.PARTNER_UNIT,
    BodyKind.VOLUNTEER_TEAM,
    BodyKind.RESIDENTS_COMMITTEE,
    BodyKind.COMMUNITY_PARTY_COMMITTEE,
    BodyKind.STREET_OFFICE,
    BodyKind.STREET_PARTY_COMMITTEE,
)
_RANK = {kind: i for i, kind in enumerate(_PREFERRED)}
_NOT_HANDLERS = frozenset({BodyKind.ADVISERS, BodyKind.THINK_TANK})


def _candidate_bodies(compounds: Sequence[Compound]) -> list[Body]:
    if not compounds:
        return []
    q = Q(compound_id__in=[c.pk for c in compounds])
    uppers: set[str] = set()
    for c in compounds:
        q |= Q(place_path__startswith=c.path)
        uppers.update(ancestors_of(c.path))
    q |= Q(place_path__in=sorted(uppers))
    bodies = Body.objects.current().filter(q).exclude(kind__in=sorted(_NOT_HANDLERS)).order_by("id")
    return sorted(bodies, key=lambda b: (_RANK.get(b.kind, 99), b.place_path, natural_key(b.name)))


def _handling_members(bodies: Sequence[Body]) -> list[Membership]:
    if not bodies:
        return []
    kinds = {b.pk: b.kind for b in bodies}
    rows = (
        Membership.objects.active()
        .filter(body_id__in=list(kinds))
        .select_related("person")
        .order_by("body_id", "post", "person__name", "id")
    )
    return [
        m for m in rows if DemandCap.HANDLE in body_rules.capabilities_of(kinds[m.body_id], m.post)
    ]


def _options_for(
    place_path: str, compound_id: int, bodies, members, memo: dict | None = None
) -> list[HandlerOption]:
    """The options of one demand. ``memo`` (one per page) keeps each option made once:
    the demands of a page share their bodies and members."""
    memo = {} if memo is None else memo
    options: list[HandlerOption] = []
    by_body: dict[int, list[Membership]] = defaultdict(list)
    for m in members:
        if place_path.startswith(m.scope_path):
            by_body[m.body_id].append(m)
    for body in bodies:
        if not (body.compound_id == compound_id or place_path.startswith(body.place_path)):
            continue
        option = memo.get(body.pk)
        if option is None:
            option = memo[body.pk] = HandlerOption(handler_value(body.pk, None), body.name, body)
        options.append(option)
        for m in by_body.get(body.pk, ()):
            option = memo.get((body.pk, m.pk))
            if option is None:
                label = f"{body.name} · {m.person.name}({m.get_post_display()})"
                option = memo[(body.pk, m.pk)] = HandlerOption(
                    handler_value(body.pk, m.person_id), label, body, m.person
                )
            options.append(option)
    return options


# The handlers of a compound (its bodies and those above, their handling members, its
# routing rules) are the same on every page of its board: kept in the cache under a
# version that any write of a body, membership, person or routing rule replaces (signals,
# demands.apps), and under the day (terms and dissolutions take effect by date). Writes
# that send no signal (bulk loads, another process with a cache of its own) show within
# HANDLERS_SECONDS.
HANDLERS_SECONDS = 300
_HANDLERS_VERSION = "demands:handlers:version"


def forget_handlers(**_kwargs) -> None:
    """A new version: every cached handler list is read again (a signal receiver)."""
    cache.set(_HANDLERS_VERSION, uuid.uuid4().hex, None)


def _handlers_of(compounds: Sequence[Compound]) -> tuple[list, list, list]:
    """(candidate bodies, handling members, routing rules) of these compounds."""
    if not compounds:
        return [], [], []
    version = cache.get(_HANDLERS_VERSION)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_HANDLERS_VERSION, version, None)
        version = cache.get(_HANDLERS_VERSION) or version
    ids = ",".join(str(pk) for pk in sorted({c.pk for c in compounds}))
    key = f"demands:handlers:{version}:{timezone.localdate().isoformat()}:{ids}"
    found = cache.get(key)
    if found is None:
        bodies = _candidate_bodies(list(compounds))
        found = (
            bodies,
            _handling_members(bodies),
            list(
                RoutingRule.objects.filter(compound_id__in=sorted({c.pk for c in compounds}))
                .select_related("handler_body", "handler_person")
                .order_by("id")
            ),
        )
        cache.set(key, found, HANDLERS_SECONDS)
    return found


def handler_options(demands: Sequence[Demand], handlers=None) -> dict[int, list[HandlerOption]]:
    """For each demand, the bodies (and their handling members) it may be dispatched to.
    No query when the compounds' handlers are in the cache, else three for a whole page.
    A demand's options depend only on its compound and on which of the bodies' and
    members' paths its place lies in: demands alike in that share one list."""
    compounds = {d.compound_id: d.compound for d in demands}
    bodies, members, _rules = handlers or _handlers_of(list(compounds.values()))
    prefixes = sorted({m.scope_path for m in members} | {b.place_path for b in bodies})
    memo: dict = {}
    lists: dict[tuple, list[HandlerOption]] = {}
    out = {}
    for d in demands:
        key = (d.compound_id, *(p for p in prefixes if d.place_path.startswith(p)))
        found = lists.get(key)
        if found is None:
            found = lists[key] = _options_for(d.place_path, d.compound_id, bodies, members, memo)
        out[d.pk] = found
    return out


def compound_handler_options(compound: Compound) -> list[HandlerOption]:
    """The handlers a compound's routing rules may name (bodies and handling members)."""
    bodies = _candidate_bodies([compound])
    members = [m for m in _handling_members(bodies) if m.scope_path.startswith(compound.path)]
    options = _options_for(compound.path, compound.pk, bodies, [])
    for m in members:
        body = next(b for b in bodies if b.pk == m.body_id)
        label = f"{body.name} · {m.person.name}({m.get_post_display()})"
        options.append(HandlerOption(handler_value(body.pk, m.person_id), label, body, m.person))
    return options


def _best_rule(rules_of_compound: Iterable[RoutingRule], demand: Demand) -> RoutingRule | None:
    """The same choice as ``selectors.suggested_handler`` (most specific rule wins: building,
    then place kind, then category; ties go to the newest), over rules already loaded."""
    best, best_score = None, -1
    for rule in rules_of_compound:
        if rule.category_id and rule.category_id != demand.category_id:
            continue
        if rule.place_kind and rule.place_kind != demand.place_kind:
            continue
        if rule.building_id and rule.building_id != demand.building_id:
            continue
        score = 4 * bool(rule.building_id) + 2 * bool(rule.place_kind) + bool(rule.category_id)
        if score > best_score or (score == best_score and rule.pk > best.pk):
            best, best_score = rule, score
    if best is None or not best.handler_body.is_current():
        return None
    return best


def suggested_handlers(demands: Sequence[Demand], handlers=None) -> dict[int, RoutingRule]:
    """The routing rule that suggests a handler for each demand (the compounds' rules, read
    with their handlers and kept in the cache with them)."""
    compounds = {d.compound_id: d.compound for d in demands}
    if not compounds:
        return {}
    by_compound: dict[int, list[RoutingRule]] = defaultdict(list)
    for rule in (handlers or _handlers_of(list(compounds.values())))[2]:
        by_compound[rule.compound_id].append(rule)
    out = {}
    for d in demands:
        rule = _best_rule(by_compound.get(d.compound_id, ()), d)
        if rule is not None:
            out[d.pk] = rule
    return out


@dataclass
class Dispatch:
    """What a dispatch form shows for one demand: the options, the suggested one first."""

    options: list[HandlerOption]
    suggested: str = ""  # the option value the compound's routing rules suggest
    suggested_label: str = ""
    options_html: str = ""  # the <option>s, rendered once for every row that has them


def _options_html(options: Sequence[HandlerOption], suggested: str) -> str:
    """The ``<option>`` elements of a dispatch select (escaped), the suggested one chosen."""
    head = (
        mark_safe("") if suggested else format_html('<option value="">{}</option>', _("请选择承办"))
    )
    mark = _("(推荐)")
    return head + format_html_join(
        "",
        "<option value=\"{}\"{}>{}{}</option>",
        (
            (o.value, " selected" if o.value == suggested else "", o.label,
             mark if o.value == suggested else "")
            for o in options
        ),
    )  # fmt: skip


def dispatch_choices(demands: Sequence[Demand]) -> dict[int, Dispatch]:
    """Handler options with the suggested one preselected, for every dispatchable demand."""
    dispatchable = [d for d in demands if rules.moves_for(Action.DISPATCH, d.state)]
    handlers = _handlers_of(list({d.compound_id: d.compound for d in dispatchable}.values()))
    options = handler_options(dispatchable, handlers)
    suggested = suggested_handlers(dispatchable, handlers)
    out: dict[int, Dispatch] = {}
    rendered: dict[tuple, str] = {}
    for d in dispatchable:
        opts = list(options.get(d.pk, []))
        rule = suggested.get(d.pk)
        choice = Dispatch(opts)
        if rule is not None:
            value = handler_value(rule.handler_body_id, rule.handler_person_id)
            label = rule.handler_body.name + (
                f" · {rule.handler_person.name}" if rule.handler_person_id else ""
            )
            if not any(o.value == value for o in opts):
                opts.insert(0, HandlerOption(value, label, rule.handler_body, rule.handler_person))
            choice.suggested, choice.suggested_label = value, label
        key = (tuple(o.value for o in opts), choice.suggested)
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = _options_html(opts, choice.suggested)
        choice.options_html = html
        out[d.pk] = choice
    return out


# --- lists --------------------------------------------------------------------------------


def board_compounds(user, limit: int = 200) -> list[Compound]:
    """The compounds a dispatcher's board covers (for its compound filter and settings)."""
    if access.is_superuser(user):
        return list(Compound.objects.order_by("name")[:limit])
    return list(_compounds_at(access.paths_for(user, DemandCap.DISPATCH)).order_by("name")[:limit])


def board_counts(user, now: dt.datetime | None = None, matching: Q | None = None) -> dict[str, int]:
    """Counts for the board's quick filters, in one query over the dispatcher's scope;
    with ``matching`` (the filters of the page, ``selectors.board_filter_q``) also how
    many rows the page's list has, so its paginator needs no COUNT of its own."""
    now = now or timezone.now()
    total = Count("id", filter=matching) if matching else Count("id")
    return Demand.objects.filter(selectors.scope_q(user, DemandCap.DISPATCH)).aggregate(
        matching=total,
        filed=Count("id", filter=Q(state=State.FILED)),
        returned=Count("id", filter=Q(state=State.RETURNED)),
        whistled=Count("id", filter=Q(state=State.WHISTLED)),
        feedback_given=Count("id", filter=Q(state=State.FEEDBACK_GIVEN)),
        overdue=Count("id", filter=Q(state__in=sorted(rules.UNRESOLVED), due_at__lt=now)),
    )


def settings_categories(compound: Compound) -> list[Category]:
    """The categories a compound's settings show: the district-wide ones and its own,
    stopped ones too (selectors.categories_for gives the active ones, for filing)."""
    q = Q(compound__isnull=True) | Q(compound=compound)
    return list(Category.objects.filter(q).order_by("sort_order", "id"))


def settings_category(compound: Compound, category_pk: int) -> Category:
    """A category the compound's settings show (404 for another compound's)."""
    return get_object_or_404(
        Category.objects.select_related("compound"),
        Q(compound__isnull=True) | Q(compound=compound),
        pk=category_pk,
    )


def board_categories(compounds: Sequence[Compound]) -> QuerySet[Category]:
    q = Q(compound__isnull=True) | Q(compound__in=[c.pk for c in compounds])
    return Category.objects.filter(q).order_by("sort_order", "id")


# --- one demand's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    at: dt.datetime
    actor: str
    is_system: bool
    body: str
    level: str
    text: str
    rating: int | None
    to_state: str


_SYSTEM_KINDS = frozenset(
    {EventKind.ESCALATED, EventKind.TOP_OF_CHAIN, EventKind.CLOSED_UNRATED, EventKind.RECTIFICATION}
)


def timeline_entries(demand: Demand, *, sees_reporter: bool) -> list[TimelineEntry]:
    """The timeline as a page shows it: the system named as such, the reporter's name only
    to those who may see it. One query."""
    out = []
    labels: dict[str, str] = {}  # each kind translated once (get_kind_display hashes them all)
    for e in selectors.timeline(demand):
        label = labels.get(e.kind)
        if label is None:
            label = labels[e.kind] = e.get_kind_display()
        if e.actor_id is None:
            actor = _("系统")
        elif not sees_reporter and demand.reporter_id and e.actor.person_id == demand.reporter_id:
            actor = _("诉求人")
        else:
            actor = e.actor.display_name
        rating = (e.data or {}).get("rating") if e.kind == EventKind.EVALUATED else None
        out.append(
            TimelineEntry(
                kind=e.kind,
                label=label,
                at=e.at,
                actor=actor,
                is_system=e.actor_id is None or e.kind in _SYSTEM_KINDS,
                body=e.body.name if e.body_id else "",
                level=rules.level_label(e.level) if e.level else "",
                text=e.shown_text,
                rating=rating if isinstance(rating, int) else None,
                to_state=e.to_state,
            )
        )
    return out


@dataclass
class DemandPage:
    demand: Demand
    actions: list[str]
    sees_reporter: bool
    timeline: list[TimelineEntry]
    report_photos: list[DemandPhoto] = field(default_factory=list)
    resolution_photos: list[DemandPhoto] = field(default_factory=list)
    is_follower: bool = False
    can_follow: bool = False
    can_unfollow: bool = False
    can_comment: bool = False
    similar: list = field(default_factory=list)
    dispatch: Dispatch | None = None
    overdue: bool = False
    chain: list[str] = field(default_factory=list)


def demand_page(user, pk) -> DemandPage:
    """Everything one demand's page shows, for ``user`` (404 outside their scope)."""
    demand = selectors.demand_for(user, pk)
    sees = permissions.sees_reporter(user, demand)
    actions = permissions.available_actions(user, demand)
    person_id = getattr(user, "person_id", None)
    is_reporter = bool(person_id) and demand.reporter_id == person_id
    is_follower = bool(person_id) and (
        is_reporter or Follower.objects.filter(demand_id=demand.pk, person_id=person_id).exists()
    )
    photos = list(demand.photos.all())
    page = DemandPage(
        demand=demand,
        actions=actions,
        sees_reporter=sees,
        timeline=timeline_entries(demand, sees_reporter=sees),
        report_photos=[p for p in photos if p.stage == PhotoStage.REPORT],
        resolution_photos=[p for p in photos if p.stage == PhotoStage.RESOLUTION],
        is_follower=is_follower,
        can_follow=bool(person_id) and not is_follower and demand.is_open,
        can_unfollow=is_follower and not is_reporter,
        overdue=demand.is_overdue(),
    )
    page.can_comment = is_follower or bool(permissions.roles_of(user, demand))
    if Action.DISPATCH in actions or Action.MERGE in actions:
        if demand.state in rules.UNRESOLVED:
            page.similar = selectors.similar_open_demands(demand)
        page.dispatch = dispatch_choices([demand]).get(demand.pk)
    if demand.state in rules.UNRESOLVED:
        page.chain = [rules.level_label(lv) for lv in selectors.chain_for(demand.compound_id)]
    return page


def photo_of(user, pk: int, photo_pk: int) -> DemandPhoto:
    """A photo of a demand the user may see (404 otherwise)."""
    demand = permissions.get_demand_for(user, pk)
    return get_object_or_404(DemandPhoto, pk=photo_pk, demand=demand)


def demands_by_pk(pks: Iterable[int]) -> list[Demand]:
    return list(Demand.objects.filter(pk__in=list(pks)).select_related(*selectors.LIST_RELATED))


# --- the settings of a compound ---------------------------------------------------------


@dataclass
class CompoundSettings:
    compound: Compound
    rules: list[RoutingRule]
    chain: tuple[str, ...]
    handler_options: list[HandlerOption]
    categories: list[Category]
    buildings: list[Building]


def compound_settings(compound: Compound) -> CompoundSettings:
    return CompoundSettings(
        compound=compound,
        rules=list(selectors.routing_rules_of(compound)),
        chain=selectors.chain_for(compound.pk),
        handler_options=compound_handler_options(compound),
        categories=list(selectors.categories_for(compound)),
        buildings=buildings_in(compound),
    )


def routing_rule_of(compound: Compound, rule_pk: int) -> RoutingRule:
    return get_object_or_404(
        RoutingRule.objects.select_related("compound"), pk=rule_pk, compound=compound
    )


# --- Open311: public demands ------------------------------------------------------------


def jurisdiction_q(jurisdiction: str) -> Q:
    """``jurisdiction_id``: a compound's id, or a place path ("d1/s2/c3/p4/"); Http404 when
    it names nothing."""
    value = (jurisdiction or "").strip()
    if value.isdigit():  # any digits: only ASCII ones, within range, name a compound
        pk = ascii_int(value, minimum=1)
        compound = Compound.objects.filter(pk=pk).only("pk").first() if pk else None
        if compound is None:
            raise Http404
        return Q(compound_id=compound.pk)
    if not value.endswith("/"):
        value += "/"
    try:
        if not place_rules.parse_path(value):
            raise ValueError(value)
    except ValueError:
        raise Http404 from None
    return selectors.place_q(value)


def compound_for_jurisdiction(jurisdiction: str) -> Compound | None:
    value = (jurisdiction or "").strip()
    if value.isdigit():  # any digits: only ASCII ones, within range, name a compound
        pk = ascii_int(value, minimum=1)
        return Compound.objects.select_related("community").filter(pk=pk).first() if pk else None
    if value and not value.endswith("/"):
        value += "/"
    try:
        parts = place_rules.parse_path(value)
    except ValueError:
        return None
    if not parts or parts[-1][0] != "compound":
        return None
    return Compound.objects.select_related("community").filter(path=value).first()


PUBLIC_RELATED = ("category", "compound", "building", "handler_body")


def public_demands() -> QuerySet[Demand]:
    """Demands their reporters allowed to be shown publicly (never with the name)."""
    return (
        Demand.objects.filter(is_public=True)
        .select_related(*PUBLIC_RELATED)
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=DemandPhoto.objects.filter(stage=PhotoStage.REPORT).order_by("id"),
                to_attr="public_photos",
            )
        )
        .order_by("-created_at", "-id")
    )


def public_photo(photo_pk: int) -> DemandPhoto:
    """A report photo of a public demand (Open311 media_url), or 404."""
    return get_object_or_404(
        DemandPhoto, pk=photo_pk, stage=PhotoStage.REPORT, demand__is_public=True
    )


def open311_categories(jurisdiction: str | None) -> QuerySet[Category]:
    compound = compound_for_jurisdiction(jurisdiction) if jurisdiction else None
    if jurisdiction and compound is None:
        raise Http404
    return selectors.categories_for(compound)


def category_by_code(code: str) -> Category | None:
    pk = ascii_int(code, minimum=1)
    if pk is None:
        return None
    return Category.objects.filter(pk=pk, is_active=True).first()


def building_named_in(compound: Compound, text: str) -> Building | None:
    """The compound's building whose name the address names ("3号楼东单元" → 3号楼);
    the longest name wins, so 13号楼 is not read as 3号楼."""
    text = text or ""
    found = [b for b in Building.objects.filter(compound=compound) if b.name and b.name in text]
    return max(found, key=lambda b: len(b.name), default=None)
