"""The 公示 notice board: posting (audited), who sees what, pages and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent
from gongzhi.notices import services
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.voting.capabilities import VotingCap
from tests import documents

PDF = documents.PDF


def _post(actor, compound, **kw):
    return services.notice_post(
        actor=actor, compound=compound, title=kw.pop("title", "停水通知"), **kw
    )


def test_staff_post_a_notice_and_it_is_audited(cast):
    notice = _post(
        cast.community_worker, cast.a, body="明日停水", kind=NoticeKind.GENERAL, pinned=True
    )
    assert notice.posted_by == cast.community_worker and notice.pinned
    event = AuditEvent.objects.get(action="notice.post")
    assert event.object_id == str(notice.pk) and event.place_path == cast.a.path


@pytest.mark.parametrize(
    "role", ["owner", "resident", "clerk", "clerk_b", "outsider", "street_official"]
)
def test_others_cannot_post(cast, role):
    with pytest.raises(PermissionDenied):
        _post(getattr(cast, role), cast.a)
    assert not Notice.objects.exists()


def test_system_posts_with_no_actor(cast):
    assert _post(None, cast.a).posted_by is None


def test_bad_input_is_refused_in_chinese_and_nothing_is_posted(cast):
    with pytest.raises(ValidationError, match="请填写公示标题"):
        _post(cast.community_worker, cast.a, title=" ")
    with pytest.raises(ValidationError, match="只能是 PDF、PNG 或 JPG"):
        _post(cast.community_worker, cast.a, attachment=SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        _post(cast.community_worker, cast.a, attachment=SimpleUploadedFile("a.pdf", b"<html>"))
    assert not Notice.objects.exists()


def test_board_is_scoped_to_the_compound(client, cast):
    notice = _post(cast.community_worker, cast.a, title="电梯更换公示")
    client.force_login(cast.owner)
    page = client.get(f"/compounds/{cast.a.pk}/notices/").content.decode()
    assert "电梯更换公示" in page
    assert client.get(f"/notices/{notice.pk}/").status_code == 200
    client.force_login(cast.clerk_b)
    assert client.get(f"/compounds/{cast.a.pk}/notices/").status_code == 404
    assert client.get(f"/notices/{notice.pk}/").status_code == 404


def test_staff_only_notices_are_hidden_from_residents(client, cast):
    notice = _post(
        None,
        cast.a,
        title="备案提醒",
        kind=NoticeKind.REMINDER,
        audience_cap=VotingCap.MANAGE_VOTES,
    )
    client.force_login(cast.owner)
    assert "备案提醒" not in client.get(f"/compounds/{cast.a.pk}/notices/").content.decode()
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    client.force_login(cast.owners_chair)
    assert "备案提醒" in client.get(f"/compounds/{cast.a.pk}/notices/").content.decode()


def test_attachment_is_served_to_those_who_see_the_notice(client, cast):
    notice = _post(cast.community_worker, cast.a, attachment=SimpleUploadedFile("结果.pdf", PDF))
    client.force_login(cast.resident)
    response = client.get(f"/notices/{notice.pk}/attachment")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(cast.outsider)
    assert client.get(f"/notices/{notice.pk}/attachment").status_code == 404


def test_post_form_for_staff(client, cast):
    client.force_login(cast.owner)
    assert client.get(f"/compounds/{cast.a.pk}/notices/new").status_code == 403
    client.force_login(cast.community_worker)
    response = client.post(
        f"/compounds/{cast.a.pk}/notices/new",
        {"title": "收支公示", "body": "一季度", "kind": "finance"},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    empty = client.post(f"/compounds/{cast.a.pk}/notices/new", {"title": "", "kind": "general"})
    assert empty.status_code == 200 and Notice.objects.count() == 1


def test_api_lists_the_board_and_scopes_it(cast):
    _post(cast.community_worker, cast.a, title="一")
    _post(cast.community_worker, cast.a, title="二", pinned=True)
    _post(None, cast.a, title="仅工作人员", audience_cap=VotingCap.MANAGE_VOTES)
    api = APIClient()
    api.force_authenticate(cast.owner)
    listed = api.get(f"/api/v1/compounds/{cast.a.pk}/notices/").json()
    assert [n["title"] for n in listed["results"]] == ["二", "一"]
    first = listed["results"][0]
    assert api.get(f"/api/v1/notices/{first['id']}/").json()["title"] == "二"
    api.force_authenticate(cast.clerk_b)
    assert api.get(f"/api/v1/compounds/{cast.a.pk}/notices/").status_code == 404
    assert api.get(f"/api/v1/notices/{first['id']}/").status_code == 404
