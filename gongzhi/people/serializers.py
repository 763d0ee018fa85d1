"""Serializers of the people API. Contacts are masked unless the view puts ``reveal`` in
the serializer context (it asks people.permissions.can_view_contact, once per request).

This module imports nothing from places.serializers, so places may use the person card.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongzhi.people.models import Ownership, Residency
from gongzhi.people.selectors import person_card


class PersonCardSerializer(serializers.Serializer):
    """人员卡片: what a reader may see of a person (people.selectors.PersonCard)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    gender = serializers.CharField(help_text="性别(显示文字),未填为空")
    phone = serializers.CharField(help_text="手机号;masked 时形如 138****5678")
    id_number = serializers.CharField(help_text="身份证号;masked 时只留前后四位")
    is_vulnerable = serializers.BooleanField(help_text="困难/特殊群体")
    masked = serializers.BooleanField(help_text="联系方式是否已隐去")


@extend_schema_field(PersonCardSerializer)
class PersonCardField(serializers.Field):
    """A Person shown as its card; full contacts only when ``context["reveal"]`` is true."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        reveal = bool(self.context.get("reveal", False))
        return PersonCardSerializer(person_card(value, reveal=reveal)).data


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
