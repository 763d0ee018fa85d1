"""One cell at a time: text as Excel shows it, and each column's parser.

Each parser returns ``(value, None)`` or ``(None, message)``; an empty cell is
``(None, None)``, "not given".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongzhi.core import text as core_text
from gongzhi.people import rules as people_rules
from gongzhi.places import rules as places_rules
from gongzhi.roster.rules.columns import (
    AREA_MAX,
    FLOOR_RANGE,
    FORMULA_START,
    NO,
    NO_WORDS,
    YES,
    YES_WORDS,
)

# How much of a bad cell an error repeats: enough to find it in Excel. A 30,000-character
# cell echoed in each of 20,000 rows made a 67 KB upload answer with a 600 MB page.
ECHO_CHARS = 30
# Errors listed for one file; the rest are counted in one last line. Nobody reads past the
# first screens, and each error kept costs memory while the file is checked.
MAX_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    """One problem: Excel row number (None for the whole file), column header, reason."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)s行") % {"row": self.row} if self.row else _("文件")
        return (
            f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowErrors(list):
    """The errors of one file as they are found: the first MAX_ERRORS kept, all counted."""

    def __init__(self, errors: Iterable[RowError] = ()):
        super().__init__()
        self.total = 0
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self) < MAX_ERRORS:
            super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)


def reported(errors: list[RowError]) -> tuple[list[RowError], int]:
    """At most MAX_ERRORS errors and a last line telling how many more there are; and
    how many there are in all."""
    total = max(getattr(errors, "total", 0), len(errors))
    shown = list(errors[:MAX_ERRORS])
    if total > len(shown):
        more = total - len(shown)
        shown.append(
            RowError(
                None,
                "",
                ngettext(
                    "另有 %(count)d 处错误未列出;请先改正以上错误,再重新导入查看其余错误。",
                    "另有 %(count)d 处错误未列出;请先改正以上错误,再重新导入查看其余错误。",
                    more,
                )
                % {"count": more},
            )
        )
    return shown, total


# ---------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text; numbers as Excel shows them; our formula guard undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    # Invisible characters at the edges (zero-width spaces, BOMs) cut as for any free text.
    text = core_text.clean(str(value).replace("\u3000", " ").replace("\xa0", " "))
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:].strip()  # written by guard_formula on export
    return text


def guard_formula(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?e\+?[0-9]+$", re.IGNORECASE)
_AREA_UNITS = re.compile(r"(㎡|m2|m²|平方米|平米)$", re.IGNORECASE)


def clip(text: str) -> str:
    """The start of a cell as an error repeats it (ECHO_CHARS at most)."""
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def quote(text: str) -> str:
    return f"「{clip(text)}」"


def parse_area(raw: Any) -> tuple[Decimal | None, str | None]:
    """A positive area in m², at most 2 decimal places. (None, None) when the cell is empty."""
    if isinstance(raw, float):
        rounded = round(raw, 2)
        if abs(raw - rounded) > 1e-9:
            return None, _("%(value)s最多保留两位小数。") % {"value": quote(repr(raw))}
        raw = f"{rounded:.2f}"
    text = cell_text(raw)
    if not text:
        return None, None
    number = _AREA_UNITS.sub("", unicodedata.normalize("NFKC", text)).replace(",", "").strip()
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None, _("%(value)s不是有效的面积。") % {"value": quote(text)}
    if not value.is_finite() or value <= 0:
        return None, _("面积必须大于 0。")
    if value > AREA_MAX:
        return None, _("%(value)s超过了面积上限 %(limit)s ㎡。") % {
            "value": quote(text),
            "limit": places_rules.format_limit(AREA_MAX),
        }
    if value != value.quantize(Decimal("0.01")):
        return None, _("%(value)s最多保留两位小数。") % {"value": quote(text)}
    return value.quantize(Decimal("0.01")), None


def parse_floor(raw: Any) -> tuple[int | None, str | None]:
    text = cell_text(raw)
    if not text:
        return None, None
    number = re.sub(r"(层|楼|f)$", "", unicodedata.normalize("NFKC", text), flags=re.IGNORECASE)
    number = number.replace("负", "-")
    if not re.fullmatch(r"-?[0-9]+", number) or not (
        FLOOR_RANGE[0] <= int(number) <= FLOOR_RANGE[1]
    ):
        return None, _("%(value)s不是有效的楼层(%(min)s 至 %(max)s 的整数,地下层用负数)。") % {
            "value": quote(text),
            "min": FLOOR_RANGE[0],
            "max": FLOOR_RANGE[1],
        }
    return int(number), None


def parse_choice(
    raw: Any, words: dict[str, str], labels: dict[str, str]
) -> tuple[str | None, str | None]:
    text = cell_text(raw)
    if not text:
        return None, None
    value = words.get(text) or words.get(unicodedata.normalize("NFKC", text).lower())
    if value is None:
        return None, _("%(value)s无效,应为:%(choices)s。") % {
            "value": quote(text),
            "choices": "、".join(labels.values()),
        }
    return value, None


def parse_yes_no(raw: Any) -> tuple[bool | None, str | None]:
    text = cell_text(raw)
    if not text:
        return None, None
    folded = unicodedata.normalize("NFKC", text).lower()
    if folded in YES_WORDS:
        return True, None
    if folded in NO_WORDS:
        return False, None
    return None, _("%(value)s无效,应填「是」或「否」。") % {"value": quote(text)}


def masked(text: str) -> bool:
    return "*" in text or "＊" in text


def parse_phone(raw: Any) -> tuple[str, str | None]:
    text = cell_text(raw)
    if not text:
        return "", None
    if masked(text):
        return "", _("%(value)s是打码后的号码,不能导入;请用可查看完整联系方式的账号重新导出。") % {
            "value": quote(text)
        }
    phone = people_rules.normalise_mobile(unicodedata.normalize("NFKC", text))
    if not people_rules.is_mobile(phone):
        return "", _("%(value)s不是11位中国大陆手机号码。") % {"value": quote(text)}
    return phone, None


def parse_id_number(raw: Any) -> tuple[str | None, str | None]:
    text = cell_text(raw)
    if not text:
        return None, None
    if masked(text):
        return None, _(
            "%(value)s是打码后的身份证号,不能导入;请用可查看完整联系方式的账号重新导出。"
        ) % {"value": quote(text)}
    if isinstance(raw, float) or _SCIENTIFIC.match(text):
        return None, _(
            "%(value)s被 Excel 存成了数字,末几位已经丢失;请把该列设为「文本」格式后重新填写。"
        ) % {"value": quote(text)}
    number = re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).upper()
    if not people_rules.is_id_number(number):
        return None, _("%(value)s不是有效的18位身份证号码(格式或校验位不正确)。") % {
            "value": quote(text)
        }
    return number, None


def gender_of_id(id_number: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return "m" if int(id_number[16]) % 2 else "f"


def parse_name(raw: Any, limit: int) -> tuple[str, str | None]:
    text = re.sub(r"\s+", " ", cell_text(raw))
    if len(text) > limit:
        return "", _("%(value)s超过 %(limit)d 个字。") % {"value": quote(text), "limit": limit}
    return text, None
