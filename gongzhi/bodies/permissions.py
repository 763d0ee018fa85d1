"""Access for bodies and memberships, and the grants memberships give (core.access)."""

from __future__ import annotations

from collections.abc import Iterator

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.bodies import rules
from gongzhi.bodies.models import Body, Membership, PartyMember, Post
from gongzhi.core import access, sql
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import DUAL_REGISTERED, Cap, appointable_with, standing
from gongzhi.places.models import Community
from gongzhi.places.selectors import ancestors_of


def membership_grants(user) -> Iterator[Grant]:
    """A grant per active membership (its post's capabilities over its scope) and, for a
    party member registered with a community (双报到), looking and handling there. One
    query for both (every request that checks a permission pays it)."""
    if not user.person_id:
        return
    today = timezone.localdate()
    rows = sql.rows(_grants_sql(), [user.person_id, today, today, today, user.person_id])
    for source, path, kind, post, name in rows:
        if source == "membership":
            yield Grant(
                path=path,
                capabilities=rules.capabilities_of(kind, post),
                source=f"{name} · {_POST_LABELS.get(post, post)}",
                kind=kind,
                post=post,
            )
        else:
            yield Grant(
                path=path,
                capabilities=standing(DUAL_REGISTERED),
                source=_("%(name)s · 双报到在职党员") % {"name": name},
                kind="dual_registered",
            )


def _grants_sql() -> str:
    """Current memberships (``models.membership_current_q``: term current and body not
    dissolved, tested against ``Membership.objects.active()``) with their body, then the
    community of the person's first party-member record registered with one."""

    def build(q):
        return (
            f"SELECT * FROM (SELECT 'membership', m.{q('scope_path')}, b.{q('kind')},"
            f" m.{q('post')}, b.{q('name')} FROM {q(Membership._meta.db_table)} m"
            f" JOIN {q(Body._meta.db_table)} b ON b.{q('id')} = m.{q('body_id')}"
            f" WHERE m.{q('person_id')} = %s AND m.{q('start')} <= %s"
            f" AND (m.{q('end')} IS NULL OR m.{q('end')} >= %s)"
            f" AND (b.{q('dissolved_on')} IS NULL OR b.{q('dissolved_on')} > %s)"
            f" ORDER BY m.{q('id')}) ms"
            f" UNION ALL SELECT * FROM (SELECT 'party_member', c.{q('path')}, '', '',"
            f" c.{q('name')} FROM {q(PartyMember._meta.db_table)} pm"
            f" JOIN {q(Community._meta.db_table)} c"
            f" ON c.{q('id')} = pm.{q('registered_community_id')}"
            f" WHERE pm.{q('person_id')} = %s ORDER BY pm.{q('id')} LIMIT 1) pms"
        )

    return sql.statement("membership_grants", build)


_POST_LABELS = dict(Post.choices)


def membership_holders(capabilities, path: str, *, on, body=None) -> set[int]:
    """The persons whose posts (or 双报到 registration) hold one of ``capabilities`` at
    ``path`` on ``on``: ``membership_grants`` read the other way round, for
    ``core.access.holders``. A grant covers ``path`` when its scope is an ancestor of it."""
    above = ancestors_of(path)
    rows = Membership.objects.active(on).filter(scope_path__in=above)
    if body is not None:
        rows = rows.filter(body_id=body)
    persons = {
        person
        for person, kind, post in rows.values_list("person_id", "body__kind", "post")
        if rules.capabilities_of(kind, post) & capabilities
    }
    if body is None and standing(DUAL_REGISTERED) & capabilities:
        persons.update(
            PartyMember.objects.filter(registered_community__path__in=above).values_list(
                "person_id", flat=True
            )
        )
    return persons


def membership_places(person_ids) -> dict[int, list[str]]:
    """Where people without a home are registered: the scopes of their current posts
    (people.permissions.registered_paths)."""
    found: dict[int, list[str]] = {}
    for person_id, path in (
        Membership.objects.active()
        .filter(person_id__in=list(person_ids))
        .values_list("person_id", "scope_path")
    ):
        found.setdefault(person_id, []).append(path)
    return found


def can_view_body(user, body: Body) -> bool:
    return access.allows(user, Cap.VIEW_PLACE, body.place_path) or access.reaches(
        user, body.place_path
    )


def can_manage_members(user, body: Body) -> bool:
    return access.allows(user, Cap.MANAGE_BODIES, body.place_path)


def founding_scope(place_path: str) -> str:
    """Where one must manage bodies to found or dissolve a body at ``place_path``: the node
    above it (community staff for a compound's bodies, a branch for a grid's party group).
    A body's own leaders cannot dissolve it, nor a branch secretary the owners' committee
    (which would take away the chair's powers the secretary does not hold)."""
    return place_path.rsplit("/", 2)[0] + "/" if place_path.count("/") > 1 else place_path


def can_dissolve(user, body: Body) -> bool:
    return access.allows(user, Cap.MANAGE_BODIES, founding_scope(body.place_path))


def can_appoint(user, body: Body, post: str, scope_path: str) -> bool:
    """May ``user`` give this post? Only if it grants nothing the user does not hold there.

    Nobody can hand out powers they lack: a branch secretary cannot make anyone (themselves
    included) chair of the owners' committee, which would bring ``voting.manage``; owners'
    bodies come from elections. An app may let holders of one capability appoint to
    posts granting another (``core.capabilities.appoints``: dispatchers appoint handlers).
    """
    if not can_manage_members(user, body):
        return False
    if access.is_superuser(user):
        return True
    held = appointable_with(access.capabilities_at(user, scope_path))
    return rules.capabilities_of(body.kind, post) <= held


def get_body_for(user, pk: int, *, manage: bool = False) -> Body:
    """The body, if ``user`` may see it (or manage it); 404 otherwise, so nothing leaks."""
    body = get_object_or_404(Body, pk=pk)
    allowed = can_manage_members(user, body) if manage else can_view_body(user, body)
    if not allowed:
        from django.http import Http404

        raise Http404
    return body
