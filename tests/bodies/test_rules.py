"""bodies.rules: which post in which body grants which capabilities (pure data)."""

from __future__ import annotations

import pytest

from gongzhi.bodies import rules
from gongzhi.bodies.models import OWNERS_BODY_KINDS, PARTY_KINDS, BodyKind, Post
from gongzhi.core.capabilities import Cap

C = Cap


def caps(kind: str, post: str) -> frozenset[Cap]:
    return rules.capabilities_of(kind, post)


def test_every_pair_names_a_real_body_kind_and_post():
    for kind, post in rules.ROLE_CAPABILITIES:
        assert kind in BodyKind.values, kind
        assert post in Post.values, post


def test_every_body_kind_has_at_least_one_post_with_capabilities():
    kinds_with_posts = {kind for kind, _post in rules.ROLE_CAPABILITIES}
    assert kinds_with_posts == set(BodyKind.values)


def test_every_role_may_at_least_see_its_place():
    for pair, capabilities in rules.ROLE_CAPABILITIES.items():
        assert C.VIEW_PLACE in capabilities, pair


def test_unknown_post_only_looks():
    assert caps("compound_party_branch", "volunteer") == frozenset({C.VIEW_PLACE})
    assert caps("no_such_kind", "secretary") == frozenset({C.VIEW_PLACE})


@pytest.mark.parametrize(
    ("kind", "post"),
    [
        ("residents_committee", "community_worker"),
        ("residents_committee", "chair"),
        ("community_party_committee", "secretary"),
        ("community_party_committee", "member"),
    ],
)
def test_community_staff_edit_rosters_and_export_the_audit_log(kind, post):
    assert {C.EDIT_ROSTER, C.MANAGE_BODIES, C.VIEW_AUDIT, C.EXPORT_AUDIT} <= caps(kind, post)


@pytest.mark.parametrize(
    ("kind", "post"), [("street_office", "official"), ("street_party_committee", "secretary")]
)
def test_street_sees_figures_and_audit_but_no_personal_data(kind, post):
    street = caps(kind, post)
    assert {C.VIEW_FIGURES, C.VIEW_AUDIT, C.EXPORT_AUDIT} <= street
    assert not street & {C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_ID_NUMBER, C.VIEW_CARE, C.EDIT_ROSTER}


def test_only_community_staff_edit_rosters():
    editors = {pair for pair, c in rules.ROLE_CAPABILITIES.items() if C.EDIT_ROSTER in c}
    assert {kind for kind, _ in editors} == {"residents_committee", "community_party_committee"}
    assert ("residents_committee", "grid_worker") not in editors


def _holders(cap) -> set[tuple[str, str]]:
    return {pair for pair, c in rules.ROLE_CAPABILITIES.items() if cap in c}


def test_phones_for_those_who_serve_residents():
    phones = _holders(C.VIEW_PHONE)
    assert {kind for kind, _ in phones} == {
        "residents_committee", "community_party_committee", "compound_party_branch",
        "grid_party_group", "building_party_group", "property_company",
    }  # fmt: skip
    assert ("compound_party_branch", "building_leader") in phones  # where they serve
    assert ("compound_party_branch", "member") not in phones
    assert not {kind for kind, _ in phones} & set(OWNERS_BODY_KINDS)  # fellow owners


def test_id_numbers_only_for_community_staff_who_keep_roster_and_voter_roll():
    ids = _holders(C.VIEW_ID_NUMBER)
    assert {kind for kind, _ in ids} == {"residents_committee", "community_party_committee"}
    assert ("residents_committee", "grid_worker") not in ids
    assert ids <= _holders(C.EDIT_ROSTER) & _holders(C.MANAGE_VOTES)
    assert not ids & _holders(C.HANDLE)  # no property or owners' body post


def test_care_flags_only_for_care_staff_not_property_staff():
    care = _holders(C.VIEW_CARE)
    assert {kind for kind, _ in care} == {
        "residents_committee", "community_party_committee", "compound_party_branch",
    }  # fmt: skip
    assert ("residents_committee", "grid_worker") in care
    assert {("compound_party_branch", p) for p in ("secretary", "deputy_secretary")} <= care
    assert not {pair for pair in care if pair[0] == "property_company"}
    assert ("compound_party_branch", "building_leader") not in care


def test_branch_secretary_reads_but_does_not_export_the_audit_log():
    secretary = caps("compound_party_branch", "secretary")
    assert C.VIEW_AUDIT in secretary and C.EXPORT_AUDIT not in secretary
    assert caps("compound_party_branch", "deputy_secretary") == secretary


def test_export_implies_view_for_the_audit_log():
    for pair, capabilities in rules.ROLE_CAPABILITIES.items():
        if C.EXPORT_AUDIT in capabilities:
            assert C.VIEW_AUDIT in capabilities, pair


def test_owners_bodies_chairs_manage_votes_and_members_do_not():
    for kind in OWNERS_BODY_KINDS:
        assert C.MANAGE_VOTES in caps(kind, "chair")
        assert C.MANAGE_VOTES in caps(kind, "vice_chair")
        assert C.MANAGE_VOTES not in caps(kind, "member")


def test_no_body_post_grants_a_vote():
    # Voting comes from owning a room (people.permissions), never from a post.
    assert all(C.VOTE not in c for c in rules.ROLE_CAPABILITIES.values())


def test_no_body_post_files_demands():
    # Filing a demand comes from living or owning somewhere.
    assert all(C.FILE_DEMAND not in c for c in rules.ROLE_CAPABILITIES.values())


def test_party_groups_mirror_the_branch_below_it():
    for kind in ("grid_party_group", "building_party_group"):
        assert caps(kind, "secretary") == caps("compound_party_branch", "building_leader")
        assert caps(kind, "member") == caps("compound_party_branch", "member")


def test_party_kinds_are_the_party_organisations():
    assert {k.value for k in PARTY_KINDS} == {
        "street_party_committee", "community_party_committee", "compound_party_branch",
        "grid_party_group", "building_party_group",
    }  # fmt: skip
