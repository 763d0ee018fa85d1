"""The role tables of the permission matrix: every role of the cast × every capability
question × the four places. tests/permission_matrix/test_capability_table.py asks the
platform's predicates each cell; the apps' matrix modules (tests/permission_matrix/apps/)
build their expectations from these tables.

The places:

- ``A``: compound A itself (its page, roster, bodies, audit log, figures).
- ``A/1号楼``: a room of building 1 of A, which lies in grid 甲一网格: the building
  leader and the grid worker act here, while at the level of A they only *reach* it.
- ``B``: the other compound of community C1 (the community worker's, not A's staff's).
- ``Z``: the compound of community C2, same street (only the street official's).

A new role or a changed capability must change a table here, in plain sight.
"""

from __future__ import annotations

from tests.cast import Cast

ROLES = (
    "resident", "owner", "building_leader", "clerk", "clerk_b", "secretary", "owners_chair",
    "grid_worker", "community_worker", "street_official", "outsider", "nobody",
)  # fmt: skip

# The actions, each a question about one place (given by its path).
VIEW_PLACE = "view place"  # the compound page: places.permissions.get_compound_for
VIEW_ROSTER = "view roster"  # people.permissions.can_view_roster
# Personal data in full, split by need (docs/privacy.md); masked for everyone else:
VIEW_PHONE = "see phones"  # people.permissions.can_view_phone
VIEW_ID_NUMBER = "see ID numbers"  # people.permissions.can_view_id_number
VIEW_CARE = "see care flags"  # people.permissions.can_view_care
EDIT_ROSTER = "edit/import roster"  # people.permissions.can_edit_roster
MANAGE_BODIES = "manage bodies"  # bodies.permissions.can_manage_members (branch_a in A)
VIEW_AUDIT = "view audit"  # audit.permissions.can_view_audit
EXPORT_AUDIT = "export audit"  # audit.permissions.can_export_audit
VIEW_FIGURES = "view figures"  # Cap.VIEW_FIGURES
DISPATCH = "dispatch"  # DemandCap.DISPATCH
HANDLE = "handle"  # DemandCap.HANDLE
VOTE = "vote"  # VotingCap.VOTE

ACTIONS = (
    VIEW_PLACE, VIEW_ROSTER, VIEW_PHONE, VIEW_ID_NUMBER, VIEW_CARE, EDIT_ROSTER,
    MANAGE_BODIES, VIEW_AUDIT, EXPORT_AUDIT, VIEW_FIGURES, DISPATCH, HANDLE, VOTE,
)  # fmt: skip

NOTHING: frozenset[str] = frozenset()
COMMUNITY_STAFF = frozenset(
    {VIEW_PLACE, VIEW_ROSTER, VIEW_PHONE, VIEW_ID_NUMBER, VIEW_CARE, EDIT_ROSTER,
     MANAGE_BODIES, VIEW_AUDIT, EXPORT_AUDIT, VIEW_FIGURES, DISPATCH}
)  # fmt: skip
STREET = frozenset({VIEW_PLACE, VIEW_AUDIT, EXPORT_AUDIT, VIEW_FIGURES})
CLERK = frozenset({VIEW_PLACE, VIEW_ROSTER, VIEW_PHONE, HANDLE})  # phones, no IDs, no care

# ------------------------------------------------------------------ compound A itself
IN_A: dict[str, frozenset[str]] = {
    "resident": frozenset({VIEW_PLACE}),
    "owner": frozenset({VIEW_PLACE, VOTE}),
    "building_leader": frozenset({VIEW_PLACE}),  # reaches A; acts in building 1 only
    "clerk": CLERK,
    "clerk_b": NOTHING,
    "secretary": frozenset(
        {
            VIEW_PLACE,
            VIEW_ROSTER,
            VIEW_PHONE,
            VIEW_CARE,
            MANAGE_BODIES,
            VIEW_AUDIT,
            VIEW_FIGURES,
            DISPATCH,
        }
    ),  # fmt: skip
    "owners_chair": frozenset({VIEW_PLACE, VIEW_ROSTER, VIEW_FIGURES, HANDLE}),
    "grid_worker": frozenset({VIEW_PLACE}),  # reaches A; acts in grid 甲一网格 only
    "community_worker": COMMUNITY_STAFF,
    "street_official": STREET,
    "outsider": NOTHING,
    "nobody": NOTHING,
}

# ------------------------------------------------ a room of building 1 (grid 甲一网格) of A
IN_ROOM_OF_A: dict[str, frozenset[str]] = {
    **IN_A,
    "building_leader": frozenset({VIEW_PLACE, VIEW_ROSTER, VIEW_PHONE, HANDLE}),
    "grid_worker": frozenset({VIEW_PLACE, VIEW_ROSTER, VIEW_PHONE, VIEW_CARE, DISPATCH}),
}

# -------------------------------------------------- compound B (same community as A)
IN_B: dict[str, frozenset[str]] = {
    **dict.fromkeys(ROLES, NOTHING),
    "clerk_b": CLERK,
    "community_worker": COMMUNITY_STAFF,
    "street_official": STREET,
}

# ------------------------------------------- compound Z (other community, same street)
IN_Z: dict[str, frozenset[str]] = {
    **dict.fromkeys(ROLES, NOTHING),
    "street_official": STREET,
    "outsider": frozenset({VIEW_PLACE}),  # lives in Z
}

MATRIX = {"A": IN_A, "A/1号楼": IN_ROOM_OF_A, "B": IN_B, "Z": IN_Z}


def _path(cast: Cast, place: str) -> str:
    return {"A": cast.a, "A/1号楼": cast.room_a, "B": cast.b, "Z": cast.z}[place].path


PLACES = tuple(MATRIX)
# The compound of each place, as the cast's attribute (the room's is A), and the places
# that are compounds themselves.
COMPOUND_OF = {"A": "a", "A/1号楼": "a", "B": "b", "Z": "z"}
COMPOUND_PLACES = ("A", "B", "Z")


def compound_at(cast: Cast, place: str):
    return getattr(cast, COMPOUND_OF[place])


# The body whose post each role holds (the dissolved-body rows).
POST_BODY = {
    "building_leader": "branch_a",
    "clerk": "property_a",
    "clerk_b": "property_b",
    "secretary": "branch_a",
    "owners_chair": "owners_committee_a",
    "grid_worker": "residents_committee",
    "community_worker": "residents_committee",
    "street_official": "street_office",
}


def holding(action: str) -> dict[str, frozenset[str]]:
    """Per place, the roles the tables allow ``action``."""
    return {
        place: frozenset(role for role, allowed in table.items() if action in allowed)
        for place, table in MATRIX.items()
    }
