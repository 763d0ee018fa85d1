"""Explicit serializers for the demands API: what goes out, what comes in."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongzhi.core import api_fields
from gongzhi.core.text import ApiTextField
from gongzhi.demands import permissions, rules
from gongzhi.demands.models import Channel, Demand, Kind, PlaceKind, Urgency
from gongzhi.demands.rules import State


@extend_schema_field({"type": "string", "format": "binary"})
class PhotoField(serializers.FileField):
    """An uploaded photo; checked and re-encoded by demands.photos, not here."""


@extend_schema_field({"type": "string"})
class RelatedName(serializers.Field):
    """The name of a related row: the list selectors' annotation of the same name when
    present (selectors.inbox_page, no join), else read through the relation."""

    def __init__(self, relation: str, **kwargs):
        self.relation = relation
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance) -> str:
        return related_name(instance, self.field_name, self.relation)


def related_name(instance, name: str, relation: str) -> str:
    """``instance.<name>`` when the row carries it, else ``instance.<relation>.name``."""
    if name in instance.__dict__:
        return instance.__dict__[name] or ""
    related = getattr(instance, relation)
    return related.name if related is not None else ""


# --- out ---------------------------------------------------------------------------------


class DemandListSerializer(serializers.Serializer):
    """One row of a list (inbox, board, my demands)."""

    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="demand 诉求 | micro_wish 微心愿")
    state = serializers.CharField(help_text="状态代码,见 rules.State")
    state_label = serializers.CharField(source="get_state_display")
    category = serializers.IntegerField(source="category_id", allow_null=True)
    category_name = RelatedName("category")
    description = serializers.CharField()
    urgency = serializers.CharField()
    place_kind = serializers.CharField()
    compound = serializers.IntegerField(source="compound_id")
    compound_name = RelatedName("compound")
    building_name = RelatedName("building")
    room_name = RelatedName("room")
    location_note = serializers.CharField()
    level = serializers.CharField(help_text="吹哨报到层级;空为基层承办人")
    handler_body_name = RelatedName("handler_body")
    handler_person_name = RelatedName("handler_person")
    due_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_is_overdue(self, obj: Demand) -> bool:
        return obj.is_overdue(self.context.get("now"))

    def to_representation(self, obj: Demand) -> dict:
        # The inbox is the most read list: build the row directly rather than field by
        # field (several times faster). Same keys and values as the declared fields:
        # tests/demands/test_api.py compares it with DRF's own rendering. Not through
        # self.fields either: DRF deep-copies every declared field for that, per serializer.
        return {
            "id": obj.pk,
            "kind": obj.kind,
            "state": obj.state,
            "state_label": rules.state_label(obj.state),
            "category": obj.category_id,
            "category_name": related_name(obj, "category_name", "category"),
            "description": obj.description,
            "urgency": obj.urgency,
            "place_kind": obj.place_kind,
            "compound": obj.compound_id,
            "compound_name": related_name(obj, "compound_name", "compound"),
            "building_name": related_name(obj, "building_name", "building"),
            "room_name": related_name(obj, "room_name", "room"),
            "location_note": obj.location_note,
            "level": obj.level,
            "handler_body_name": related_name(obj, "handler_body_name", "handler_body"),
            "handler_person_name": related_name(obj, "handler_person_name", "handler_person"),
            "due_at": _DATETIME.to_representation(obj.due_at) if obj.due_at else None,
            "is_overdue": obj.is_overdue(self.context.get("now")),
            "created_at": _DATETIME.to_representation(obj.created_at),
        }


_DATETIME = serializers.DateTimeField()


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, obj) -> str:
        return obj.image.url


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    actor_name = serializers.SerializerMethodField(help_text="操作人;系统为“系统”")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    level = serializers.CharField()
    body_name = serializers.CharField(source="body.name", default="", allow_null=True)
    text = serializers.CharField(source="shown_text", help_text="说明;系统写的说明按请求的语言给出")
    at = serializers.DateTimeField()

    def get_actor_name(self, obj) -> str:
        if obj.actor_id is None:
            return _("系统")
        demand = self.context["demand"]
        if (
            not self.context.get("sees_reporter")
            and demand.reporter_id
            and obj.actor.person_id == demand.reporter_id
        ):
            return _("诉求人")
        return obj.actor.display_name


class DemandDetailSerializer(DemandListSerializer):
    """A demand with its photos, timeline and the moves the reader may make now."""

    reporter_name = serializers.SerializerMethodField(help_text="仅诉求人、承办人和派单人可见")
    channel = serializers.CharField()
    is_public = serializers.BooleanField()
    accept_by = serializers.DateTimeField(allow_null=True)
    resolve_by = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    feedback = serializers.CharField()
    summary = serializers.CharField()
    escalation_count = serializers.IntegerField()
    rectification_count = serializers.IntegerField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    photos = PhotoSerializer(many=True, source="photos.all")
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="读者现在可做的操作")

    def to_representation(self, obj: Demand) -> dict:
        return serializers.Serializer.to_representation(self, obj)

    def get_reporter_name(self, obj: Demand) -> str | None:
        if obj.reporter_id and self.context.get("sees_reporter"):
            return obj.reporter.name
        return None

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, obj: Demand):
        from gongzhi.demands import selectors

        context = {**self.context, "demand": obj}
        return EventSerializer(selectors.timeline(obj), many=True, context=context).data

    def get_actions(self, obj: Demand) -> list[str]:
        return permissions.available_actions(self.context["request"].user, obj)


class SimilarSerializer(serializers.Serializer):
    demand = DemandListSerializer()
    score = serializers.FloatField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    compound = serializers.IntegerField(source="compound_id", allow_null=True)
    accept_within_hours = serializers.IntegerField()
    resolve_within_days = serializers.IntegerField()


class DemandCategorySerializer(CategorySerializer):
    """A category with everything its managers may change."""

    keywords = serializers.CharField(help_text="以空格、逗号或顿号分隔,用于推荐类别")
    is_active = serializers.BooleanField(help_text="停用的类别不再出现在提交表单里")
    sort_order = serializers.IntegerField(help_text="小的在前")


class CategorySuggestionSerializer(serializers.Serializer):
    results = CategorySerializer(many=True)
    suggested = serializers.IntegerField(allow_null=True, help_text="按描述推荐的类别编号")


class FiguresSerializer(serializers.Serializer):
    place = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True)
    received = serializers.IntegerField(help_text="收到(合并的重复诉求不重复计)")
    solved = serializers.IntegerField(help_text="已办结及之后")
    overdue = serializers.IntegerField(help_text="曾超时升级或当前已超时")
    escalated = serializers.IntegerField(help_text="吹哨或自动升级过")
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField(help_text="评价 ≥ 4")
    satisfaction = serializers.FloatField(allow_null=True, help_text="满意率;逾期未评价不计")
    unrated_closed = serializers.IntegerField()
    open = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


# --- in ----------------------------------------------------------------------------------


class FileSerializer(serializers.Serializer):
    """Filing (multipart for photos). With ``reporter`` or a staff channel, staff file on a
    resident's behalf; ``kind=micro_wish`` files a 微心愿."""

    compound = api_fields.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.DEMAND)
    category = api_fields.IntegerField(required=False, allow_null=True)
    description = ApiTextField(allow_blank=True, max_length=4000)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices, default=PlaceKind.COMMON)
    room = api_fields.IntegerField(required=False, allow_null=True)
    building = api_fields.IntegerField(required=False, allow_null=True)
    location_note = ApiTextField(required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    is_public = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="可否公开(不显示姓名);不填时诉求不公开、微心愿公开",
    )  # fmt: skip
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.APP)
    reporter = api_fields.IntegerField(required=False, allow_null=True,
                                        help_text="代录入时的诉求人(人员编号)")  # fmt: skip
    photos = serializers.ListField(child=PhotoField(), required=False, default=list,
                                   help_text="最多9张;JPEG/PNG/WebP,≤10MB,≤4000万像素")  # fmt: skip


class DispatchSerializer(serializers.Serializer):
    handler_body = api_fields.IntegerField(required=False, allow_null=True)
    handler_person = api_fields.IntegerField(required=False, allow_null=True)
    note = ApiTextField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = ApiTextField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = ApiTextField(required=False, allow_blank=True, default="")


class ResolveSerializer(NoteSerializer):
    photos = serializers.ListField(child=PhotoField(), required=False, default=list)


class EvaluateSerializer(serializers.Serializer):
    rating = api_fields.IntegerField(help_text="1–5;≤ 2 转入整改")
    comment = ApiTextField(required=False, allow_blank=True, default="")


class TextSerializer(serializers.Serializer):
    text = ApiTextField(required=False, allow_blank=True, default="")


class SummarySerializer(serializers.Serializer):
    summary = ApiTextField(required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    into = api_fields.IntegerField(help_text="合并到的原诉求编号")
    note = ApiTextField(required=False, allow_blank=True, default="")


class BoardFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    category = api_fields.IntegerField(required=False)
    building = api_fields.IntegerField(required=False)
    compound = api_fields.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)


class FiguresQuerySerializer(serializers.Serializer):
    place = serializers.CharField(help_text="地点路径,如 d1/s2/")
    since = serializers.DateField(required=False, help_text="起始日(含)")
    until = serializers.DateField(required=False, help_text="截止日(不含)")


_HOURS_INVALID = gettext_lazy("接单时限须为整数(小时)。")
_DAYS_INVALID = gettext_lazy("办结时限须为整数(天)。")
_ORDER_INVALID = gettext_lazy("排序须为整数。")


class DemandCategoryCompoundSerializer(serializers.Serializer):
    """The compound of a new category, read first: who may add one depends on it."""

    compound = api_fields.IntegerField(
        allow_null=True,
        help_text="小区编号;为空时为全区通用类别(仅系统管理员)",
        error_messages={
            "required": gettext_lazy("请选择小区。"),
            "invalid": gettext_lazy("小区编号无效。"),
        },
    )


class DemandCategoryCreateSerializer(DemandCategoryCompoundSerializer):
    """A new category. Names, deadlines (at least 1) and duplicates are checked by
    services.category_create, whose messages come back per field."""

    name = ApiTextField(
        allow_blank=True, error_messages={"required": gettext_lazy("请填写类别名称。")}
    )
    keywords = ApiTextField(required=False, allow_blank=True, default="")
    accept_within_hours = api_fields.IntegerField(
        required=False, default=rules.DEFAULT_ACCEPT_HOURS, help_text="提交或派单后多少小时内须接单",
        error_messages={"invalid": _HOURS_INVALID},
    )  # fmt: skip
    resolve_within_days = api_fields.IntegerField(
        required=False, default=rules.DEFAULT_RESOLVE_DAYS, help_text="接单后多少天内须办结",
        error_messages={"invalid": _DAYS_INVALID},
    )  # fmt: skip
    sort_order = api_fields.IntegerField(
        required=False, default=0, error_messages={"invalid": _ORDER_INVALID}
    )


class DemandCategoryUpdateSerializer(serializers.Serializer):
    """Only the fields given change; ``is_active`` false takes the category off the filing
    form (停用), true puts it back."""

    name = ApiTextField(required=False, allow_blank=True)
    keywords = ApiTextField(required=False, allow_blank=True)
    accept_within_hours = api_fields.IntegerField(
        required=False, error_messages={"invalid": _HOURS_INVALID}
    )
    resolve_within_days = api_fields.IntegerField(
        required=False, error_messages={"invalid": _DAYS_INVALID}
    )
    sort_order = api_fields.IntegerField(required=False, error_messages={"invalid": _ORDER_INVALID})
    is_active = serializers.BooleanField(
        required=False, error_messages={"invalid": gettext_lazy("启用状态须为 true 或 false。")}
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("请至少填写一项要修改的内容。"))
        return attrs
