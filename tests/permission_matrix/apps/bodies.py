"""bodies.permissions in the matrix: who sees a body, manages its members, dissolves it and
may appoint to which post.

The body at each place: A's party branch; at ``A/1号楼`` a building party group of
building 1; B's property company; a party branch of Z.
"""

from types import SimpleNamespace

from gongzhi.bodies import permissions as p
from gongzhi.bodies.models import BodyKind
from tests.factories import BodyFactory
from tests.permission_matrix.framework import Check, found
from tests.permission_matrix.tables import VIEW_PLACE, holding

_MANAGERS = {  # bodies.manage over the body's place: community staff, A's branch secretary
    "A": frozenset({"secretary", "community_worker"}),
    "A/1号楼": frozenset({"secretary", "community_worker"}),
    "B": frozenset({"community_worker"}),
    "Z": frozenset(),
}


def build(cast):
    group = BodyFactory(kind=BodyKind.BUILDING_PARTY_GROUP, name="1号楼党小组",
                        place_path=cast.building_a1.path, compound=cast.a)  # fmt: skip
    branch_z = BodyFactory(kind=BodyKind.COMPOUND_PARTY_BRANCH, name="丙小区党支部",
                           place_path=cast.z.path, compound=cast.z)  # fmt: skip
    bodies = {"A": cast.branch_a, "A/1号楼": group, "B": cast.property_b, "Z": branch_z}
    return SimpleNamespace(cast=cast, bodies=bodies)


def _appoint(post):
    def ask(user, w, place):
        body = w.bodies[place]
        return p.can_appoint(user, body, post, body.place_path)

    return ask


PREDICATES = {
    "can_view_body": Check(
        lambda u, w, place: p.can_view_body(u, w.bodies[place]), holding(VIEW_PLACE)
    ),  # fmt: skip
    "get_body_for": Check(
        lambda u, w, place: found(lambda: p.get_body_for(u, w.bodies[place].pk)),
        holding(VIEW_PLACE),
    ),
    "get_body_for[manage]": Check(
        lambda u, w, place: found(lambda: p.get_body_for(u, w.bodies[place].pk, manage=True)),
        _MANAGERS,
    ),
    "can_manage_members": Check(
        lambda u, w, place: p.can_manage_members(u, w.bodies[place]), _MANAGERS
    ),  # fmt: skip
    # From the node above the body: A's branch by the community, the building's group by
    # whoever manages bodies over its grid... of A; never by the body's own leaders.
    "can_dissolve": Check(
        lambda u, w, place: p.can_dissolve(u, w.bodies[place]),
        {
            "A": frozenset({"community_worker"}),
            "A/1号楼": frozenset({"secretary", "community_worker"}),
            "B": frozenset({"community_worker"}),
            "Z": frozenset(),
        },
    ),
    "can_appoint": Check(_appoint("member"), _MANAGERS),
    # A secretary of the building's group is a building leader's post: handling demands,
    # which a dispatcher may give (core.capabilities.appoints), and phones.
    "can_appoint[group secretary]": Check(_appoint("secretary"), _MANAGERS),
    # The owners' committee chair brings voting.manage: not the branch secretary's to give
    # (owners' bodies come from elections); community staff hold it.
    "can_appoint[owners' committee chair]": Check(
        lambda u, w, place: p.can_appoint(u, w.cast.owners_committee_a, "chair", w.cast.a.path),
        {"A": frozenset({"community_worker"})},
    ),
}
HELPERS = {
    "membership_grants": "the grant provider of posts and 双报到 (core.access): "
    "tests/core/test_access.py, tests/bodies/test_current_membership.py",
    "membership_holders": "the holder provider for access.holders: tests/core/test_access.py",
    "membership_places": "where people without a home are registered (people.permissions): "
    "tests/bodies/test_scoped_appointments.py",
    "founding_scope": "pure, the node above a body's place: asked through can_dissolve",
}
