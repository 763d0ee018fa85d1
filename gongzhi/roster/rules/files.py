"""Reading .xlsx and .csv into rows numbered as Excel numbers them; writing them back."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import tablib
from django.utils.translation import gettext as _

from gongzhi.roster.rules.cells import RowError, cell_text, guard_formula
from gongzhi.roster.rules.columns import (
    COLUMN_HELP,
    COLUMNS,
    NO,
    REQUIRED_COLUMNS,
    TEMPLATE_EXAMPLE,
    YES,
    canonical_column,
)

# Limits. A compound's roster is a few thousand rooms and their people; a file beyond
# these is a mistake or an attack, and is refused before it costs memory or a long answer.
MAX_BYTES = 5 * 1024 * 1024  # the upload as sent: a 20,000-row .xlsx is about 1.5 MB
# An .xlsx is a zip of XML parts. Unzipped, a 20,000-row roster is about 12 MB; a zip bomb
# unpacks a thousandfold (a 400 KB file held a 400 MB string that openpyxl read whole).
# Checked before openpyxl sees the file: the sizes each part declares, then the bytes it
# really unpacks to (a declared size can lie).
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_ZIP_MEMBERS = 200  # an .xlsx has a dozen parts; each member costs a record in memory
MAX_ROWS = 20_000  # data rows: the largest compounds have about 5,000 rooms
MAX_COLUMNS = 60  # the template has 17 columns; anything past 60 is not read
# The longest value any column takes is a 100-character place name; Excel allows 32,767.
# A longer cell is cut to this length as it is read, and reported.
MAX_CELL_CHARS = 500
HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common in office sheets
BLANK_RUN_END = 1_000  # this many blank rows in a row end the table (formatted empty rows)

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass
class Table:
    """Cells as read, each data row with its Excel row number."""

    headers: list[Any]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    format: str
    # (row, column index, length) of every cell longer than MAX_CELL_CHARS, cut as read.
    long_cells: list[tuple[int, int, int]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def file_too_big(size: int) -> RowError | None:
    if size > MAX_BYTES:
        return RowError(
            None,
            "",
            _("文件过大(%(size).1f MB),上限为 %(limit)d MB;请分批导入。")
            % {"size": size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024},
        )
    return None


def read_table(data: bytes, filename: str = "") -> tuple[Table | None, list[RowError]]:
    """Read an .xlsx or .csv file into a Table, or say why it cannot be read.

    Reading goes through openpyxl and the csv module directly rather than tablib.Dataset:
    tablib drops blank CSV lines (shifting every later row number away from what Excel
    shows) and raises on ragged rows, and both would make the error report wrong.
    """
    if not data:
        return None, [RowError(None, "", _("文件为空。"))]
    if too_big := file_too_big(len(data)):
        return None, [too_big]
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xls" or data.startswith(_OLE_MAGIC):
        return None, [
            RowError(None, "", _("不支持旧版 Excel(.xls)文件,请在 Excel 中另存为 .xlsx 或 .csv。"))
        ]
    if suffix not in ("", ".xlsx", ".csv", ".txt"):
        return None, [
            RowError(
                None,
                "",
                _("不支持「%(suffix)s」格式的文件,请上传 .xlsx 或 .csv 文件。")
                % {"suffix": suffix},
            )
        ]
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if suffix == ".xlsx":
        return None, [RowError(None, "", _("文件不是有效的 .xlsx 文件,可能已损坏。"))]
    return _read_csv(data)


def _zip_entries(data: bytes) -> int | None:
    """The member count the zip's end record declares, read before ZipFile builds a record
    for every member; None when there is no plain end record (ZipFile then decides)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    return None if count == 0xFFFF else count  # 0xFFFF: the zip64 record holds the count


def unzip_problem(data: bytes) -> str | None:
    """Why this .xlsx must not be handed to openpyxl, or None.

    Too many members; parts that declare more than MAX_UNPACKED_BYTES in all; parts that
    really unpack to more (each is unpacked in 64 KB steps and counted, so a size that
    lies costs nothing); or an XML part with a DTD (entity expansion; no .xlsx has one).
    """
    too_big = _(
        "Excel 文件解压后超过 %(limit)d MB,请删除多余的工作表、图片或格式后重新保存,或分批导入。"
    ) % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
    entries = _zip_entries(data)
    if entries is not None and entries > MAX_ZIP_MEMBERS:
        return too_big
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return too_big
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                return too_big
            budget = MAX_UNPACKED_BYTES
            for member in members:
                with archive.open(member) as part:
                    tail = b""
                    while chunk := part.read(64 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            return too_big
                        window = tail + chunk
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            return _("文件不是有效的 .xlsx 文件,可能已损坏。")
                        tail = chunk[-16:]
    except Exception:  # zipfile raises BadZipFile, zlib.error, EOFError, NotImplementedError…
        return _("无法读取 Excel 文件,文件可能已损坏或加了密码。")
    return None


def _read_xlsx(data: bytes) -> tuple[Table | None, list[RowError]]:
    from openpyxl import load_workbook  # imported here: only .xlsx needs it

    if problem := unzip_problem(data):
        return None, [RowError(None, "", problem)]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        return None, [RowError(None, "", _("无法读取 Excel 文件,文件可能已损坏或加了密码。"))]
    try:
        # The first sheet; cells are read lazily, so a damaged sheet fails in here too.
        sheet = book.worksheets[0]
        width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        return _collect(sheet.iter_rows(max_col=width, values_only=True), "xlsx")
    except Exception:
        return None, [RowError(None, "", _("无法读取 Excel 文件,文件可能已损坏或加了密码。"))]
    finally:
        book.close()


def decode_csv(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: Sequence[str] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes) -> tuple[Table | None, list[RowError]]:
    text = decode_csv(data)
    if text is None:
        return None, [
            RowError(None, "", _("无法识别文件编码,请以 UTF-8 或 GBK 编码保存 CSV 文件。"))
        ]
    if "\x00" in text:
        return None, [RowError(None, "", _("文件不是文本格式的 CSV 文件。"))]
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _collect(reader, "csv")
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own cap, 128 K
            message = _("内容过长,每格最多 %(limit)d 个字符。") % {"limit": MAX_CELL_CHARS}
        else:
            message = _("CSV 格式错误:%(error)s") % {"error": exc}
        return None, [RowError(reader.line_num or None, "", message)]


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell_text(c) == "" for c in cells)


def _collect(rows: Iterable[Sequence[Any]], fmt: str) -> tuple[Table | None, list[RowError]]:
    """Find the header row, then take the data rows, numbered as Excel numbers them.

    The header is the first row naming both 楼栋 and 房号 among the first few non-blank
    rows (office sheets often carry a title row above it), else the first non-blank row,
    so that a header missing a column is still reported as such.
    """
    long_cells: list[tuple[int, int, int]] = []

    def cut(number: int, raw: Sequence[Any]) -> list[Any]:
        cells = list(itertools.islice(raw, MAX_COLUMNS))
        for i, value in enumerate(cells):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                long_cells.append((number, i, len(value)))
                cells[i] = value[:MAX_CELL_CHARS]
        return cells

    numbered = ((n, cut(n, raw)) for n, raw in enumerate(rows, start=1))
    searched: list[tuple[int, list[Any]]] = []
    header_at: int | None = None
    for number, cells in numbered:
        if _is_blank(cells):
            continue
        searched.append((number, cells))
        if _looks_like_header(cells):
            header_at = len(searched) - 1
            break
        if len(searched) >= HEADER_SEARCH_ROWS:
            break
    if not searched:
        return None, [RowError(None, "", _("文件为空。"))]
    header_at = header_at or 0
    header_row, header = searched[header_at]
    data: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for number, cells in itertools.chain(searched[header_at + 1 :], numbered):
        if _is_blank(cells):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            return None, [
                RowError(None, "", _("数据超过 %(limit)d 行,请分批导入。") % {"limit": MAX_ROWS})
            ]
    if not data:
        return None, [RowError(None, "", _("文件中没有数据行。"))]
    table = Table(headers=header, header_row=header_row, rows=data, format=fmt)
    in_table = {number for number, _cells in data}
    table.long_cells = [c for c in long_cells if c[0] in in_table]
    return table, []


def _looks_like_header(cells: Sequence[Any]) -> bool:
    found = {canonical_column(cell_text(c)) for c in cells}
    return all(c in found for c in REQUIRED_COLUMNS)


# ---------------------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------------------


def yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _for_csv(value: Any) -> Any:
    """Long digit strings (ID numbers) and leading zeros survive Excel opening the CSV."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{12,}X?|0[0-9]+", value):
        return "\t" + value
    return value


def write_table(rows: Iterable[Sequence[Any]], fmt: str, *, title: str = "花名册") -> bytes:
    """The roster as .xlsx or as CSV in UTF-8 with BOM (so Excel in China opens it)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown roster format {fmt!r}")
    dataset = tablib.Dataset(headers=list(COLUMNS), title=title)
    for row in rows:
        cells = [guard_formula(v) for v in row]
        dataset.append([_for_csv(v) for v in cells] if fmt == "csv" else cells)
    if fmt == "csv":
        return codecs.BOM_UTF8 + dataset.export("csv").encode("utf-8")
    return dataset.export("xlsx")


def write_template() -> bytes:
    """A blank .xlsx to fill in: the header, one example row, and a sheet of help."""
    sheet = tablib.Dataset(headers=list(COLUMNS), title="花名册")
    sheet.append([TEMPLATE_EXAMPLE[c] for c in COLUMNS])
    help_sheet = tablib.Dataset(headers=[_("列名"), _("是否必填"), _("说明")], title=_("填写说明"))
    for column, required, note in COLUMN_HELP:
        help_sheet.append((column, str(required), str(note)))
    help_sheet.append(
        ("", "", _("导入前请删除示例行。每行是一个人员与一个房屋的关系;同一房屋有多人时写多行。"))
    )
    return tablib.Databook([sheet, help_sheet]).export("xlsx")
