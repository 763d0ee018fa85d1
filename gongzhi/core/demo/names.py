"""Deterministic identities for demo and benchmark data: names, mobiles, ID numbers.

Everything comes from one ``random.Random`` seeded by the caller, so the same seed
builds the same people. ID numbers follow GB 11643 (region, birth date, sequence whose
last digit is odd for men and even for women, check digit) and so pass
``people.rules.is_id_number``; mobiles are 11 digits on real mainland prefixes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from itertools import accumulate

from gongzhi.core.demo import tables

# The tables (surnames, given-name characters, mobile prefixes): data/names.toml.
_DATA = tables.load("gongzhi.core.demo", "names")

# Common surnames, most frequent first, with rough relative weights.
_SURNAMES: str = _DATA["surnames"]
# Roughly Zipf-like, as surname frequencies are: 王 about ten times a rank-30 name.
_BASE_WEIGHTS = {s: 100.0 / (i + 3) ** 1.1 for i, s in enumerate(_SURNAMES)}

# Where a surname is much more common than nationally (southern Fujian, Hezhou, Yangquan).
REGIONAL_SURNAMES: dict[str, dict[str, float]] = {
    region: {item[0]: float(item[1:]) for item in extra.split()}
    for region, extra in _DATA["regional_surnames"].items()
}

# Given-name characters, by gender and by generation (names follow fashions).
_MALE_OLD: str = _DATA["given_male_old"]
_MALE_NEW: str = _DATA["given_male_new"]
_FEMALE_OLD: str = _DATA["given_female_old"]
_FEMALE_NEW: str = _DATA["given_female_new"]

MOBILE_PREFIXES: tuple[str, ...] = tuple(_DATA["mobile_prefixes"])
# 13800000000–13800000099 are the demo accounts' numbers: never hand them out at random.
RESERVED_PHONE_PREFIX = "138000000"

_ID_CHECK = "10X98765432"
_ID_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))


def id_check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(region: str, birth: dt.date, seq: int) -> str:
    """The 18-digit ID number for a region code, birth date and 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


class Identities:
    """Hands out names, mobiles and ID numbers, never the same mobile or ID number twice."""

    def __init__(
        self,
        rng: random.Random,
        *,
        taken_id_numbers: Iterable[str] = (),
        taken_phones: Iterable[str] = (),
    ):
        self.rng = rng
        self._ids: set[str] = set(taken_id_numbers)
        self._phones: set[str] = set(taken_phones)
        self._tables: dict[str, tuple[list[str], list[float]]] = {}

    def _surname_table(self, region: str) -> tuple[list[str], list[float]]:
        """Surnames and their cumulative weights (so each draw is a bisection)."""
        if region not in self._tables:
            weights = dict(_BASE_WEIGHTS)
            for surname, extra in REGIONAL_SURNAMES.get(region, {}).items():
                weights[surname] = weights.get(surname, 1.0) + extra
            names = list(weights)
            self._tables[region] = (names, list(accumulate(weights[n] for n in names)))
        return self._tables[region]

    def surname(self, region: str = "") -> str:
        names, cumulative = self._surname_table(region)
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def given_name(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        old = birth_year < 1975 or (birth_year < 1990 and rng.random() < 0.4)
        if gender == "m":
            chars = _MALE_OLD if old else _MALE_NEW
        else:
            chars = _FEMALE_OLD if old else _FEMALE_NEW
        length = 1 if rng.random() < (0.25 if old else 0.35) else 2
        name = "".join(rng.choice(chars) for _ in range(length))
        return name if len(set(name)) == len(name) else name[0]

    def name(self, gender: str, birth_year: int, region: str = "") -> str:
        return self.surname(region) + self.given_name(gender, birth_year)

    def phone(self) -> str:
        rng = self.rng
        while True:
            number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in self._phones and not number.startswith(RESERVED_PHONE_PREFIX):
                self._phones.add(number)
                return number

    def claim_phone(self, number: str) -> None:
        self._phones.add(number)

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        """A fresh ID number; the sequence's last digit is odd for men, even for women."""
        rng = self.rng
        for _ in range(1000):
            seq = rng.randrange(0, 100) * 10 + rng.choice(
                (1, 3, 5, 7, 9) if gender == "m" else (0, 2, 4, 6, 8)
            )
            if seq == 0:
                continue
            number = id_number(region, birth, seq)
            if number not in self._ids:
                self._ids.add(number)
                return number
        raise RuntimeError(f"no free ID number left for {region} {birth}")

    def birth_date(self, age_min: int, age_max: int, today: dt.date) -> dt.date:
        """A birth date for someone aged ``age_min``–``age_max`` on ``today``."""
        youngest = today.toordinal() - age_min * 365 - 1
        oldest = today.toordinal() - (age_max + 1) * 365 + 1
        return dt.date.fromordinal(self.rng.randint(oldest, youngest))

    def gender(self, male_share: float = 0.5) -> str:
        return "m" if self.rng.random() < male_share else "f"


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
