"""Notices take documents checked by content, and leave the platform's own kinds (results,
rolls, slates, reminders) to the platform (issue 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.core import uploads
from gongzhi.notices import services
from gongzhi.notices.forms import NoticeForm
from gongzhi.notices.models import SYSTEM_KINDS, Notice, NoticeKind
from tests import documents


def post(actor, compound, **kw):
    return services.notice_post(actor=actor, compound=compound, title="停水通知", **kw)


def attach(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# -- attachments by content ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"%PDF-1.4 fake"),  # the 13-byte file that was accepted
        ("cut.pdf", documents.PDF[: len(documents.PDF) // 2]),  # no end marker
        ("no-header.pdf", b"%PDF" + documents.PDF[8:]),
        ("eof-only.pdf", b"%PDF-1.4\n%%EOF\n"),  # a marker but no cross-reference pointer
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        ("photo.jpg", documents.PNG),  # a PNG named .jpg
        ("broken.png", documents.PNG[:40]),
    ],
)
def test_a_document_that_is_not_what_its_name_says_is_refused(cast, name, content):
    with pytest.raises(ValidationError) as error:
        post(cast.community_worker, cast.a, attachment=attach(name, content))
    assert "attachment" in error.value.message_dict
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("结果.pdf", documents.PDF), ("照片.png", documents.PNG), ("照片.JPG", documents.JPEG)],
)
def test_real_documents_are_accepted(cast, name, content):
    notice = post(cast.community_worker, cast.a, attachment=attach(name, content))
    assert notice.attachment.read() == content


def test_pdf_end_marker_may_be_followed_by_a_little_padding():
    upload = attach("a.pdf", documents.PDF + b"\r\n" * 100)
    assert uploads.document_problem(upload, what="附件", max_bytes=10**6) is None


def test_truncated_pdf_is_told_in_chinese(cast):
    with pytest.raises(ValidationError) as error:
        post(cast.community_worker, cast.a, attachment=attach("a.pdf", b"%PDF-1.4 fake"))
    assert error.value.message_dict["attachment"] == [
        "附件不是完整的 PDF 文件(缺少文件头或结束标记),请重新导出或扫描后上传。"
    ]


def test_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 24 * 16 - 1)
    problem = uploads.document_problem(attach("a.png", documents.PNG), what="附件", max_bytes=10**6)
    assert problem and "内容与文件类型不符" in problem
    monkeypatch.setattr(uploads, "MAX_PIXELS", 24 * 16)
    assert (
        uploads.document_problem(attach("a.png", documents.PNG), what="附件", max_bytes=10**6)
        is None
    )


# -- the platform's own kinds ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SYSTEM_KINDS))
def test_staff_cannot_post_the_platforms_own_kinds(cast, kind):
    with pytest.raises(ValidationError) as error:
        post(cast.community_worker, cast.a, kind=kind)
    assert "不能手工发布" in error.value.message_dict["kind"][0]
    assert not Notice.objects.exists()


def test_the_form_does_not_offer_them(client, cast):
    offered = {value for value, _label in NoticeForm().fields["kind"].choices}
    assert offered == {NoticeKind.GENERAL, NoticeKind.FINANCE}
    client.force_login(cast.community_worker)
    response = client.post(
        f"/compounds/{cast.a.pk}/notices/new", {"title": "表决结果", "kind": "vote_result"}
    )
    assert response.status_code == 200 and not Notice.objects.exists()


def test_the_service_that_produced_a_record_publishes_its_notice(cast):
    notice = services.notice_publish(
        actor=cast.community_worker, compound=cast.a, kind=NoticeKind.VOTE_RESULT,
        related=cast.a, title="表决结果公示",
    )  # fmt: skip
    assert notice.kind == NoticeKind.VOTE_RESULT and notice.posted_by == cast.community_worker
    with pytest.raises(ValueError):
        services.notice_publish(
            actor=None, compound=cast.a, kind=NoticeKind.GENERAL, related=cast.a, title="通知"
        )


def test_a_scheduled_job_may_post_a_reminder(cast):
    assert post(None, cast.a, kind=NoticeKind.REMINDER).posted_by is None
