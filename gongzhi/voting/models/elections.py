"""Committee elections: 业委会换届, and the 自管会 of a 三无小区 (story 003)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.people.models import Person
from gongzhi.places.models import Compound
from gongzhi.voting import rules

ElectionState = models.TextChoices(
    "ElectionState",
    [(s.name, (s.value, rules.ELECTION_STATE_LABELS[s])) for s in rules.ElectionState],
)


class CommitteeKind(models.TextChoices):
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    SELF_MANAGEMENT_COMMITTEE = "self_management_committee", _("自管会")


class NominationChoices(models.TextChoices):
    SELF = "self", _("自荐")
    JOINT = "joint", _("业主联名推荐")
    PARTY_BRANCH = "party_branch", _("小区党支部推荐")
    RESIDENTS = "residents", _("群众推荐")


class CandidateStatus(models.TextChoices):
    NOMINATED = "nominated", _("待资格审查")
    ELIGIBLE = "eligible", _("资格审查合格")
    INELIGIBLE = "ineligible", _("资格审查不合格")
    ELECTED = "elected", _("当选")


class Election(models.Model):
    """换届选举: choosing the members of an owners' committee or a 自管会."""

    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="elections")
    committee_kind = models.CharField(_("选举组织"), max_length=40, choices=CommitteeKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("委员人数"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"))
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ElectionState.choices,
        default=rules.ElectionState.NOMINATING,
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    slate_published_at = models.DateTimeField(_("候选人公示时间"), null=True, blank=True)
    objections_until = models.DateTimeField(_("公示截止"), null=True, blank=True)
    counted_at = models.DateTimeField(_("产生时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    filed_with = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("备案机关"),
    )
    filing_reference = models.CharField(_("备案文号"), max_length=100, blank=True)
    filing_reminded_at = models.DateTimeField(_("备案提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=5, seats__lte=11), name="election_committee_size"
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=5), name="election_term"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def path(self) -> str:
        return self.compound.path

    @property
    def committee_label(self) -> str:
        return rules.COMMITTEE_LABELS[self.committee_kind]

    @property
    def steps(self) -> tuple[str, ...]:
        return rules.ELECTION_STEPS[self.committee_kind]

    @property
    def nomination_kinds(self) -> dict:
        return {
            k.value: label for k, label in rules.nomination_kinds_for(self.committee_kind).items()
        }


class Candidate(models.Model):
    """候选人: a person nominated, checked, and possibly elected."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("候选人")
    )
    number = models.PositiveSmallIntegerField(_("候选人编号"), null=True, blank=True)
    nomination = models.CharField(_("提名方式"), max_length=16, choices=NominationChoices.choices)
    nominators = models.ManyToManyField(
        Person, blank=True, related_name="nominations_made", verbose_name=_("联名推荐人")
    )
    recommended_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("推荐组织"),
    )
    statement = models.TextField(_("个人简介"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(_("提名时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.NOMINATED
    )
    ineligible_reason = models.CharField(_("不合格原因"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    elected_round = models.PositiveSmallIntegerField(_("当选轮次"), null=True, blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once"),
            models.UniqueConstraint(
                fields=["election", "number"],
                condition=Q(number__isnull=False),
                name="candidate_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status=CandidateStatus.INELIGIBLE) | ~Q(ineligible_reason=""),
                name="candidate_ineligible_has_reason",
            ),
        ]

    def __str__(self) -> str:
        if not self.number:
            return self.person.name
        return gettext("%(number)s号 %(name)s") % {"number": self.number, "name": self.person.name}

    @property
    def nomination_label(self) -> str:
        kinds = rules.nomination_kinds_for(self.election.committee_kind)
        return kinds.get(rules.NominationKind(self.nomination), self.get_nomination_display())
