"""Serializers of the places API: one for each request and each response."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongzhi.core import api_fields
from gongzhi.core.text import ApiTextField
from gongzhi.people.models import Household, Ownership
from gongzhi.people.serializers import PersonCardField
from gongzhi.places import rules as place_rules
from gongzhi.places.models import AreaSource, Building, Compound, Room, RoomUse


class PlaceRefSerializer(serializers.Serializer):
    """A node of the place tree, by id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class CompoundSerializer(serializers.ModelSerializer):
    """小区, as listed."""

    community = PlaceRefSerializer()
    street = PlaceRefSerializer(source="community.street")
    district = PlaceRefSerializer(source="community.street.district")
    owners_body_kind_display = serializers.CharField(source="get_owners_body_kind_display")
    is_three_without = serializers.BooleanField(help_text="三无小区:无物业、无业委会")

    class Meta:
        model = Compound
        fields = [
            "id", "name", "path", "community", "street", "district", "address", "built_year",
            "has_property_company", "owners_body_kind", "owners_body_kind_display",
            "is_three_without", "households", "residents", "buildings_count", "total_floor_area",
        ]  # fmt: skip
        read_only_fields = fields


class CompoundFiguresSerializer(serializers.Serializer):
    """Roster figures of a compound (places.selectors.compound_figures)."""

    rooms = serializers.IntegerField(help_text="房屋数")
    residential = serializers.IntegerField(help_text="住宅数")
    developer_held = serializers.IntegerField(help_text="开发商持有")
    exclusive_area = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="专有面积合计(㎡)"
    )
    buildings = serializers.IntegerField(help_text="楼栋数")
    households = serializers.IntegerField(help_text="在住户数")
    residents = serializers.IntegerField(help_text="在住人数")
    owners = serializers.IntegerField(help_text="业主人数")


class CompoundDetailSerializer(CompoundSerializer):
    """小区, with its roster figures when the reader may see figures (else null)."""

    figures = serializers.SerializerMethodField()

    class Meta(CompoundSerializer.Meta):
        fields = [*CompoundSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    @extend_schema_field(CompoundFiguresSerializer(allow_null=True))
    def get_figures(self, compound) -> dict | None:
        figures = self.context.get("figures")
        return None if figures is None else CompoundFiguresSerializer(figures).data


class CompoundListQuerySerializer(serializers.Serializer):
    community = api_fields.IdField(required=False, help_text="社区编号")
    street = api_fields.IdField(required=False, help_text="街道编号")
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="按名称或地址查找"
    )


class BuildingSerializer(serializers.ModelSerializer):
    """楼栋, with its room count and exclusive area (places.selectors.buildings_of)."""

    grid = PlaceRefSerializer(allow_null=True)
    room_count = serializers.IntegerField(help_text="房屋数")
    area = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="专有面积合计(㎡)")

    class Meta:
        model = Building
        fields = ["id", "name", "path", "grid", "floors", "has_elevator", "room_count", "area"]
        read_only_fields = fields


class BuildingCreateSerializer(serializers.Serializer):
    """A new building of the compound in the URL; ``grid`` must be one of its grids."""

    name = ApiTextField(max_length=100)
    grid = api_fields.IntegerField(required=False, allow_null=True, help_text="网格编号")
    floors = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=place_rules.BUILDING_FLOORS_RANGE[0],
        max_value=place_rules.BUILDING_FLOORS_RANGE[1],
    )
    has_elevator = serializers.BooleanField(required=False, default=False)

    def validate_name(self, value: str) -> str:
        # The unique constraint says so too, but in words naming no model field.
        if self.context["compound"].buildings.filter(name=value).exists():
            raise serializers.ValidationError(_("该小区已有同名楼栋。"))
        return value

    def validate_grid(self, value):
        if value is None:
            return None
        grid = self.context["compound"].grids.filter(pk=value).first()
        if grid is None:
            raise serializers.ValidationError(_("该小区没有这个网格。"))
        return grid


class RoomOwnerSerializer(serializers.ModelSerializer):
    person = PersonCardField()

    class Meta:
        model = Ownership
        fields = ["id", "person", "share", "is_designated_voter", "since"]
        read_only_fields = fields


class RoomHouseholdSerializer(serializers.ModelSerializer):
    head = PersonCardField(allow_null=True)

    class Meta:
        model = Household
        fields = ["id", "head", "is_renting", "moved_in"]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    """房屋, with its current owners and households (places.selectors.rooms_of)."""

    entrance = PlaceRefSerializer(allow_null=True)
    area_source_display = serializers.CharField(source="get_area_source_display")
    use_display = serializers.CharField(source="get_use_display")
    owners = RoomOwnerSerializer(many=True, source="current_ownerships")
    households = RoomHouseholdSerializer(many=True, source="current_households")

    class Meta:
        model = Room
        fields = [
            "id", "name", "path", "entrance", "floor", "exclusive_area", "area_source",
            "area_source_display", "use", "use_display", "held_by_developer", "owners",
            "households",
        ]  # fmt: skip
        read_only_fields = fields


class RoomCreateSerializer(serializers.Serializer):
    """A new room of the building in the URL; ``entrance`` must be one of its entrances."""

    name = ApiTextField(max_length=100)
    entrance = api_fields.IntegerField(required=False, allow_null=True, help_text="单元编号")
    floor = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=place_rules.FLOOR_RANGE[0],
        max_value=place_rules.FLOOR_RANGE[1],
    )
    exclusive_area = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text=(
            f"专有面积(㎡),大于0、不超过{place_rules.format_limit(place_rules.ROOM_AREA_MAX)},"
            "最多两位小数;可传字符串或数字"
        ),
    )
    area_source = serializers.ChoiceField(
        choices=AreaSource.choices, required=False, default=AreaSource.REGISTERED
    )
    use = serializers.ChoiceField(
        choices=RoomUse.choices, required=False, default=RoomUse.RESIDENTIAL
    )
    held_by_developer = serializers.BooleanField(required=False, default=False)

    def validate_name(self, value: str) -> str:
        if self.context["building"].rooms.filter(name=value).exists():
            raise serializers.ValidationError(_("该楼栋已有同名房屋。"))
        return value

    def validate_exclusive_area(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError(_("专有面积必须大于0。"))
        if value > place_rules.ROOM_AREA_MAX:
            raise serializers.ValidationError(
                _("专有面积不能超过 %(limit)s ㎡。")
                % {"limit": place_rules.format_limit(place_rules.ROOM_AREA_MAX)}
            )
        return value

    def validate_entrance(self, value):
        if value is None:
            return None
        entrance = self.context["building"].entrances.filter(pk=value).first()
        if entrance is None:
            raise serializers.ValidationError(_("该楼栋没有这个单元。"))
        return entrance
