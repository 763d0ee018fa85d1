"""Hostile roster files, built in the test: small on disk, huge once unpacked or echoed.

Every part is streamed into the zip in chunks, so building a file that unpacks to
hundreds of megabytes needs only a few kilobytes of memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator

from gongzhi.roster import rules

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)  # fmt: skip
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)  # fmt: skip
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _letter(i: int) -> str:
    return rules.column_letter(i)


def _cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):  # an index into the shared strings
        return f'<c r="{ref}" t="s"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _sheet(header: list[str], rows: Iterable[list[str | int]]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
    yield '<row r="1">' + "".join(_cell(f"{_letter(i)}1", h) for i, h in enumerate(header))
    yield "</row>"
    for n, cells in enumerate(rows, start=2):
        yield (
            f'<row r="{n}">'
            + "".join(_cell(f"{_letter(i)}{n}", v) for i, v in enumerate(cells) if v != "")
            + "</row>"
        )
    yield "</sheetData></worksheet>"


def _shared(strings: Iterable[Iterable[str]]) -> Iterator[str]:
    """Shared strings, each given as chunks (one string may be hundreds of megabytes)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'
    for chunks in strings:
        yield "<si><t>"
        yield from chunks
        yield "</t></si>"
    yield "</sst>"


def xlsx(
    header: list[str],
    rows: Iterable[list[str | int]],
    shared: Iterable[Iterable[str]] = (),
    *,
    extra_members: int = 0,
) -> bytes:
    """An .xlsx streamed part by part (deflate level 9: repetitive parts shrink 1,000-fold)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (
            ("xl/worksheets/sheet1.xml", _sheet(header, rows)),
            ("xl/sharedStrings.xml", _shared(shared)),
        ):
            with z.open(name, "w", force_zip64=True) as member:
                buffer: list[str] = []
                size = 0
                for part in parts:
                    buffer.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        member.write("".join(buffer).encode())
                        buffer, size = [], 0
                member.write("".join(buffer).encode())
        for i in range(extra_members):
            z.writestr(f"xl/media/empty{i}.bin", b"")
    return out.getvalue()


HEADER = ["楼栋", "房号", "专有面积(㎡)"]


def echo_bomb(rows: int = 20_000, cell_chars: int = 30_000) -> bytes:
    """Every row's area cell is one long shared string: each error used to repeat it whole."""
    return xlsx(
        HEADER, ([f"{i // 100 + 1}号楼", str(i), 0] for i in range(rows)), [["9" * cell_chars]]
    )


def unpack_bomb(megabytes: int = 400) -> bytes:
    """One shared string of ``megabytes`` MB: openpyxl used to read it all into memory."""
    chunk = "A" * (1 << 20)
    return xlsx(HEADER, [["1号楼", "101", "80"]], [(chunk for _ in range(megabytes))])


def lying_sizes(data: bytes, declared: int = 100) -> bytes:
    """The same zip with every member's uncompressed size declared as ``declared`` bytes
    (local headers and central directory), as a bomb that hides its size does."""
    buf = bytearray(data)
    z = zipfile.ZipFile(io.BytesIO(data))
    for info in z.infolist():
        # Local header: signature, version, flags, method, time, date, crc, csize, usize...
        offset = info.header_offset
        assert buf[offset : offset + 4] == b"PK\x03\x04"
        extra_len = struct.unpack_from("<H", buf, offset + 28)[0]
        name_len = struct.unpack_from("<H", buf, offset + 26)[0]
        if struct.unpack_from("<I", buf, offset + 22)[0] == 0xFFFFFFFF:  # zip64 extra field
            extra = offset + 30 + name_len
            struct.pack_into("<Q", buf, extra + 4, declared)
        else:
            struct.pack_into("<I", buf, offset + 22, declared)
        del extra_len
    # Central directory entries.
    pos = buf.find(b"PK\x01\x02")
    while pos != -1 and buf[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, pos + 28)
        if struct.unpack_from("<I", buf, pos + 24)[0] == 0xFFFFFFFF:
            struct.pack_into("<Q", buf, pos + 46 + name_len + 4, declared)
        else:
            struct.pack_into("<I", buf, pos + 24, declared)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)
