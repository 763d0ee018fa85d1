"""The owners'-assembly vote rules (gongzhi.voting.rules), each at its boundary.

Pure: no Django, no database.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gongzhi.voting.rules import (
    MAJORITY,
    MATTER_LABELS,
    QUORUM,
    SUPERMAJORITY,
    Choice,
    Matter,
    Policy,
    RuleError,
    Totals,
    Unit,
    UnitKind,
    build_roll,
    collect_ballots,
    decide,
    elect,
    format_area,
    meets,
    parse_area,
    parse_choice,
    parse_kind,
    parse_matter,
    quorum_met,
    tally_decision,
    tally_election,
    threshold_for,
    validate_committee_size,
    validate_term_years,
)

RESIDENTIAL = UnitKind.RESIDENTIAL
PARKING = UnitKind.PARKING


def t(area: str, heads: int) -> Totals:
    return Totals(Decimal(area), heads)


def unit(uid: str, area: str, voter: str, kind: UnitKind = RESIDENTIAL) -> Unit:
    return Unit(uid, parse_area(area), voter, kind)


def roll_of(**areas: str) -> dict[str, Totals]:
    """One residential unit per voter: roll_of(a="30.00", b="29.99")."""
    return build_roll(unit(f"u-{voter}", area, voter) for voter, area in areas.items())


# --------------------------------------------------------------------------- matters


def test_every_matter_has_its_chinese_label() -> None:
    assert set(MATTER_LABELS) == set(Matter)
    assert Matter.RAISE_MAINTENANCE_FUND.label == "筹集建筑物及其附属设施的维修资金"
    assert Matter.CHANGE_COMMON_USE.label == "改变共有部分的用途或者利用共有部分从事经营活动"


@pytest.mark.parametrize(
    ("matter", "expected"),
    [
        (Matter.RULES_OF_PROCEDURE, MAJORITY),
        (Matter.MANAGEMENT_RULES, MAJORITY),
        (Matter.ELECT_COMMITTEE, MAJORITY),
        (Matter.HIRE_PROPERTY_MANAGER, MAJORITY),
        (Matter.USE_MAINTENANCE_FUND, MAJORITY),
        (Matter.OTHER_MAJOR, MAJORITY),
        (Matter.RAISE_MAINTENANCE_FUND, SUPERMAJORITY),
        (Matter.REBUILD, SUPERMAJORITY),
        (Matter.CHANGE_COMMON_USE, SUPERMAJORITY),
    ],
)
def test_threshold_for_each_matter(matter: Matter, expected: object) -> None:
    assert threshold_for(matter) == expected
    assert threshold_for(matter.value) == expected


def test_thresholds_are_exact_fractions_with_boundary_rules() -> None:
    assert (QUORUM.ratio, QUORUM.strict) == (Fraction(2, 3), False)
    assert (SUPERMAJORITY.ratio, SUPERMAJORITY.strict) == (Fraction(3, 4), False)
    assert (MAJORITY.ratio, MAJORITY.strict) == (Fraction(1, 2), True)
    assert "四分之三以上" in SUPERMAJORITY.description
    assert "过半数" in MAJORITY.description


def test_unknown_matter_is_rejected_in_chinese() -> None:
    with pytest.raises(RuleError, match="未知的表决事项"):
        parse_matter("sell_the_lawn")
    with pytest.raises(RuleError):
        threshold_for("sell_the_lawn")


def test_unknown_kind_and_choice_are_rejected() -> None:
    assert parse_kind("parking") is UnitKind.PARKING
    assert parse_choice("spoilt") is Choice.SPOILT
    with pytest.raises(RuleError, match="房屋类型"):
        parse_kind("garage")
    with pytest.raises(RuleError, match="表决选项"):
        parse_choice("yes")
    with pytest.raises(RuleError):
        parse_choice(1)


# --------------------------------------------------------------------------- areas


@pytest.mark.parametrize(
    ("text", "expected"),
    [("89.57", "89.57"), ("89.5", "89.50"), ("0", "0.00"), ("120", "120.00"), ("0.01", "0.01")],
)
def test_area_is_parsed_exactly_from_strings(text: str, expected: str) -> None:
    area = parse_area(text)
    assert area == Decimal(expected)
    assert format_area(area) == expected


@pytest.mark.parametrize(
    "bad",
    [
        89.57,
        89,
        True,
        None,
        "-1.00",
        "1.234",
        "1e3",
        "NaN",
        "Infinity",
        " 89.57",
        "",
        "abc",
        "89.",
        ".5",
        "٨٩",
        "1,000.00",
        Decimal("-1"),
        Decimal("1.234"),
        Decimal("NaN"),
    ],
)
def test_bad_area_is_rejected(bad: object) -> None:
    with pytest.raises(RuleError, match="面积"):
        parse_area(bad)


def test_decimal_area_from_the_database_is_accepted() -> None:
    assert format_area(parse_area(Decimal("89.5"))) == "89.50"
    assert format_area(parse_area(Decimal("-0"))) == "0.00"


def test_float_area_is_never_accepted_anywhere() -> None:
    with pytest.raises(RuleError):
        Totals(0.3, 1)  # type: ignore[arg-type]
    with pytest.raises(RuleError):
        Unit("101", 89.57, "v1", RESIDENTIAL)  # type: ignore[arg-type]


def test_negative_totals_are_rejected() -> None:
    with pytest.raises(RuleError, match="负数"):
        Totals(Decimal("-0.01"), 1)
    with pytest.raises(RuleError, match="人数"):
        Totals(Decimal("1.00"), -1)


def test_tenths_sum_exactly_without_float_error() -> None:
    roll = roll_of(a="0.10", b="0.20")
    total = roll["a"] + roll["b"]
    assert total.area == Decimal("0.30")
    assert total.to_json() == {"area": "0.30", "heads": 2}


def test_exactly_half_of_tenths_fails_where_float_would_pass() -> None:
    # 0.1 + 0.2 > 0.3 in binary floating point; exactly, 0.30 of 0.60 is just half.
    roll = roll_of(a="0.10", b="0.20", c="0.30")
    ballots = {"a": Choice.AGREE, "b": Choice.AGREE, "c": Choice.OPPOSE}
    result = tally_decision(roll, ballots, Matter.OTHER_MAJOR)
    assert result.agree == t("0.30", 2)
    assert result.participating == t("0.60", 3)
    assert result.quorum_met
    assert not result.passed


# --------------------------------------------------------------------------- roll


def test_multi_room_owner_counts_one_head_with_summed_area() -> None:
    roll = build_roll(
        [unit("1-101", "80.00", "wang"), unit("1-102", "90.50", "wang"), unit("2-201", "100", "li")]
    )
    assert roll == {"wang": t("170.50", 1), "li": t("100.00", 1)}


def test_developer_rooms_count_as_one_head() -> None:
    roll = build_roll(
        [
            unit("3-101", "88.00", "developer"),
            unit("3-102", "88.00", "developer"),
            unit("shop-1", "150.25", "developer", UnitKind.COMMERCIAL),
            unit("3-201", "88.00", "zhao"),
        ]
    )
    assert roll["developer"] == t("326.25", 1)
    assert sum(w.heads for w in roll.values()) == 2


def test_co_owners_count_once_through_designated_voter() -> None:
    # The unit row names only the designated co-owner; the other co-owner never appears.
    roll = build_roll([unit("5-501", "120.00", "chen-designated")])
    assert roll == {"chen-designated": t("120.00", 1)}


def test_parking_excluded_by_default() -> None:
    units = [
        unit("1-101", "90.00", "wang"),
        unit("P-001", "12.50", "wang", PARKING),
        unit("P-002", "12.50", "parking-only", PARKING),
    ]
    roll = build_roll(units)
    assert roll == {"wang": t("90.00", 1)}
    with pytest.raises(RuleError, match="parking-only"):
        tally_decision(roll, {"parking-only": Choice.AGREE}, Matter.OTHER_MAJOR)


def test_parking_counted_when_policy_says() -> None:
    units = [
        unit("1-101", "90.00", "wang"),
        unit("P-001", "12.50", "wang", PARKING),
        unit("P-002", "12.50", "parking-only", PARKING),
    ]
    roll = build_roll(units, Policy(count_parking_area=True))
    assert roll == {"wang": t("102.50", 1), "parking-only": t("12.50", 1)}


def test_duplicate_unit_id_is_rejected() -> None:
    with pytest.raises(RuleError, match="1-101"):
        build_roll([unit("1-101", "90.00", "wang"), unit("1-101", "90.00", "li")])


def test_totals_add_area_and_heads() -> None:
    assert t("1.10", 1) + t("2.25", 2) == t("3.35", 3)


# --------------------------------------------------------------------------- quorum


def test_exactly_two_thirds_area_and_heads_meets_quorum() -> None:
    roll = roll_of(a="30.00", b="30.00", c="30.00")
    result = tally_decision(roll, {"a": "agree", "b": "oppose"}, Matter.OTHER_MAJOR)
    assert result.participating == t("60.00", 2)
    assert result.total == t("90.00", 3)
    assert result.quorum_met


def test_one_hundredth_m2_below_two_thirds_fails_quorum() -> None:
    roll = roll_of(a="30.00", b="29.99", c="30.01")
    result = tally_decision(roll, {"a": "agree", "b": "agree"}, Matter.OTHER_MAJOR)
    assert result.total.area == Decimal("90.00")
    assert result.participating == t("59.99", 2)  # two thirds is 60.00
    assert not result.quorum_met
    assert not result.passed


def test_one_head_below_two_thirds_fails_quorum_despite_area() -> None:
    # 4 of 7 heads is below 2/3 even though they hold almost all the area.
    assert not quorum_met(t("700.00", 7), t("690.00", 4))
    assert quorum_met(t("700.00", 7), t("690.00", 5))


def test_exactly_two_thirds_heads_with_too_little_area_fails_quorum() -> None:
    assert quorum_met(t("300.00", 6), t("200.00", 4))
    assert not quorum_met(t("300.00", 6), t("199.99", 4))


def test_zero_totals_never_meet_quorum() -> None:
    assert not quorum_met(t("0", 0), t("0", 0))
    assert not quorum_met(t("0", 3), t("0", 3))  # zero area
    result = tally_decision({}, {}, Matter.OTHER_MAJOR)
    assert not result.quorum_met and not result.passed


def test_no_quorum_means_not_passed_even_if_unanimous() -> None:
    roll = roll_of(a="10.00", b="10.00", c="10.00", d="10.00")
    result = tally_decision(roll, {"a": "agree", "b": "agree"}, Matter.OTHER_MAJOR)
    assert not result.quorum_met
    assert not result.passed


def test_abstentions_count_for_quorum_not_agreement() -> None:
    roll = roll_of(a="10.00", b="10.00", c="10.00")
    result = tally_decision(roll, {"a": "agree", "b": "abstain", "c": "abstain"}, "other_major")
    assert result.quorum_met
    assert result.abstain == t("20.00", 2)
    assert result.agree == t("10.00", 1)
    assert not result.passed
    without_abstainers = tally_decision(roll, {"a": "agree"}, "other_major")
    assert not without_abstainers.quorum_met


def test_spoilt_ballots_count_for_quorum_not_agreement() -> None:
    roll = roll_of(a="10.00", b="10.00", c="10.00")
    result = tally_decision(roll, {"a": "agree", "b": "spoilt", "c": "spoilt"}, "other_major")
    assert result.quorum_met
    assert result.spoilt == t("20.00", 2)
    assert result.participating == t("30.00", 3)
    assert not result.passed


# --------------------------------------------------------------------------- majority 过半数


def test_exactly_half_agree_fails_majority() -> None:
    roll = roll_of(a="25.00", b="25.00", c="25.00", d="25.00")
    ballots = {"a": "agree", "b": "agree", "c": "oppose", "d": "oppose"}
    result = tally_decision(roll, ballots, Matter.HIRE_PROPERTY_MANAGER)
    assert result.agree == t("50.00", 2)
    assert result.quorum_met
    assert not result.passed


def test_just_over_half_passes() -> None:
    roll = roll_of(a="20.01", b="20.00", c="10.00", d="25.00", e="24.99")
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "oppose", "e": "oppose"}
    result = tally_decision(roll, ballots, Matter.HIRE_PROPERTY_MANAGER)
    assert result.agree == t("50.01", 3)
    assert result.participating == t("100.00", 5)
    assert result.passed


def test_majority_passes_on_heads_but_fails_on_area() -> None:
    # 3 of 5 heads agree, but they hold only 50.00 of 100.00.
    result = decide(Matter.OTHER_MAJOR, t("100.00", 5), t("100.00", 5), t("50.00", 3))
    assert result.quorum_met
    assert not result.passed


def test_majority_passes_on_area_but_fails_on_heads() -> None:
    # 2 of 4 heads hold 90.00 of 100.00.
    result = decide(Matter.OTHER_MAJOR, t("100.00", 4), t("100.00", 4), t("90.00", 2))
    assert not result.passed


def test_majority_is_of_participants_not_of_all_owners() -> None:
    # 4 of 6 owners take part (exactly the quorum); 3 agree: that is three quarters of
    # the participants but only half of all owners, and it passes.
    roll = roll_of(a="15.00", b="15.00", c="15.00", d="15.00", e="15.00", f="15.00")
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "oppose"}
    result = tally_decision(roll, ballots, Matter.MANAGEMENT_RULES)
    assert result.quorum_met
    assert result.agree == t("45.00", 3)
    assert result.passed


# --------------------------------------------------------------------------- three quarters


def test_exactly_three_quarters_passes_raise_fund() -> None:
    roll = roll_of(a="25.00", b="25.00", c="25.00", d="25.00")
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "oppose"}
    result = tally_decision(roll, ballots, Matter.RAISE_MAINTENANCE_FUND)
    assert result.agree == t("75.00", 3)
    assert result.passed
    assert result.threshold == SUPERMAJORITY


def test_below_three_quarters_fails_rebuild() -> None:
    roll = roll_of(a="25.01", b="25.00", c="24.99", d="25.00")
    ballots = {"a": "oppose", "b": "agree", "c": "agree", "d": "agree"}
    rebuild = tally_decision(roll, ballots, Matter.REBUILD)
    assert rebuild.agree == t("74.99", 3)  # three quarters is 75.00
    assert not rebuild.passed
    # The same ballots carry an ordinary matter.
    assert tally_decision(roll, ballots, Matter.USE_MAINTENANCE_FUND).passed


def test_three_quarters_fails_on_heads_despite_area() -> None:
    # 5 of 7 heads (< 3/4) hold 80% of the area.
    result = decide(Matter.CHANGE_COMMON_USE, t("100.00", 7), t("100.00", 7), t("80.00", 5))
    assert not result.passed
    result = decide(Matter.CHANGE_COMMON_USE, t("100.00", 8), t("100.00", 8), t("80.00", 6))
    assert result.passed


def test_three_quarters_fails_on_area_despite_heads() -> None:
    result = decide(Matter.REBUILD, t("100.00", 4), t("100.00", 4), t("74.99", 4))
    assert not result.passed


def test_meets_compares_by_cross_multiplication() -> None:
    # 2/3 of 100.00 is 66.666...: 66.67 reaches it, 66.66 does not.
    assert meets(QUORUM, t("66.67", 2), t("100.00", 3))
    assert not meets(QUORUM, t("66.66", 2), t("100.00", 3))


# --------------------------------------------------------------------------- decision input


def test_ballot_from_voter_not_on_roll_is_rejected_by_name() -> None:
    with pytest.raises(RuleError, match="stranger"):
        tally_decision(roll_of(a="10.00"), {"stranger": "agree"}, Matter.OTHER_MAJOR)


def test_second_ballot_from_one_voter_is_rejected() -> None:
    assert collect_ballots([("a", "agree"), ("b", "oppose")]) == {"a": "agree", "b": "oppose"}
    with pytest.raises(RuleError, match="a 提交了两张选票"):
        collect_ballots([("a", "agree"), ("a", "oppose")])


def test_decide_rejects_inconsistent_totals() -> None:
    with pytest.raises(RuleError, match="超过"):
        decide(Matter.OTHER_MAJOR, t("10.00", 1), t("20.00", 2), t("0", 0))
    with pytest.raises(RuleError, match="超过"):
        decide(Matter.OTHER_MAJOR, t("20.00", 2), t("10.00", 1), t("20.00", 1))
    with pytest.raises(RuleError, match="之和"):
        decide(
            Matter.OTHER_MAJOR,
            t("30.00", 3),
            t("30.00", 3),
            t("10.00", 1),
            oppose=t("10.00", 1),
            abstain=t("0", 0),
            spoilt=t("0", 0),
        )


def test_decision_json_has_two_decimal_areas_and_chinese_threshold() -> None:
    roll = roll_of(a="10.5", b="20", c="30.25")
    result = tally_decision(roll, {"a": "agree", "b": "agree", "c": "oppose"}, "rebuild")
    data = result.to_json()
    assert data["matter"] == "rebuild"
    assert data["total"] == {"area": "60.75", "heads": 3}
    assert data["agree"] == {"area": "30.50", "heads": 2}
    assert data["oppose"] == {"area": "30.25", "heads": 1}
    assert data["abstain"] == {"area": "0.00", "heads": 0}
    assert data["quorum_met"] is True
    assert data["passed"] is False
    assert data["threshold"] == SUPERMAJORITY.description


# --------------------------------------------------------------------------- elections


def test_election_elects_in_rank_order_heads_then_area() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("60.00", 6), "B": t("55.00", 7), "C": t("70.00", 6), "D": t("90.00", 9)},
        seats=3,
    )
    assert result.elected == ("D", "B", "C")
    assert result.runoff == ()
    assert result.unfilled == 0


def test_election_tie_for_last_seat_goes_to_runoff() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("90.00", 9), "B": t("60.00", 6), "C": t("60.00", 6), "D": t("55.00", 6)},
        seats=2,
    )
    assert result.elected == ("A",)
    assert result.runoff == ("B", "C")
    assert result.unfilled == 1


def test_tie_within_seats_all_elected() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("90.00", 9), "B": t("60.00", 6), "C": t("60.00", 6)},
        seats=3,
    )
    assert result.elected == ("A", "B", "C")
    assert result.runoff == ()
    assert result.unfilled == 0


def test_three_way_tie_for_two_last_seats_leaves_both_unfilled() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("90.00", 9), "B": t("60.00", 6), "C": t("60.00", 6), "D": t("60.00", 6)},
        seats=3,
    )
    assert result.elected == ("A",)
    assert result.runoff == ("B", "C", "D")
    assert result.unfilled == 2


def test_same_heads_different_area_is_not_a_tie() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("60.00", 6), "B": t("60.01", 6)},
        seats=1,
    )
    assert result.elected == ("B",)
    assert result.runoff == ()


def test_candidate_with_half_heads_not_elected() -> None:
    result = elect(t("100.00", 4), t("100.00", 4), {"A": t("90.00", 2)}, seats=1)
    assert result.quorum_met
    assert result.elected == ()
    assert result.unfilled == 1


def test_candidate_with_half_area_not_elected() -> None:
    result = elect(t("100.00", 4), t("100.00", 4), {"A": t("50.00", 3)}, seats=1)
    assert result.elected == ()


def test_fewer_qualified_than_seats_leaves_seats_unfilled() -> None:
    result = elect(
        t("100.00", 10),
        t("100.00", 10),
        {"A": t("90.00", 9), "B": t("40.00", 4), "C": t("51.00", 6)},
        seats=3,
    )
    assert result.qualified == ("A", "C")
    assert result.elected == ("A", "C")
    assert result.unfilled == 1


def test_no_quorum_elects_nobody() -> None:
    result = elect(t("100.00", 10), t("60.00", 6), {"A": t("60.00", 6)}, seats=1)
    assert not result.quorum_met
    assert result.elected == ()
    assert result.runoff == ()
    assert result.unfilled == 1


def test_tally_election_counts_ballots_and_empty_ballot_participates() -> None:
    roll = roll_of(a="30.00", b="30.00", c="30.00")
    ballots = {"a": ["X", "Y"], "b": ["X"], "c": []}
    result = tally_election(roll, ballots, ["X", "Y", "Z"], seats=2)
    assert result.participating == t("90.00", 3)
    assert result.candidates == {"X": t("60.00", 2), "Y": t("30.00", 1), "Z": t("0", 0)}
    assert result.elected == ("X",)
    assert result.unfilled == 1
    data = result.to_json()
    assert data["candidates"]["Z"] == {"area": "0.00", "heads": 0}
    assert data["elected"] == ["X"]


def test_multi_room_owner_is_one_head_in_an_election() -> None:
    roll = build_roll(
        [
            unit("1", "50.00", "wang"),
            unit("2", "50.00", "wang"),
            unit("3", "30.00", "li"),
            unit("4", "30.00", "zhao"),
        ]
    )
    result = tally_election(roll, {"wang": ["X"], "li": ["Y"], "zhao": ["Y"]}, ["X", "Y"], 1)
    # X holds 100 of 160 m² but only 1 of 3 heads; Y has 2 heads but 60 m².
    assert result.elected == ()


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["X", "X"], "重复"),
        (["X", "Y", "Z"], "超过应选席位数"),
        (["W"], "未知候选人"),
        ("X", "列表"),
        ([1], "未知候选人"),
    ],
)
def test_invalid_election_ballot_is_rejected(choices: object, message: str) -> None:
    roll = roll_of(a="30.00")
    with pytest.raises(RuleError, match=message):
        tally_election(roll, {"a": choices}, ["X", "Y", "Z"], seats=2)  # type: ignore[dict-item]


def test_election_ballot_from_voter_not_on_roll_is_rejected() -> None:
    with pytest.raises(RuleError, match="ghost"):
        tally_election(roll_of(a="30.00"), {"ghost": ["X"]}, ["X"], seats=1)


def test_duplicate_candidate_and_bad_seats_are_rejected() -> None:
    with pytest.raises(RuleError, match="候选人重复"):
        tally_election(roll_of(a="30.00"), {}, ["X", "X"], seats=1)
    for seats in (0, -1, True, 1.0):
        with pytest.raises(RuleError, match="席位"):
            elect(t("1.00", 1), t("1.00", 1), {}, seats=seats)  # type: ignore[arg-type]


def test_approvals_above_participation_are_rejected() -> None:
    with pytest.raises(RuleError, match="超过"):
        elect(t("100.00", 10), t("80.00", 8), {"A": t("90.00", 9)}, seats=1)


# --------------------------------------------------------------------------- committee


@pytest.mark.parametrize("members", [5, 7, 9, 11])
def test_committee_size_odd_five_to_eleven_is_valid(members: int) -> None:
    assert validate_committee_size(members) == members


@pytest.mark.parametrize("members", [0, 3, 4, 6, 8, 10, 12, 13, -5, True, 7.0, "7"])
def test_committee_size_otherwise_is_rejected(members: object) -> None:
    with pytest.raises(RuleError, match="5 至 11 人的单数"):
        validate_committee_size(members)  # type: ignore[arg-type]


@pytest.mark.parametrize("years", [1, 2, 3, 4, 5])
def test_term_up_to_five_years_is_valid(years: int) -> None:
    assert validate_term_years(years) == years


@pytest.mark.parametrize("years", [0, 6, 10, -1, True, 2.5, "3"])
def test_term_over_five_years_or_not_whole_is_rejected(years: object) -> None:
    with pytest.raises(RuleError, match="任期"):
        validate_term_years(years)  # type: ignore[arg-type]
