"""Real small documents for upload tests: a one-page PDF (reportlab) and a PNG (Pillow).

core.uploads checks content, not only the first bytes, so tests upload real files.
"""

from __future__ import annotations

import io

from PIL import Image
from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "scan") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(200, 100))
    page.drawString(20, 50, text)
    page.save()
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (24, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format=fmt)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
