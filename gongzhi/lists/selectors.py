"""Every read of lists used by views and the API.

Figures ("collected / solved / claimed") are computed in the database, one aggregate
query each: per list, per list for a page of lists (grouped), per period, and for a place
(compound, community or street) over a date range.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from gongzhi.bodies.models import Body, BodyKind, Membership, PartyMember, Post
from gongzhi.core import access
from gongzhi.demands import rules as demand_rules
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import Demand
from gongzhi.lists import permissions, rules
from gongzhi.lists.models import ItemClaim, ItemProgress, ListItem, Milestone, WorkList
from gongzhi.lists.rules import Figures, ItemState, Mode
from gongzhi.people.models import Account, Person
from gongzhi.places.models import Compound
from gongzhi.places.selectors import ancestors_of

# --- lists ------------------------------------------------------------------------------


def lists_visible_to(user) -> QuerySet[WorkList]:
    """Every list ``user`` may see: drafts only where they are staff."""
    return (
        WorkList.objects.filter(permissions.visible_lists_q(user))
        .select_related("compound", "community")
        .order_by("-period_start", "-id")
    )


def lists_for_compound(user, compound: Compound) -> QuerySet[WorkList]:
    """The compound's lists and its community's community-level lists that ``user`` sees."""
    return lists_visible_to(user).filter(
        Q(compound=compound) | Q(compound__isnull=True, community_id=compound.community_id)
    )


def list_for(user, pk) -> WorkList:
    return permissions.get_list_for(user, pk)


def active_claims_prefetch() -> Prefetch:
    return Prefetch(
        "claims",
        queryset=ItemClaim.objects.filter(released_at__isnull=True).select_related(
            "body", "person"
        ),
        to_attr="active_claims",
    )


def items_of(work_list: WorkList, *, state: str = "") -> QuerySet[ListItem]:
    """The list's items in order, with category, active claim and milestones (3 queries)."""
    qs = (
        ListItem.objects.filter(work_list=work_list)
        .select_related("category")
        .prefetch_related(active_claims_prefetch(), "milestones")
        .order_by("number")
    )
    if state:
        qs = qs.filter(state=state)
    return qs


def item_for(user, pk) -> ListItem:
    """One item the user may see, with its list, milestones, active claim and claim history."""
    queryset = ListItem.objects.prefetch_related(
        active_claims_prefetch(),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
    )
    return permissions.get_item_for(user, pk, queryset=queryset)


def progress_of(item: ListItem) -> QuerySet[ItemProgress]:
    return (
        ItemProgress.objects.filter(item=item)
        .select_related("claim__body", "claim__person")
        .prefetch_related("photos")
        .order_by("-at", "-id")
    )


def claims_of(item: ListItem) -> QuerySet[ItemClaim]:
    return (
        ItemClaim.objects.filter(item=item)
        .select_related("body", "person")
        .order_by("-claimed_at", "-id")
    )


def demands_to_compile(user, work_list: WorkList) -> QuerySet[Demand]:
    """Open demands of the list's place that ``user`` may dispatch, not yet on the list:
    what staff choose from on the compile page. No reporter is loaded."""
    scope = Q(pk__in=[])
    if access.is_superuser(user):
        scope = Q()
    else:
        for path in access.paths_for(user, DemandCap.DISPATCH):
            scope |= Q(place_path__startswith=path)
    place = (
        Q(compound_id=work_list.compound_id)
        if work_list.compound_id
        else Q(community_id=work_list.community_id)
    )
    on_list = ListItem.objects.filter(work_list=work_list, demand_id=OuterRef("pk"))
    return (
        Demand.objects.filter(place, scope, state__in=sorted(demand_rules.UNRESOLVED))
        .exclude(Exists(on_list))
        .select_related("category", "building")
        .only(
            "id", "kind", "description", "place_kind", "location_note", "state", "created_at",
            "is_public", "category__name", "building__name", "place_path",
        )
        .order_by("-created_at", "-id")
    )  # fmt: skip


# --- figures ----------------------------------------------------------------------------


def _claimed() -> Exists:
    return Exists(ItemClaim.objects.filter(item_id=OuterRef("pk"), released_at__isnull=True))


def _figure_aggregates() -> dict:
    return {
        "collected": Count("id"),
        "solved": Count("id", filter=Q(state__in=sorted(rules.SOLVED))),
        "claimed": Count("id", filter=Q(_claimed())),
        "open": Count("id", filter=Q(state=ItemState.OPEN)),
        "in_progress": Count("id", filter=Q(state__in=[ItemState.CLAIMED, ItemState.IN_PROGRESS])),
        "dropped": Count("id", filter=Q(state=ItemState.DROPPED)),
        "fix_now": Count("id", filter=Q(mode=Mode.FIX_NOW)),
        "long_term": Count("id", filter=Q(mode=Mode.LONG_TERM)),
    }


def figures_for_list(work_list: WorkList | int) -> Figures:
    """收集 / 解决 / 认领 of one list, in one query."""
    pk = work_list.pk if isinstance(work_list, WorkList) else work_list
    return Figures(**ListItem.objects.filter(work_list_id=pk).aggregate(**_figure_aggregates()))


def figures_per_list(list_ids) -> dict[int, Figures]:
    """The figures of several lists (a page of them), in one grouped query."""
    rows = (
        ListItem.objects.filter(work_list_id__in=list(list_ids))
        .values("work_list_id")
        .annotate(**_figure_aggregates())
        .order_by()
    )
    out = {pk: Figures() for pk in list_ids}
    for row in rows:
        pk = row.pop("work_list_id")
        out[pk] = Figures(**row)
    return out


def _counted_items(place_path: str, kind: str | None) -> QuerySet[ListItem]:
    qs = ListItem.objects.filter(
        work_list__place_path__startswith=place_path,
        work_list__state__in=sorted(rules.COUNTED),
    )
    return qs.filter(work_list__kind=kind) if kind else qs


def list_figures(
    place_path: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    kind: str | None = None,
) -> Figures:
    """收集 / 解决 / 认领 over a compound, community or street (``place_path``), in one query.

    Counted: items of published or archived lists of the place (and of the compounds in
    it), collected (``collected_on``) from ``since`` to ``until``, both included; ``kind``
    narrows to needs or problem lists. Solved and claimed are of those items, now.
    """
    qs = _counted_items(place_path, kind)
    if since is not None:
        qs = qs.filter(collected_on__gte=since)
    if until is not None:
        qs = qs.filter(collected_on__lte=until)
    return Figures(**qs.aggregate(**_figure_aggregates()))


def figures_by_period(place_path: str, *, kind: str | None = None) -> list[tuple[str, Figures]]:
    """The figures of the place's published lists grouped by the lists' period label, newest
    period first, in one query."""
    rows = (
        _counted_items(place_path, kind)
        .values("work_list__period", "work_list__period_start")
        .annotate(**_figure_aggregates())
        .order_by("-work_list__period_start", "work_list__period")
    )
    out: dict[str, Figures] = {}
    for row in rows:
        period = row.pop("work_list__period")
        row.pop("work_list__period_start")
        if period in out:  # one label with two start dates (custom ranges): add them up
            row = {k: getattr(out[period], k) + v for k, v in row.items()}
        out[period] = Figures(**row)
    return list(out.items())


# --- claiming ---------------------------------------------------------------------------


def claim_options(user, work_list: WorkList) -> dict:
    """Whom ``user`` may claim for on ``work_list``: their partner units, themselves as a
    双报到 member, and (for staff) every eligible unit and member to assign to."""
    own_bodies = list(
        Body.objects.filter(pk__in=permissions.partner_bodies_of(user, work_list)).order_by("name")
    )
    as_member = bool(getattr(user, "person_id", None)) and permissions.dual_registered(
        user.person_id, work_list
    )
    options = {
        "bodies": own_bodies,
        "as_member": as_member,
        "assign_bodies": [],
        "assign_people": [],
    }
    if permissions.can_manage(user, work_list):
        options["assign_bodies"] = list(eligible_bodies(work_list))
        options["assign_people"] = list(eligible_people(work_list))
    return options


def eligible_bodies(work_list: WorkList):
    """Partner units whose place covers the list's place."""
    return (
        Body.objects.current()
        .filter(kind=BodyKind.PARTNER_UNIT, place_path__in=ancestors_of(work_list.place_path))
        .order_by("name")
    )


def eligible_people(work_list: WorkList):
    """双报到 in-service party members registered with the list's community."""
    return Person.objects.filter(
        party_member__is_in_service=True,
        party_member__registered_community_id=work_list.community_id,
    ).order_by("name")


# --- who to tell ------------------------------------------------------------------------


def _accounts_of_persons(person_ids) -> list[Account]:
    ids = {p for p in person_ids if p}
    if not ids:
        return []
    return list(Account.objects.filter(person_id__in=ids, is_active=True).order_by("pk"))


def owner_accounts(work_list: WorkList) -> list[Account]:
    """The list's compiler, and the staff (DemandCap.DISPATCH) whose scope covers its place."""
    accounts = {a.pk: a for a in access.holders(DemandCap.DISPATCH, work_list.place_path)}
    if work_list.created_by_id and work_list.created_by_id not in accounts:
        creator = Account.objects.filter(pk=work_list.created_by_id, is_active=True).first()
        if creator is not None:
            accounts[creator.pk] = creator
    return list(accounts.values())


def claimer_accounts(work_list: WorkList) -> list[Account]:
    """Everyone who may claim the list's items: liaisons of partner units over the place
    and the community's 双报到 members."""
    liaisons = (
        Membership.objects.active()
        .filter(
            post=Post.LIAISON,
            body__kind=BodyKind.PARTNER_UNIT,
            scope_path__in=ancestors_of(work_list.place_path),
        )
        .values_list("person_id", flat=True)
    )
    members = PartyMember.objects.filter(
        is_in_service=True, registered_community_id=work_list.community_id
    ).values_list("person_id", flat=True)
    return _accounts_of_persons([*liaisons, *members])


def claimant_accounts(claim: ItemClaim) -> list[Account]:
    """The member who claimed, or the liaisons of the unit that did."""
    if claim.person_id:
        return _accounts_of_persons([claim.person_id])
    liaisons = (
        Membership.objects.active()
        .filter(body_id=claim.body_id, post=Post.LIAISON)
        .values_list("person_id", flat=True)
    )
    return _accounts_of_persons(liaisons)
