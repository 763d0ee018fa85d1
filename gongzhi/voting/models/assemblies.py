"""The voting policy of a compound, assemblies, their questions and their frozen roll."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.people.models import Person
from gongzhi.places.models import Compound
from gongzhi.voting import rules

AssemblyState = models.TextChoices(
    "AssemblyState",
    [(s.name, (s.value, rules.ASSEMBLY_STATE_LABELS[s])) for s in rules.AssemblyState],
)
MatterChoices = models.TextChoices(
    "MatterChoices", [(m.name, (m.value, m.label)) for m in rules.Matter]
)


def new_public_code() -> str:
    """An unguessable code naming an assembly in its public verification link."""
    return secrets.token_urlsafe(9)


class VotingPolicy(models.Model):
    """表决规则设置: what the compound's rules of procedure (议事规则) leave open.

    Snapshotted onto an assembly when its roll is drawn, so a later change never
    alters a vote already under way.
    """

    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="voting_policy"
    )
    count_parking_area = models.BooleanField(
        _("车位计入专有面积和人数"), default=False, help_text=_("议事规则有约定时才计入")
    )
    proxy_limit = models.PositiveSmallIntegerField(
        _("每人最多受托代理业主数"), default=1, validators=[MaxValueValidator(20)]
    )
    allow_vote_change = models.BooleanField(_("截止前允许改票"), default=False)
    named_ballots = models.BooleanField(_("实名投票"), default=True)
    objection_days = models.PositiveSmallIntegerField(
        _("名册与候选人公示天数"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    joint_nomination_min = models.PositiveSmallIntegerField(
        _("联名推荐最少人数"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("表决规则设置")
        verbose_name_plural = _("表决规则设置")

    def __str__(self) -> str:
        return gettext("%(compound)s · 表决规则") % {"compound": self.compound}

    @property
    def rules_policy(self) -> rules.Policy:
        return rules.Policy(count_parking_area=self.count_parking_area)


class Assembly(models.Model):
    """业主大会会议: one session of the owners' assembly, its questions and its frozen roll."""

    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="assemblies")
    title = models.CharField(_("会议名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=AssemblyState.choices, default=rules.AssemblyState.DRAFT
    )
    public_code = models.CharField(
        _("公开核验码"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    opens_at = models.DateTimeField(_("投票开始"))
    closes_at = models.DateTimeField(_("投票截止"))
    # The policy, frozen when the roll is drawn.
    count_parking_area = models.BooleanField(_("车位计入"), default=False)
    proxy_limit = models.PositiveSmallIntegerField(_("每人最多受托数"), default=1)
    allow_vote_change = models.BooleanField(_("允许改票"), default=False)
    named_ballots = models.BooleanField(_("实名投票"), default=True)
    # Milestones.
    roll_drawn_at = models.DateTimeField(_("名册生成时间"), null=True, blank=True)
    objections_until = models.DateTimeField(_("名册公示截止"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开始表决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束表决时间"), null=True, blank=True)
    result_published_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True)
    # Tamper evidence: the SHA-256 of the published ballot list (voting.ledger).
    ballots_hash = models.CharField(_("选票清单哈希"), max_length=64, blank=True)
    ballots_count = models.PositiveIntegerField(_("计入选票数"), null=True, blank=True)
    result_notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结果公告"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业主大会会议")
        verbose_name_plural = _("业主大会会议")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="assembly_closes_after_opens"
            ),
        ]
        indexes = [models.Index(fields=["compound", "state"], name="assembly_compound_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def path(self) -> str:
        """The compound's place path: where access to the assembly is decided."""
        return self.compound.path

    @property
    def state_enum(self) -> rules.AssemblyState:
        return rules.AssemblyState(self.state)

    @property
    def is_counted(self) -> bool:
        return self.state in (rules.AssemblyState.CLOSED, rules.AssemblyState.RESULT_PUBLISHED)

    def accepts_ballots_at(self, moment) -> bool:
        return self.state == rules.AssemblyState.OPEN and self.opens_at <= moment < self.closes_at


class Question(models.Model):
    """议题: one matter put to the vote; an election question has seats and candidates."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    matter = models.CharField(_("表决事项"), max_length=32, choices=MatterChoices.choices)
    seats = models.PositiveSmallIntegerField(_("应选人数"), null=True, blank=True)
    election = models.ForeignKey(
        "voting.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("选举"),
    )
    candidates = models.ManyToManyField(
        "voting.Candidate", blank=True, related_name="questions", verbose_name=_("候选人")
    )
    result = models.JSONField(_("计票结果"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["assembly", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "position"], name="question_position"),
            models.CheckConstraint(
                condition=Q(seats__isnull=True)
                | Q(matter=rules.Matter.ELECT_COMMITTEE, seats__gt=0),
                name="question_seats_only_for_elections",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_election(self) -> bool:
        return self.seats is not None

    @property
    def matter_label(self) -> str:
        return rules.Matter(self.matter).label

    @property
    def threshold_description(self) -> str:
        if self.is_election:
            return rules.ELECTION_THRESHOLD.description
        return rules.threshold_for(self.matter).description


class RollEntry(models.Model):
    """表决权登记: one head on the frozen roll, with the rooms and area it stands for.

    ``voter_key`` names the head: ``p<person id>`` for an owner (the designated voter of
    co-owned rooms), ``developer`` for everything the developer still holds, and
    ``r<room id>`` for a room nobody is registered to vote for yet (it still counts in
    the totals, and can be corrected while the roll is published for objections).
    """

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="roll")
    voter_key = models.CharField(_("表决人标识"), max_length=32)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roll_entries",
        verbose_name=_("表决人"),
    )
    is_developer = models.BooleanField(_("开发商"), default=False)
    room_ids = models.JSONField(_("房屋"), default=list)
    rooms_label = models.CharField(_("房屋"), max_length=1000, blank=True)
    area = models.DecimalField(_("专有面积(㎡)"), max_digits=14, decimal_places=2)
    heads = models.PositiveSmallIntegerField(_("人数"), default=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决权登记")
        verbose_name_plural = _("表决权登记")
        ordering = ["assembly", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "voter_key"], name="roll_voter_unique"),
            models.UniqueConstraint(
                fields=["assembly", "person"],
                condition=Q(person__isnull=False),
                name="roll_person_unique",
            ),
            models.CheckConstraint(condition=Q(heads=1), name="roll_one_head_per_entry"),
            models.CheckConstraint(condition=Q(area__gte=0), name="roll_area_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_label} · {self.rooms_label}"

    @property
    def voter_label(self) -> str:
        if self.is_developer:
            return gettext("开发建设单位")
        if self.person_id:
            return self.person.name
        return gettext("待确定表决人")

    @property
    def totals(self) -> rules.Totals:
        return rules.Totals(Decimal(self.area).quantize(Decimal("0.01")), self.heads)
