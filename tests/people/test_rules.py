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


# -- personal data in JSON (audit events' before/after): masked by key, per kind ---------

ACCOUNT = {"id": 7, "phone": "13812345678", "person_id": 3, "is_active": True}
PERSON = {
    "name": "张三", "phone": "13812345678", "id_number": "11010519491231002X",
    "birth_date": "1949-12-31", "is_vulnerable": True, "note": "",
}  # fmt: skip


def test_nothing_revealed_masks_phone_id_number_birth_date_and_care_flag():
    masked = rules.mask_personal(PERSON, rules.NOTHING)
    assert masked == {
        "name": "张三", "phone": "138****5678", "id_number": "1101**********002X",
        "birth_date": "***", "is_vulnerable": "***", "note": "",
    }  # fmt: skip
    assert PERSON["phone"] == "13812345678"  # the event's own data is untouched


def test_each_kind_is_revealed_by_its_own_capability_only():
    phone_only = rules.mask_personal(PERSON, rules.Reveal(phone=True))
    assert (phone_only["phone"], phone_only["id_number"]) == ("13812345678", "1101**********002X")
    assert phone_only["is_vulnerable"] == "***"
    ids = rules.mask_personal(PERSON, rules.Reveal(id_number=True))
    assert (ids["phone"], ids["id_number"], ids["birth_date"]) == (
        "138****5678", "11010519491231002X", "1949-12-31",
    )  # fmt: skip
    care = rules.mask_personal(PERSON, rules.Reveal(care=True))
    assert care["is_vulnerable"] is True and care["phone"] == "138****5678"
    assert rules.mask_personal(PERSON, rules.EVERYTHING) == PERSON


def test_masking_reaches_any_depth_and_lists_under_a_personal_key():
    data = {
        "rows": [{"person": {"phone": "13812345678"}}, ACCOUNT],
        "phone": ["13812345678", "13987654321"],
        "new_phone": "13700001111",
        "手机号": "13600002222",
        "身份证号": "11010519491231002X",
        "counts": {"persons": 3},
    }
    masked = rules.mask_personal(data, rules.NOTHING)
    assert masked["rows"][0]["person"]["phone"] == "138****5678"
    assert masked["rows"][1] == {**ACCOUNT, "phone": "138****5678"}
    assert masked["phone"] == ["138****5678", "139****4321"]
    assert (masked["new_phone"], masked["手机号"]) == ("137****1111", "136****2222")
    assert masked["身份证号"] == "1101**********002X"
    assert masked["counts"] == {"persons": 3}


def test_empty_values_stay_empty_and_other_data_passes_through():
    assert rules.mask_personal({"phone": "", "id_number": None}, rules.NOTHING) == {
        "phone": "", "id_number": None,
    }  # fmt: skip
    assert rules.mask_personal(None, rules.NOTHING) is None
    assert rules.mask_personal("13812345678", rules.NOTHING) == "13812345678"  # not keyed


def test_shows_id_number_only_when_a_full_one_is_left():
    assert rules.shows_id_number(PERSON, rules.EVERYTHING)
    assert not rules.shows_id_number(PERSON, rules.Reveal(phone=True, care=True))
    assert not rules.shows_id_number({**PERSON, "id_number": None}, rules.EVERYTHING)
    assert rules.shows_id_number({"rows": [{"身份证号": "11010519491231002X"}]}, rules.EVERYTHING)
    assert not rules.shows_id_number(ACCOUNT, rules.EVERYTHING)
