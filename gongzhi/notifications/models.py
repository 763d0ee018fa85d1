"""Notifications: in-app rows, delivery batches on external channels, preferences, group bots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gongzhi.notifications import kinds, rules
from gongzhi.places.models import PATH_MAX


class Notification(models.Model):
    """通知: one message to one account, shown in the app until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # The values the kind's wording needs (kinds.word): the title and body are written
    # from them when read, in the reader's language; the two columns above keep the
    # simplified-Chinese text of the moment, for exports and the admin.
    params = models.JSONField(_("参数"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    place_path = models.CharField(_("地点路径"), max_length=PATH_MAX, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # The unread badge is on every page: count(*) over this small partial index.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def _worded(self) -> tuple[str, str] | None:
        return kinds.word(self.kind, self.params) if self.params else None

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (the stored text when the kind has no wording)."""
        return self._worded[0] if self._worded else self.title

    @property
    def shown_body(self) -> str:
        return self._worded[1] if self._worded else self.body

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Batch(models.Model):
    """通知批次: one ``notify`` call's message as sent on the external channels.

    Its deliveries are written in the caller's transaction and sent by one task in the
    worker after the commit.
    """

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    place_path = models.CharField(_("地点路径"), max_length=PATH_MAX, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("通知批次")
        verbose_name_plural = _("通知批次")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("失败，待重试")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """投递: one batch on one channel to one target (a phone, a mailbox, a group bot)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=32)
    target = models.CharField(_("目标"), max_length=254)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        indexes = [
            models.Index(fields=["batch", "status"], name="delivery_batch_status"),
            models.Index(fields=["status", "updated_at"], name="delivery_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target_label}"

    @property
    def target_label(self) -> str:
        return rules.mask_target(self.target)


class NotificationPreference(models.Model):
    """通知偏好: whether an account wants one kind ("" = any other kind) on one channel.

    In-app notifications are always on; only channels that allow it (SMS, email) read this.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("类型"), max_length=64, blank=True)
    channel = models.CharField(_("渠道"), max_length=32)
    enabled = models.BooleanField(_("接收"), default=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "channel"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind or '*'} {self.channel}={self.enabled}"


class NotificationContact(models.Model):
    """通知联系方式: where email notifications go (the account itself holds no email)."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_contact"
    )
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("通知联系方式")
        verbose_name_plural = _("通知联系方式")

    def __str__(self) -> str:
        return self.email


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")


class WebhookTarget(models.Model):
    """群机器人: a group bot of a compound, community or street, by its place path.

    A notification about place P goes to every active target whose path is a prefix of P
    (the compound's group, and its community's if that has one too).
    """

    name = models.CharField(_("名称"), max_length=100, help_text=_("如：甲小区物业服务群"))
    place_path = models.CharField(
        _("地点路径"), max_length=PATH_MAX, blank=True, help_text=_("留空表示全部地点")
    )
    url = models.URLField(_("Webhook 地址"), max_length=500)
    kind = models.CharField(
        _("类型"), max_length=16, choices=WebhookKind.choices, default=WebhookKind.WECOM
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        indexes = [models.Index(fields=["kind", "place_path"], name="webhook_kind_path")]

    def __str__(self) -> str:
        return self.name
