"""Photos, the timeline (DemandEvent), evaluations and followers of a demand."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.demands import rules
from gongzhi.demands.models.demand import Demand
from gongzhi.demands.rules import State
from gongzhi.people.models import Person


def photo_upload_to(instance: DemandPhoto, filename: str) -> str:
    now = timezone.now()
    return f"demands/{now:%Y/%m}/{filename}"


class PhotoStage(models.TextChoices):
    REPORT = "report", _("诉求照片")
    RESOLUTION = "resolution", _("办结照片")


class DemandPhoto(models.Model):
    """诉求照片: re-encoded to JPEG by photos.reencode (EXIF stripped) before it is stored."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(
        _("阶段"), max_length=16, choices=PhotoStage.choices, default=PhotoStage.REPORT
    )
    image = models.ImageField(
        _("照片"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(_("字节数"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["id"]


class EventKind(models.TextChoices):
    FILED = "filed", _("提交")
    DISPATCHED = "dispatched", _("派单")
    ACCEPTED = "accepted", _("接单")
    RETURNED = "returned", _("退回")
    WHISTLED = "whistled", _("吹哨")
    ESCALATED = "escalated", _("超时自动升级")
    REPORTED_IN = "reported_in", _("报到")
    RESOLVED = "resolved", _("办结")
    EVALUATED = "evaluated", _("评价")
    RECTIFICATION = "rectification", _("整改")
    FEEDBACK = "feedback", _("反馈")
    CLOSED = "closed", _("总结关闭")
    CLOSED_UNRATED = "closed_unrated", _("逾期未评价关闭")
    WITHDRAWN = "withdrawn", _("撤回")
    MERGED = "merged", _("合并到其他诉求")
    MERGED_IN = "merged_in", _("合并重复诉求")
    FOLLOWED = "followed", _("关注")
    COMMENT = "comment", _("留言")
    TOP_OF_CHAIN = "top_of_chain", _("已到最高层级仍超时")


class DemandEvent(models.Model):
    """诉求时间线: every move, whistle, report-in, evaluation, feedback and comment.

    The demand's own timeline, shown to those who may see the demand; the audit log
    (audit.AuditEvent) records the same changes for supervision. Append-only.
    """

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # demand_event_timeline leads with it
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空表示系统(定时任务)"),
    )
    from_state = models.CharField(max_length=16, blank=True, choices=State.choices)
    to_state = models.CharField(max_length=16, blank=True, choices=State.choices)
    level = models.CharField(max_length=16, blank=True, choices=rules.Level.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # demand_event_body leads with it
        help_text=_("此事件涉及的承办组织(派单对象、被叫到的层级)"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("说明"), blank=True, help_text=_("理由、反馈、总结或留言"))
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求事件")
        verbose_name_plural = _("诉求事件")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["demand", "at"], name="demand_event_timeline"),
            models.Index(fields=["body", "demand"], name="demand_event_body"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.get_kind_display()}"

    @property
    def shown_text(self) -> str:
        """The text as shown: a system note in the reader's language, else what was written."""
        return rules.system_note((self.data or {}).get("note")) or self.text


class Evaluation(models.Model):
    """评价: the reporter's rating (1–5) and comment after a resolution; one per round."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField(
        _("轮次"), default=1, help_text=_("第几次办结后的评价(整改后再评价为下一轮)")
    )
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价意见"), blank=True, max_length=1000)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["round"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
            models.UniqueConstraint(fields=["demand", "round"], name="evaluation_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ★{self.rating}"


class FollowReason(models.TextChoices):
    REPORTER = "reporter", _("诉求人")
    MERGED = "merged", _("重复诉求已合并")
    FOLLOWED = "followed", _("主动关注")


class Follower(models.Model):
    """关注: a person kept informed of a demand (its reporter, reporters of merged
    duplicates, residents who follow a public demand)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="followers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="followed_demands")
    reason = models.CharField(max_length=16, choices=FollowReason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [models.UniqueConstraint(fields=["demand", "person"], name="follower_unique")]
        indexes = [models.Index(fields=["person", "-created_at"], name="follower_person")]
