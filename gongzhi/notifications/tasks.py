"""Tasks the worker (``manage.py qcluster``) runs: sending a batch's deliveries.

Retries are django-q's: when some delivery failed in a way a retry may cure, the task
raises, the ORM broker does not acknowledge it, and the worker runs it again after
Q_CLUSTER["retry"] seconds, up to Q_CLUSTER["max_attempts"] times. Each run sends only
the deliveries still open, so a retry never repeats a message that went out.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from itertools import groupby

from django.utils import timezone

from gongzhi.notifications import conf
from gongzhi.notifications.channels import ChannelBatch, Message, Outcome, get_channel
from gongzhi.notifications.models import Batch, Delivery, DeliveryStatus

logger = logging.getLogger("gongzhi.notifications")

OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
CHUNK = 50  # outcomes are saved after each chunk, so a killed worker resends at most this


class DeliveryIncomplete(Exception):
    """Some deliveries failed and will be retried: raised so django-q runs the task again."""


def deliver_batch(batch_id: int) -> str:
    """Send the open deliveries of one batch, channel by channel; record each outcome."""
    batch = Batch.objects.filter(pk=batch_id).first()
    if batch is None:
        return f"batch {batch_id}: gone"
    message = Message.from_batch(batch)
    limit = conf.max_attempts()
    deadline = time.monotonic() + conf.task_budget_seconds()
    open_deliveries = list(batch.deliveries.filter(status__in=OPEN).order_by("channel", "pk"))
    counts = {DeliveryStatus.SENT: 0, DeliveryStatus.RETRYING: 0, DeliveryStatus.FAILED: 0}
    for channel_name, group in groupby(open_deliveries, key=lambda d: d.channel):
        deliveries = list(group)
        for start in range(0, len(deliveries), CHUNK):
            if sum(counts.values()) and time.monotonic() > deadline:
                # Out of time: hand the rest to a fresh task rather than be killed mid-way.
                from gongzhi.notifications.services import enqueue_delivery

                enqueue_delivery(batch.pk)
                return f"batch {batch_id}: {counts}, continued in a new task"
            chunk = deliveries[start : start + CHUNK]
            for status in _send_chunk(channel_name, chunk, message, limit):
                counts[status] += 1
    summary = f"batch {batch_id}: " + ", ".join(f"{k.value}={v}" for k, v in counts.items())
    if counts[DeliveryStatus.RETRYING]:
        raise DeliveryIncomplete(summary)
    return summary


def _send_chunk(
    channel_name: str, deliveries: list[Delivery], message: Message, limit: int
) -> list[DeliveryStatus]:
    channel = get_channel(channel_name)
    batch = ChannelBatch(message=message, deliveries=deliveries)
    if channel is None:
        for d in deliveries:
            batch.failed(d, f"未知渠道 {channel_name}", retry=False)
    else:
        try:
            channel.send(batch)
        except Exception as exc:  # e.g. the SMTP server refused the connection
            logger.exception("channel %s failed on batch %s", channel_name, deliveries[0].batch_id)
            for d in deliveries:
                if d.pk not in batch.outcomes:
                    batch.failed(d, exc, retry=True)
    now = timezone.now()
    statuses = []
    for d in deliveries:
        outcome = batch.outcomes.get(d.pk) or Outcome(ok=False, error="渠道未报告结果", retry=True)
        d.attempts += 1
        if outcome.ok:
            d.status, d.sent_at, d.last_error = DeliveryStatus.SENT, now, ""
        else:
            d.last_error = outcome.error
            give_up = not outcome.retry or d.attempts >= limit
            d.status = DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRYING
            logger.warning(
                "notification delivery %s (%s → %s) failed, attempt %s: %s",
                d.pk,
                channel_name,
                d.target_label,
                d.attempts,
                outcome.error,
            )
        d.updated_at = now
        statuses.append(d.status)
    Delivery.objects.bulk_update(
        deliveries, ["status", "attempts", "last_error", "sent_at", "updated_at"]
    )
    return statuses


def deliver_stale() -> int:
    """Re-enqueue batches whose open deliveries no task has touched for a while (the worker
    was down, or the enqueue after commit failed). Schedule it every few minutes."""
    from gongzhi.notifications.services import enqueue_delivery

    cutoff = timezone.now() - timedelta(seconds=conf.stale_after_seconds())
    batch_ids = list(
        Delivery.objects.filter(status__in=OPEN, updated_at__lt=cutoff)
        .values_list("batch_id", flat=True)
        .distinct()
        .order_by("batch_id")
    )
    for batch_id in batch_ids:
        enqueue_delivery(batch_id)
    return len(batch_ids)
