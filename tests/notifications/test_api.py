"""API v1: each user lists and reads only their own notifications."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gongzhi.notifications.models import Notification
from gongzhi.notifications.services import notify


@pytest.fixture
def api():
    return APIClient()


def _note(recipient, title="新的派单"):
    return notify(recipients=[recipient], kind="system", title=title, body="内容", url="/x/")[0]


def test_list_shows_only_own_newest_first(cast, api):
    _note(cast.clerk, "一")
    _note(cast.clerk, "二")
    _note(cast.secretary, "别人的")
    api.force_authenticate(cast.clerk)
    response = api.get("/api/v1/notifications")
    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [n["title"] for n in response.data["results"]] == ["二", "一"]
    first = response.data["results"][0]
    assert first["kind_label"] == "系统通知"
    assert first["is_read"] is False


def test_unread_filter(cast, api):
    read = _note(cast.clerk, "已读")
    _note(cast.clerk, "未读")
    api.force_authenticate(cast.clerk)
    api.post(f"/api/v1/notifications/{read.pk}/read")
    response = api.get("/api/v1/notifications", {"unread": "true"})
    assert [n["title"] for n in response.data["results"]] == ["未读"]
    assert api.get("/api/v1/notifications/unread-count").data == {"unread": 1}


def test_mark_read(cast, api):
    n = _note(cast.clerk)
    api.force_authenticate(cast.clerk)
    response = api.post(f"/api/v1/notifications/{n.pk}/read")
    assert response.status_code == 200
    assert response.data["is_read"] is True
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_reading_someone_elses_notification_is_404(cast, api):
    n = _note(cast.secretary)
    api.force_authenticate(cast.clerk)
    assert api.post(f"/api/v1/notifications/{n.pk}/read").status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_read_all_marks_only_own(cast, api):
    _note(cast.clerk)
    _note(cast.clerk)
    _note(cast.secretary)
    api.force_authenticate(cast.clerk)
    response = api.post("/api/v1/notifications/read-all")
    assert response.status_code == 200
    assert response.data == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == cast.secretary


def test_anonymous_is_refused(cast, api):
    n = _note(cast.clerk)
    assert api.get("/api/v1/notifications").status_code == 401
    assert api.post(f"/api/v1/notifications/{n.pk}/read").status_code == 401
    assert api.post("/api/v1/notifications/read-all").status_code == 401


def test_schema_documents_the_endpoints(cast, api):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    paths = [p for p in schema["paths"] if "notifications" in p]
    assert any(p.endswith("/notifications/read-all") for p in paths)
    assert any(p.endswith("/notifications/{id}/read") for p in paths)
