"""Uploaded documents (notice attachments, ballot scans, proxy authorisations), checked by
what they contain, not only by their name.

A 13-byte file named .pdf that began with ``%PDF`` was accepted as a notice attachment
(issue 8): the name and four bytes are what an attacker controls most easily. Here a PDF
must have its header (``%PDF-1.x``) at the start, and at its end the cross-reference
pointer and end-of-file marker every PDF writer puts there (``startxref`` … ``%%EOF``,
ISO 32000 §7.5.5), so a truncated or made-up file is refused; a PNG or a JPEG must be one
that Pillow reads as that format, with a bounded number of pixels.

Photos of demands and list progress are not documents: ``demands.photos`` re-encodes them.
"""

from __future__ import annotations

import io
import re
import warnings

from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# The kinds a document may be, by file name suffix.
SUFFIXES = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
PIL_FORMATS = {"png": {"PNG"}, "jpeg": {"JPEG", "MPO"}}
# A scan of an A4 page at 600 dpi is 35 million pixels; more is a decompression bomb.
MAX_PIXELS = 40_000_000
# Where a PDF reader looks for the header and for the end marker (the first and the last
# kilobyte: tools may put a few bytes before the header or after the marker).
PDF_WINDOW = 1024
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_PDF_END = re.compile(rb"startxref\s+[0-9]+\s+%%EOF")


def _size(upload: File) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _pdf_problem(upload: File, size: int) -> bool:
    upload.seek(0)
    head = upload.read(PDF_WINDOW)
    upload.seek(max(0, size - PDF_WINDOW))
    tail = upload.read(PDF_WINDOW)
    return not (_PDF_HEADER.search(head) and _PDF_END.search(tail))


def _image_problem(upload: File, kind: str) -> bool:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in PIL_FORMATS[kind]:
                    return True
                if image.width * image.height > MAX_PIXELS:
                    return True
                image.verify()  # PNG: every chunk's checksum; JPEG: its markers
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError):  # fmt: skip
        return True
    return False


def document_problem(upload: File | None, *, what: str, max_bytes: int) -> str | None:
    """Why ``upload`` is not an acceptable PDF, PNG or JPEG document (a Chinese sentence
    naming it ``what``), or None. The file is left at its start."""
    if upload is None:
        return _("请上传%(what)s（PDF、PNG 或 JPG）。") % {"what": what}
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    kind = SUFFIXES.get(suffix)
    if kind is None:
        return _("%(what)s只能是 PDF、PNG 或 JPG 文件。") % {"what": what}
    size = _size(upload)
    if size > max_bytes:
        return _("%(what)s不能超过 %(mb)d MB。") % {"what": what, "mb": max_bytes // 1024 // 1024}
    if size == 0:
        return _("%(what)s是空文件。") % {"what": what}
    try:
        if kind == "pdf":
            upload.seek(0)
            if not upload.read(8).startswith(b"%PDF"):
                return _("%(what)s的内容与文件类型不符。") % {"what": what}
            if _pdf_problem(upload, size):
                return _(
                    "%(what)s不是完整的 PDF 文件(缺少文件头或结束标记),请重新导出或扫描后上传。"
                ) % {"what": what}
        elif _image_problem(upload, kind):
            return _("%(what)s的内容与文件类型不符,或图片已损坏。") % {"what": what}
    finally:
        upload.seek(0)
    return None
