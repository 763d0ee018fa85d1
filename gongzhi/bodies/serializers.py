"""Serializers of the bodies API: one for each request and each response."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from gongzhi.bodies.models import Body, Membership, Post
from gongzhi.core import api_fields
from gongzhi.core.capabilities import Cap
from gongzhi.core.refs import ScopedRef
from gongzhi.core.text import ApiTextField
from gongzhi.people import rules as people_rules
from gongzhi.people.models import Gender, validate_id_number, validate_mobile
from gongzhi.people.permissions import PERSON_NOT_FOUND, person_getter
from gongzhi.people.serializers import PersonCardField
from gongzhi.places import models as place_models
from gongzhi.places import rules as place_rules

_MODEL_OF_LEVEL = {
    "district": place_models.District,
    "street": place_models.Street,
    "community": place_models.Community,
    "compound": place_models.Compound,
    "grid": place_models.Grid,
    "building": place_models.Building,
    "entrance": place_models.Entrance,
    "room": place_models.Room,
}


# One Body component serves lists and detail alike (detail nests it): the body-kind enum
# then lives in a single component and keeps the OpenAPI name BodyKindEnum, whatever
# other apps call "kind".
class BodySerializer(serializers.ModelSerializer):
    """组织."""

    kind_display = serializers.CharField(source="get_kind_display")
    is_party = serializers.BooleanField(help_text="党组织")
    active_members = serializers.SerializerMethodField(help_text="在任人数")

    class Meta:
        model = Body
        fields = [
            "id", "kind", "kind_display", "name", "place_path", "compound", "community",
            "parent", "is_party", "has_party_organisation", "legal_name", "contract_start",
            "contract_end", "term_start", "term_end", "established_on", "dissolved_on",
            "dissolution_reason", "active_members",
        ]  # fmt: skip
        read_only_fields = fields

    def get_active_members(self, body) -> int:
        # Annotated by bodies_of_place; counted from the members by body_with_members.
        if hasattr(body, "active_members"):
            return body.active_members
        return len(body.current_memberships)


class MembershipSerializer(serializers.ModelSerializer):
    """任职: a person's post in a body; contacts masked unless the reader may see them."""

    person = PersonCardField()
    post_display = serializers.CharField(source="get_post_display")

    class Meta:
        model = Membership
        fields = ["id", "body", "person", "post", "post_display", "scope_path", "start", "end"]
        read_only_fields = fields


class BodyDetailSerializer(serializers.Serializer):
    """组织 with its current members (bodies.selectors.body_with_members)."""

    body = BodySerializer(source="*")
    members = MembershipSerializer(many=True, source="current_memberships")


class NewcomerSerializer(serializers.Serializer):
    """A person not yet registered, registered by the post they are given."""

    name = ApiTextField(max_length=50, help_text="姓名")
    phone = ApiTextField(max_length=11, help_text="手机号")
    id_number = ApiTextField(
        max_length=18, required=False, allow_blank=True, help_text="身份证号(选填)"
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)

    def validate_phone(self, value: str) -> str:
        value = people_rules.normalise_mobile(value)
        try:
            validate_mobile(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def validate_id_number(self, value: str) -> str:
        value = people_rules.normalise_id_number(value) or ""
        if value:
            try:
                validate_id_number(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return value


class MembershipAppointSerializer(serializers.Serializer):
    """Appoint a person to a post; the scope defaults to the body's place and may be
    narrowed to a building (by id) or any place node inside the body's (by path).
    Name either ``person`` (registered, within your reach) or ``newcomer`` (not yet
    registered)."""

    person = ScopedRef(
        getter=person_getter(Cap.MANAGE_BODIES),
        message=PERSON_NOT_FOUND,
        required=False,
        help_text="人员编号;须登记在您可管理组织的范围内(居住、有房产,或无住房者任职)",
    )
    newcomer = NewcomerSerializer(required=False, help_text="尚未登记的人员:登记并任命")
    post = serializers.ChoiceField(choices=Post.choices)
    scope_path = ApiTextField(
        required=False, max_length=200, help_text="负责范围的地点路径,如 d1/s2/c3/p4/g5/"
    )
    building = api_fields.IntegerField(required=False, help_text="负责的楼栋编号")
    start = serializers.DateField(required=False, help_text="任期开始,默认今天")
    end = serializers.DateField(required=False, allow_null=True, help_text="任期结束")

    def validate_scope_path(self, value: str):
        try:
            segments = place_rules.parse_path(value)
        except ValueError:
            segments = []
        if not segments:
            raise serializers.ValidationError(_("地点路径格式不正确。"))
        level, pk = segments[-1]
        place = _MODEL_OF_LEVEL[level].objects.filter(pk=pk, path=value).first()
        if place is None or not self._within_body(place):
            raise serializers.ValidationError(_("没有这个地点。"))
        return place

    def validate_building(self, value: int):
        building = place_models.Building.objects.filter(pk=value).first()
        if building is None or not self._within_body(building):
            raise serializers.ValidationError(_("没有这个楼栋。"))
        return building

    def _within_body(self, place) -> bool:
        """A scope outside the body (``context["body"]``) is as unknown as a missing one."""
        body = self.context.get("body")
        return body is None or place_rules.is_within(place.path, body.place_path)

    def validate(self, attrs):
        if ("person" in attrs) == ("newcomer" in attrs):
            raise serializers.ValidationError(
                {"person": _("请指定一位已登记的人员(person),或登记一位新人员(newcomer)。")}
            )
        if "scope_path" in attrs and "building" in attrs:
            raise serializers.ValidationError(_("负责范围只能用 scope_path 或 building 之一指定。"))
        scope = attrs.pop("scope_path", None) or attrs.pop("building", None)
        attrs["scope"] = scope
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and end < start:
            raise serializers.ValidationError({"end": _("任期结束不能早于开始。")})
        return attrs


class BodyDissolveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="撤销日期,默认今天;自该日起成员不再任职")
    reason = ApiTextField(
        max_length=Body._meta.get_field("dissolution_reason").max_length, help_text="撤销原因"
    )


class MembershipEndSerializer(serializers.Serializer):
    end = serializers.DateField(required=False, help_text="任期结束日期,默认今天")
