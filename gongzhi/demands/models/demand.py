"""Demands (诉求), micro-wishes (微心愿) and their categories."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.demands import rules
from gongzhi.demands.rules import State
from gongzhi.people.models import Person
from gongzhi.places.models import PATH_MAX, Building, Community, Compound, Room, Street

DESCRIPTION_MAX = 2000


class Kind(models.TextChoices):
    DEMAND = "demand", _("诉求")
    MICRO_WISH = "micro_wish", _("微心愿")


class Channel(models.TextChoices):
    APP = "app", _("线上提交")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("入户走访")
    PAPER = "paper", _("纸质意见条")
    QR = "qr", _("扫码提交")
    MEETING = "meeting", _("会议收集")


STAFF_CHANNELS = frozenset({Channel.PHONE, Channel.VISIT, Channel.PAPER, Channel.MEETING})


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    PRESSING = "pressing", _("较急")
    URGENT = "urgent", _("紧急")


class PlaceKind(models.TextChoices):
    ROOM = "room", _("本户")
    BUILDING = "building", _("楼栋")
    COMMON = "common", _("小区公共区域")


class Category(models.Model):
    """诉求类别: a kind of demand, with its deadlines and the keywords that suggest it.

    Global when ``compound`` is empty; a compound may add its own.
    """

    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demand_categories",
        help_text=_("为空表示全区通用"),
    )
    name = models.CharField(_("名称"), max_length=40)
    accept_within_hours = models.PositiveSmallIntegerField(
        _("接单时限(小时)"), default=rules.DEFAULT_ACCEPT_HOURS
    )
    resolve_within_days = models.PositiveSmallIntegerField(
        _("办结时限(天)"), default=rules.DEFAULT_RESOLVE_DAYS
    )
    keywords = models.CharField(
        _("关键词"), max_length=500, blank=True, help_text=_("以空格、逗号或顿号分隔,用于推荐类别")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "name"], name="demand_category_name_unique"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(compound__isnull=True),
                name="demand_category_global_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(accept_within_hours__gte=1), name="demand_category_accept_positive"
            ),
            models.CheckConstraint(
                condition=Q(resolve_within_days__gte=1), name="demand_category_resolve_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Demand(models.Model):
    """诉求: what a resident asks for (or 微心愿, a micro-wish), from filing to summary."""

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.DEMAND)
    # Where: the compound and its ancestors (denormalised for figures and scopes), and the
    # place itself: a room, a building, or a common area (exactly one kind, see Meta).
    # (No single-column indexes on these three: the composite indexes below lead with them.)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="demands", db_index=False
    )
    place_kind = models.CharField(_("位置类型"), max_length=16, choices=PlaceKind.choices)
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    location_note = models.CharField(
        _("位置说明"), max_length=200, blank=True, help_text=_("如“东门停车场”“3单元楼道”")
    )
    place_path = models.CharField(
        _("位置路径"), max_length=PATH_MAX, help_text=_("房屋、楼栋或小区的路径")
    )
    # What.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    description = models.TextField(_("描述"), max_length=DESCRIPTION_MAX)
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    is_public = models.BooleanField(
        _("可公开"), default=False, help_text=_("公开展示时始终不显示诉求人姓名")
    )
    # Who and how.
    reporter = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        db_index=False,  # demand_reporter below leads with it
        verbose_name=_("诉求人"),
        help_text=_("匿名纸质意见条可为空"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
        help_text=_("代居民录入的工作人员;居民自己提交时为其本人账号"),
    )
    channel = models.CharField(
        _("来源渠道"), max_length=16, choices=Channel.choices, default=Channel.APP
    )
    # Where it stands.
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.FILED)
    handler_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_demands",
        verbose_name=_("承办组织"),
    )
    handler_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_demands",
        verbose_name=_("承办人"),
    )
    level = models.CharField(
        _("升级层级"),
        max_length=16,
        blank=True,
        choices=rules.Level.choices,
        help_text=_("当前承办所在的吹哨报到层级;为空表示基层承办人(楼栋长、共建单位等)"),
    )
    escalation_count = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    overdue_count = models.PositiveSmallIntegerField(_("超时次数"), default=0)
    chain_exhausted = models.BooleanField(
        _("已到最高层级仍超时"), default=False, help_text=_("定时任务不再重复处理,直到设定新时限")
    )
    rectification_count = models.PositiveSmallIntegerField(_("整改次数"), default=0)
    # Deadlines: accept_by (接单/报到), resolve_by (办结); due_at is whichever runs now
    # (rules.DEADLINE_FIELD), so the escalation job reads one partial index.
    accept_by = models.DateTimeField(_("接单时限"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("办结时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("当前时限"), null=True, blank=True)
    # Outcome.
    rating = models.PositiveSmallIntegerField(
        _("最近评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.TextField(_("反馈"), blank=True)
    summary = models.TextField(_("总结"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("合并到"),
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(place_kind=PlaceKind.ROOM, room__isnull=False, building__isnull=False)
                    | Q(place_kind=PlaceKind.BUILDING, room__isnull=True, building__isnull=False)
                    | Q(place_kind=PlaceKind.COMMON, room__isnull=True, building__isnull=True)
                ),
                name="demand_one_kind_of_place",
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.MICRO_WISH) | Q(category__isnull=False),
                name="demand_has_category",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="demand_has_description"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="demand_state_known"),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(rules.HAS_HANDLER))
                | Q(handler_body__isnull=False)
                | Q(handler_person__isnull=False),
                name="demand_has_handler_when_needed",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="demand_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=(Q(state=State.MERGED) & Q(merged_into__isnull=False))
                | (~Q(state=State.MERGED) & Q(merged_into__isnull=True)),
                name="demand_merged_iff_merged_into",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="demand_not_merged_into_itself"
            ),
        ]
        indexes = [
            # Handler inbox: open work of a body / a person, newest first (partial, small).
            models.Index(
                fields=["handler_body", "-created_at", "-id"],
                name="demand_inbox_body",
                condition=Q(state__in=sorted(rules.HANDLER_INBOX)),
            ),
            models.Index(
                fields=["handler_person", "-created_at", "-id"],
                name="demand_inbox_person",
                condition=Q(state__in=sorted(rules.HANDLER_INBOX)),
            ),
            # Dispatch board of a compound, by state, newest first; and all its states, newest
            # first (the board's first page: no sort of every demand of the compound).
            models.Index(fields=["compound", "state", "-created_at", "-id"], name="demand_board"),
            models.Index(fields=["compound", "-created_at", "-id"], name="demand_board_all"),
            # Figures over a street / community in a period: covering (index-only on PG).
            models.Index(
                fields=["street", "created_at"],
                name="demand_street_figures",
                include=["state", "rating", "escalation_count", "overdue_count", "due_at"],
            ),
            models.Index(
                fields=["community", "created_at"],
                name="demand_community_figures",
                include=["state", "rating", "escalation_count", "overdue_count", "due_at"],
            ),
            # Escalation job: running deadlines not yet handled at the top of the chain.
            models.Index(
                fields=["due_at"],
                name="demand_due",
                condition=Q(state__in=sorted(rules.UNRESOLVED), chain_exhausted=False),
            ),
            # Unrated-closure job.
            models.Index(
                fields=["resolved_at"], name="demand_awaiting_rating", condition=Q(state="resolved")
            ),
            # Duplicates: open demands of a building.
            models.Index(
                fields=["building", "-created_at"],
                name="demand_open_in_building",
                condition=Q(state__in=sorted(rules.UNRESOLVED)),
            ),
            models.Index(fields=["reporter", "-created_at"], name="demand_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk} {self.description[:20]}"

    @property
    def is_open(self) -> bool:
        return self.state not in rules.TERMINAL

    @property
    def running_deadline_field(self) -> str | None:
        return rules.DEADLINE_FIELD.get(State(self.state))

    def is_overdue(self, now=None) -> bool:
        return self.state in rules.UNRESOLVED and rules.is_overdue(
            now or timezone.now(), self.due_at
        )
