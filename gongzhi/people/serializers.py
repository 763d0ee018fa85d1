"""Serializers of the people API. Personal data is masked unless the view puts a
``people.selectors.Sight`` in the serializer context as ``sight`` (``sight_at``: what the
reader may see there, once per request); the view then records the full ID numbers the
sight showed (``people.services.id_numbers_shown``).

This module imports nothing from places.serializers, so places may use the person card.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongzhi.people import rules
from gongzhi.people.models import Ownership, Residency
from gongzhi.people.selectors import Sight, person_card


class PersonCardSerializer(serializers.Serializer):
    """人员卡片: what a reader may see of a person (people.selectors.PersonCard)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    gender = serializers.CharField(help_text="性别(显示文字),未填为空")
    phone = serializers.CharField(help_text="手机号;无权查看时形如 138****5678")
    id_number = serializers.CharField(help_text="身份证号;无权查看时只留前后四位")
    is_vulnerable = serializers.BooleanField(
        allow_null=True, help_text="困难/特殊群体;仅关爱工作人员可见,其他人为 null"
    )
    masked = serializers.BooleanField(help_text="手机号或身份证号是否已隐去")


@extend_schema_field(PersonCardSerializer)
class PersonCardField(serializers.Field):
    """A Person shown as its card, through ``context["sight"]`` (all masked without one)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        sight = self.context.get("sight")
        card = (
            sight.card(value)
            if isinstance(sight, Sight)
            else person_card(value, reveal=rules.NOTHING)
        )
        return PersonCardSerializer(card).data


class ResidentRoomSerializer(serializers.Serializer):
    """The room a resident lives in, inside the compound being listed."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    path = serializers.CharField()
    building_id = serializers.IntegerField()
    building_name = serializers.CharField(source="building.name")
    entrance_name = serializers.CharField(source="entrance.name", allow_null=True)


class ResidentSerializer(serializers.ModelSerializer):
    """居民: one current residency in a compound (people.selectors.resident_cards)."""

    person = PersonCardField()
    room = ResidentRoomSerializer(source="household.room")
    relation_display = serializers.CharField(source="get_relation_display")

    class Meta:
        model = Residency
        fields = [
            "id", "person", "room", "household_id", "relation", "relation_display",
            "is_tenant", "since",
        ]  # fmt: skip
        read_only_fields = fields


class ResidentListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="按姓名或房号查找"
    )


class PersonRoomSerializer(serializers.Serializer):
    """A room where a person lives or owns, with its building and compound."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    path = serializers.CharField()
    building_id = serializers.IntegerField()
    building_name = serializers.CharField(source="building.name")
    compound_id = serializers.IntegerField()
    compound_name = serializers.CharField(source="compound.name")


class PersonResidencySerializer(serializers.ModelSerializer):
    room = PersonRoomSerializer(source="household.room")
    relation_display = serializers.CharField(source="get_relation_display")

    class Meta:
        model = Residency
        fields = [
            "id",
            "room",
            "household_id",
            "relation",
            "relation_display",
            "is_tenant",
            "since",
        ]
        read_only_fields = fields


class PersonOwnershipSerializer(serializers.ModelSerializer):
    room = PersonRoomSerializer()

    class Meta:
        model = Ownership
        fields = ["id", "room", "share", "is_designated_voter", "since"]
        read_only_fields = fields


class PersonDetailSerializer(serializers.Serializer):
    """A person with the residencies and ownerships the reader may see the roster of."""

    person = PersonCardField()
    residencies = PersonResidencySerializer(many=True)
    ownerships = PersonOwnershipSerializer(many=True)


def serialize_seen(
    serializer_class, instance, *, user, place_path: str, where: str, label: str = "",
    sight: Sight | None = None, many: bool = False, context: dict | None = None,
):  # fmt: skip
    """``serializer_class(instance).data`` with the people in it seen by ``user`` at
    ``place_path`` (or through ``sight``), and the full ID numbers it showed recorded: one
    audit event for the response (``people.services.id_numbers_shown``, ``where`` the
    route's name). For every API view that shows people."""
    from gongzhi.people import services
    from gongzhi.people.selectors import sight_at

    sight = sight if sight is not None else sight_at(user, place_path)
    data = serializer_class(instance, many=many, context={**(context or {}), "sight": sight}).data
    services.id_numbers_shown(
        actor=user, persons=sight.id_numbers_shown, place_path=place_path, where=where,
        label=label,
    )  # fmt: skip
    return data
