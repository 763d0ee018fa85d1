"""The permission matrix generated from every app's named predicates (framework.py).

For each public predicate of each app's ``permissions`` module: every role of the cast at
each place (inside and outside its scope), a superuser, an inactive account, and the
members of each dissolved body. One test per predicate, listing every wrong cell.
"""

from __future__ import annotations

import pytest

from tests.permission_matrix.framework import discover, places_of, public_functions
from tests.permission_matrix.tables import POST_BODY, ROLES

MATRICES, MISSING = discover()
BY_LABEL = {m.label: m for m in MATRICES}
CHECKS = [
    pytest.param(m.label, name, id=f"{m.label}.{name}")
    for m in MATRICES
    for name in sorted(m.predicates)
]


def fresh(account):
    """The account as a new request would load it (no grants cached on it)."""
    return type(account).objects.get(pk=account.pk)


def test_every_app_with_permissions_has_a_matrix():
    assert MISSING == []
    assert {"audit", "bodies", "demands", "lists", "notices", "people", "places", "voting",
            "plugin_app"} <= set(BY_LABEL)  # fmt: skip


@pytest.mark.parametrize("label", sorted(BY_LABEL))
def test_every_public_function_is_a_predicate_or_a_named_helper(label):
    m = BY_LABEL[label]
    public = public_functions(m.permissions)
    asked = {name.split("[")[0] for name in m.predicates}  # "can_x[closed]": a variant
    assert not asked & set(m.helpers), "both a predicate and a helper"
    assert sorted(public - asked - set(m.helpers)) == [], "not in the matrix"
    assert sorted((asked | set(m.helpers)) - public) == [], "no such function"
    assert all(reason.strip() for reason in m.helpers.values())


def _wrong_cells(check, users: dict, world, expected_of) -> list[str]:
    wrong = []
    for place in places_of(check):
        for role, user in users.items():
            expected = expected_of(role, place)
            got = check.ask(user, world, place)
            assert isinstance(got, bool), f"{role} at {place}: {got!r} is not a bool"
            if got is not expected:
                wrong.append(f"{role} at {place}: {'refused' if expected else 'ALLOWED'}")
    return wrong


@pytest.mark.parametrize(("label", "name"), CHECKS)
def test_predicate(cast, django_user_model, label, name):
    m = BY_LABEL[label]
    check = m.predicates[name]
    world = m.build(cast)
    users = {role: fresh(getattr(cast, role)) for role in ROLES}
    wrong = _wrong_cells(check, users, world, lambda role, place: role in check.allowed[place])

    root = django_user_model.objects.create_superuser("13700000009", "gongzhi-pass-123")
    inactive = fresh(cast.community_worker)
    inactive.is_active = False
    wrong += _wrong_cells(
        check, {"superuser": root, "inactive": inactive}, world,
        lambda role, place: check.superuser if role == "superuser" else False,
    )  # fmt: skip
    assert wrong == [], f"{label}.{name}"


# Dissolve the body whose post a role holds (tables.POST_BODY): its members hold nothing
# of that post anywhere. None of these roles lives or owns anywhere, so they are answered
# as the cast's ``nobody`` is.


@pytest.mark.parametrize("body_name", sorted(set(POST_BODY.values())))
def test_the_members_of_a_dissolved_body_are_answered_as_nobody(cast, body_name):
    from gongzhi.bodies.services import body_dissolve

    worlds = {m.label: m.build(cast) for m in MATRICES}
    body_dissolve(actor=None, body=getattr(cast, body_name), reason="撤销")
    members = {role: fresh(getattr(cast, role)) for role, b in POST_BODY.items() if b == body_name}
    wrong = []
    for m in MATRICES:
        for name, check in sorted(m.predicates.items()):
            cells = _wrong_cells(
                check, members, worlds[m.label],
                lambda role, place, check=check: "nobody" in check.allowed[place],
            )  # fmt: skip
            wrong += [f"{m.label}.{name}: {cell}" for cell in cells]
    assert wrong == []
