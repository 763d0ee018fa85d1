"""The place tree: district → street → community → compound → grid → building → entrance → room.

Each node stores its ancestry ``path`` (see places.rules), so "is X inside Y" is a prefix
test that the database answers with an index, and access scopes are paths too.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongzhi.places import rules

PATH_MAX = 200


def _worded(message, **values):
    """A validator's message with its limit filled in, translated when it is shown."""
    return lazy(lambda: str(message) % values, str)()


class PlaceNode(models.Model):
    LEVEL: str = ""

    name = models.CharField(_("名称"), max_length=100)
    path = models.CharField(_("路径"), max_length=PATH_MAX, unique=True, editable=False, null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def parent_node(self) -> PlaceNode | None:
        return None

    def compute_path(self) -> str:
        parent = self.parent_node()
        return rules.child_path(parent.path if parent else "", self.LEVEL, self.pk)

    def save(self, *args, **kwargs):
        if self.pk and self.path:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.path = self.compute_path()
            type(self).objects.filter(pk=self.pk).update(path=self.path)


class District(PlaceNode):
    """区: district, the top of the tree."""

    LEVEL = "district"
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        constraints = [models.UniqueConstraint(fields=["name"], name="district_name_unique")]


class Street(PlaceNode):
    """街道: street (sub-district) office area."""

    LEVEL = "street"
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("区")
    )

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_name_unique")
        ]

    def parent_node(self):
        return self.district


class Community(PlaceNode):
    """社区: community, with its residents' committee and party committee."""

    LEVEL = "community"
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街道")
    )

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_name_unique")
        ]

    def parent_node(self):
        return self.street


class OwnersBodyKind(models.TextChoices):
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    PROPERTY_MANAGEMENT_COMMITTEE = "property_management_committee", _("物业管理委员会")
    SELF_MANAGEMENT_COMMITTEE = "self_management_committee", _("自管会")
    NONE = "none", _("无")


class Compound(PlaceNode):
    """小区: residential compound, the unit of co-governance."""

    LEVEL = "compound"
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("社区")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    has_property_company = models.BooleanField(_("有物业服务企业"), default=True)
    owners_body_kind = models.CharField(
        _("业主组织"), max_length=32, choices=OwnersBodyKind.choices, default=OwnersBodyKind.NONE
    )
    # Public figures, as the compound reports them (they may differ from the roster).
    households = models.PositiveIntegerField(_("户数"), default=0)
    residents = models.PositiveIntegerField(_("常住人口"), default=0)
    buildings_count = models.PositiveIntegerField(_("楼栋数"), default=0)
    total_floor_area = models.DecimalField(
        _("总建筑面积(㎡)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[
            MinValueValidator(Decimal("0.00")),
            MaxValueValidator(
                rules.COMPOUND_AREA_MAX,
                _worded(
                    _("总建筑面积不能超过 %(limit)s ㎡。"),
                    limit=rules.format_limit(rules.COMPOUND_AREA_MAX),
                ),
            ),
        ],
    )

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_name_unique"),
            models.CheckConstraint(
                condition=models.Q(total_floor_area__gte=0), name="compound_area_nonnegative"
            ),
            models.CheckConstraint(
                condition=models.Q(total_floor_area__lte=rules.COMPOUND_AREA_MAX),
                name="compound_area_plausible",
            ),
        ]

    def parent_node(self):
        return self.community

    @property
    def is_three_without(self) -> bool:
        """三无小区: neither a property company nor an owners' committee."""
        return not self.has_property_company and self.owners_body_kind in (
            OwnersBodyKind.NONE,
            OwnersBodyKind.SELF_MANAGEMENT_COMMITTEE,
        )


class Grid(PlaceNode):
    """网格: grid, the area a grid worker looks after."""

    LEVEL = "grid"
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="grids", verbose_name=_("小区")
    )

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="grid_name_unique")
        ]

    def parent_node(self):
        return self.compound


class Building(PlaceNode):
    """楼栋: building."""

    LEVEL = "building"
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("小区")
    )
    grid = models.ForeignKey(
        Grid,
        on_delete=models.PROTECT,
        related_name="buildings",
        null=True,
        blank=True,
        verbose_name=_("网格"),
    )
    floors = models.PositiveSmallIntegerField(
        _("层数"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                rules.BUILDING_FLOORS_RANGE[0],
                _worded(_("层数至少为 %(min)s。"), min=rules.BUILDING_FLOORS_RANGE[0]),
            ),
            MaxValueValidator(
                rules.BUILDING_FLOORS_RANGE[1],
                _worded(_("层数不能超过 %(max)s。"), max=rules.BUILDING_FLOORS_RANGE[1]),
            ),
        ],
    )
    has_elevator = models.BooleanField(_("有电梯"), default=False)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="building_name_unique"),
            models.CheckConstraint(
                condition=models.Q(floors__isnull=True)
                | models.Q(
                    floors__gte=rules.BUILDING_FLOORS_RANGE[0],
                    floors__lte=rules.BUILDING_FLOORS_RANGE[1],
                ),
                name="building_floors_plausible",
            ),
        ]

    def parent_node(self):
        return self.grid or self.compound

    def clean(self):
        if self.grid_id and self.compound_id and self.grid.compound_id != self.compound_id:
            raise ValidationError({"grid": _("网格不属于该小区。")})

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)


class Entrance(PlaceNode):
    """单元: entrance (stairwell) of a building."""

    LEVEL = "entrance"
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="entrances", verbose_name=_("楼栋")
    )

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="entrance_name_unique")
        ]

    def parent_node(self):
        return self.building


class AreaSource(models.TextChoices):
    """274号 art. 23 ranks them: registered, then surveyed, then the sales contract."""

    REGISTERED = "registered", _("不动产登记")
    SURVEYED = "surveyed", _("测绘")
    CONTRACT = "contract", _("房屋买卖合同")


class RoomUse(models.TextChoices):
    RESIDENTIAL = "residential", _("住宅")
    COMMERCIAL = "commercial", _("商业")
    PARKING = "parking", _("车位")


class Room(PlaceNode):
    """房屋: a unit with an exclusive floor area (专有部分面积)."""

    LEVEL = "room"
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("楼栋")
    )
    entrance = models.ForeignKey(
        Entrance,
        on_delete=models.PROTECT,
        related_name="rooms",
        null=True,
        blank=True,
        verbose_name=_("单元"),
    )
    # Denormalised from the building, so roll calls and counts need no join.
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("小区")
    )
    floor = models.SmallIntegerField(
        _("楼层"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                rules.FLOOR_RANGE[0], _worded(_("楼层不能低于 %(min)s。"), min=rules.FLOOR_RANGE[0])
            ),
            MaxValueValidator(
                rules.FLOOR_RANGE[1], _worded(_("楼层不能高于 %(max)s。"), max=rules.FLOOR_RANGE[1])
            ),
        ],
    )
    exclusive_area = models.DecimalField(
        _("专有面积(㎡)"),
        max_digits=10,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01")),
            MaxValueValidator(
                rules.ROOM_AREA_MAX,
                _worded(
                    _("专有面积不能超过 %(limit)s ㎡。"),
                    limit=rules.format_limit(rules.ROOM_AREA_MAX),
                ),
            ),
        ],
    )
    area_source = models.CharField(
        _("面积来源"), max_length=16, choices=AreaSource.choices, default=AreaSource.REGISTERED
    )
    use = models.CharField(
        _("用途"), max_length=16, choices=RoomUse.choices, default=RoomUse.RESIDENTIAL
    )
    held_by_developer = models.BooleanField(
        _("开发商持有"), default=False, help_text=_("未售出或已售未交付")
    )

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "name"], name="room_name_unique_in_building"
            ),
            models.CheckConstraint(
                condition=models.Q(exclusive_area__gt=0), name="room_area_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(exclusive_area__lte=rules.ROOM_AREA_MAX),
                name="room_area_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(floor__isnull=True)
                | models.Q(floor__gte=rules.FLOOR_RANGE[0], floor__lte=rules.FLOOR_RANGE[1]),
                name="room_floor_plausible",
            ),
        ]
        indexes = [models.Index(fields=["compound", "use"], name="room_compound_use")]

    def parent_node(self):
        return self.entrance or self.building

    def clean(self):
        if self.entrance_id and self.building_id and self.entrance.building_id != self.building_id:
            raise ValidationError({"entrance": _("单元不属于该楼栋。")})
        if self.compound_id and self.building_id and self.building.compound_id != self.compound_id:
            raise ValidationError({"compound": _("房屋的小区必须与楼栋一致。")})

    def save(self, *args, **kwargs):
        if self.building_id and not self.compound_id:
            self.compound_id = self.building.compound_id
        self.clean()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.building.name}-{self.name}" if self.building_id else self.name
