"""The test app's predicates in the permission matrix (tests/permission_matrix/framework.py
finds this module by the app's name: no edit outside the app)."""

from tests.permission_matrix.framework import Check, found
from tests.permission_matrix.tables import _path, compound_at
from tests.plugin_app import permissions as p

PREDICATES = {
    # Residents water where they live, building leaders in their building.
    "can_water": Check(
        lambda u, c, place: p.can_water(u, _path(c, place)),
        {
            "A": frozenset({"resident"}),
            "A/1号楼": frozenset({"resident", "building_leader"}),
            "B": frozenset(),
            "Z": frozenset({"outsider"}),
        },
    ),
    "get_garden_for": Check(
        lambda u, c, place: found(lambda: p.get_garden_for(u, compound_at(c, place).pk)),
        {"A": frozenset({"resident"}), "B": frozenset(), "Z": frozenset({"outsider"})},
    ),
}
HELPERS: dict[str, str] = {}
