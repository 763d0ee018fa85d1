"""The audit log: one append-only event per change of state made through a service."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.core.timefmt import local_minute
from gongzhi.places.models import PATH_MAX


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""

    def __init__(self):
        super().__init__(gettext("审计日志只能追加,不能修改或删除。"))


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    _raw_delete = delete

    def _update(self, values):
        raise AppendOnlyError()


class AppendOnlyModel(models.Model):
    """A model whose rows are inserted once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:  # rows get their pk from the database, once
            raise AppendOnlyError()
        # Always an INSERT: a new instance carrying an existing pk must not become an UPDATE.
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


class AuditEvent(AppendOnlyModel):
    """审计事件: who did what to which object, when, with the data before and after.

    Never changed or deleted: the model refuses it here, and on PostgreSQL triggers refuse
    UPDATE and DELETE on the table itself (migration 0003) and TRUNCATE (migration 0006).
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统(定时任务)"),
    )
    actor_label = models.CharField(_("操作人名称"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    place_path = models.CharField(_("所在位置"), max_length=PATH_MAX, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    correlation_id = models.UUIDField(_("关联编号"), default=uuid.uuid4, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        # Django's internal saves and related deletes go through the base manager: make it
        # the refusing one too.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        actor = self.actor_label or gettext("系统")
        return f"{local_minute(self.at)} {actor} {self.action}"


class AuditEventPlace(AppendOnlyModel):
    """A further place an event's change touched, so that its auditors see it too.

    A change made at one place can reach another: appointing a person who lives in
    compound C to a body of compound A, or a roster import into A that links a person
    registered in C. The event's ``place_path`` is where it was made; each row here names
    another place it touched. Append-only like the event itself (on PostgreSQL, triggers
    of migration 0006 refuse UPDATE, DELETE and TRUNCATE).
    """

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="places", verbose_name=_("审计事件")
    )
    path = models.CharField(_("所涉位置"), max_length=PATH_MAX, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件所涉位置")
        verbose_name_plural = _("审计事件所涉位置")
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["event", "path"], name="audit_event_place_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.path}"
