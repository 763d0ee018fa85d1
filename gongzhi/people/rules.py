"""Pure rules about people: phone and ID number formats, masking."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits: \d takes "٣" too
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_mobile(raw: str) -> str:
    """Strip spaces, dashes and a +86/86 prefix from a mainland mobile number."""
    digits = re.sub(r"[\s\-]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_mobile(raw: str) -> bool:
    return bool(MOBILE_RE.match(normalise_mobile(raw)))


def normalise_id_number(raw: str | None) -> str | None:
    """Strip and upper-case (the check digit X); empty means none."""
    value = (raw or "").strip().upper()
    return value or None


def is_id_number(raw: str) -> bool:
    """18-digit resident ID with a valid GB 11643 check digit."""
    value = (raw or "").strip().upper()
    if not ID_RE.match(value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False  # no such birth date
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def mask_phone(phone: str | None) -> str:
    """138****5678."""
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_id_number(number: str | None) -> str:
    """3502**********123X: region and check part only."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "****"


def mask_name(name: str | None) -> str:
    """张*明 / 王*: for public lists, where a name must not be shown in full."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# -- Minimum necessary (PIPL): what a reader sees of people's personal data ---------------


@dataclass(frozen=True)
class Reveal:
    """Which personal data a reader sees in full at one place; the rest is masked.

    One field per capability (core.capabilities, docs/privacy.md): ``phone``
    (people.phone), ``id_number`` (people.id_number, with the birth date it contains),
    ``care`` (people.care: the 困难/特殊群体 flag)."""

    phone: bool = False
    id_number: bool = False
    care: bool = False

    @property
    def masked(self) -> bool:
        """Is any contact (phone or ID number) masked?"""
        return not (self.phone and self.id_number)


NOTHING = Reveal()
EVERYTHING = Reveal(phone=True, id_number=True, care=True)

MASKED = "***"  # a hidden value that has no masked form of its own (a care flag, a date)

# Keys under which personal data is kept in snapshots (audit events), roster rows and the
# like: key → (the Reveal field that shows it, how it is masked). Keys ending in
# ``_phone``/``_mobile``/``_id_number`` (``new_phone``) count as phones and ID numbers.
PHONE_KEY = ("phone", "phone")
ID_NUMBER_KEY = ("id_number", "id_number")
BIRTH_KEY = ("id_number", "whole")  # the birth date is digits 7-14 of the ID number
CARE_KEY = ("care", "whole")
PERSONAL_KEYS: dict[str, tuple[str, str]] = {
    "phone": PHONE_KEY, "mobile": PHONE_KEY, "手机号": PHONE_KEY,
    "id_number": ID_NUMBER_KEY, "身份证号": ID_NUMBER_KEY,
    "birth_date": BIRTH_KEY, "出生日期": BIRTH_KEY,
    "is_vulnerable": CARE_KEY, "vulnerable": CARE_KEY, "困难群体": CARE_KEY,
    "困难/特殊群体": CARE_KEY,
}  # fmt: skip


def personal_key(key: Any) -> tuple[str, str] | None:
    """(Reveal field, masking) for a key holding personal data; None for any other key."""
    if not isinstance(key, str):
        return None
    found = PERSONAL_KEYS.get(key)
    if found is None and key.endswith(("_phone", "_mobile")):
        return PHONE_KEY
    if found is None and key.endswith("_id_number"):
        return ID_NUMBER_KEY
    return found


def _mask_value(masking: str, value: Any) -> Any:
    """``value`` masked whole: every scalar in it, however deep (a list of phones)."""
    if isinstance(value, dict):
        return {k: _mask_value(masking, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(masking, v) for v in value]
    if value is None or value == "":
        return value  # nothing on record says nothing
    if masking == "phone" and isinstance(value, str):
        return mask_phone(value)
    if masking == "id_number" and isinstance(value, str):
        return mask_id_number(value)
    return MASKED


def mask_personal(data: Any, reveal: Reveal) -> Any:
    """``data`` (JSON: dicts, lists, scalars) with every value under a personal-data key
    masked unless ``reveal`` shows it, at any depth. A new structure; ``data`` is untouched."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            found = personal_key(key)
            if found is None or getattr(reveal, found[0]):
                out[key] = mask_personal(value, reveal)
            else:
                out[key] = _mask_value(found[1], value)
        return out
    if isinstance(data, list):
        return [mask_personal(v, reveal) for v in data]
    return data


def shows_id_number(data: Any, reveal: Reveal) -> bool:
    """Does ``data``, masked for ``reveal``, still show some full ID number?"""
    if not reveal.id_number:
        return False
    if isinstance(data, dict):
        return any(
            (personal_key(k) == ID_NUMBER_KEY and bool(v)) or shows_id_number(v, reveal)
            for k, v in data.items()
        )
    if isinstance(data, list):
        return any(shows_id_number(v, reveal) for v in data)
    return False
