"""places.permissions in the matrix: who sees a place (tables.VIEW_PLACE)."""

from gongzhi.places import permissions as p
from tests.permission_matrix.framework import Check, found
from tests.permission_matrix.tables import ROLES, VIEW_PLACE, _path, compound_at, holding

PREDICATES = {
    "can_view_place": Check(
        lambda u, c, place: p.can_view_place(u, _path(c, place)), holding(VIEW_PLACE)
    ),  # fmt: skip
    "get_compound_for": Check(
        lambda u, c, place: found(lambda: p.get_compound_for(u, compound_at(c, place).pk)),
        {
            place: holding(VIEW_PLACE)["A" if place == "A/1号楼" else place]
            for place in holding(VIEW_PLACE)
        },
    ),  # fmt: skip
    "get_community_for": Check(
        # A and B are community C1's, Z is C2's: who sees the community of each place.
        lambda u, c, place: found(
            lambda: p.get_community_for(u, compound_at(c, place).community_id)
        ),
        {
            **{
                place: frozenset(set(ROLES) - {"outsider", "nobody"})  # all of C1's
                for place in ("A", "A/1号楼", "B")
            },
            "Z": frozenset({"street_official", "outsider"}),
        },
    ),  # fmt: skip
}
HELPERS = {
    "compounds_visible_to": "a queryset, the list of compounds: "
    "test_capability_table.test_compounds_visible_to",
}
