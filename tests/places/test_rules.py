"""places.rules: ancestry paths, containment, ancestors, and the ranking of area sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongzhi.places import rules

ROOM = "d1/s2/c3/p4/g5/b6/e7/r8/"


def test_child_path_appends_level_letter_and_id():
    assert rules.child_path("", "district", 1) == "d1/"
    assert rules.child_path("d1/s2/c3/", "compound", 41) == "d1/s2/c3/p41/"


def test_every_level_has_its_own_letter():
    letters = [prefix for _level, prefix in rules.LEVELS]
    assert len(set(letters)) == len(letters) == 8


@pytest.mark.parametrize(
    ("path", "ancestor"),
    [(ROOM, ROOM), (ROOM, "d1/s2/c3/p4/"), (ROOM, "d1/"), ("d1/s2/c3/p4/", "d1/s2/c3/")],
)
def test_is_within_itself_and_its_ancestors(path, ancestor):
    assert rules.is_within(path, ancestor)


@pytest.mark.parametrize(
    ("path", "ancestor"),
    [
        ("d1/s2/c3/p41/", "d1/s2/c3/p4/"),  # p41 is not inside p4: the slash matters
        ("d1/s2/c3/p4/", "d1/s2/c3/p41/"),
        ("d1/s2/c3/", "d1/s2/c3/p4/"),  # a parent is not within its child
        ("d1/s2/c3/p4/", "d1/s2/c9/"),  # a sibling
        (ROOM, ""),  # nothing lies within the empty path
        ("", ""),
    ],
)
def test_is_within_refuses_others(path, ancestor):
    assert not rules.is_within(path, ancestor)


def test_parse_path():
    assert rules.parse_path("d1/s2/c3/p4/") == [
        ("district", 1), ("street", 2), ("community", 3), ("compound", 4),
    ]  # fmt: skip
    assert rules.parse_path("") == []


@pytest.mark.parametrize("bad", ["x1/", "d/", "d1/sX/", "d1/s-2/", "p4a/"])
def test_parse_path_refuses_malformed_paths(bad):
    with pytest.raises(ValueError, match="bad place path segment"):
        rules.parse_path(bad)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("district", "d1/"),
        ("street", "d1/s2/"),
        ("community", "d1/s2/c3/"),
        ("compound", "d1/s2/c3/p4/"),
        ("grid", "d1/s2/c3/p4/g5/"),
        ("building", "d1/s2/c3/p4/g5/b6/"),
        ("entrance", "d1/s2/c3/p4/g5/b6/e7/"),
        ("room", ROOM),
    ],
)
def test_ancestor_at_each_level_of_a_room(level, expected):
    assert rules.ancestor_at(ROOM, level) == expected


def test_ancestor_at_a_level_the_path_skips_is_none():
    building_without_grid = "d1/s2/c3/p4/b6/"
    assert rules.ancestor_at(building_without_grid, "grid") is None
    assert rules.ancestor_at(building_without_grid, "compound") == "d1/s2/c3/p4/"
    assert rules.ancestor_at("d1/s2/", "compound") is None
    assert rules.ancestor_at("", "district") is None


def test_best_area_prefers_the_registered_area():
    candidates = {
        "contract": Decimal("90.00"), "surveyed": Decimal("89.80"), "registered": Decimal("89.57"),
    }  # fmt: skip
    assert rules.best_area(candidates) == (Decimal("89.57"), "registered")


def test_best_area_falls_back_to_surveyed_then_contract():
    assert rules.best_area(
        {"registered": None, "surveyed": Decimal("89.80"), "contract": Decimal("90.00")}
    ) == (Decimal("89.80"), "surveyed")
    assert rules.best_area({"contract": Decimal("90.00")}) == (Decimal("90.00"), "contract")


def test_best_area_with_nothing_known_is_none():
    assert rules.best_area({}) is None
    assert rules.best_area({"registered": None, "unknown_source": Decimal("1")}) is None


def test_area_source_rank_matches_the_model_choices():
    from gongzhi.places.models import AreaSource

    assert tuple(AreaSource.values) == rules.AREA_SOURCE_RANK


def test_total_area():
    assert rules.total_area([Decimal("89.57"), Decimal("10.43")]) == Decimal("100.00")
    assert rules.total_area([]) == Decimal("0.00")
