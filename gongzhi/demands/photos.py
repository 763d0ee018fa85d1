"""Photos for demands: checked by size, type and pixel count, then re-encoded to JPEG.

Re-encoding (rather than storing what was uploaded) drops EXIF (the GPS position of a
resident's home), any payload hidden after the image data, and odd formats; the picture
is turned upright first from its EXIF orientation and scaled to at most 2560 px a side.
Everything is checked before anything is written, so a bad photo leaves no trace.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from gongzhi.demands.rules import DemandError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 9
MAX_SIDE = 2560
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})


@dataclass(frozen=True)
class PreparedPhoto:
    content: ContentFile
    width: int
    height: int
    size: int


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return size


def reencode(upload, *, index: int = 1) -> PreparedPhoto:
    """One uploaded file → a clean JPEG, or DemandError with a message in Chinese."""
    name = f"第{index}张照片"
    if _size_of(upload) > MAX_BYTES:
        raise DemandError(
            f"{name}超过{MAX_BYTES // (1024 * 1024)}MB,请压缩后再上传。", code="photo_too_large"
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as img:
                if img.format not in ACCEPTED_FORMATS:
                    raise DemandError(
                        f"{name}格式不受支持,请上传JPEG、PNG或WebP图片。", code="photo_type"
                    )
                if img.width * img.height > MAX_PIXELS:
                    raise DemandError(
                        f"{name}像素过大(超过{MAX_PIXELS // 10_000}万像素),请缩小后再上传。",
                        code="photo_too_many_pixels",
                    )
                img.load()
                img = ImageOps.exif_transpose(img)
                if img.mode not in ("RGB", "L"):
                    background = Image.new("RGB", img.size, (255, 255, 255))
                    rgba = img.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    img = background
                img.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except DemandError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise DemandError(f"{name}不是有效的图片文件。", code="photo_invalid") from None
    data = out.getvalue()
    return PreparedPhoto(
        content=ContentFile(data, name=f"{uuid.uuid4().hex}.jpg"),
        width=img.width,
        height=img.height,
        size=len(data),
    )


def prepare(uploads) -> list[PreparedPhoto]:
    """Every upload checked and re-encoded, before anything is saved."""
    uploads = list(uploads or ())
    if len(uploads) > MAX_PHOTOS:
        raise DemandError(f"最多上传{MAX_PHOTOS}张照片。", code="photo_count")
    return [reencode(u, index=i) for i, u in enumerate(uploads, start=1)]
