"""Ballots: online, on paper (entered by one staff member, confirmed by another) and by proxy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.people.models import Person
from gongzhi.voting import rules
from gongzhi.voting.models.assemblies import Assembly, Question, RollEntry

ChoiceChoices = models.TextChoices(
    "ChoiceChoices", [(c.name, (c.value, rules.CHOICE_LABELS[c])) for c in rules.Choice]
)


class Channel(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质表决票")
    PROXY = "proxy", _("委托代理")


class BallotStatus(models.TextChoices):
    VALID = "valid", _("有效")  # counted
    PENDING = "pending", _("待复核")  # a paper ballot not yet confirmed: not counted


class SheetStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    CONFIRMED = "confirmed", _("已复核")
    REJECTED = "rejected", _("已退回")


class ProxyStatus(models.TextChoices):
    """A proxy votes only once staff have checked the signed authorisation: one a holder
    uploads themselves waits (PENDING) until a vote manager accepts or rejects it."""

    PENDING = "pending", _("待核验")
    ACCEPTED = "accepted", _("已核验")
    REJECTED = "rejected", _("已退回")


class Proxy(models.Model):
    """委托代理: a written authorisation for ``holder`` to vote for one head on the roll,
    counted only once accepted (``status``)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="proxies")
    principal = models.ForeignKey(
        RollEntry, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("委托人")
    )
    holder = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="proxies_held", verbose_name=_("受托人")
    )
    authorisation = models.FileField(_("授权委托书"), upload_to="voting/proxies/%Y/%m/")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    status = models.CharField(
        _("核验状态"), max_length=16, choices=ProxyStatus.choices, default=ProxyStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核验人"),
    )
    reviewed_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    review_note = models.CharField(_("退回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("委托代理")
        verbose_name_plural = _("委托代理")
        constraints = [
            # One standing proxy per owner: a rejected one leaves room for a new one.
            models.UniqueConstraint(
                fields=["assembly", "principal"],
                condition=~Q(status="rejected"),
                name="proxy_one_per_principal",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="proxy_status_known",
            ),
            # Accepted or rejected by someone, at a time; pending by nobody yet.
            models.CheckConstraint(
                condition=Q(status="pending", reviewed_at__isnull=True)
                | (~Q(status="pending") & Q(reviewed_at__isnull=False)),
                name="proxy_reviewed_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["assembly", "holder"], name="proxy_assembly_holder")]

    def __str__(self) -> str:
        return gettext("%(holder)s 代理 %(principal)s") % {
            "holder": self.holder,
            "principal": self.principal.voter_label,
        }


class PaperSheet(models.Model):
    """纸质表决票: one signed paper ballot sheet, scanned, entered by one staff member and
    confirmed by another before its ballots count."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="paper_sheets")
    roll_entry = models.ForeignKey(
        RollEntry, on_delete=models.PROTECT, related_name="paper_sheets", verbose_name=_("表决人")
    )
    scan = models.FileField(_("表决票扫描件"), upload_to="voting/paper/%Y/%m/")
    status = models.CharField(
        _("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("复核人"),
    )
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("纸质表决票")
        verbose_name_plural = _("纸质表决票")
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("entered_by")),
                name="paper_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roll_entry.voter_label} · {self.get_status_display()}"


class Ballot(models.Model):
    """选票: one voter's answer to one question. One per voter per question, by constraint.

    A decision ballot has a ``choice``; an election ballot has ``approvals`` (at most
    ``question.seats`` candidates) and an empty ``choice``, or ``spoilt``.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="ballots")
    roll_entry = models.ForeignKey(
        RollEntry, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("表决人")
    )
    choice = models.CharField(_("选项"), max_length=16, choices=ChoiceChoices.choices, blank=True)
    channel = models.CharField(_("方式"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=BallotStatus.choices, default=BallotStatus.VALID
    )
    receipt = models.CharField(_("回执码"), max_length=10, unique=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    proxy = models.ForeignKey(
        Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    sheet = models.ForeignKey(
        PaperSheet, on_delete=models.CASCADE, null=True, blank=True, related_name="ballots"
    )
    cast_at = models.DateTimeField(_("投票时间"), default=timezone.now)
    changed_at = models.DateTimeField(_("改票时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "roll_entry"], name="ballot_one_per_voter_per_question"
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.PAPER) | Q(status=BallotStatus.VALID),
                name="ballot_only_paper_pending",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PAPER) | Q(sheet__isnull=False),
                name="ballot_paper_has_sheet",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PROXY) | Q(proxy__isnull=False),
                name="ballot_proxy_has_authorisation",
            ),
        ]
        indexes = [
            # The tally reads (question, status, choice, roll_entry) only: on PostgreSQL
            # an index-only scan (INCLUDE is ignored elsewhere).
            models.Index(
                fields=["question", "status", "choice"],
                include=["roll_entry"],
                name="ballot_tally",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.receipt}"

    @property
    def counts(self) -> bool:
        return self.status == BallotStatus.VALID


class BallotApproval(models.Model):
    """One candidate approved on an election ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="approvals")
    candidate = models.ForeignKey(
        "voting.Candidate", on_delete=models.PROTECT, related_name="approvals"
    )

    class Meta:
        verbose_name = _("选举选票所选候选人")
        verbose_name_plural = _("选举选票所选候选人")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="approval_once"),
        ]
