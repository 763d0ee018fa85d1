"""Access for bodies and memberships, and the grants memberships give (core.access)."""

from __future__ import annotations

from collections.abc import Iterator

from django.shortcuts import get_object_or_404

from gongzhi.bodies import rules
from gongzhi.bodies.models import Body, Membership, PartyMember
from gongzhi.core import access
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import Cap


def membership_grants(user) -> Iterator[Grant]:
    if not user.person_id:
        return
    memberships = (
        Membership.objects.active().filter(person_id=user.person_id).select_related("body")
    )
    for m in memberships:
        yield Grant(
            path=m.scope_path,
            capabilities=rules.capabilities_of(m.body.kind, m.post),
            source=f"{m.body.name} · {m.get_post_display()}",
            kind=m.body.kind,
            post=m.post,
        )
    member = (
        PartyMember.objects.filter(person_id=user.person_id, registered_community__isnull=False)
        .select_related("registered_community")
        .first()
    )
    if member:
        yield Grant(
            path=member.registered_community.path,
            capabilities=frozenset({Cap.VIEW_PLACE, Cap.HANDLE}),
            source=f"{member.registered_community.name} · 双报到在职党员",
            kind="dual_registered",
        )


def can_view_body(user, body: Body) -> bool:
    return access.allows(user, Cap.VIEW_PLACE, body.place_path) or access.reaches(
        user, body.place_path
    )


def can_manage_members(user, body: Body) -> bool:
    return access.allows(user, Cap.MANAGE_BODIES, body.place_path)


def can_appoint(user, body: Body, post: str, scope_path: str) -> bool:
    """May ``user`` give this post? Only if it grants nothing the user does not hold there.

    Nobody can hand out powers they lack: a branch secretary cannot make anyone (themselves
    included) chair of the owners' committee, which would bring ``voting.manage``; owners'
    bodies come from elections. Holders of ``demands.dispatch`` may appoint handlers.
    """
    if not can_manage_members(user, body):
        return False
    if access.is_superuser(user):
        return True
    held = {cap for cap in Cap if access.allows(user, cap, scope_path)}
    if Cap.DISPATCH in held:
        held.add(Cap.HANDLE)
    return rules.capabilities_of(body.kind, post) <= held


def bodies_visible_to(user):
    return Body.objects.filter(access.scope_q(user, Cap.VIEW_PLACE, "place_path"))


def get_body_for(user, pk: int, *, manage: bool = False) -> Body:
    """The body, if ``user`` may see it (or manage it); 404 otherwise, so nothing leaks."""
    body = get_object_or_404(Body, pk=pk)
    allowed = can_manage_members(user, body) if manage else can_view_body(user, body)
    if not allowed:
        from django.http import Http404

        raise Http404
    return body
