"""Reads on demands for views, the API and the services (never writes).

The three benchmarked reads are designed for 2,000,000 demands:

* ``inbox_page``: one query on the partial indexes ``demand_inbox_body`` /
  ``demand_inbox_person`` (open handler states only, walked in order, top N per source),
  after the user's memberships, which are read once per request and cached on the user;
* ``dispatch_board``: the scope is turned into the denormalised street / community /
  compound columns (index ``demand_board``), a LIKE on ``place_path`` only below a compound;
* ``figures``: one aggregate with ``Count(filter=...)`` on the covering indexes
  ``demand_street_figures`` / ``demand_community_figures``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from gongzhi.bodies import rules as body_rules
from gongzhi.bodies.models import Body
from gongzhi.core import access, capabilities
from gongzhi.core.capabilities import Cap
from gongzhi.demands import permissions, rules
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import (
    Category,
    Demand,
    DemandEvent,
    EscalationChain,
    Follower,
    RoutingRule,
)
from gongzhi.demands.rules import State
from gongzhi.people.models import Person
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Building, Compound, Room, Street

LIST_RELATED = ("category", "compound", "building", "room", "handler_body", "handler_person")
# The names a list row shows. inbox_page reads them with correlated subqueries, not joins:
# a seven-way join costs PostgreSQL more to plan (10+ ms) than the page costs to read
# (under 1 ms), while each subquery is planned alone and is one primary-key lookup per row.
# The other lists (pages of the UI) keep select_related(*LIST_RELATED).
NAME_SOURCES = {
    "category_name": (Category, "category_id"),
    "compound_name": (Compound, "compound_id"),
    "building_name": (Building, "building_id"),
    "room_name": (Room, "room_id"),
    "handler_body_name": (Body, "handler_body_id"),
    "handler_person_name": (Person, "handler_person_id"),
}
LIST_DEFERRED = ("feedback", "summary")  # not shown in lists


# --- scopes -----------------------------------------------------------------------------


def place_q(path: str) -> Q:
    """Demands at or below the place ``path``, on the cheapest index: the denormalised
    street / community / compound column when the path ends there, else a prefix LIKE."""
    parts = place_rules.parse_path(path)
    if not parts:
        return Q(pk__in=[])
    level, pk = parts[-1]
    if level in ("street", "community", "compound"):
        return Q(**{f"{level}_id": pk})
    if level == "district":  # its streets, each on the street index
        return Q(street_id__in=Street.objects.filter(district_id=pk).values("id"))
    return Q(place_path__startswith=path)


def scope_q(user, capability: Cap) -> Q:
    """Demands where ``user`` holds ``capability`` (superusers: everything)."""
    if access.is_superuser(user):
        return Q()
    q = Q(pk__in=[])
    for path in access.paths_for(user, capability):
        q |= place_q(path)
    return q


def handler_q(user) -> Q:
    """Demands whose current handler is the user's body (within the membership's scope)
    or the user's person."""
    q = Q(pk__in=[])
    whole_bodies = []
    for body_id, scope, narrowed in permissions.handler_memberships(user):
        if narrowed:
            q |= Q(handler_body_id=body_id, place_path__startswith=scope)
        else:
            whole_bodies.append(body_id)
    if whole_bodies:
        q |= Q(handler_body_id__in=sorted(set(whole_bodies)))
    if getattr(user, "person_id", None):
        q |= Q(handler_person_id=user.person_id)
    return q


# --- lists ------------------------------------------------------------------------------


def inbox_for(user) -> QuerySet[Demand]:
    """A handler's inbox: open work (派单待接、待报到、处理中、整改中、待反馈), newest first."""
    return (
        Demand.objects.filter(state__in=sorted(rules.HANDLER_INBOX))
        .filter(handler_q(user))
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")
    )


def inbox_by_urgency(user, now: dt.datetime | None = None) -> QuerySet[Demand]:
    """The inbox page's order: overdue demands first, the longest overdue at the top, then
    the rest newest first (the same demands as ``inbox_for``)."""
    late = Q(state__in=sorted(rules.UNRESOLVED), due_at__lt=now or timezone.now())
    return inbox_for(user).order_by(
        Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Case(When(late, then=F("due_at"))).asc(nulls_last=True),
        "-created_at",
        "-id",
    )


def _inbox_sources(user) -> list[tuple[str, int, str | None]]:
    """The sources of the user's inbox: ``("handler_body_id", body, scope or None)`` per
    membership (the scope only when narrower than the body), ``("handler_person_id",
    person, None)`` for the person."""
    sources = [
        ("handler_body_id", body_id, scope if narrowed else None)
        for body_id, scope, narrowed in sorted(set(permissions.handler_memberships(user)))
    ]
    if getattr(user, "person_id", None):
        sources.append(("handler_person_id", user.person_id, None))
    return sources


def _inbox_sql(shape: tuple) -> str:
    """SQL of one inbox page for a shape of sources (see inbox_page); cached per shape."""
    cached = _INBOX_SQL.get(shape)
    if cached is not None:
        return cached
    meta = Demand._meta
    table = connection.ops.quote_name(meta.db_table)
    q = connection.ops.quote_name
    # The inbox states as literals, not parameters: a generic (prepared) plan can then use
    # the partial indexes, whose predicate is this very list.
    states = ", ".join(f"'{state}'" for state in _INBOX_STATES)
    parts = []
    for i, (column, narrowed) in enumerate(shape):
        scope = f" AND {q('place_path')} LIKE %s" if narrowed else ""
        parts.append(
            f"SELECT * FROM (SELECT {q('id')} FROM {table} WHERE {q(column)} = %s"
            f" AND {q('state')} IN ({states}){scope}"
            f" ORDER BY {q('created_at')} DESC, {q('id')} DESC LIMIT %s) AS inbox_{i}"
        )
    columns = [f"d.{q(f.column)}" for f in meta.concrete_fields if f.attname not in LIST_DEFERRED]
    names = [
        f"(SELECT n.{q('name')} FROM {q(model._meta.db_table)} n"
        f" WHERE n.{q('id')} = d.{q(fk)}) AS {q(alias)}"
        for alias, (model, fk) in NAME_SOURCES.items()
    ]
    sql = (
        f"SELECT {', '.join(columns + names)} FROM {table} d"
        f" WHERE d.{q('id')} IN ({' UNION ALL '.join(parts)})"
        f" ORDER BY d.{q('created_at')} DESC, d.{q('id')} DESC LIMIT %s OFFSET %s"
    )
    _INBOX_SQL[shape] = sql
    return sql


_INBOX_SQL: dict[tuple, str] = {}
_INBOX_STATES = [str(state) for state in sorted(rules.HANDLER_INBOX)]
assert all(state.isidentifier() for state in _INBOX_STATES)  # safe to write as literals


@dataclass(eq=False)
class InboxRow:
    """One inbox row as ``demands_inbox_page`` returns it: what a list row shows (the
    fields of serializers.DemandListSerializer), without building a Demand."""

    id: int
    kind: str
    state: str
    category_id: int | None
    description: str
    urgency: str
    place_kind: str
    compound_id: int
    location_note: str
    level: str
    due_at: dt.datetime | None
    created_at: dt.datetime
    category_name: str | None
    compound_name: str | None
    building_name: str | None
    room_name: str | None
    handler_body_name: str | None
    handler_person_name: str | None

    @property
    def pk(self) -> int:
        return self.id

    def get_state_display(self) -> str:
        return rules.state_label(self.state)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.state in rules.UNRESOLVED and rules.is_overdue(
            now or timezone.now(), self.due_at
        )


def handling_posts() -> list[str]:
    """ "kind:post" of every post whose holder handles demands for the body (the role
    table's posts with a handling capability, every app's grants included): the argument
    ``p_handling`` of demands_inbox_page. Any other post only looks (tested)."""
    global _handling_posts
    if _handling_posts[0] != capabilities.version():
        posts = sorted(
            f"{kind}:{post}"
            for kind, post in body_rules.post_roles()
            if body_rules.capabilities_of(kind, post) & permissions.HANDLING_CAPS
        )
        _handling_posts = (capabilities.version(), posts)
    return _handling_posts[1]


_handling_posts: tuple[int, list[str]] = (-1, [])
_INBOX_CALL = (
    "SELECT * FROM demands_inbox_page(%s::bigint, %s::text[], %s::date, %s::integer, %s::integer)"
)


def inbox_page(user, *, offset: int = 0, limit: int = 20) -> list[InboxRow] | list[Demand]:
    """One page of ``inbox_for(user)`` (the same demands, in the same order), in ONE query
    that stays fast for a body with thousands of open demands.

    Each source (a body, within the membership's scope; the person) yields its newest
    ``offset + limit`` ids by walking its partial index in order (``demand_inbox_body`` /
    ``demand_inbox_person``: no sort), the ids are joined with UNION ALL, and only those
    rows are read, with the names they show from correlated subqueries (joins would cost
    more to plan than the page costs to read).

    On PostgreSQL this is the function ``demands_inbox_page`` (migration 0004), which also
    reads the memberships and keeps one generic plan per connection; it returns
    InboxRow objects. Elsewhere the same SQL is written here (parameterised; the constant
    inbox states are literals) after the memberships are read, and returns Demands with
    the names annotated. Both are tested against ``inbox_for``.
    """
    if limit <= 0 or not permissions.is_active_user(user):
        return []
    if connection.vendor == "postgresql":
        if not user.person_id:
            return []
        params = [user.person_id, handling_posts(), timezone.localdate(), limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(_INBOX_CALL, params)
            return [InboxRow(*row) for row in cursor.fetchall()]
    sources = _inbox_sources(user)
    if not sources:
        return []
    shape = tuple((column, scope is not None) for column, _pk, scope in sources)
    depth = offset + limit
    params: list = []
    for _column, pk, scope in sources:
        params.append(pk)
        if scope is not None:
            params.append(scope + "%")  # place paths hold only letters, digits and "/"
        params.append(depth)
    params += [limit, offset]
    return list(Demand.objects.raw(_inbox_sql(shape), params))


def dispatch_board(user, *, now: dt.datetime | None = None, **filters) -> QuerySet[Demand]:
    """The branch's dispatch board (派单台): demands where the user dispatches, filtered
    (``board_filter_q``)."""
    qs = Demand.objects.filter(
        scope_q(user, DemandCap.DISPATCH), board_filter_q(now=now, **filters)
    )
    return qs.select_related(*LIST_RELATED).order_by("-created_at", "-id")


def board_filter_q(
    *,
    state: str | None = None,
    category: int | None = None,
    building: int | None = None,
    compound: int | None = None,
    overdue: bool | None = None,
    kind: str | None = None,
    now: dt.datetime | None = None,
) -> Q:
    """The board's filters as one condition (the page counts its rows with the tab counts,
    ``web_selectors.board_counts``)."""
    q = Q()
    if state:
        q &= Q(state=state)
    if category:
        q &= Q(category_id=category)
    if building:
        q &= Q(building_id=building)
    if compound:
        q &= Q(compound_id=compound)
    if kind:
        q &= Q(kind=kind)
    if overdue is not None:
        late = Q(state__in=sorted(rules.UNRESOLVED), due_at__lt=now or timezone.now())
        q &= late if overdue else ~late
    return q


def named_rows(qs: QuerySet[Demand], compounds=()) -> list[Demand]:
    """A page of a demand list read without joins: the names a row shows come from
    correlated subqueries (NAME_SOURCES; a seven-way join costs PostgreSQL more to plan,
    about 10 ms, than the page costs to read) and are set as the related objects the row
    templates read (``d.category.name`` …: id and name only). ``compounds``: full
    compounds already loaded (the handler options read their paths); any other compound
    of the page is read in one query."""
    names = {
        alias: Subquery(model.objects.filter(pk=OuterRef(fk)).values("name")[:1])
        for alias, (model, fk) in NAME_SOURCES.items()
    }
    rows = list(qs.select_related(None).annotate(**names))
    known = {c.pk: c for c in compounds}
    missing = {d.compound_id for d in rows} - known.keys()
    if missing:
        known.update(Compound.objects.in_bulk(sorted(missing)))
    for d in rows:
        for alias, (model, fk) in NAME_SOURCES.items():
            pk = getattr(d, fk)
            if pk is None:
                continue
            related = known[pk] if model is Compound else model(pk=pk, name=getattr(d, alias))
            setattr(d, fk.removesuffix("_id"), related)
    return rows


def demands_of_person(user) -> QuerySet[Demand]:
    """The demands the user filed or follows (a resident's "my demands")."""
    if not getattr(user, "person_id", None):
        return Demand.objects.none()
    followed = Follower.objects.filter(person_id=user.person_id).values("demand_id")
    return (
        Demand.objects.filter(Q(reporter_id=user.person_id) | Q(pk__in=followed))
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")
    )


def demand_for(user, pk) -> Demand:
    """One demand with what its page shows, or 404 outside the user's scope."""
    return permissions.get_demand_for(
        user,
        pk,
        queryset=Demand.objects.select_related(
            *LIST_RELATED, "reporter", "merged_into", "community", "street"
        ).prefetch_related("photos"),
    )


def timeline(demand: Demand) -> QuerySet[DemandEvent]:
    """The demand's timeline, oldest first, with who and which body."""
    return (
        DemandEvent.objects.filter(demand_id=demand.pk)
        .select_related("actor__person", "body", "person")
        .order_by("at", "id")
    )


# --- duplicates, categories, routing ----------------------------------------------------


@dataclass(frozen=True)
class Similar:
    demand: Demand
    score: float


def similar_open_demands(
    demand: Demand | None = None,
    *,
    text: str | None = None,
    building=None,
    compound=None,
    threshold: float = rules.SIMILAR_THRESHOLD,
    limit: int = 5,
    candidates_max: int = 300,
) -> list[Similar]:
    """Open demands very like ``demand`` (or ``text``) in the same building — or, for a
    common area, among the compound's common-area demands. The candidate set is small
    (index ``demand_open_in_building``); similarity is computed here in Python."""
    if demand is not None:
        text = demand.description if text is None else text
        building = building if building is not None else demand.building_id
        compound = compound if compound is not None else demand.compound_id
    building_id = getattr(building, "pk", building)
    compound_id = getattr(compound, "pk", compound)
    qs = Demand.objects.filter(state__in=sorted(rules.UNRESOLVED))
    if building_id:
        qs = qs.filter(building_id=building_id)
    elif compound_id:
        qs = qs.filter(compound_id=compound_id, building__isnull=True)
    else:
        return []
    if demand is not None and demand.pk:
        qs = qs.exclude(pk=demand.pk)
    # The candidates' texts only; the few that match are then read as demands (a page
    # compared up to 300 whole demands to show none).
    pool = qs.order_by("-created_at").values_list("pk", "description")[:candidates_max]
    ranked = rules.rank_similar(text or "", pool, threshold)[:limit]
    if not ranked:
        return []
    found = Demand.objects.select_related("category").in_bulk([pk for pk, _score in ranked])
    return [Similar(found[pk], round(score, 3)) for pk, score in ranked if pk in found]


def categories_for(compound: Compound | None) -> QuerySet[Category]:
    """Active categories a demand in ``compound`` may take: global ones and its own."""
    q = Q(compound__isnull=True)
    if compound is not None:
        q |= Q(compound=compound)
    return Category.objects.filter(q, is_active=True).order_by("sort_order", "id")


def suggest_category(compound: Compound | None, text: str) -> Category | None:
    cats = list(categories_for(compound))
    best = rules.suggest_category(text, ((c, c.keywords or c.name) for c in cats))
    return best if isinstance(best, Category) else None


@dataclass(frozen=True)
class SuggestedHandler:
    body: Body
    person: object | None
    rule: RoutingRule


def suggested_handler(
    *, compound_id: int, category_id: int | None, place_kind: str, building_id: int | None
) -> SuggestedHandler | None:
    """The compound's routing rule that best fits (most specific wins: building, then
    place kind, then category; ties go to the newest rule)."""
    best, best_score = None, -1
    for rule in RoutingRule.objects.filter(compound_id=compound_id).select_related(
        "handler_body", "handler_person"
    ):
        if rule.category_id and rule.category_id != category_id:
            continue
        if rule.place_kind and rule.place_kind != place_kind:
            continue
        if rule.building_id and rule.building_id != building_id:
            continue
        score = 4 * bool(rule.building_id) + 2 * bool(rule.place_kind) + bool(rule.category_id)
        if score > best_score or (score == best_score and rule.pk > best.pk):
            best, best_score = rule, score
    if best is None or not best.handler_body.is_current():
        return None
    return SuggestedHandler(best.handler_body, best.handler_person, best)


def suggested_handler_for(demand: Demand) -> SuggestedHandler | None:
    return suggested_handler(
        compound_id=demand.compound_id,
        category_id=demand.category_id,
        place_kind=demand.place_kind,
        building_id=demand.building_id,
    )


def routing_rules_of(compound: Compound) -> QuerySet[RoutingRule]:
    return (
        RoutingRule.objects.filter(compound=compound)
        .select_related("category", "building", "handler_body", "handler_person")
        .order_by("id")
    )


# --- escalation chain -------------------------------------------------------------------


def chain_for(compound_id: int) -> tuple[str, ...]:
    levels = (
        EscalationChain.objects.filter(compound_id=compound_id)
        .values_list("levels", flat=True)
        .first()
    )
    return tuple(levels) if levels else rules.DEFAULT_CHAIN


def body_for_level(compound: Compound, level: str) -> Body | None:
    """The body that answers for ``level`` of the chain in ``compound`` (or None)."""
    kinds = rules.LEVEL_BODY_KINDS.get(level, ())
    if not kinds:
        return None
    if level in (rules.Level.COMMUNITY, rules.Level.STREET):
        anchor = place_rules.ancestor_at(compound.path, level)
        where = Q(place_path=anchor)
    else:
        where = Q(compound_id=compound.pk) | Q(place_path=compound.path)
    candidates = Body.objects.current().filter(where, kind__in=kinds)
    by_kind = {}
    for body in candidates.order_by("id"):
        by_kind.setdefault(body.kind, body)
    return next((by_kind[k] for k in kinds if k in by_kind), None)


# --- who to tell ------------------------------------------------------------------------


def _accounts_of_persons(person_ids) -> list:
    from gongzhi.people.models import Account

    ids = [p for p in person_ids if p]
    if not ids:
        return []
    return list(Account.objects.filter(person_id__in=ids, is_active=True))


def accounts_following(demand: Demand) -> list:
    """The reporter and every follower."""
    persons = set(Follower.objects.filter(demand_id=demand.pk).values_list("person_id", flat=True))
    persons.add(demand.reporter_id)
    return _accounts_of_persons(persons)


def accounts_of_body(body_id: int | None, place_path: str) -> list:
    """Current members of a body who may act on a demand at ``place_path``."""
    if not body_id:
        return []
    return access.holders(permissions.HANDLING_CAPS, place_path, body=body_id)


def accounts_handling(demand: Demand) -> list:
    accounts = {a.pk: a for a in accounts_of_body(demand.handler_body_id, demand.place_path)}
    for a in _accounts_of_persons([demand.handler_person_id]):
        accounts[a.pk] = a
    return list(accounts.values())


def accounts_dispatching(demand: Demand) -> list:
    """Dispatchers over the place: the branch secretary, grid worker, community staff."""
    return access.holders(DemandCap.DISPATCH, demand.place_path)


# --- figures ----------------------------------------------------------------------------


def figures(
    place_path: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    *,
    kind: str | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Figures of demands received in [since, until) at or below ``place_path``: received
    (a merged duplicate is its original's, not counted twice), solved (办结 and later),
    overdue (escalated for a deadline at least once, or past one now), escalated (whistled
    or escalated at least once), satisfaction (the share rated ≥ 4 among rated; demands
    closed as not rated are left out).

    On PostgreSQL, for a district, street or community: the whole UTC days of the period
    are read from the daily roll-up ``demands_figures_day`` (demands that can no longer
    change, kept by a trigger, see gongzhi.demands.rollup) plus a live aggregate of the
    other demands of those days (partial covering indexes ``demand_street_live`` /
    ``demand_community_live``); the partial days at either end, and every other place or
    database, are aggregated from the demands themselves (``_figures_scan``). Exactly
    the same result either way (tested against the plain scan)."""
    now = now or timezone.now()
    where = _rollup_scope(place_path) if connection.vendor == "postgresql" else None
    if where is None:
        return _figures_scan(place_q(place_path), since, until, kind=kind, now=now)
    first_day = None if since is None else _utc_day_at_or_after(since)
    end_day = None if until is None else _utc_day_at_or_before(until)
    if first_day is not None and end_day is not None and first_day >= end_day:
        return _figures_scan(place_q(place_path), since, until, kind=kind, now=now)
    row = _figures_middle(where, first_day, end_day, kind=kind, now=now)
    edges = []
    if first_day is not None:
        edges.append((since, _utc_midnight(first_day)))
    if end_day is not None:
        edges.append((_utc_midnight(end_day), until))
    for start, stop in edges:
        if start < stop:
            part = _figures_scan(place_q(place_path), start, stop, kind=kind, now=now)
            for key in _FIGURE_KEYS:
                row[key] += part[key]
    row["satisfaction"] = round(row["satisfied"] / row["rated"], 4) if row["rated"] else None
    return row


_FIGURE_KEYS = ("received", "solved", "overdue", "escalated", "rated", "satisfied",
                "unrated_closed", "open", "withdrawn")  # fmt: skip


def _figures_scan(
    scope: Q,
    since: dt.datetime | None,
    until: dt.datetime | None,
    *,
    kind: str | None,
    now: dt.datetime,
) -> dict:
    """``figures`` by one aggregate over every demand of the scope and period."""
    qs = Demand.objects.filter(scope).exclude(state=State.MERGED)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if kind:
        qs = qs.filter(kind=kind)
    not_unrated = ~Q(state=State.CLOSED_UNRATED)
    # Rows are counted on "state" (NOT NULL, so the same as COUNT(*)), not on "id": every
    # column read here is then in the covering indexes demand_street_figures /
    # demand_community_figures, and PostgreSQL answers from the index alone. The filters
    # are kept cheap, as they run on every row: due_at is set only while a deadline runs
    # (services._common.sync_due), so "past it now" needs no state test.
    row = qs.aggregate(
        received=Count("state"),
        solved=Count("state", filter=Q(state__in=sorted(rules.SOLVED))),
        overdue=Count("state", filter=Q(overdue_count__gt=0) | Q(due_at__lt=now)),
        escalated=Count("state", filter=Q(escalation_count__gt=0)),
        rated=Count("state", filter=Q(rating__isnull=False) & not_unrated),
        satisfied=Count("state", filter=Q(rating__gte=rules.SATISFIED_AT_OR_ABOVE) & not_unrated),
        unrated_closed=Count("state", filter=Q(state=State.CLOSED_UNRATED)),
        open=Count("state", filter=Q(state__in=sorted(rules.UNRESOLVED))),
        withdrawn=Count("state", filter=Q(state=State.WITHDRAWN)),
    )
    row["satisfaction"] = round(row["satisfied"] / row["rated"], 4) if row["rated"] else None
    return row


def _rollup_scope(place_path: str) -> tuple[str, list] | None:
    """``(column condition, params)`` for a district, street or community; else None."""
    try:
        parts = place_rules.parse_path(place_path)
    except ValueError:
        return None
    if not parts:
        return None
    level, pk = parts[-1]
    if level == "street":
        return "street_id = %s", [pk]
    if level == "community":
        return "community_id = %s", [pk]
    if level == "district":
        return f"street_id IN (SELECT id FROM {Street._meta.db_table} WHERE district_id = %s)", [pk]
    return None


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _utc_day_at_or_after(moment: dt.datetime) -> dt.date:
    moment = moment.astimezone(dt.UTC)
    day = moment.date()
    return day if _utc_midnight(day) == moment else day + dt.timedelta(days=1)


def _utc_day_at_or_before(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def _figures_middle(
    where: tuple[str, list],
    first_day: dt.date | None,
    end_day: dt.date | None,
    *,
    kind: str | None,
    now: dt.datetime,
) -> dict:
    """Figures of the whole UTC days [first_day, end_day) (open ends when None): the
    roll-up's sums plus one aggregate of the live demands, in one query (PostgreSQL)."""
    from gongzhi.demands import rollup

    condition, scope_params = where
    day_sql, day_params, at_sql, at_params = "", [], "", []
    if first_day is not None:
        day_sql += " AND day >= %s"
        day_params.append(first_day)
        at_sql += " AND created_at >= %s"
        at_params.append(_utc_midnight(first_day))
    if end_day is not None:
        day_sql += " AND day < %s"
        day_params.append(end_day)
        at_sql += " AND created_at < %s"
        at_params.append(_utc_midnight(end_day))
    kind_sql, kind_params = (" AND kind = %s", [kind]) if kind else ("", [])
    solved = ", ".join(f"'{s}'" for s in sorted(rules.SOLVED))
    unresolved = ", ".join(f"'{s}'" for s in sorted(rules.UNRESOLVED))
    sums = ", ".join(f"coalesce(sum({c}), 0)" for c in rollup.COUNTS)
    sql = (
        f"SELECT {sums}, 0 FROM {rollup.TABLE} WHERE {condition}{day_sql}{kind_sql}"
        " UNION ALL SELECT count(*),"
        f" count(*) FILTER (WHERE state IN ({solved})),"
        " count(*) FILTER (WHERE overdue_count > 0 OR due_at < %s),"
        " count(*) FILTER (WHERE escalation_count > 0),"
        " count(*) FILTER (WHERE rating IS NOT NULL AND state <> 'closed_unrated'),"
        " count(*) FILTER (WHERE rating >= %s AND state <> 'closed_unrated'),"
        " count(*) FILTER (WHERE state = 'closed_unrated'),"
        " count(*) FILTER (WHERE state = 'withdrawn'),"
        f" count(*) FILTER (WHERE state IN ({unresolved}))"
        f" FROM {Demand._meta.db_table} WHERE {condition} AND {rollup.LIVE_SQL}"
        f" AND state <> 'merged'{at_sql}{kind_sql}"
    )
    params = [*scope_params, *day_params, *kind_params, now, rules.SATISFIED_AT_OR_ABOVE,
              *scope_params, *at_params, *kind_params]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = (*rollup.COUNTS, "open")
    return {key: int(sum(r[i] for r in rows)) for i, key in enumerate(keys)}
