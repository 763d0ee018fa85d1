"""The capability table of the permission matrix (tests/permission_matrix/tables.py):
every role of the cast × every capability question × inside and outside scope, asked
through the platform's predicates and ``access.allows``. The apps' own predicates are
asked by test_predicates.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404

from gongzhi.audit import permissions as audit_permissions
from gongzhi.bodies import permissions as bodies_permissions
from gongzhi.bodies import rules as body_rules
from gongzhi.bodies.models import Body, BodyKind, Post
from gongzhi.core import access, capabilities
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.people import permissions as people_permissions
from gongzhi.places import permissions as places_permissions
from gongzhi.voting.capabilities import VotingCap
from tests.cast import Cast
from tests.permission_matrix.tables import (
    ACTIONS,
    DISPATCH,
    EDIT_ROSTER,
    EXPORT_AUDIT,
    HANDLE,
    MANAGE_BODIES,
    MATRIX,
    NOTHING,
    POST_BODY,
    ROLES,
    VIEW_AUDIT,
    VIEW_CARE,
    VIEW_FIGURES,
    VIEW_ID_NUMBER,
    VIEW_PHONE,
    VIEW_PLACE,
    VIEW_ROSTER,
    VOTE,
    _path,
)


def _body_at(cast: Cast, place: str) -> Body:
    """The body whose members are managed at ``place``: A's party branch, or one like it."""
    if place == "A":
        return cast.branch_a
    return Body(kind=BodyKind.COMPOUND_PARTY_BRANCH, name="支部", place_path=_path(cast, place))


def _view_place(user, cast: Cast, place: str) -> bool:
    compound = {"A": cast.a, "B": cast.b, "Z": cast.z}.get(place)
    if compound is None:  # a room: the predicate the room pages use
        return places_permissions.can_view_place(user, _path(cast, place))
    try:
        places_permissions.get_compound_for(user, compound.pk)
    except Http404:
        assert not places_permissions.can_view_place(user, compound.path)
        return False
    assert places_permissions.can_view_place(user, compound.path)
    return True


def _cap(capability: Cap) -> Callable[[object, Cast, str], bool]:
    return lambda user, cast, place: access.allows(user, capability, _path(cast, place))


PREDICATES: dict[str, Callable[[object, Cast, str], bool]] = {
    VIEW_PLACE: _view_place,
    VIEW_ROSTER: lambda u, c, p: people_permissions.can_view_roster(u, _path(c, p)),
    VIEW_PHONE: lambda u, c, p: people_permissions.can_view_phone(u, _path(c, p)),
    VIEW_ID_NUMBER: lambda u, c, p: people_permissions.can_view_id_number(u, _path(c, p)),
    VIEW_CARE: lambda u, c, p: people_permissions.can_view_care(u, _path(c, p)),
    EDIT_ROSTER: lambda u, c, p: people_permissions.can_edit_roster(u, _path(c, p)),
    MANAGE_BODIES: lambda u, c, p: bodies_permissions.can_manage_members(u, _body_at(c, p)),
    VIEW_AUDIT: lambda u, c, p: audit_permissions.can_view_audit(u, _path(c, p)),
    EXPORT_AUDIT: lambda u, c, p: audit_permissions.can_export_audit(u, _path(c, p)),
    VIEW_FIGURES: _cap(Cap.VIEW_FIGURES),
    DISPATCH: _cap(DemandCap.DISPATCH),
    HANDLE: _cap(DemandCap.HANDLE),
    VOTE: _cap(VotingCap.VOTE),
}

CELLS = [
    pytest.param(role, action, place, id=f"{role}-{action}-{place}")
    for place in MATRIX
    for role in ROLES
    for action in ACTIONS
]


def test_tables_name_every_role_and_only_known_actions():
    assert set(PREDICATES) == set(ACTIONS)
    for table in MATRIX.values():
        assert set(table) == set(ROLES)
        assert all(allowed <= set(ACTIONS) for allowed in table.values())


@pytest.mark.parametrize(("role", "action", "place"), CELLS)
def test_permission_matrix(cast, role, action, place):
    user = getattr(cast, role)
    expected = action in MATRIX[place][role]
    assert PREDICATES[action](user, cast, place) is expected, (
        f"{role} {'should' if expected else 'should NOT'} be able to {action} in {place}"
    )


@pytest.mark.parametrize("place", list(MATRIX))
def test_what_pages_reveal_agrees_with_the_personal_data_columns(cast, place):
    """people.permissions.reveal_at, which every page and export masks by, says what the
    three personal-data columns say."""
    for role in ROLES:
        reveal = people_permissions.reveal_at(getattr(cast, role), _path(cast, place))
        allowed = MATRIX[place][role]
        assert (reveal.phone, reveal.id_number, reveal.care) == (
            VIEW_PHONE in allowed, VIEW_ID_NUMBER in allowed, VIEW_CARE in allowed,
        ), role  # fmt: skip


# Which compounds each role reaches at all (its list of compounds, places.compounds_visible_to).
COMPOUNDS_REACHED = {
    "resident": {"A"},
    "owner": {"A"},
    "building_leader": {"A"},
    "clerk": {"A"},
    "clerk_b": {"B"},  # B's own clerk
    "secretary": {"A"},
    "owners_chair": {"A"},
    "grid_worker": {"A"},
    "community_worker": {"A", "B"},
    "street_official": {"A", "B", "Z"},
    "outsider": {"Z"},  # lives in Z
    "nobody": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_compounds_visible_to(cast, role):
    names = {cast.a.pk: "A", cast.b.pk: "B", cast.z.pk: "Z"}
    seen = {names[c.pk] for c in places_permissions.compounds_visible_to(getattr(cast, role))}
    assert seen == COMPOUNDS_REACHED[role]


def test_only_community_and_street_roles_reach_beyond_their_own_compound(cast):
    """Of A's people, only community- and street-level roles reach B or Z at all."""
    a_people = [r for r in ROLES if r not in {"clerk_b", "outsider", "nobody"}]
    beyond = {r for r in a_people if COMPOUNDS_REACHED[r] - {"A"}}
    assert beyond == {"community_worker", "street_official"}
    for role in a_people:
        for name, compound in (("B", cast.b), ("Z", cast.z)):
            reached = places_permissions.can_view_place(getattr(cast, role), compound.path)
            assert reached is (name in COMPOUNDS_REACHED[role]), (role, name)


def test_the_tables_agree_with_compounds_visible_to():
    """A role sees a compound's page exactly when the compound is in its list."""
    for place in ("A", "B", "Z"):
        for role in ROLES:
            assert (VIEW_PLACE in MATRIX[place][role]) is (place in COMPOUNDS_REACHED[role])


def test_superuser_may_do_everything_everywhere(cast, django_user_model):
    root = django_user_model.objects.create_superuser("13700000009", "gongzhi-pass-123")
    for place in MATRIX:
        for action in ACTIONS:
            assert PREDICATES[action](root, cast, place), (action, place)
    assert set(places_permissions.compounds_visible_to(root)) == {cast.a, cast.b, cast.z}


def test_inactive_account_may_do_nothing(cast):
    cast.community_worker.is_active = False
    for action in ACTIONS:
        assert not PREDICATES[action](cast.community_worker, cast, "A"), action


def test_every_role_capability_pair_uses_valid_body_kinds_and_posts():
    kinds, posts = set(BodyKind.values), set(Post.values)
    bad = [(k, p) for k, p in body_rules.post_roles() if k not in kinds or p not in posts]
    assert bad == []
    table = body_rules.role_table().values()
    assert all(c in capabilities.known() for caps in table for c in caps)


# ------------------------------------------------------------ a dissolved body's members
# The body whose post each role holds. Dissolve it, and its members hold nothing of that
# post anywhere (none of these roles lives or owns anywhere), while every other role's
# table is unchanged.


@pytest.mark.parametrize("body_name", sorted(set(POST_BODY.values())))
def test_a_member_of_a_dissolved_body_holds_nothing_of_that_post(cast, body_name):
    from gongzhi.bodies.services import body_dissolve

    body_dissolve(actor=None, body=getattr(cast, body_name), reason="撤销")
    members = {role for role, name in POST_BODY.items() if name == body_name}
    refused = []
    for place, table in MATRIX.items():
        for role in ROLES:
            user = type(getattr(cast, role)).objects.get(pk=getattr(cast, role).pk)
            expected = NOTHING if role in members else table[role]
            for action in ACTIONS:
                if PREDICATES[action](user, cast, place) is not (action in expected):
                    refused.append(f"{role} {action} in {place}")
    assert refused == []
