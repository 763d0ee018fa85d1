"""voting.permissions for every shared role of tests/cast.py."""

from __future__ import annotations

import pytest
from django.http import Http404

from gongzhi.voting import permissions

MANAGERS = {"community_worker", "owners_chair"}
SEES_A = {
    "resident",
    "owner",
    "building_leader",
    "clerk",
    "secretary",
    "owners_chair",
    "grid_worker",
    "community_worker",
    "street_official",
}


def test_manage_votes_only_for_community_staff_and_owners_chairs(cast, open_a):
    for name, user in cast.roles().items():
        assert permissions.can_manage_assembly(user, open_a) is (name in MANAGERS), name


def test_view_scope_and_404_outside_it(cast, open_a):
    for name, user in cast.roles().items():
        if name in SEES_A:
            assert permissions.get_assembly_for(user, open_a.pk) == open_a
        else:
            with pytest.raises(Http404):
                permissions.get_assembly_for(user, open_a.pk)


def test_clerk_of_other_compound_gets_404(cast, open_a):
    with pytest.raises(Http404):
        permissions.get_assembly_for(cast.clerk_b, open_a.pk)


def test_only_people_on_the_frozen_roll_vote(cast, open_a):
    assert permissions.can_vote(cast.owner, open_a)
    for name in ("resident", "clerk", "community_worker", "outsider", "nobody"):
        assert not permissions.can_vote(getattr(cast, name), open_a), name


def test_a_different_manager_confirms_paper(cast, staff, open_a):
    from gongzhi.voting import services
    from tests.voting.helpers import scan

    entry = permissions.roll_entry_of(cast.owner, open_a)
    sheet = services.paper_sheet_enter(
        actor=staff[0],
        assembly=open_a,
        entry=entry,
        answers={open_a.questions.get(): "agree"},
        scan=scan(),
    )
    assert not permissions.can_confirm_paper(staff[0], sheet)
    assert permissions.can_confirm_paper(staff[1], sheet)
    assert not permissions.can_confirm_paper(cast.clerk, sheet)
