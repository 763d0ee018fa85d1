"""公示栏: notices posted on a compound's board, where residents pass every day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.places.models import Compound


class NoticeKind(models.TextChoices):
    GENERAL = "general", _("通知公告")
    ROLL = "roll", _("名册公示")
    SLATE = "slate", _("候选人公示")
    VOTE_RESULT = "vote_result", _("表决结果公示")
    ELECTION_RESULT = "election_result", _("选举结果公示")
    FINANCE = "finance", _("收支公示")
    REMINDER = "reminder", _("工作提醒")


# Kinds the platform posts itself, from the records they report (a frozen roll, a slate, a
# counted vote or election, an overdue filing): a hand-posted "表决结果公示" would look like
# the official result. notices.services.notice_post refuses them for a person;
# notice_publish is the way for the service that produced the record.
SYSTEM_KINDS = frozenset(
    {
        NoticeKind.ROLL,
        NoticeKind.SLATE,
        NoticeKind.VOTE_RESULT,
        NoticeKind.ELECTION_RESULT,
        NoticeKind.REMINDER,
    }
)


class Notice(models.Model):
    """公示: a notice on a compound's board. Posted once, never edited (a correction is a
    new notice). ``audience_cap`` empty means everyone who can see the compound;
    otherwise only holders of that capability there (e.g. reminders to staff)."""

    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    kind = models.CharField(
        _("类别"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.GENERAL
    )
    posted_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
        help_text=_("为空表示系统发布"),
    )
    related_type = models.CharField(_("关联对象类型"), max_length=64, blank=True)
    related_id = models.CharField(_("关联对象编号"), max_length=64, blank=True)
    attachment = models.FileField(_("附件"), upload_to="notices/%Y/%m/", blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    audience_cap = models.CharField(_("可见范围"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-pinned", "-posted_at", "-id"]
        indexes = [
            models.Index(fields=["compound", "-posted_at"], name="notice_board"),
            models.Index(fields=["related_type", "related_id"], name="notice_related"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def path(self) -> str:
        return self.compound.path

    @property
    def attachment_filename(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""
