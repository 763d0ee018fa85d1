"""Which posts in which bodies grant which capabilities. Pure data, tested exhaustively.

Personal data is split by need (docs/privacy.md gives the reason for each role): phones
(VIEW_PHONE) for those who serve residents, full ID numbers (VIEW_ID_NUMBER) only for the
community staff who keep the roster and the voter roll, care flags (VIEW_CARE) only for
care staff (community staff, grid workers, branch leads). Everyone else sees them masked.
"""

from __future__ import annotations

from gongzhi.core.capabilities import Cap

C = Cap

_COMMUNITY_STAFF = frozenset(
    {
        C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_ID_NUMBER, C.VIEW_CARE,
        C.EDIT_ROSTER, C.MANAGE_BODIES, C.VIEW_AUDIT, C.EXPORT_AUDIT, C.VIEW_FIGURES,
        C.DISPATCH, C.MANAGE_VOTES,
    }
)  # fmt: skip
_STREET = frozenset({C.VIEW_PLACE, C.VIEW_FIGURES, C.VIEW_AUDIT, C.EXPORT_AUDIT})
_BRANCH_LEAD = frozenset(
    {
        C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_CARE, C.MANAGE_BODIES,
        C.VIEW_AUDIT, C.VIEW_FIGURES, C.DISPATCH,
    }
)  # fmt: skip
_GRID_WORKER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_CARE, C.DISPATCH})
_PARTY_MEMBER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER})
_BUILDING_LEADER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.HANDLE})
_OWNERS_CHAIR = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_FIGURES, C.MANAGE_VOTES, C.HANDLE})
_OWNERS_MEMBER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.HANDLE})
_PROPERTY_MANAGER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.HANDLE, C.VIEW_FIGURES})
_PROPERTY_CLERK = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.HANDLE})
_HANDLER = frozenset({C.VIEW_PLACE, C.HANDLE})
_VISITOR = frozenset({C.VIEW_PLACE})

_LEADS = ("secretary", "deputy_secretary")
_CHAIRS = ("chair", "vice_chair")

ROLE_CAPABILITIES: dict[tuple[str, str], frozenset[Cap]] = {
    **{("street_office", p): _STREET for p in ("official", *_CHAIRS, "member")},
    **{("street_party_committee", p): _STREET for p in (*_LEADS, "member")},
    **{
        ("residents_committee", p): _COMMUNITY_STAFF
        for p in ("community_worker", *_CHAIRS, "member")
    },
    ("residents_committee", "grid_worker"): _GRID_WORKER,
    **{("community_party_committee", p): _COMMUNITY_STAFF for p in (*_LEADS, "member")},
    **{("compound_party_branch", p): _BRANCH_LEAD for p in _LEADS},
    ("compound_party_branch", "member"): _PARTY_MEMBER,
    ("compound_party_branch", "building_leader"): _BUILDING_LEADER,
    ("compound_party_branch", "central_household"): _PARTY_MEMBER,
    **{
        (k, p): _BUILDING_LEADER
        for k in ("grid_party_group", "building_party_group")
        for p in (*_LEADS, "building_leader")
    },  # fmt: skip
    **{(k, "member"): _PARTY_MEMBER for k in ("grid_party_group", "building_party_group")},
    **{
        (k, "central_household"): _PARTY_MEMBER
        for k in ("grid_party_group", "building_party_group")
    },
    **{
        (k, p): _OWNERS_CHAIR
        for k in ("owners_committee", "property_management_committee", "self_management_committee")
        for p in _CHAIRS
    },
    **{
        (k, p): _OWNERS_MEMBER
        for k in ("owners_committee", "property_management_committee", "self_management_committee")
        for p in ("member", "building_leader")
    },
    ("property_company", "manager"): _PROPERTY_MANAGER,
    ("property_company", "clerk"): _PROPERTY_CLERK,
    ("partner_unit", "liaison"): _HANDLER,
    ("volunteer_team", "captain"): _HANDLER,
    ("volunteer_team", "volunteer"): _VISITOR,
    ("advisers", "adviser"): _VISITOR,
    ("think_tank", "member"): _VISITOR,
}


def capabilities_of(kind: str, post: str) -> frozenset[Cap]:
    """Capabilities a post in a body of ``kind`` grants; any other membership may only look."""
    return ROLE_CAPABILITIES.get((kind, post), _VISITOR)
