"""Who may do what with a demand, built on core.access (grants over the place tree).

Roles relative to one demand (rules.Role) come from here; which role may make which move
is data in rules.MOVES. ``get_demand_for`` loads a demand for a user or 404s, so a view
cannot forget the check and an outsider (a property clerk of another compound) learns
nothing, not even that the demand exists.
"""

from __future__ import annotations

from django.http import Http404

from gongzhi.bodies import rules as body_rules
from gongzhi.bodies.models import Membership
from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.demands import rules
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import Demand, Follower
from gongzhi.demands.rules import Action, Role
from gongzhi.places import rules as place_rules
from gongzhi.places.permissions import can_view_place

# A membership lets its holder act for its body on demands (accept, report in, resolve)
# when its post grants one of these (a plain party member or volunteer only looks on).
HANDLING_CAPS = frozenset({DemandCap.HANDLE, DemandCap.DISPATCH, Cap.VIEW_FIGURES})
COMMUNITY_KINDS = frozenset({"residents_committee", "community_party_committee"})
_CACHE_ATTR = "_gongzhi_demand_memberships"


def is_active_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


_authenticated = is_active_user


def handler_memberships(user) -> tuple[tuple[int, str, bool], ...]:
    """``(body_id, scope_path, narrowed)`` of the user's active memberships that may act on
    demands; ``narrowed`` when the scope is smaller than the body's place. One query,
    cached on the user object (one request)."""
    if not _authenticated(user) or not user.person_id:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = (
            Membership.objects.active()  # term current, body not dissolved
            .filter(person_id=user.person_id)
            .values_list("body_id", "scope_path", "body__place_path", "body__kind", "post")
        )
        cached = tuple(
            (body_id, scope, scope != body_path)
            for body_id, scope, body_path, kind, post in rows
            if body_rules.capabilities_of(kind, post) & HANDLING_CAPS
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    access.forget(user)


def compound_path_of(demand: Demand) -> str:
    return place_rules.ancestor_at(demand.place_path, "compound") or demand.place_path


# --- predicates -------------------------------------------------------------------------


def can_file(user, place_path: str) -> bool:
    """A resident or owner files in their compound (DemandCap.FILE_DEMAND)."""
    return _authenticated(user) and access.allows(user, DemandCap.FILE_DEMAND, place_path)


def can_file_on_behalf(user, place_path: str) -> bool:
    """Staff file for a resident: dispatchers, and handlers within their scope."""
    return _authenticated(user) and (
        access.allows(user, DemandCap.DISPATCH, place_path)
        or access.allows(user, DemandCap.HANDLE, place_path)
    )


def can_dispatch(user, demand: Demand) -> bool:
    """支部书记、网格员、社区工作人员 (DemandCap.DISPATCH) over the demand's place."""
    return _authenticated(user) and access.allows(user, DemandCap.DISPATCH, demand.place_path)


def is_reporter(user, demand: Demand) -> bool:
    return (
        _authenticated(user) and user.person_id is not None and demand.reporter_id == user.person_id
    )


def can_handle(user, demand: Demand) -> bool:
    """An active member of the handler body whose scope covers the demand's place (a
    building leader of building 1 does not handle building 2's), or the handler person of
    a demand dispatched to a person alone. The member who accepted for a body is its
    handler person only while still a current member: a clerk whose company is dissolved,
    or whose term ended, handles nothing more of it."""
    if not _authenticated(user):
        return False
    if not demand.handler_body_id:
        return bool(demand.handler_person_id) and demand.handler_person_id == user.person_id
    return any(
        body_id == demand.handler_body_id and demand.place_path.startswith(scope)
        for body_id, scope, _narrowed in handler_memberships(user)
    )


def may_dispatch_somewhere(user) -> bool:
    """Does ``user`` dispatch anywhere (the dispatch board is then theirs)?"""
    return _authenticated(user) and (
        access.is_superuser(user) or bool(access.paths_for(user, DemandCap.DISPATCH))
    )


def may_handle_somewhere(user) -> bool:
    """Does ``user`` act for a body on demands, or handle as a person, anywhere (the inbox)?"""
    return _authenticated(user) and bool(
        handler_memberships(user) or access.paths_for(user, DemandCap.HANDLE)
    )


def can_whistle(user, demand: Demand) -> bool:
    return is_reporter(user, demand) or can_handle(user, demand)


def can_close(user, demand: Demand) -> bool:
    """Community staff (residents' committee or community party committee, not a grid
    worker) over the place write the summary and close."""
    if not _authenticated(user):
        return False
    if access.is_superuser(user):
        return True
    return any(
        g.kind in COMMUNITY_KINDS
        and g.post != "grid_worker"
        and DemandCap.DISPATCH in g.capabilities
        and demand.place_path.startswith(g.path)
        for g in access.grants_for(user)
    )


def can_manage_compound(user, compound_path: str) -> bool:
    """Change the compound's routing rules, escalation chain and own categories."""
    return _authenticated(user) and access.allows(user, DemandCap.DISPATCH, compound_path)


def sees_reporter(user, demand: Demand) -> bool:
    """The reporter's name is shown to the reporter, the handler and dispatchers only."""
    return is_reporter(user, demand) or can_handle(user, demand) or can_dispatch(user, demand)


def roles_of(user, demand: Demand) -> frozenset[Role]:
    """The roles ``user`` holds on ``demand`` (None is the system)."""
    if user is None:
        return frozenset({Role.SYSTEM})
    roles = set()
    if is_reporter(user, demand):
        roles.add(Role.REPORTER)
    if can_dispatch(user, demand):
        roles.add(Role.DISPATCHER)
    if can_handle(user, demand):
        roles.add(Role.HANDLER)
    if can_close(user, demand):
        roles.add(Role.COMMUNITY)
    return frozenset(roles)


def can_view(user, demand: Demand) -> bool:
    """Reporter, followers, the handler, dispatchers and figure-holders over the place, a
    body that handled it before, and — for a public demand — anyone of the compound."""
    if not _authenticated(user):
        return False
    if (
        is_reporter(user, demand)
        or can_handle(user, demand)
        or access.allows(user, DemandCap.DISPATCH, demand.place_path)
        or access.allows(user, Cap.VIEW_FIGURES, demand.place_path)
    ):
        return True
    if demand.is_public and can_view_place(user, compound_path_of(demand)):
        return True  # anyone who sees the compound's page (public in Open311 too)
    if follows(user, demand):
        return True
    body_ids = [
        b for b, scope, _n in handler_memberships(user) if demand.place_path.startswith(scope)
    ]
    return bool(body_ids) and demand.events.filter(body_id__in=body_ids).exists()


def follows(user, demand: Demand) -> bool:
    """A follower (关注: a merged duplicate's reporter, a resident who said "me too") while
    they still see the compound: one who moved out or sold reads no more of it."""
    return (
        _authenticated(user)
        and user.person_id is not None
        and can_view_place(user, compound_path_of(demand))
        and Follower.objects.filter(demand_id=demand.pk, person_id=user.person_id).exists()
    )


def can_comment(user, demand: Demand) -> bool:
    return bool(roles_of(user, demand) - {Role.SYSTEM}) or follows(user, demand)


def get_demand_for(user, pk, *, queryset=None) -> Demand:
    """The demand, if ``user`` may see it; 404 otherwise."""
    qs = queryset if queryset is not None else Demand.objects.all()
    try:
        demand = qs.get(pk=pk)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view(user, demand):
        raise Http404
    return demand


def available_actions(user, demand: Demand) -> list[str]:
    """The moves ``user`` may make on ``demand`` now (for buttons; services still check)."""
    roles = roles_of(user, demand) - {Role.SYSTEM} if user is not None else frozenset()
    return [
        action.value
        for action in Action
        if rules.moves_for(action, demand.state) and rules.role_may(action, roles)
    ]
