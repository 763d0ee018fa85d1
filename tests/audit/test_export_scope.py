"""audit.permissions.export_scope and common_place: where an export is filed."""

from gongzhi.audit.permissions import common_place, export_scope


def test_common_place_is_the_nearest_ancestor_of_all():
    assert common_place([]) == ""
    assert common_place(["", ""]) == ""
    assert common_place(["d1/s1/c1/p1/"]) == "d1/s1/c1/p1/"
    assert common_place(["d1/s1/c1/p1/", "d1/s1/c1/p2/"]) == "d1/s1/c1/"
    assert common_place(["d1/s1/c1/p1/g1/", "d1/s1/c2/p3/"]) == "d1/s1/"
    assert common_place(["d1/s1/", "d2/s9/"]) == ""
    assert common_place(["d1/s1/c1/", "d1/s1/c1/p1/b1/"]) == "d1/s1/c1/"
    assert common_place(["d1/s1/c12/", "d1/s1/c1/"]) == "d1/s1/"  # not a string prefix


def test_an_export_is_filed_where_its_exporter_oversees(cast):
    assert export_scope(cast.community_worker) == cast.community.path
    assert export_scope(cast.street_official) == cast.street.path
    assert export_scope(cast.secretary) == ""  # reads, does not export
    assert export_scope(cast.nobody) == ""
