"""Marking a notification read names it by id: only one's own is found (already so; this
guards the class of defect, core.refs). Someone else's is refused exactly as a missing one,
tells nothing, and stays unread."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.notifications import services
from gongzhi.notifications.services import notify
from tests.scoped import MISSING, api_client, assert_refused_alike


def test_marking_someone_elses_notification_read_is_refused_as_a_missing_one(cast):
    theirs = notify(recipients=[cast.secretary], kind="system", title="派单给甲物业",
                    body="内容", url="/x/")[0]  # fmt: skip
    client = api_client(cast.clerk)
    foreign = client.post(f"/api/v1/notifications/{theirs.pk}/read")
    missing = client.post(f"/api/v1/notifications/{MISSING}/read")
    assert_refused_alike(foreign, missing, status=404, hidden=["派单给甲物业"])
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_service_refuses_someone_elses_notification_too(cast):
    theirs = notify(recipients=[cast.secretary], kind="system", title="一", body="", url="/")[0]
    with pytest.raises(PermissionDenied):
        services.mark_read(actor=cast.clerk, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None
