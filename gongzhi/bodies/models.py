"""Bodies of a compound and above it, their memberships and posts (DOMAIN.md "Bodies")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.people.models import Household, Person
from gongzhi.places.models import PATH_MAX, Community, Compound


class BodyKind(models.TextChoices):
    # Party organisations, top to bottom (article 001's four levels and below).
    STREET_PARTY_COMMITTEE = "street_party_committee", _("街道党工委")
    COMMUNITY_PARTY_COMMITTEE = "community_party_committee", _("社区大党委")
    COMPOUND_PARTY_BRANCH = "compound_party_branch", _("小区党支部")
    GRID_PARTY_GROUP = "grid_party_group", _("网格党小组")
    BUILDING_PARTY_GROUP = "building_party_group", _("楼栋党小组")
    # Administration.
    STREET_OFFICE = "street_office", _("街道办事处")
    RESIDENTS_COMMITTEE = "residents_committee", _("社区居委会")
    # Owners' bodies.
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    PROPERTY_MANAGEMENT_COMMITTEE = "property_management_committee", _("物业管理委员会")
    SELF_MANAGEMENT_COMMITTEE = "self_management_committee", _("自管会")
    # Others of "四位一体" / "1+4".
    PROPERTY_COMPANY = "property_company", _("物业服务企业")
    ADVISERS = "advisers", _("小区顾问组")
    THINK_TANK = "think_tank", _("智囊团")
    PARTNER_UNIT = "partner_unit", _("共建单位")
    VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")


PARTY_KINDS = frozenset(
    {
        BodyKind.STREET_PARTY_COMMITTEE,
        BodyKind.COMMUNITY_PARTY_COMMITTEE,
        BodyKind.COMPOUND_PARTY_BRANCH,
        BodyKind.GRID_PARTY_GROUP,
        BodyKind.BUILDING_PARTY_GROUP,
    }
)
OWNERS_BODY_KINDS = frozenset(
    {
        BodyKind.OWNERS_COMMITTEE,
        BodyKind.PROPERTY_MANAGEMENT_COMMITTEE,
        BodyKind.SELF_MANAGEMENT_COMMITTEE,
    }
)


def body_current_q(day, prefix: str = "") -> Q:
    """Bodies not dissolved on ``day``: never dissolved, or dissolved after it (a body
    dissolved on a day no longer exists that day). ``prefix`` reaches a body through a
    relation, e.g. ``"body__"`` from a membership."""
    return Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})


def membership_current_q(day, prefix: str = "") -> Q:
    """THE meaning of "holds this post on ``day``": the term has begun and not ended (its
    last day included) AND the body is not dissolved on that day. Every read of current
    posts goes through this (``Membership.objects.active``), and the two hand-written
    statements that read them say the same in SQL, tested against it: the grants query
    (``permissions._grants_sql``) and the inbox function (demands migration 0005)."""
    return term_current_q(day, prefix) & body_current_q(day, f"{prefix}body__")


def term_current_q(day, prefix: str = "") -> Q:
    """The term alone (begun, not ended, its last day included): only where the bodies are
    already known to be current (``Body.objects.current()``), else ``membership_current_q``."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


class BodyQuerySet(models.QuerySet):
    def current(self, on=None):
        """Bodies not dissolved on ``on`` (default today)."""
        return self.filter(body_current_q(on or timezone.localdate()))


class Body(models.Model):
    """组织: a body attached to one node of the place tree (its scope)."""

    kind = models.CharField(_("类型"), max_length=40, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    place_path = models.CharField(_("所在位置"), max_length=PATH_MAX, db_index=True)
    # The compound or community it belongs to, when it belongs to one (for quick lookups).
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    has_party_organisation = models.BooleanField(
        _("建有党组织"), default=False, help_text=_("如红色物业、红色业委会")
    )
    legal_name = models.CharField(_("单位全称"), max_length=200, blank=True)
    contract_start = models.DateField(_("合同开始"), null=True, blank=True)
    contract_end = models.DateField(_("合同结束"), null=True, blank=True)
    term_start = models.DateField(_("本届开始"), null=True, blank=True)
    term_end = models.DateField(_("本届结束"), null=True, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("撤销日期"), null=True, blank=True, help_text=_("自该日起组织不再存在,其成员不再任职")
    )
    dissolution_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="body_contract_ordered",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="body_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party(self) -> bool:
        return self.kind in PARTY_KINDS

    def is_current(self, on=None) -> bool:
        """Not dissolved on ``on`` (default today): as ``body_current_q``."""
        return self.dissolved_on is None or self.dissolved_on > (on or timezone.localdate())


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员/成员")
    OFFICIAL = "official", _("街道干部")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_LEADER = "building_leader", _("楼栋长")
    CENTRAL_HOUSEHOLD = "central_household", _("党员中心户")
    MANAGER = "manager", _("项目经理")
    CLERK = "clerk", _("物业管家")
    ADVISER = "adviser", _("顾问")
    LIAISON = "liaison", _("联络人")
    CAPTAIN = "captain", _("队长")
    VOLUNTEER = "volunteer", _("志愿者")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        """Memberships held on ``on`` (default today): ``membership_current_q``."""
        return self.filter(membership_current_q(on or timezone.localdate()))


class Membership(models.Model):
    """任职: a person's post in a body for a term; its scope may be narrower than the body's."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    post = models.CharField(_("职务"), max_length=32, choices=Post.choices)
    scope_path = models.CharField(
        _("负责范围"),
        max_length=PATH_MAX,
        db_index=True,
        help_text=_("默认为组织所在位置;楼栋长、网格员可限定到楼栋、网格"),
    )
    start = models.DateField(_("任期开始"), default=timezone.localdate)
    end = models.DateField(_("任期结束"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_term_ordered",
            ),
        ]
        indexes = [models.Index(fields=["person", "end"], name="membership_person_end")]

    def __str__(self) -> str:
        return f"{self.body} · {self.get_post_display()} · {self.person}"


class CentralHouseholdLink(models.Model):
    """党员中心户联系户: a household a party-member central household looks after."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="linked_households"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="central_links")

    class Meta:
        verbose_name = _("中心户联系户")
        verbose_name_plural = _("中心户联系户")
        constraints = [
            models.UniqueConstraint(fields=["membership", "household"], name="central_link_unique")
        ]


class PartyMember(models.Model):
    """党员: a party member, their organisation, and 双报到 registration where they live."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="party_member")
    organisation = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_members",
        help_text=_("组织关系所在党组织;在职党员的组织关系常在工作单位"),
    )
    organisation_name = models.CharField(_("组织关系所在单位"), max_length=200, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    is_in_service = models.BooleanField(_("在职党员"), default=False)
    registered_community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_party_members",
        verbose_name=_("双报到社区"),
    )
    registered_on = models.DateField(_("报到日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_community__isnull=True) | Q(is_in_service=True),
                name="party_member_dual_registration_in_service",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="party_member_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)
