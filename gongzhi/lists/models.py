"""Lists (清单): needs lists and problem lists, their items, claims and progress.

DOMAIN.md mechanism 2. States and moves are in ``rules.py``; every write goes through
``services``. The database holds what must never break whatever code writes: one active
claim per item, a claim by exactly one of a unit or a person, a long-term project with a
plan, a demand-sourced item with its demand (once per list), percentages 0–100.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.demands.models import Category, Demand
from gongzhi.lists import rules
from gongzhi.lists.rules import ItemState, ListKind, ListState, Mode, Source
from gongzhi.people.models import Person
from gongzhi.places.models import PATH_MAX, Community, Compound, Street


class WorkList(models.Model):
    """清单: a compound's (or a community's) needs list or problem list for a period."""

    kind = models.CharField(_("类型"), max_length=16, choices=ListKind.choices)
    title = models.CharField(_("标题"), max_length=rules.TITLE_MAX)
    note = models.TextField(_("说明"), blank=True, max_length=rules.TEXT_MAX)
    # Where: a compound, or a whole community (compound empty). Street and community are
    # denormalised for the place-level figures; place_path is the compound's or community's.
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="work_lists")
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="work_lists"
    )
    place_path = models.CharField(_("位置路径"), max_length=PATH_MAX, db_index=True)
    period = models.CharField(
        _("期间"), max_length=rules.PERIOD_MAX, help_text=_("如 2022、2022-Q3、2022-H1、2022-03")
    )
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ListState.choices, default=ListState.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("编制人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("清单")
        verbose_name_plural = _("清单")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ListState.values), name="work_list_state_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values), name="work_list_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="work_list_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(state=ListState.DRAFT) | Q(published_at__isnull=False),
                name="work_list_published_at",
            ),
            models.CheckConstraint(
                condition=~Q(state=ListState.ARCHIVED) | Q(archived_at__isnull=False),
                name="work_list_archived_at",
            ),
            models.CheckConstraint(condition=~Q(place_path=""), name="work_list_has_place"),
        ]
        indexes = [
            models.Index(fields=["compound", "-period_start"], name="work_list_compound"),
            models.Index(fields=["community", "-period_start"], name="work_list_community"),
            models.Index(fields=["street", "period_start"], name="work_list_street"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in rules.PUBLIC

    @property
    def is_editable(self) -> bool:
        return self.state in rules.EDITABLE

    @property
    def place_name(self) -> str:
        return self.compound.name if self.compound_id else self.community.name


class ListItem(models.Model):
    """清单事项: one need or problem on a list, fixed now or carried as a project."""

    work_list = models.ForeignKey(WorkList, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=rules.TITLE_MAX)
    description = models.TextField(_("说明"), blank=True, max_length=rules.TEXT_MAX)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_items",
        verbose_name=_("类别"),
    )
    place_label = models.CharField(
        _("位置"), max_length=100, blank=True, help_text=_("楼栋或公共区域,从不写到户")
    )
    # Where it came from: a demand, an item raised at a meeting, or a walk-around visit.
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    demand = models.ForeignKey(
        Demand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_items",
        verbose_name=_("来源诉求"),
    )
    source_label = models.CharField(
        _("来源说明"), max_length=120, blank=True, help_text=_("如“2022年3月邻里夜谈”")
    )
    source_date = models.DateField(_("来源日期"), null=True, blank=True)
    collected_on = models.DateField(
        _("收集日期"), default=timezone.localdate, help_text=_("按此日期计入期间统计")
    )
    mode = models.CharField(_("办理方式"), max_length=16, choices=Mode.choices)
    plan = models.TextField(_("推进计划"), blank=True, max_length=rules.PLAN_MAX)
    state = models.CharField(
        _("状态"), max_length=16, choices=ItemState.choices, default=ItemState.OPEN
    )
    percent = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    done_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    dropped_reason = models.TextField(_("不再办理原因"), blank=True, max_length=rules.REASON_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["work_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["work_list", "number"], name="list_item_number_unique"),
            models.UniqueConstraint(
                fields=["work_list", "demand"],
                condition=Q(demand__isnull=False),
                name="list_item_demand_once_per_list",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ItemState.values), name="list_item_state_known"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="list_item_mode_known"),
            models.CheckConstraint(
                condition=(Q(source=Source.DEMAND) & Q(demand__isnull=False))
                | (Q(source__in=[Source.MEETING, Source.VISIT]) & Q(demand__isnull=True)),
                name="list_item_demand_iff_from_demand",
            ),
            models.CheckConstraint(
                condition=~Q(mode=Mode.LONG_TERM) | ~Q(plan=""),
                name="list_item_long_term_has_plan",
            ),
            models.CheckConstraint(
                condition=(Q(state=ItemState.DONE) & Q(done_at__isnull=False))
                | (~Q(state=ItemState.DONE) & Q(done_at__isnull=True)),
                name="list_item_done_iff_done_at",
            ),
            models.CheckConstraint(
                condition=~Q(state=ItemState.DROPPED) | ~Q(dropped_reason=""),
                name="list_item_dropped_has_reason",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="list_item_percent_0_100"),
            models.CheckConstraint(condition=~Q(title=""), name="list_item_has_title"),
        ]
        indexes = [
            models.Index(fields=["work_list", "state"], name="list_item_state"),
            models.Index(fields=["collected_on"], name="list_item_collected_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_long_term(self) -> bool:
        return self.mode == Mode.LONG_TERM

    @property
    def is_solved(self) -> bool:
        return self.state in rules.SOLVED


class Milestone(models.Model):
    """节点: a step of a long-term project, with its due date."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=rules.TITLE_MAX)
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["item", "due_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="milestone_has_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ItemClaim(models.Model):
    """认领: a partner unit (共建单位) or a 双报到 party member takes an item on.

    The history of an item's claims: a released claim stays, with when and why. At most
    one claim per item is active (not released): a conditional unique constraint.
    """

    item = models.ForeignKey(ListItem, on_delete=models.PROTECT, related_name="claims")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_claims",
        verbose_name=_("认领单位"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_claims",
        verbose_name=_("认领党员"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    assigned = models.BooleanField(_("工作人员指派"), default=False)
    claimed_at = models.DateTimeField(_("认领时间"), default=timezone.now)
    released_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.CharField(_("退回原因"), max_length=rules.REASON_MAX, blank=True)

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["item", "-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(released_at__isnull=True),
                name="item_claim_one_active_per_item",
            ),
            models.CheckConstraint(
                condition=(Q(body__isnull=False) & Q(person__isnull=True))
                | (Q(body__isnull=True) & Q(person__isnull=False)),
                name="item_claim_unit_or_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["body", "-claimed_at"],
                name="item_claim_active_body",
                condition=Q(released_at__isnull=True),
            ),
            models.Index(
                fields=["person", "-claimed_at"],
                name="item_claim_active_person",
                condition=Q(released_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.claimant_name}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def claimant_name(self) -> str:
        return str(self.body) if self.body_id else str(self.person)


def progress_photo_upload_to(instance: ProgressPhoto, filename: str) -> str:
    now = timezone.now()
    return f"lists/{now:%Y/%m}/{filename}"


class ItemProgress(models.Model):
    """进展: a progress report on an item (the last one, at 100%, may close it)."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="progress")
    claim = models.ForeignKey(
        ItemClaim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress",
        help_text=_("报告时的认领;工作人员自行推进时为空"),
    )
    text = models.TextField(_("进展"), max_length=rules.TEXT_MAX)
    percent = models.PositiveSmallIntegerField(_("进度(%)"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事项进展")
        verbose_name_plural = _("事项进展")
        ordering = ["item", "-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="item_progress_0_100"),
            models.CheckConstraint(condition=~Q(text=""), name="item_progress_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.percent}%"


class ProgressPhoto(models.Model):
    """A photo of a progress report, re-encoded as demands' photos are (no EXIF)."""

    progress = models.ForeignKey(ItemProgress, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("照片"), upload_to=progress_photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(_("字节数"), default=0)

    class Meta:
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")

    def __str__(self) -> str:
        return self.image.name
