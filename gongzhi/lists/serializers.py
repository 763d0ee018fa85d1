"""Explicit serializers of the lists API. Out: what a list and its items show — never a
demand's reporter (an item keeps none), and a 双报到 member's name masked except for
staff. In: plain input, checked again by the services."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongzhi.core import api_fields
from gongzhi.core.inputs import ascii_int
from gongzhi.core.text import ApiTextField
from gongzhi.lists.models import ItemClaim, ItemProgress, ListItem, Milestone, WorkList
from gongzhi.lists.rules import Action
from gongzhi.people.rules import mask_name

# --- out --------------------------------------------------------------------------------


class ListFiguresSerializer(serializers.Serializer):
    """收集 / 解决 / 认领."""

    collected = serializers.IntegerField(help_text="收集:清单上的事项数")
    solved = serializers.IntegerField(help_text="解决:已解决的事项数")
    claimed = serializers.IntegerField(help_text="认领:有有效认领的事项数")
    open = serializers.IntegerField(help_text="待认领")
    in_progress = serializers.IntegerField(help_text="已认领或推进中")
    dropped = serializers.IntegerField(help_text="不再办理")
    fix_now = serializers.IntegerField(help_text="立行立改事项数")
    long_term = serializers.IntegerField(help_text="长期项目数")


class WorkListSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(read_only=True, help_text="小区或社区名称")
    figures = serializers.SerializerMethodField()

    class Meta:
        model = WorkList
        fields = [
            "id", "kind", "title", "note", "compound", "community", "place_name", "period",
            "period_start", "period_end", "state", "published_at", "archived_at", "figures",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ListFiguresSerializer(allow_null=True))
    def get_figures(self, obj) -> dict | None:
        figures = getattr(obj, "figures", None)
        return None if figures is None else figures.as_dict()


class ListMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_at"]
        read_only_fields = fields


class ListClaimSerializer(serializers.ModelSerializer):
    claimant = serializers.SerializerMethodField(
        help_text="认领单位名称,或双报到党员姓名(非工作人员看到的姓名已隐去部分)"
    )
    by_member = serializers.SerializerMethodField(help_text="由双报到党员本人认领")

    class Meta:
        model = ItemClaim
        fields = [
            "id", "body", "claimant", "by_member", "assigned", "claimed_at", "released_at",
            "release_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_claimant(self, obj) -> str:
        if obj.body_id:
            return obj.body.name
        name = obj.person.name
        return name if self.context.get("reveal") else mask_name(name)

    def get_by_member(self, obj) -> bool:
        return bool(obj.person_id)


class ListItemSerializer(serializers.ModelSerializer):
    category = serializers.SerializerMethodField()
    claim = serializers.SerializerMethodField()
    milestones = ListMilestoneSerializer(many=True, read_only=True)
    demand = serializers.SerializerMethodField(help_text="来源诉求编号,仅工作人员可见")

    class Meta:
        model = ListItem
        fields = [
            "id", "number", "title", "description", "category", "place_label", "source",
            "source_label", "source_date", "collected_on", "demand", "mode", "plan", "state",
            "percent", "done_at", "dropped_reason", "claim", "milestones",
        ]  # fmt: skip
        read_only_fields = fields

    def get_category(self, obj) -> str:
        return obj.category.name if obj.category_id else ""

    @extend_schema_field(ListClaimSerializer(allow_null=True))
    def get_claim(self, obj) -> dict | None:
        claims = getattr(obj, "active_claims", None)
        if claims is None:
            claims = list(
                obj.claims.filter(released_at__isnull=True).select_related("body", "person")
            )
        return ListClaimSerializer(claims[0], context=self.context).data if claims else None

    def get_demand(self, obj) -> int | None:
        return obj.demand_id if self.context.get("reveal") else None


class ListProgressSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(
        help_text="认领单位或认领人;工作人员自行推进为“工作人员”"
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ItemProgress
        fields = ["id", "text", "percent", "at", "by", "photos"]
        read_only_fields = fields

    def get_by(self, obj) -> str:
        if obj.claim_id is None:
            return _("工作人员")
        return ListClaimSerializer(obj.claim, context=self.context).data["claimant"]

    def get_photos(self, obj) -> list[str]:
        return [reverse("lists:photo", args=[p.pk]) for p in obj.photos.all()]


class ListDetailSerializer(serializers.Serializer):
    list = WorkListSerializer()
    items = ListItemSerializer(many=True)


class ListItemDetailSerializer(serializers.Serializer):
    item = ListItemSerializer()
    list = serializers.IntegerField(help_text="所属清单编号")
    progress = ListProgressSerializer(many=True)
    claims = ListClaimSerializer(many=True, help_text="认领记录(含已退回的)")
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[(a.value, a.value) for a in Action]),
        help_text="我现在可做的操作",
    )


class PlaceFiguresSerializer(ListFiguresSerializer):
    place = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


# --- in ---------------------------------------------------------------------------------


class WorkListCreateSerializer(serializers.Serializer):
    compound = api_fields.IntegerField(required=False, allow_null=True, help_text="小区编号")
    community = api_fields.IntegerField(
        required=False, allow_null=True, help_text="社区编号;只填社区为社区级清单"
    )
    kind = ApiTextField(help_text="needs 需求清单 / problems 问题清单")
    title = ApiTextField(max_length=200)
    period = ApiTextField(max_length=40, help_text="如 2022、2022-Q3、2022-H1、2022-03")
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    note = ApiTextField(required=False, allow_blank=True, default="")


class ListMilestoneInSerializer(serializers.Serializer):
    title = ApiTextField(max_length=200)
    due_on = serializers.DateField()


class ListPlanInSerializer(serializers.Serializer):
    plan = ApiTextField(required=False, allow_blank=True, default="")
    milestones = ListMilestoneInSerializer(many=True, required=False, default=list)


class ListFromDemandsSerializer(ListPlanInSerializer):
    demands = serializers.ListField(child=api_fields.IntegerField(), help_text="诉求编号")
    mode = ApiTextField(default="fix_now", help_text="fix_now 立行立改 / long_term 长期项目")
    titles = serializers.DictField(
        child=ApiTextField(max_length=120),
        required=False,
        default=dict,
        help_text="诉求编号 → 清单标题;居民未同意公开的诉求必填,可公开的默认取其第一句",
    )

    def validate_titles(self, value: dict) -> dict[int, str]:
        titles = {}
        for key, text in value.items():
            pk = ascii_int(key, minimum=1)
            if pk is None:
                raise serializers.ValidationError(_("诉求编号无效:%(key)s") % {"key": key[:20]})
            titles[pk] = text
        return titles


class ListFreeItemSerializer(ListPlanInSerializer):
    title = ApiTextField(max_length=200)
    description = ApiTextField(required=False, allow_blank=True, default="")
    source = ApiTextField(help_text="meeting 会议收集 / visit 上门走访")
    source_label = ApiTextField(required=False, allow_blank=True, default="")
    source_date = serializers.DateField(required=False, allow_null=True, default=None)
    category = api_fields.IntegerField(required=False, allow_null=True, default=None)
    place_label = ApiTextField(required=False, allow_blank=True, default="")
    mode = ApiTextField(default="fix_now", help_text="fix_now 立行立改 / long_term 长期项目")


class ListClaimInSerializer(serializers.Serializer):
    body = api_fields.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="共建单位编号:联络人有多个单位时选择;工作人员指派时填",
    )  # fmt: skip
    person = api_fields.IntegerField(
        required=False, allow_null=True, default=None, help_text="工作人员指派给双报到党员时填"
    )


class ListProgressInSerializer(serializers.Serializer):
    text = ApiTextField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="照片,最多9张"
    )


class ListTextInSerializer(serializers.Serializer):
    text = ApiTextField(required=False, allow_blank=True, default="")


class ListReasonInSerializer(serializers.Serializer):
    reason = ApiTextField()


class ListFiguresQuerySerializer(serializers.Serializer):
    place = serializers.CharField(help_text="地点路径,如 d1/s2/(街道)、d1/s2/c3/p4/(小区)")
    since = serializers.DateField(required=False, help_text="收集日期起(含)")
    until = serializers.DateField(required=False, help_text="收集日期止(含)")
    kind = serializers.CharField(required=False, help_text="needs / problems;不填为两类合计")
