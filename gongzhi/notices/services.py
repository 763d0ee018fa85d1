"""Posting notices. Every write goes through here, audited in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core.access import ensure
from gongzhi.core.capabilities import Cap
from gongzhi.notices import permissions
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.places.models import Compound

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}


def validate_attachment(upload: File) -> None:
    """PDF, PNG or JPEG, by name and by content, at most 10 MB."""
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    magic = ATTACHMENT_TYPES.get(suffix)
    if magic is None:
        raise ValidationError({"attachment": _("附件只能是 PDF、PNG 或 JPG 文件。")})
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("附件不能超过 10 MB。")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(magic):
        raise ValidationError({"attachment": _("附件内容与文件类型不符。")})


@transaction.atomic
def notice_post(
    *,
    actor,
    compound: Compound,
    title: str,
    body: str = "",
    kind: str = NoticeKind.GENERAL,
    related: models.Model | None = None,
    attachment: File | None = None,
    pinned: bool = False,
    audience_cap: str = "",
) -> Notice:
    """Post a notice on the compound's board. ``actor`` None is the system (a scheduled job)."""
    ensure(actor is None or permissions.can_post_notice(actor, compound))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写公示标题。")})
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": _("未知的公示类别。")})
    if audience_cap and audience_cap not in {c.value for c in Cap}:
        raise ValidationError({"audience_cap": _("未知的可见范围。")})
    if attachment is not None:
        validate_attachment(attachment)
    notice = Notice(
        compound=compound,
        title=title[:200],
        body=body,
        kind=kind,
        posted_by=actor if getattr(actor, "is_authenticated", False) else None,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
        pinned=pinned,
        audience_cap=audience_cap,
    )
    if attachment is not None:
        notice.attachment.save(attachment.name.rsplit("/", 1)[-1], attachment, save=False)
    notice.save()
    audit.record(
        actor=actor,
        action="notice.post",
        obj=notice,
        after=snapshot(
            notice, ["compound", "title", "kind", "related_type", "related_id", "pinned"]
        ),
        place_path=compound.path,
    )
    return notice
