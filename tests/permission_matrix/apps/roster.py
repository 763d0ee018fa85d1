"""roster.permissions in the matrix: importing and exporting a compound's roster (花名册)."""

from django.core.exceptions import PermissionDenied

from gongzhi.roster import permissions as p
from tests.permission_matrix.framework import Check, found
from tests.permission_matrix.tables import compound_at

_EDITORS = {  # roster.edit over the compound: community staff
    "A": frozenset({"community_worker"}),
    "B": frozenset({"community_worker"}),
    "Z": frozenset(),
}


def _page(export):
    def ask(user, cast, place) -> bool:
        try:  # 404 for a compound out of sight, 403 for one seen but not editable
            return found(
                lambda: p.get_compound_for_roster(user, compound_at(cast, place).pk, export=export)
            )
        except PermissionDenied:
            return False

    return ask


PREDICATES = {
    "can_import_roster": Check(
        lambda u, c, place: p.can_import_roster(u, compound_at(c, place)), _EDITORS
    ),  # fmt: skip
    "can_export_roster": Check(
        lambda u, c, place: p.can_export_roster(u, compound_at(c, place)), _EDITORS
    ),  # fmt: skip
    "get_compound_for_roster": Check(_page(False), _EDITORS),
    "get_compound_for_roster[export]": Check(_page(True), _EDITORS),
}
HELPERS = {
    "export_reveal": "reveal_at at the compound, what an export masks: "
    "tests/roster/test_services.py",
}
