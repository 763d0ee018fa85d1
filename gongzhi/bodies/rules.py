"""Which posts in which bodies grant which capabilities. Pure data, tested exhaustively.

The platform's own capabilities (core.capabilities.Cap) are in ``PLATFORM_CAPABILITIES``
below; each feature app grants its own to the role groups named here, in its manifest
(``core.capabilities.grant``): the dispatch board to ``COMMUNITY_STAFF``, ``BRANCH_LEADS``
and ``GRID_WORKERS``, for example. ``capabilities_of`` answers with both, ``role_table``
shows the whole merged table.

Personal data is split by need (docs/privacy.md gives the reason for each role): phones
(VIEW_PHONE) for those who serve residents, full ID numbers (VIEW_ID_NUMBER) only for the
community staff who keep the roster and the voter roll, care flags (VIEW_CARE) only for
care staff (community staff, grid workers, branch leads). Everyone else sees them masked.
"""

from __future__ import annotations

from gongzhi.core import capabilities
from gongzhi.core.capabilities import Cap

C = Cap
Role = tuple[str, str]

_LEADS = ("secretary", "deputy_secretary")
_CHAIRS = ("chair", "vice_chair")
_OWNERS_BODIES = ("owners_committee", "property_management_committee", "self_management_committee")
_PARTY_GROUPS = ("grid_party_group", "building_party_group")

# -- Role groups: the posts that play the same part, for the apps' grants ----------------
STREET: tuple[Role, ...] = (
    *(("street_office", p) for p in ("official", *_CHAIRS, "member")),
    *(("street_party_committee", p) for p in (*_LEADS, "member")),
)
COMMUNITY_STAFF: tuple[Role, ...] = (  # 社区两委: residents' committee and party committee
    *(("residents_committee", p) for p in ("community_worker", *_CHAIRS, "member")),
    *(("community_party_committee", p) for p in (*_LEADS, "member")),
)
GRID_WORKERS: tuple[Role, ...] = (("residents_committee", "grid_worker"),)  # 网格员
BRANCH_LEADS: tuple[Role, ...] = tuple(("compound_party_branch", p) for p in _LEADS)
PARTY_MEMBERS: tuple[Role, ...] = (
    ("compound_party_branch", "member"),
    ("compound_party_branch", "central_household"),  # 中心户
    *((k, p) for k in _PARTY_GROUPS for p in ("member", "central_household")),
)
BUILDING_LEADERS: tuple[Role, ...] = (  # 楼栋长 and the leads of grid and building groups
    ("compound_party_branch", "building_leader"),
    *((k, p) for k in _PARTY_GROUPS for p in (*_LEADS, "building_leader")),
)
OWNERS_CHAIRS: tuple[Role, ...] = tuple((k, p) for k in _OWNERS_BODIES for p in _CHAIRS)
OWNERS_MEMBERS: tuple[Role, ...] = tuple(
    (k, p) for k in _OWNERS_BODIES for p in ("member", "building_leader")
)
PROPERTY_MANAGERS: tuple[Role, ...] = (("property_company", "manager"),)
PROPERTY_CLERKS: tuple[Role, ...] = (("property_company", "clerk"),)
PARTNER_LIAISONS: tuple[Role, ...] = (("partner_unit", "liaison"),)  # 共建单位联络人
VOLUNTEER_CAPTAINS: tuple[Role, ...] = (("volunteer_team", "captain"),)
VISITORS: tuple[Role, ...] = (  # look only
    ("volunteer_team", "volunteer"),
    ("advisers", "adviser"),
    ("think_tank", "member"),
)
ROLE_GROUPS: dict[str, tuple[Role, ...]] = {
    "street": STREET, "community_staff": COMMUNITY_STAFF, "grid_workers": GRID_WORKERS,
    "branch_leads": BRANCH_LEADS, "party_members": PARTY_MEMBERS,
    "building_leaders": BUILDING_LEADERS, "owners_chairs": OWNERS_CHAIRS,
    "owners_members": OWNERS_MEMBERS, "property_managers": PROPERTY_MANAGERS,
    "property_clerks": PROPERTY_CLERKS, "partner_liaisons": PARTNER_LIAISONS,
    "volunteer_captains": VOLUNTEER_CAPTAINS, "visitors": VISITORS,
}  # fmt: skip

_VISITOR = frozenset({C.VIEW_PLACE})
_ROSTER = frozenset({C.VIEW_PLACE, C.VIEW_ROSTER})
_PLATFORM_BY_GROUP: dict[str, frozenset[Cap]] = {
    "street": frozenset({C.VIEW_PLACE, C.VIEW_FIGURES, C.VIEW_AUDIT, C.EXPORT_AUDIT}),
    "community_staff": frozenset(
        {
            C.VIEW_PLACE,
            C.VIEW_ROSTER,
            C.VIEW_PHONE,
            C.VIEW_ID_NUMBER,
            C.VIEW_CARE,
            C.EDIT_ROSTER,
            C.MANAGE_BODIES,
            C.VIEW_AUDIT,
            C.EXPORT_AUDIT,
            C.VIEW_FIGURES,
        }
    ),  # fmt: skip
    "grid_workers": frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_CARE}),
    "branch_leads": frozenset(
        {
            C.VIEW_PLACE,
            C.VIEW_ROSTER,
            C.VIEW_PHONE,
            C.VIEW_CARE,
            C.MANAGE_BODIES,
            C.VIEW_AUDIT,
            C.VIEW_FIGURES,
        }
    ),  # fmt: skip
    "party_members": _ROSTER,
    "building_leaders": frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE}),
    "owners_chairs": frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_FIGURES}),
    "owners_members": _ROSTER,
    "property_managers": frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE, C.VIEW_FIGURES}),
    "property_clerks": frozenset({C.VIEW_PLACE, C.VIEW_ROSTER, C.VIEW_PHONE}),
    "partner_liaisons": _VISITOR,
    "volunteer_captains": _VISITOR,
    "visitors": _VISITOR,
}

# The platform's part of the role table: every post that grants more than a look.
PLATFORM_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    role: _PLATFORM_BY_GROUP[name] for name, roles in ROLE_GROUPS.items() for role in roles
}
_merged: dict[Role, frozenset[str]] = {}
_merged_version = -1


def role_table() -> dict[Role, frozenset[str]]:
    """The whole role table: the platform's capabilities and every app's grants, for posts
    and standing roles alike (cached until the next ``capabilities.grant``)."""
    global _merged, _merged_version
    if _merged_version != capabilities.version():
        table: dict[Role, set[str]] = {
            role: set(caps)
            for role, caps in {**PLATFORM_CAPABILITIES, **capabilities.standing_roles()}.items()
        }
        for role, caps in capabilities.granted_roles().items():
            table.setdefault(role, set(_VISITOR)).update(caps)
        _merged, _merged_version = (
            {r: frozenset(c) for r, c in table.items()},
            capabilities.version(),
        )
    return _merged


def capabilities_of(kind: str, post: str) -> frozenset[str]:
    """Capabilities a post in a body of ``kind`` grants (or a standing role, with post
    ``""``); any other membership may only look."""
    return role_table().get((kind, post), _VISITOR)


def post_roles() -> set[Role]:
    """The (kind, post) pairs that are posts in bodies (the standing roles left out)."""
    return set(role_table()) - set(capabilities.standing_roles())
