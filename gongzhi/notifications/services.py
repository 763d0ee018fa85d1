"""Writes on notifications: notify, mark read, preferences.

``notify`` is what other apps call, inside the transaction of the change it announces::

    @transaction.atomic
    def demand_dispatch(*, actor, demand, handler):
        ...
        notify(recipients=handler_accounts, kind="demand.dispatched",
               params={"compound": demand.compound.name, "text": demand.description[:80]},
               url=demand.get_absolute_url(), obj=demand)

The in-app rows are written with the change; the external channels are sent by the task
worker after the commit, and not at all if the transaction rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.core.access import ensure
from gongzhi.notifications import conf, kinds, rules, selectors
from gongzhi.notifications.channels import (
    Audience,
    broadcast_channels,
    get_channel,
    registered,
)
from gongzhi.notifications.models import (
    Batch,
    Delivery,
    Notification,
    NotificationContact,
    NotificationPreference,
)
from gongzhi.people.models import Account

logger = logging.getLogger("gongzhi.notifications")

DELIVER_TASK = "gongzhi.notifications.tasks.deliver_batch"


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _place_path_of(obj: models.Model | None) -> str:
    for attr in ("place_path", "path", "scope_path"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    compound = getattr(obj, "compound", None)
    return getattr(compound, "path", "") or ""


def _active_accounts(recipients: Iterable[Account | int]) -> list[Account]:
    ids = list(dict.fromkeys(r if isinstance(r, int) else r.pk for r in recipients))
    if not ids:
        return []
    found = {
        a.pk: a
        for a in Account.objects.filter(pk__in=ids, is_active=True).only("id", "phone", "is_active")
    }
    return [found[pk] for pk in ids if pk in found]


def _preferences(
    accounts: list[Account], kind: str, channels: list[str]
) -> dict[int, dict[tuple[str, str], bool]]:
    if not accounts or not any(get_channel(c).optional for c in channels):
        return {}
    out: dict[int, dict[tuple[str, str], bool]] = {}
    rows = NotificationPreference.objects.filter(
        account_id__in=[a.pk for a in accounts], kind__in=[kind, ""], channel__in=channels
    ).values_list("account_id", "kind", "channel", "enabled")
    for account_id, row_kind, channel, enabled in rows:
        out.setdefault(account_id, {})[(row_kind, channel)] = enabled
    return out


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Account | int],
    kind: str,
    title: str | None = None,
    body: str | None = None,
    params: Mapping | None = None,
    url: str = "",
    obj: models.Model | None = None,
    place_path: str = "",
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Notify ``recipients`` (accounts or their ids; inactive ones are skipped).

    With ``params`` (JSON values) for a kind registered with a wording (kinds.py), the
    notification is worded when read, in the reader's language; ``title`` and ``body``
    then default to that wording in simplified Chinese, which is what the columns keep and
    what the external channels send. Without, ``title`` and ``body`` are the text as is.

    In-app rows are written now, in bulk, in the caller's transaction. ``channels`` names
    the external channels wanted (default: every one switched on in NOTIFY_CHANNELS that
    reaches people in person, i.e. not the WeCom group bot, which must be named). Their
    deliveries are recorded now and sent by one task after the commit.
    ``place_path`` defaults to the place of ``obj``; it selects the group bots.
    """
    if not kind or len(kind) > 64:
        raise ValueError(f"notification kind {kind!r} must be 1 to 64 characters")
    if not rules.is_safe_link(url):
        raise ValueError(f"notification url {url!r} must be a site path or an http(s) URL")
    requested = None if channels is None else list(channels)
    unknown = set(requested or ()) - set(registered()) - {rules.INAPP}
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")

    params = dict(params or {})
    if params:
        stored = kinds.word_stored(kind, params)
        if stored is None:
            raise ValueError(f"notification kind {kind!r} has no wording for params {params!r}")
        title = stored[0] if title is None else title
        body = stored[1] if body is None else body
    if title is None:
        raise ValueError(f"notification of kind {kind!r} needs a title or params")
    title = rules.truncate(" ".join(str(title).split()), 200)
    body = str(body or "")
    object_type, object_id = _object_ref(obj)
    place_path = place_path or _place_path_of(obj)
    accounts = _active_accounts(recipients)
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=account,
                kind=kind,
                title=title,
                body=body,
                params=params,
                url=url,
                object_type=object_type,
                object_id=object_id,
                place_path=place_path,
                created_at=now,
            )
            for account in accounts
        ]
    )
    selectors.forget_unread(account.pk for account in accounts)

    names = rules.effective_channels(
        requested, enabled=conf.enabled_channels(), broadcast=broadcast_channels()
    )
    names = [n for n in names if get_channel(n) is not None]
    if names:
        audience = Audience(
            accounts=accounts,
            kind=kind,
            place_path=place_path,
            preferences=_preferences(accounts, kind, names),
        )
        targets = [(name, t) for name in names for t in get_channel(name).targets(audience)]
        if targets:
            batch = Batch.objects.create(
                kind=kind,
                title=title,
                body=body,
                url=url,
                object_type=object_type,
                object_id=object_id,
                place_path=place_path,
                created_at=now,
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        batch=batch,
                        channel=name,
                        target=t.address,
                        recipient_id=t.recipient_id,
                        created_at=now,
                    )
                    for name, t in targets
                ]
            )
            # robust: the change is committed whatever happens here; a failed enqueue
            # leaves the deliveries pending for tasks.deliver_stale to pick up.
            transaction.on_commit(_enqueue_after_commit(batch.pk), robust=True)
    return notifications


def _enqueue_after_commit(batch_id: int):
    # A named function rather than functools.partial: Django logs a robust callback's
    # failure by its __qualname__, which a partial lacks.
    def enqueue_batch_delivery() -> None:
        enqueue_delivery(batch_id)

    return enqueue_batch_delivery


def enqueue_delivery(batch_id: int) -> str:
    """Hand one batch to the task worker (django-q2). Runs after the commit."""
    from django_q.tasks import async_task

    return async_task(
        DELIVER_TASK,
        batch_id,
        task_name=f"notify-batch-{batch_id}",
        group="notifications",
        sync=conf.q_sync(),
    )


# Reading a notification changes nothing but the reader's own inbox, so it leaves no audit
# event (an audit row per click would drown the log).
def mark_read(*, actor: Account, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (once; later calls keep the time)."""
    ensure(actor is not None and actor.is_authenticated and notification.recipient_id == actor.pk)
    if notification.read_at is None:
        now = timezone.now()
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        selectors.forget_unread([actor.pk])
        notification.read_at = (
            now
            if updated
            else Notification.objects.values_list("read_at", flat=True).get(pk=notification.pk)
        )
    return notification


def mark_all_read(*, actor: Account) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    ensure(actor is not None and actor.is_authenticated)
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    selectors.forget_unread([actor.pk])
    return marked


@transaction.atomic
def set_preferences(
    *,
    actor: Account,
    choices: Mapping[tuple[str, str], bool],
    email: str | None = None,
) -> None:
    """Record the actor's choices: ``{(kind, channel): wants}``, kind "" for other kinds.

    ``email``, when given, is where email notifications go ("" to stop them).
    """
    ensure(actor is not None and actor.is_authenticated)
    channels = registered()
    for kind, channel in choices:
        if channel not in channels or not channels[channel].optional:
            raise ValidationError({"channel": _("该渠道不能关闭。")})
        if len(kind) > 64:
            raise ValidationError({"kind": _("通知类型无效。")})
    before = {
        f"{p.kind}:{p.channel}": p.enabled
        for p in NotificationPreference.objects.filter(account=actor)
    }
    for (kind, channel), enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            account=actor, kind=kind, channel=channel, defaults={"enabled": bool(enabled)}
        )
    after = {f"{k}:{c}": bool(v) for (k, c), v in choices.items()}
    if email is not None:
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError({"email": _("请输入有效的电子邮箱地址。")}) from exc
        NotificationContact.objects.update_or_create(account=actor, defaults={"email": email})
        after["email"] = rules.mask_target(email) if email else ""
    audit.record(
        actor=actor,
        action="notifications.preferences",
        obj=actor,
        before=before,
        after=after,
        place_path="",
    )
