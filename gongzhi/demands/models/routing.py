"""A compound's routing rules (派单规则) and escalation chain (吹哨报到升级链)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.demands import rules
from gongzhi.demands.models.demand import Category, PlaceKind
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound


class RoutingRule(models.Model):
    """派单规则: in a compound, category × place kind [× building] → suggested handler.

    Empty category, place kind or building match anything; the most specific matching
    rule wins (see selectors.suggested_handler). Each compound keeps its own.
    """

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="routing_rules")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    place_kind = models.CharField(
        _("位置类型"), max_length=16, choices=PlaceKind.choices, blank=True
    )
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    handler_body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="+", verbose_name=_("承办组织")
    )
    handler_person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办人"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=True) | ~Q(place_kind=PlaceKind.COMMON),
                name="routing_rule_building_not_common",
            ),
        ]
        indexes = [models.Index(fields=["compound"], name="routing_rule_compound")]

    def __str__(self) -> str:
        return f"{self.compound} → {self.handler_body}"


def default_chain() -> list[str]:
    return list(rules.DEFAULT_CHAIN)


class EscalationChain(models.Model):
    """吹哨报到升级链: a compound's ordered levels (rules.Level keys), validated by
    rules.validate_chain. A compound without one uses rules.DEFAULT_CHAIN."""

    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="escalation_chain"
    )
    levels = models.JSONField(_("层级"), default=default_chain)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("吹哨报到升级链")
        verbose_name_plural = _("吹哨报到升级链")

    def __str__(self) -> str:
        return " → ".join(rules.level_label(lv) for lv in self.levels)

    def clean(self):
        self.levels = list(rules.validate_chain(self.levels))
