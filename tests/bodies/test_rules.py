"""bodies.rules: which post in which body grants which capabilities (pure data)."""

from __future__ import annotations

import pytest

from gongzhi.bodies import rules
from gongzhi.bodies.models import OWNERS_BODY_KINDS, PARTY_KINDS, BodyKind, Post
from gongzhi.core import capabilities
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.notices.capabilities import NoticeCap
from gongzhi.voting.capabilities import VotingCap

C = Cap


def caps(kind: str, post: str) -> frozenset[str]:
    return rules.capabilities_of(kind, post)


def posts() -> dict[tuple[str, str], frozenset[str]]:
    """The merged role table's posts (the platform's and every app's grants)."""
    return {role: caps(*role) for role in rules.post_roles()}


def test_every_pair_names_a_real_body_kind_and_post():
    for kind, post in posts():
        assert kind in BodyKind.values, kind
        assert post in Post.values, post


def test_every_body_kind_has_at_least_one_post_with_capabilities():
    kinds_with_posts = {kind for kind, _post in posts()}
    assert kinds_with_posts == set(BodyKind.values)


def test_every_role_may_at_least_see_its_place():
    for pair, held in posts().items():
        assert C.VIEW_PLACE in held, pair


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
    editors = {pair for pair, c in posts().items() if C.EDIT_ROSTER in c}
    assert {kind for kind, _ in editors} == {"residents_committee", "community_party_committee"}
    assert ("residents_committee", "grid_worker") not in editors


def _holders(cap) -> set[tuple[str, str]]:
    return {pair for pair, c in posts().items() if cap in c}


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
    assert ids <= _holders(C.EDIT_ROSTER) & _holders(VotingCap.MANAGE_VOTES)
    assert not ids & _holders(DemandCap.HANDLE)  # no property or owners' body post


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
    for pair, held in posts().items():
        if C.EXPORT_AUDIT in held:
            assert C.VIEW_AUDIT in held, pair


def test_owners_bodies_chairs_manage_votes_and_members_do_not():
    for kind in OWNERS_BODY_KINDS:
        assert VotingCap.MANAGE_VOTES in caps(kind, "chair")
        assert VotingCap.MANAGE_VOTES in caps(kind, "vice_chair")
        assert VotingCap.MANAGE_VOTES not in caps(kind, "member")


def test_no_body_post_grants_a_vote():
    # Voting comes from owning a room (people.permissions), never from a post.
    assert all(VotingCap.VOTE not in c for c in posts().values())


def test_no_body_post_files_demands():
    # Filing a demand comes from living or owning somewhere.
    assert all(DemandCap.FILE_DEMAND not in c for c in posts().values())


def test_party_groups_mirror_the_branch_below_it():
    for kind in ("grid_party_group", "building_party_group"):
        assert caps(kind, "secretary") == caps("compound_party_branch", "building_leader")
        assert caps(kind, "member") == caps("compound_party_branch", "member")


def test_party_kinds_are_the_party_organisations():
    assert {k.value for k in PARTY_KINDS} == {
        "street_party_committee", "community_party_committee", "compound_party_branch",
        "grid_party_group", "building_party_group",
    }  # fmt: skip


# -- The apps' grants through the registry (core.capabilities.grant, in their manifests) --


def _holding(cap) -> set[tuple[str, str]]:
    return {role for role, c in posts().items() if cap in c}


def test_every_post_of_the_platform_table_is_in_a_named_group():
    grouped = [role for roles in rules.ROLE_GROUPS.values() for role in roles]
    assert len(grouped) == len(set(grouped)), "a post in two groups"
    assert set(grouped) == set(rules.PLATFORM_CAPABILITIES)


def test_dispatchers_are_community_staff_branch_leads_and_grid_workers():
    expected = {*rules.COMMUNITY_STAFF, *rules.BRANCH_LEADS, *rules.GRID_WORKERS}
    assert _holding(DemandCap.DISPATCH) == expected


def test_handlers_are_those_a_demand_goes_to():
    expected = {
        *rules.BUILDING_LEADERS, *rules.OWNERS_CHAIRS, *rules.OWNERS_MEMBERS,
        *rules.PROPERTY_MANAGERS, *rules.PROPERTY_CLERKS, *rules.PARTNER_LIAISONS,
        *rules.VOLUNTEER_CAPTAINS,
    }  # fmt: skip
    assert _holding(DemandCap.HANDLE) == expected
    assert not _holding(DemandCap.HANDLE) & _holding(DemandCap.DISPATCH)


def test_vote_managers_are_community_staff_and_owners_chairs():
    assert _holding(VotingCap.MANAGE_VOTES) == {*rules.COMMUNITY_STAFF, *rules.OWNERS_CHAIRS}


def test_notice_posters_are_those_who_run_the_compound():
    expected = {*rules.COMMUNITY_STAFF, *rules.BRANCH_LEADS, *rules.GRID_WORKERS,
                *rules.OWNERS_CHAIRS}  # fmt: skip
    assert _holding(NoticeCap.POST_NOTICE) == expected


def _platform(caps) -> set[str]:
    """Leaving out the test app's capability (tests/plugin_app grants one to residents)."""
    return {c for c in caps if capabilities.app_of(c) != "plugin_app"}


def test_standing_roles():
    standing = capabilities.standing
    assert _platform(standing(capabilities.RESIDENT)) == {C.VIEW_PLACE, DemandCap.FILE_DEMAND}
    assert _platform(standing(capabilities.OWNER)) == {
        C.VIEW_PLACE, DemandCap.FILE_DEMAND, VotingCap.VOTE,
    }  # fmt: skip
    assert _platform(standing(capabilities.DUAL_REGISTERED)) == {C.VIEW_PLACE, DemandCap.HANDLE}


def test_visitors_only_look():
    for role in rules.VISITORS:
        assert caps(*role) == {C.VIEW_PLACE}, role
