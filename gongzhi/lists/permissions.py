"""Who may do what with lists (清单), built on core.access (grants over the place tree).

* Staff of a list: DemandCap.DISPATCH over its place (支部书记、社区工作人员), or over a node
  inside it (a 网格员 of one of the compound's grids: grid workers compile the lists of
  the compound they work in). Staff compile, publish, assign, solve and drop; they see drafts.
* Residents and everyone else who may see the place (places.permissions.can_view_place)
  see published and archived lists, never a draft.
* Eligible claimers: the liaison (联络人) of a partner unit (共建单位) whose scope covers
  the list's place, and an in-service party member 双报到-registered with the list's
  community.
* The claimant of an item: the member who claimed it, or any liaison of the unit that did.

``get_list_for`` and ``get_item_for`` load for a user or 404 (an outsider learns nothing).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from gongzhi.bodies.models import Body, BodyKind, Membership, PartyMember, Post
from gongzhi.core import access, refs
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.lists import rules
from gongzhi.lists.models import ItemClaim, ListItem, WorkList
from gongzhi.lists.rules import Action, Role
from gongzhi.places import rules as place_rules
from gongzhi.places.permissions import can_view_place

_LIAISON_CACHE = "_gongzhi_list_liaisons"
_DUAL_CACHE = "_gongzhi_list_dual_registered"


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


# --- staff ------------------------------------------------------------------------------


def is_staff(user, place_path: str) -> bool:
    """DemandCap.DISPATCH over ``place_path``; for a compound, also over a node inside it (a grid
    worker of one of its grids). A branch secretary is not staff of the community's lists."""
    if not _authenticated(user) or not place_path:
        return False
    if access.is_superuser(user):
        return True
    return any(
        DemandCap.DISPATCH in g.capabilities
        and (
            place_path.startswith(g.path)
            or place_rules.ancestor_at(g.path, "compound") == place_path
        )
        for g in access.grants_for(user)
    )


def can_compile(user, place_path: str) -> bool:
    """Create a list for, and add items to a list of, the place."""
    return is_staff(user, place_path)


def can_manage(user, work_list: WorkList) -> bool:
    """Publish, archive, add items, assign, solve, drop."""
    return is_staff(user, work_list.place_path)


def can_view_list(user, work_list: WorkList) -> bool:
    if not _authenticated(user):
        return False
    if work_list.state in rules.PUBLIC and (
        can_view_place(user, work_list.place_path)
        or access.allows(user, Cap.VIEW_FIGURES, work_list.place_path)
    ):
        return True
    return is_staff(user, work_list.place_path)


def can_view_figures(user, place_path: str) -> bool:
    """Place-level figures: those who hold figures, staff, or who see the place itself (a
    resident their own compound's)."""
    return _authenticated(user) and any(
        access.allows(user, cap, place_path)
        for cap in (Cap.VIEW_FIGURES, DemandCap.DISPATCH, Cap.VIEW_PLACE)
    )


def visible_lists_q(user) -> Q:
    """The lists ``user`` may see, as a filter (what keeps list pages from leaking)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    if access.is_superuser(user):
        return Q()
    staff = Q(pk__in=[])
    public = Q(pk__in=[])
    for g in access.grants_for(user):
        under = Q(place_path__startswith=g.path)  # lists in the grant's place
        if DemandCap.DISPATCH in g.capabilities:
            staff |= under
            compound = place_rules.ancestor_at(g.path, "compound")
            if compound:  # a grid worker: staff of the compound their grid is in
                staff |= Q(place_path=compound)
        # As places.permissions.can_view_place: any grant over the list's place, or inside
        # it (a resident sees the lists of their community too).
        public |= under | Q(place_path__in=_prefixes(g.path))
    return staff | (Q(state__in=sorted(rules.PUBLIC)) & public)


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def get_list_for(user, pk, *, queryset: QuerySet | None = None) -> WorkList:
    """The list, if ``user`` may see it; 404 otherwise."""
    qs = queryset if queryset is not None else WorkList.objects.all()
    try:
        work_list = qs.select_related("compound", "community__street").get(pk=pk)
    except (WorkList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_list(user, work_list):
        raise Http404
    return work_list


def get_item_for(user, pk, *, queryset: QuerySet | None = None) -> ListItem:
    """The item, if ``user`` may see its list; 404 otherwise."""
    qs = queryset if queryset is not None else ListItem.objects.all()
    try:
        item = qs.select_related("work_list__compound", "work_list__community", "category").get(
            pk=pk
        )
    except (ListItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_list(user, item.work_list):
        raise Http404
    return item


# --- claimers ---------------------------------------------------------------------------


def _liaisons(user) -> tuple[tuple[int, str], ...]:
    """``(body_id, scope_path)`` of the user's active liaison posts in partner units that
    are not dissolved. One query, cached on the user object (one request)."""
    if not _authenticated(user) or not user.person_id:
        return ()
    cached = getattr(user, _LIAISON_CACHE, None)
    if cached is None:
        cached = tuple(
            Membership.objects.active()
            .filter(
                person_id=user.person_id,
                post=Post.LIAISON,
                body__kind=BodyKind.PARTNER_UNIT,
            )
            .values_list("body_id", "scope_path")
        )
        setattr(user, _LIAISON_CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop cached memberships after they changed."""
    for attr in (_LIAISON_CACHE, _DUAL_CACHE):
        if user is not None and hasattr(user, attr):
            delattr(user, attr)
    access.forget(user)


def partner_bodies_of(user, work_list: WorkList) -> list[int]:
    """Ids of the partner units ``user`` is a liaison of, whose scope covers the list."""
    return sorted(
        {body_id for body_id, scope in _liaisons(user) if work_list.place_path.startswith(scope)}
    )


def body_may_claim(body: Body, work_list: WorkList) -> bool:
    """A partner unit, not dissolved, whose place covers the list's place."""
    return (
        body.kind == BodyKind.PARTNER_UNIT
        and body.is_current()
        and place_rules.is_within(work_list.place_path, body.place_path)
    )


def dual_registered(person_id: int | None, work_list: WorkList) -> bool:
    """An in-service party member 双报到-registered with the list's community."""
    return bool(person_id) and (
        PartyMember.objects.filter(
            person_id=person_id,
            is_in_service=True,
            registered_community_id=work_list.community_id,
        ).exists()
    )


def is_eligible(user, work_list: WorkList) -> bool:
    """May ``user`` claim items of ``work_list`` (for a unit, or as a 双报到 member)?
    Asked once per community and request (a list page asks for every item)."""
    if not _authenticated(user):
        return False
    if partner_bodies_of(user, work_list):
        return True
    cache = user.__dict__.setdefault(_DUAL_CACHE, {})
    if work_list.community_id not in cache:
        cache[work_list.community_id] = dual_registered(user.person_id, work_list)
    return cache[work_list.community_id]


def is_claimant(user, claim: ItemClaim | None) -> bool:
    """The member who holds ``claim``, or a liaison of the unit that does."""
    if claim is None or not claim.is_active or not _authenticated(user):
        return False
    if claim.person_id:
        return claim.person_id == user.person_id
    return any(body_id == claim.body_id for body_id, _scope in _liaisons(user))


def active_claim(item: ListItem) -> ItemClaim | None:
    """The item's active claim (prefetched as ``active_claims`` when listed)."""
    prefetched = getattr(item, "active_claims", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return (
        ItemClaim.objects.filter(item_id=item.pk, released_at__isnull=True)
        .select_related("body", "person")
        .first()
    )


def roles_of(user, item: ListItem, claim: ItemClaim | None = None) -> frozenset[Role]:
    """The roles ``user`` holds on ``item`` (None is the system)."""
    if user is None:
        return frozenset({Role.SYSTEM})
    work_list = item.work_list
    roles = set()
    if can_manage(user, work_list):
        roles.add(Role.STAFF)
    if is_eligible(user, work_list):
        roles.add(Role.ELIGIBLE)
    if is_claimant(user, claim if claim is not None else active_claim(item)):
        roles.add(Role.CLAIMANT)
    return frozenset(roles)


def available_actions(user, item: ListItem, claim: ItemClaim | None = None) -> list[str]:
    """The moves ``user`` may make on ``item`` now (for buttons; services still check)."""
    if not _authenticated(user) or item.work_list.state not in rules.EDITABLE:
        return []
    roles = roles_of(user, item, claim)
    return [
        action.value
        for action in Action
        if item.work_list.state in rules.LIST_STATES_FOR[action]
        and rules.role_may(action, item.state, roles)
        and not (action == Action.SOLVE and item.mode != rules.Mode.FIX_NOW)
    ]


def sees_claimant_person(user, work_list: WorkList) -> bool:
    """The full name of a 双报到 member who claimed: staff only (others see it masked)."""
    return is_staff(user, work_list.place_path)


# --- ids a list write names (core.refs) ---------------------------------------------------
#
# The unit or member a claim names, the category of an item: resolved against the list, so
# an id of elsewhere is refused with the same words as an id naming nothing.

CLAIM_BODY_REFUSAL = gettext_lazy("该单位不是覆盖本小区的共建单位,不能认领。")
CLAIM_PERSON_REFUSAL = gettext_lazy("该党员不是在本社区双报到的在职党员,不能认领。")
CATEGORY_REFUSAL = gettext_lazy("该类别不适用于本小区。")


def get_claim_body_for(work_list: WorkList, pk: int) -> Body:
    """A partner unit that may claim items of ``work_list`` (body_may_claim); 404 otherwise."""
    body = Body.objects.filter(pk=pk).first()
    if body is None or not body_may_claim(body, work_list):
        raise Http404
    return body


def get_claim_person_for(work_list: WorkList, pk: int):
    """A member 双报到-registered with the list's community; 404 otherwise."""
    from gongzhi.people.models import Person

    person = Person.objects.filter(pk=pk).first()
    if person is None or not dual_registered(person.pk, work_list):
        raise Http404
    return person


def get_category_for(work_list: WorkList, pk: int):
    """A district-wide category or one of the list's compound; 404 otherwise (a stopped one
    is found, and refused by the service as not applicable)."""
    from gongzhi.demands.models import Category

    category = Category.objects.filter(pk=pk).first()
    if category is None or category.compound_id not in (None, work_list.compound_id):
        raise Http404
    return category


def named(get, value, field: str, message):
    """The object an id in a write names, through ``get(pk)`` (404 outside scope); None for
    no id; a missing id and one out of scope alike are the field error ``message``."""
    if value in (None, ""):
        return None
    found = refs.resolve(lambda _user, pk: get(pk), None, value)
    if found is None:
        raise rules.ListError({field: [message]})
    return found
