"""The delivery task and the channels, against a local fake WeCom server (never the internet)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_q.models import OrmQ

from gongzhi.notifications.models import Batch, Delivery, DeliveryStatus, WebhookTarget
from gongzhi.notifications.services import notify
from gongzhi.notifications.tasks import DeliveryIncomplete, deliver_batch, deliver_stale


def _whistle(cast, channels=("wecom",), recipients=None):
    notify(
        recipients=recipients if recipients is not None else [cast.owners_chair],
        kind="demand.escalated",
        title="吹哨：3号楼电梯停运",
        body="物业 48 小时未处理，已上报业委会。",
        url="/demands/7/",
        place_path=cast.building_a1.path,
        channels=list(channels),
    )
    return Batch.objects.latest("pk")


def test_wecom_bot_receives_markdown_json(cast, channels_on, fake_wecom):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    batch = _whistle(cast)
    assert deliver_batch(batch.pk).startswith(f"batch {batch.pk}")
    (request,) = fake_wecom.received
    assert request["path"] == "/cgi-bin/webhook/send?key=test-key"
    assert request["content_type"].startswith("application/json")
    assert request["json"] == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**吹哨：3号楼电梯停运**\n物业 48 小时未处理，已上报业委会。\n"
            "[查看详情](https://gongzhi.example.cn/demands/7/)"
        },
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, "")
    assert delivery.sent_at is not None
    assert "test-key" not in delivery.target  # the webhook's secret key is not copied around


def test_bots_chosen_by_place_prefix(cast, channels_on, fake_wecom):
    mine = WebhookTarget.objects.create(name="甲", place_path=cast.a.path, url=fake_wecom.url("a"))
    community = WebhookTarget.objects.create(
        name="一社区", place_path=cast.community.path, url=fake_wecom.url("c")
    )
    WebhookTarget.objects.create(name="乙", place_path=cast.b.path, url=fake_wecom.url("b"))
    WebhookTarget.objects.create(
        name="停用", place_path=cast.a.path, url=fake_wecom.url("off"), active=False
    )
    batch = _whistle(cast)
    assert set(batch.deliveries.values_list("target", flat=True)) == {
        f"wecom:{mine.pk}",
        f"wecom:{community.pk}",
    }
    deliver_batch(batch.pk)
    assert sorted(r["path"].rsplit("=", 1)[1] for r in fake_wecom.received) == ["a", "c"]


def test_global_bot_only_where_no_place_has_one(cast, channels_on, fake_wecom):
    channels_on.WECOM_WEBHOOK_URL = fake_wecom.url("global")
    batch = _whistle(cast)
    assert list(batch.deliveries.values_list("target", flat=True)) == ["wecom:global"]
    deliver_batch(batch.pk)
    assert fake_wecom.received[0]["path"].endswith("key=global")

    WebhookTarget.objects.create(name="甲", place_path=cast.a.path, url=fake_wecom.url("a"))
    batch = _whistle(cast)
    assert batch.deliveries.get().target != "wecom:global"


def test_server_error_is_recorded_retried_then_failed(cast, channels_on, fake_wecom):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    fake_wecom.answers = [(500, {"error": "boom"})] * 3
    batch = _whistle(cast)

    with pytest.raises(DeliveryIncomplete):  # django-q will run the task again
        deliver_batch(batch.pk)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "HTTP 500" in delivery.last_error
    assert "boom" in delivery.last_error

    with pytest.raises(DeliveryIncomplete):
        deliver_batch(batch.pk)
    assert deliver_batch(batch.pk)  # the third attempt gives up without raising
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "HTTP 500" in delivery.last_error
    assert delivery.sent_at is None
    assert len(fake_wecom.received) == 3


def test_invalid_webhook_fails_at_once(cast, channels_on, fake_wecom):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    fake_wecom.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    batch = _whistle(cast)
    deliver_batch(batch.pk)  # nothing to retry: no exception
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "93000" in delivery.last_error


def test_unreachable_server_is_a_retryable_failure(cast, channels_on, fake_wecom):
    url = fake_wecom.url()
    fake_wecom.shutdown()
    fake_wecom.server_close()
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=url)
    batch = _whistle(cast)
    with pytest.raises(DeliveryIncomplete):
        deliver_batch(batch.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error


def test_retry_sends_only_what_failed(cast, channels_on, fake_wecom, sms_outbox):
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    fake_wecom.answers = [(502, {})]
    batch = _whistle(cast, channels=("sms", "wecom"))
    with pytest.raises(DeliveryIncomplete):
        deliver_batch(batch.pk)
    assert len(sms_outbox) == 1
    deliver_batch(batch.pk)
    assert len(sms_outbox) == 1  # the SMS that went out is not sent twice
    assert len(fake_wecom.received) == 2
    assert set(batch.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_sms_and_email_channels(cast, channels_on, sms_outbox):
    from gongzhi.notifications.models import NotificationContact

    NotificationContact.objects.create(account=cast.owners_chair, email="chair@example.cn")
    batch = _whistle(cast, channels=("sms", "email"))
    deliver_batch(batch.pk)
    assert sms_outbox == [
        (
            cast.owners_chair.phone,
            "吹哨：3号楼电梯停运：物业 48 小时未处理，已上报业委会。 "
            "https://gongzhi.example.cn/demands/7/",
        )
    ]
    (message,) = mail.outbox
    assert message.to == ["chair@example.cn"]
    assert message.subject == "吹哨：3号楼电梯停运"
    assert "https://gongzhi.example.cn/demands/7/" in message.body
    assert set(batch.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_failing_sms_gateway_is_recorded(cast, channels_on, settings):
    settings.SMS_SENDER = "tests.notifications.test_delivery.BrokenSmsSender"
    batch = _whistle(cast, channels=("sms",))
    with pytest.raises(DeliveryIncomplete):
        deliver_batch(batch.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "短信网关超时"


class BrokenSmsSender:
    def send(self, phone: str, message: str) -> None:
        raise TimeoutError("短信网关超时")


def test_deleted_bot_fails_without_retry(cast, channels_on, fake_wecom):
    target = WebhookTarget.objects.create(name="甲", place_path=cast.a.path, url=fake_wecom.url())
    batch = _whistle(cast)
    target.delete()
    deliver_batch(batch.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert fake_wecom.received == []


def test_missing_batch_is_harmless(db):
    assert deliver_batch(987654) == "batch 987654: gone"


def test_stale_pending_deliveries_are_enqueued_again(cast, channels_on):
    batch = _whistle(cast, channels=("sms",))
    assert deliver_stale() == 0  # fresh: its own task is on the way
    Delivery.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    assert deliver_stale() == 1
    assert OrmQ.objects.get().task["args"] == (batch.pk,)


def test_big_batch_hands_the_rest_to_a_new_task(cast, channels_on, sms_outbox, monkeypatch):
    from gongzhi.notifications import conf, tasks

    monkeypatch.setattr(tasks, "CHUNK", 2)
    monkeypatch.setattr(conf, "task_budget_seconds", lambda: -1)  # out of time at once
    batch = _whistle(cast, channels=("sms",), recipients=[cast.clerk, cast.secretary, cast.owner])
    assert deliver_batch(batch.pk).endswith("continued in a new task")
    assert len(sms_outbox) == 2  # one chunk is always sent, so the task never spins
    assert OrmQ.objects.get().task["args"] == (batch.pk,)
    deliver_batch(batch.pk)
    assert len(sms_outbox) == 3
    assert set(batch.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_sync_cluster_failure_never_breaks_the_callers_commit(
    cast, channels_on, fake_wecom, django_capture_on_commit_callbacks
):
    channels_on.Q_CLUSTER = {**channels_on.Q_CLUSTER, "sync": True}
    WebhookTarget.objects.create(name="甲小区群", place_path=cast.a.path, url=fake_wecom.url())
    fake_wecom.answers = [(500, {})]
    with django_capture_on_commit_callbacks(execute=True):
        _whistle(cast)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "HTTP 500" in delivery.last_error


def test_stale_sweep_is_a_registered_periodic_job():
    from gongzhi.core import schedules

    jobs = {job.name: job for job in schedules.registered()}
    assert jobs["notifications.deliver_stale"].func_path == (
        "gongzhi.notifications.tasks.deliver_stale"
    )
