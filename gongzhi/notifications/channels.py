"""External channels: SMS, email and the WeCom group bot, each one class in a registry.

A channel answers two questions. ``targets(audience)``, in the caller's transaction: where
does this notification go on me (one phone per recipient, or one group bot per place)?
``send(batch)``, in the task worker after the commit: send it, and report each
delivery with ``batch.sent(d)`` or ``batch.failed(d, error, retry=...)``.

Adding a channel is one class::

    @register
    class DingTalkChannel(Channel):
        name = "dingtalk"
        label = _("钉钉群机器人")
        broadcast = True

        def targets(self, audience): ...
        def send_one(self, message, address, session): ...

and its name in NOTIFY_CHANNELS.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import ClassVar

import requests
from django.core.mail import get_connection, send_mail
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from gongzhi.notifications import conf, rules
from gongzhi.notifications.models import (
    Batch,
    Delivery,
    NotificationContact,
    WebhookKind,
    WebhookTarget,
)
from gongzhi.people.sms import get_sender
from gongzhi.places.selectors import ancestors_of

logger = logging.getLogger("gongzhi.notifications")


class PermanentFailure(Exception):
    """Sending failed and trying again will not help (a bad address, a refused webhook)."""


@dataclass(frozen=True)
class Message:
    """What every channel sends, taken from the batch; ``link`` is absolute where it can be."""

    kind: str
    title: str
    body: str
    link: str
    place_path: str

    @classmethod
    def from_batch(cls, batch: Batch) -> Message:
        return cls(
            kind=batch.kind,
            title=batch.title,
            body=batch.body,
            link=rules.absolute_link(batch.url, conf.base_url()),
            place_path=batch.place_path,
        )


@dataclass(frozen=True)
class Target:
    address: str
    recipient_id: int | None = None


@dataclass
class Audience:
    """Who one notification is for, with their preferences, loaded once for all channels."""

    accounts: list  # Account rows
    kind: str
    place_path: str
    preferences: dict[int, dict[tuple[str, str], bool]] = field(default_factory=dict)

    def wants(self, account, channel: str) -> bool:
        return rules.wants(channel, self.kind, self.preferences.get(account.pk, {}))


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""
    retry: bool = False


@dataclass
class ChannelBatch:
    """The deliveries of one batch on one channel, and what became of each."""

    message: Message
    deliveries: list[Delivery]
    outcomes: dict[int, Outcome] = field(default_factory=dict)

    def sent(self, delivery: Delivery) -> None:
        self.outcomes[delivery.pk] = Outcome(ok=True)

    def failed(self, delivery: Delivery, error: object, *, retry: bool = True) -> None:
        self.outcomes[delivery.pk] = Outcome(ok=False, error=rules.error_text(error), retry=retry)


class Channel:
    name: ClassVar[str] = ""
    label: ClassVar = ""
    # A broadcast channel reaches a group (a bot in a group chat), not the recipients
    # themselves: it is used only when a notify call names it (rules.effective_channels).
    broadcast: ClassVar[bool] = False
    # An optional channel can be turned off per kind by each account (NotificationPreference).
    optional: ClassVar[bool] = True

    def targets(self, audience: Audience) -> list[Target]:
        """Default: one target per recipient who wants this kind here and has an address."""
        out = []
        for account in audience.accounts:
            if self.optional and not audience.wants(account, self.name):
                continue
            address = self.address_of(account, audience)
            if address:
                out.append(Target(address, account.pk))
        return out

    def address_of(self, account, audience: Audience) -> str:
        raise NotImplementedError

    def session(self) -> contextlib.AbstractContextManager:
        """A connection shared by the batch's sends (an SMTP connection, an HTTP session)."""
        return contextlib.nullcontext()

    def send(self, batch: ChannelBatch) -> None:
        """Default: send each delivery on one session; a channel with a bulk API overrides."""
        with self.session() as session:
            for delivery in batch.deliveries:
                try:
                    self.send_one(batch.message, delivery.target, session)
                except PermanentFailure as exc:
                    batch.failed(delivery, exc, retry=False)
                except Exception as exc:  # a gateway's failure is recorded, never raised
                    batch.failed(delivery, exc, retry=True)
                else:
                    batch.sent(delivery)

    def send_one(self, message: Message, address: str, session) -> None:
        raise NotImplementedError


_registry: dict[str, Channel] = {}


def register(cls: type[Channel]) -> type[Channel]:
    if not cls.name or cls.name == rules.INAPP:
        raise ValueError(f"channel {cls.__name__} needs a name other than {rules.INAPP!r}")
    existing = _registry.get(cls.name)
    if existing is not None and type(existing) is not cls:
        raise ValueError(f"channel {cls.name!r} is already registered by {type(existing)!r}")
    _registry[cls.name] = cls()
    return cls


def get_channel(name: str) -> Channel | None:
    return _registry.get(name)


def registered() -> dict[str, Channel]:
    return dict(_registry)


def broadcast_channels() -> set[str]:
    return {name for name, channel in _registry.items() if channel.broadcast}


def optional_channels() -> list[Channel]:
    """The channels an account may turn off, among those switched on."""
    enabled = conf.enabled_channels()
    return [c for name, c in _registry.items() if c.optional and name in enabled]


@register
class SmsChannel(Channel):
    """短信, through the configured people.sms sender (SMS_SENDER)."""

    name = "sms"
    label = _("短信")

    def address_of(self, account, audience: Audience) -> str:
        return account.phone

    def send_one(self, message: Message, address: str, session) -> None:
        get_sender().send(address, rules.sms_text(message.title, message.body, message.link))


@register
class EmailChannel(Channel):
    """电子邮件, with Django's send_mail on one connection (EMAIL_* settings)."""

    name = "email"
    label = _("电子邮件")

    def targets(self, audience: Audience) -> list[Target]:
        ids = [a.pk for a in audience.accounts if audience.wants(a, self.name)]
        emails = dict(
            NotificationContact.objects.filter(account_id__in=ids)
            .exclude(email="")
            .values_list("account_id", "email")
        )
        return [Target(emails[pk], pk) for pk in ids if pk in emails]

    def session(self):
        return get_connection(fail_silently=False)

    def send_one(self, message: Message, address: str, session) -> None:
        body = message.body
        if message.link:
            link = _t("查看详情：%(link)s") % {"link": message.link}
            body = f"{body}\n\n{link}".strip()
        send_mail(
            subject=" ".join(message.title.split()),
            message=body,
            from_email=None,
            recipient_list=[address],
            connection=session,
        )


@register
class WeComChannel(Channel):
    """企业微信群机器人: a markdown message to the group bots of the notification's place.

    Targets: every active WebhookTarget whose place path is a prefix of the notification's
    (the compound's group, its community's, ...); where there is none, WECOM_WEBHOOK_URL.
    """

    name = "wecom"
    label = _("企业微信群机器人")
    broadcast = True
    optional = False

    def targets(self, audience: Audience) -> list[Target]:
        prefixes = ["", *ancestors_of(audience.place_path)]
        pks = (
            WebhookTarget.objects.filter(
                kind=WebhookKind.WECOM, active=True, place_path__in=prefixes
            )
            .order_by("place_path", "pk")
            .values_list("pk", flat=True)
        )
        targets = [Target(rules.webhook_address(pk)) for pk in pks]
        if not targets and conf.wecom_webhook_url():
            targets.append(Target(rules.webhook_address(None)))
        return targets

    def session(self) -> requests.Session:
        return requests.Session()

    def webhook_url(self, address: str) -> str:
        ref = address.removeprefix("wecom:")
        if ref == rules.WEBHOOK_GLOBAL:
            url = conf.wecom_webhook_url()
        else:
            url = (
                WebhookTarget.objects.filter(pk=int(ref), active=True)
                .values_list("url", flat=True)
                .first()
            )
        if not url:
            raise PermanentFailure(_t("群机器人已停用或未配置。"))
        return url

    def send_one(self, message: Message, address: str, session: requests.Session) -> None:
        content = rules.wecom_markdown(
            message.title, message.body, message.link, link_label=_t("查看详情")
        )
        response = session.post(
            self.webhook_url(address),
            json={"msgtype": "markdown", "markdown": {"content": content}},
            timeout=conf.http_timeout(),
        )
        try:
            payload = response.json()
        except ValueError:
            payload = None
        ok, retry, error = rules.wecom_outcome(response.status_code, payload)
        if ok:
            return
        detail = f"{error} {response.text[:200]}".strip()
        if retry:
            raise RuntimeError(detail)
        raise PermanentFailure(detail)
