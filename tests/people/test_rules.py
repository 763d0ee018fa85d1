"""people.rules: mainland mobile numbers, resident ID check digits, masking."""

from __future__ import annotations

import pytest

from gongzhi.people import rules


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("86-138-0013-8000", "13800138000"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_mobile_strips_spaces_dashes_and_country_code(raw, normal):
    assert rules.normalise_mobile(raw) == normal


def test_normalise_mobile_keeps_a_leading_86_that_is_part_of_the_number():
    # Only a 13-digit "86…" is a country code; an 11-digit number starting 86 is left alone.
    assert rules.normalise_mobile("86138001380") == "86138001380"


@pytest.mark.parametrize("raw", ["13800138000", "19912345678", "+86 150-1234-5678"])
def test_is_mobile_accepts_mainland_mobiles(raw):
    assert rules.is_mobile(raw)


@pytest.mark.parametrize(
    "raw",
    ["12800138000", "1380013800", "138001380001", "23800138000", "1380013800a", "", "010-12345678"],
)
def test_is_mobile_refuses_others(raw):
    assert not rules.is_mobile(raw)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440524188001010014", "350203199001011248", "110101199003078515"],
)
def test_valid_id_numbers_pass_the_check_digit(number):
    assert rules.is_id_number(number)


def test_lowercase_x_check_digit_is_accepted():
    assert rules.is_id_number("11010519491231002x")


def test_surrounding_spaces_are_ignored():
    assert rules.is_id_number(" 11010519491231002X ")


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # check digit should be X
        "440524188001010015",  # check digit off by one
        "350203199001011240",
        "11010519491231002",  # 17 digits
        "11010519491231002XX",  # 19 characters
        "1101051949123100XX",  # X only allowed last
        "A1010519491231002X",
        "",
        None,
    ],
)
def test_wrong_check_digit_or_format_is_refused(number):
    assert not rules.is_id_number(number)


def test_every_single_digit_change_is_caught():
    valid = "440524188001010014"
    for i in range(17):
        for digit in "0123456789":
            if digit != valid[i]:
                changed = valid[:i] + digit + valid[i + 1 :]
                assert not rules.is_id_number(changed), changed


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("1381234", "138****1234"), ("12345", "****"), ("", ""),
     (None, "")],
)  # fmt: skip
def test_mask_phone(phone, masked):
    assert rules.mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "1101**********002X"),
        ("123456789", "1234*6789"),
        ("12345678", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number_keeps_region_and_check_part_only(number, masked):
    assert rules.mask_id_number(number) == masked


def test_masked_id_number_hides_the_birth_date():
    masked = rules.mask_id_number("11010519491231002X")
    assert "19491231" not in masked
    assert len(masked) == 18


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧**娜"),
        ("王", "王"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(name, masked):
    assert rules.mask_name(name) == masked


def test_id_number_with_impossible_birth_date_is_refused():
    from gongzhi.people import rules as people_rules

    # Month 13: the check digit may be right, the date is not.
    body = "11010519491331002"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    assert not people_rules.is_id_number(body + check)
