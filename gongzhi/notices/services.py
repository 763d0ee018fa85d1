"""Posting notices. Every write goes through here, audited in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core import capabilities, text, uploads
from gongzhi.core.access import ensure
from gongzhi.core.refs import ensure_field
from gongzhi.notices import permissions
from gongzhi.notices.models import SYSTEM_KINDS, Notice, NoticeKind
from gongzhi.places.models import Compound

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment(upload: File) -> None:
    """PDF, PNG or JPEG by name and by content (core.uploads), at most 10 MB."""
    problem = uploads.document_problem(upload, what=_("附件"), max_bytes=MAX_ATTACHMENT_BYTES)
    if problem:
        raise ValidationError({"attachment": problem})


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
    """Post a notice on the compound's board. ``actor`` None is the system (a scheduled job).

    A person may not post the kinds the platform posts itself (SYSTEM_KINDS): those come
    from ``notice_publish``, called by the service that produced what they report.
    """
    if actor is not None and kind in SYSTEM_KINDS:
        raise ValidationError(
            {"kind": _("「%(kind)s」由平台在相应工作完成时自动发布,不能手工发布。")
             % {"kind": NoticeKind(kind).label}}
        )  # fmt: skip
    return _post(
        actor=actor, compound=compound, title=title, body=body, kind=kind, related=related,
        attachment=attachment, pinned=pinned, audience_cap=audience_cap,
    )  # fmt: skip


@transaction.atomic
def notice_publish(
    *,
    actor,
    compound: Compound,
    kind: str,
    related: models.Model,
    title: str,
    body: str = "",
    attachment: File | None = None,
    pinned: bool = False,
    audience_cap: str = "",
) -> Notice:
    """Post a notice of a kind the platform posts itself (SYSTEM_KINDS), from the service
    that produced ``related``, the record it reports (publishing a vote's result posts its
    result notice). ``actor`` is who did that, or None for a scheduled job."""
    if kind not in SYSTEM_KINDS:
        raise ValueError(f"{kind!r} is not a kind the platform posts; use notice_post")
    return _post(
        actor=actor, compound=compound, title=title, body=body, kind=kind, related=related,
        attachment=attachment, pinned=pinned, audience_cap=audience_cap,
    )  # fmt: skip


def _post(*, actor, compound, title, body, kind, related, attachment, pinned, audience_cap):
    ensure(actor is None or permissions.can_post_notice(actor, compound))
    title = text.visible_or_empty(title or "")
    if not title:
        raise ValidationError({"title": _("请填写公示标题。")})
    body = text.clean(body or "")
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": _("未知的公示类别。")})
    if audience_cap and audience_cap not in capabilities.known():
        raise ValidationError({"audience_cap": _("未知的可见范围。")})
    if attachment is not None:
        validate_attachment(attachment)
    # What the notice reports belongs to this compound (an election, an assembly ...): one
    # of another compound is refused as a missing one (core.refs).
    ensure_field(
        related is None or getattr(related, "compound_id", compound.pk) == compound.pk, "related"
    )
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
