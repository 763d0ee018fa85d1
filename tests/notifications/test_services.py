"""notify: in-app rows in the caller's transaction, one delivery task after the commit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_q.models import OrmQ

from gongzhi.notifications import services
from gongzhi.notifications.models import (
    Batch,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationContact,
    NotificationPreference,
    WebhookTarget,
)
from gongzhi.notifications.services import DELIVER_TASK, mark_all_read, mark_read, notify
from tests.factories import AccountFactory


def _notify(recipients, **kw):
    kw.setdefault("kind", "demand.dispatched")
    kw.setdefault("title", "新的派单")
    kw.setdefault("body", "1号楼101 厨房漏水")
    kw.setdefault("url", "/demands/1/")
    return notify(recipients=recipients, **kw)


def test_inapp_rows_for_each_recipient_once(cast):
    rows = _notify([cast.clerk, cast.secretary, cast.clerk.pk], obj=cast.room_a)
    assert {n.recipient_id for n in rows} == {cast.clerk.pk, cast.secretary.pk}
    n = Notification.objects.get(recipient=cast.clerk)
    assert (n.kind, n.title, n.url, n.read_at) == (
        "demand.dispatched",
        "新的派单",
        "/demands/1/",
        None,
    )
    assert (n.object_type, n.object_id) == ("places.room", str(cast.room_a.pk))
    assert n.place_path == cast.room_a.path


def test_inactive_account_gets_nothing(cast):
    cast.nobody.is_active = False
    cast.nobody.save()
    assert _notify([cast.nobody]) == []


def test_only_inapp_by_default_creates_no_batch(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _notify([cast.resident])
    assert callbacks == []
    assert not Batch.objects.exists()


def test_query_count_does_not_grow_with_recipients(cast, channels_on):
    few = [AccountFactory() for _ in range(3)]
    many = [AccountFactory() for _ in range(30)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        _notify(few)
    with CaptureQueriesContext(connection) as large:
        _notify(many)
    assert len(large) == len(small)
    assert Delivery.objects.filter(channel="sms").count() == 33


def test_one_task_per_batch_enqueued_after_commit(
    cast, channels_on, django_capture_on_commit_callbacks
):
    recipients = [cast.clerk, cast.secretary, cast.resident]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(recipients)
        assert OrmQ.objects.count() == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert OrmQ.objects.count() == 1
    task = OrmQ.objects.get().task
    batch = Batch.objects.get()
    assert task["func"] == DELIVER_TASK
    assert task["args"] == (batch.pk,)
    assert batch.deliveries.filter(channel="sms", status=DeliveryStatus.PENDING).count() == 3


def test_rollback_enqueues_nothing_and_writes_nothing(
    cast, channels_on, fake_wecom, django_capture_on_commit_callbacks
):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify([cast.clerk], obj=cast.room_a, channels=["sms", "wecom"])
        raise RuntimeError("the dispatch failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert OrmQ.objects.count() == 0
    assert fake_wecom.received == []


def test_sync_cluster_delivers_on_commit(
    cast, channels_on, fake_wecom, sms_outbox, django_capture_on_commit_callbacks
):
    channels_on.Q_CLUSTER = {**channels_on.Q_CLUSTER, "sync": True}
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    with django_capture_on_commit_callbacks(execute=True):
        _notify([cast.clerk], obj=cast.room_a, channels=["sms", "wecom"])
        assert fake_wecom.received == []  # not before the commit
    assert OrmQ.objects.count() == 0  # ran in process, never queued
    assert len(fake_wecom.received) == 1
    assert fake_wecom.received[0]["json"]["msgtype"] == "markdown"
    assert sms_outbox == [
        (cast.clerk.phone, "新的派单：1号楼101 厨房漏水 https://gongzhi.example.cn/demands/1/")
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_resident_notice_never_reaches_group_bot_by_default(cast, channels_on, fake_wecom):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    _notify([cast.resident], obj=cast.room_a)
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"sms"}


def test_switched_off_channel_is_not_used_even_when_asked(cast, settings):
    settings.NOTIFY_CHANNELS = ["inapp", "sms"]
    _notify([cast.clerk], channels=["email", "wecom"])
    assert not Delivery.objects.exists()


def test_opt_out_per_kind_and_for_other_kinds(cast, channels_on):
    NotificationContact.objects.create(account=cast.resident, email="r@example.cn")
    NotificationPreference.objects.create(
        account=cast.resident, kind="demand.dispatched", channel="sms", enabled=False
    )
    NotificationPreference.objects.create(
        account=cast.resident, kind="", channel="email", enabled=False
    )
    _notify([cast.resident, cast.owner])
    got = set(Delivery.objects.values_list("recipient_id", "channel"))
    assert got == {(cast.owner.pk, "sms")}  # the owner has no email address
    assert Notification.objects.filter(recipient=cast.resident).count() == 1  # in-app stays


def test_email_goes_to_the_contact_address(cast, channels_on):
    NotificationContact.objects.create(account=cast.resident, email="r@example.cn")
    _notify([cast.resident])
    assert Delivery.objects.filter(channel="email").get().target == "r@example.cn"


def test_unknown_channel_and_unsafe_link_are_refused(cast):
    with pytest.raises(ValueError):
        _notify([cast.clerk], channels=["pigeon"])
    with pytest.raises(ValueError):
        _notify([cast.clerk], url="javascript:alert(1)")
    assert not Notification.objects.exists()


def test_mark_read_once_and_only_own(cast):
    n = _notify([cast.clerk])[0]
    with pytest.raises(PermissionDenied):
        mark_read(actor=cast.secretary, notification=n)
    mark_read(actor=cast.clerk, notification=n)
    first = Notification.objects.get(pk=n.pk).read_at
    assert first is not None
    mark_read(actor=cast.clerk, notification=Notification.objects.get(pk=n.pk))
    assert Notification.objects.get(pk=n.pk).read_at == first


def test_mark_all_read_touches_only_own(cast):
    _notify([cast.clerk, cast.secretary])
    _notify([cast.clerk])
    assert mark_all_read(actor=cast.clerk) == 2
    assert Notification.objects.filter(recipient=cast.secretary, read_at__isnull=True).count() == 1


def test_set_preferences_records_choices_and_email(cast, channels_on):
    from django.core.exceptions import ValidationError

    from gongzhi.audit.models import AuditEvent

    services.set_preferences(
        actor=cast.resident,
        choices={("demand.dispatched", "sms"): False, ("", "email"): True},
        email="r@example.cn",
    )
    assert (
        NotificationPreference.objects.get(
            account=cast.resident, kind="demand.dispatched", channel="sms"
        ).enabled
        is False
    )
    assert cast.resident.notification_contact.email == "r@example.cn"
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 1
    with pytest.raises(ValidationError):
        services.set_preferences(actor=cast.resident, choices={("", "wecom"): False})
    with pytest.raises(ValidationError):
        services.set_preferences(actor=cast.resident, choices={}, email="not-an-email")
