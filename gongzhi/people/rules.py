"""Pure rules about people: phone and ID number formats, masking."""

from __future__ import annotations

import datetime as dt
import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
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
