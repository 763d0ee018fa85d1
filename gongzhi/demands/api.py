"""Demands API v1: file, inbox, dispatch board, one demand with its timeline, every move,
categories, duplicates and figures. Views parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from gongzhi.core import access, api_fields, refs, sql
from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, Pagination, action_view, error_responses
from gongzhi.core.capabilities import Cap
from gongzhi.core.inputs import ascii_int
from gongzhi.core.ratelimit import client_address
from gongzhi.demands import moves, permissions, selectors, services, web_selectors
from gongzhi.demands import serializers as s
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.models import STAFF_CHANNELS, Category, Kind
from gongzhi.demands.rules import DemandError
from gongzhi.demands.services.config import ensure_manage
from gongzhi.demands.services.filing import filing_allowance
from gongzhi.people.models import Person
from gongzhi.people.permissions import get_resident_for
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Building, Compound, Room
from gongzhi.places.permissions import can_view_place, get_compound_for

TAGS = ["demands 诉求"]


class NoCountPagination(Pagination):
    """limit/offset without COUNT(*): one query for the page (limit + 1 rows tell whether
    there is a next page). The inbox is read all day; its count is not needed. Its page
    has its own schema component (core.api_schema), without ``count``."""

    schema_name = "Uncounted{}Page"

    def paginate_fetch(self, fetch, request) -> list:
        """A page from ``fetch(offset, count)`` (e.g. selectors.inbox_page)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows = list(fetch(self.offset, self.limit + 1))
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def paginate_queryset(self, queryset, request, view=None):
        return self.paginate_fetch(lambda offset, count: queryset[offset : offset + count], request)

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


def _compound(user, pk) -> Compound:
    """The compound a filing names: one the user may see; else the error of a missing one."""
    compound = sql.by_pk(Compound, refs.parse_id(pk)) if refs.parse_id(pk) else None
    if compound is None or not can_view_place(user, compound.path):
        raise DemandError({"compound": [_("小区不存在。")]})
    return compound


def _of_compound(model, compound, pk, field: str, message: str):
    """A room, building or category a filing names, of ``compound`` (a category may also
    be district-wide); one of elsewhere is refused with the words for a missing one."""
    if pk is None:
        return None
    obj = sql.by_pk(model, refs.parse_id(pk)) if refs.parse_id(pk) else None
    allowed = (None, compound.pk) if model is Category else (compound.pk,)
    if obj is None or obj.compound_id not in allowed:
        raise DemandError({field: [message]})
    return obj


def _reporter(user, compound, pk) -> Person | None:
    """The reporter named by staff filing on someone's behalf: a person living in or owning
    a room of the compound (people.permissions), else a field error that tells nothing."""
    if pk is None:
        return None
    person = refs.resolve(lambda u, i: get_resident_for(u, compound, i), user, pk)
    if person is None:
        raise DemandError({"reporter": [_("本小区没有这位住户或业主。")]})
    return person


def _detail(request, demand, status_code=status.HTTP_200_OK) -> Response:
    demand = selectors.demand_for(request.user, demand.pk)
    context = {
        "request": request,
        "sees_reporter": permissions.sees_reporter(request.user, demand),
    }
    return Response(s.DemandDetailSerializer(demand, context=context).data, status=status_code)


class DemandCollectionView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.DemandListSerializer

    @extend_schema(
        operation_id="demands_list",
        summary="我的诉求",
        description="我提交的和我关注的诉求,新的在前。",
        tags=TAGS,
        responses={200: s.DemandListSerializer(many=True), **error_responses()},
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(selectors.demands_of_person(request.user))
        return self.get_paginated_response(s.DemandListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="demands_create",
        summary="提交诉求",
        description=(
            "居民提交诉求(multipart,可附照片)。填 reporter 或电话/入户/纸条/会议渠道时为工作人员"
            "代录入;kind=micro_wish 为微心愿。照片重新编码为JPEG并去除EXIF。"
        ),
        tags=TAGS,
        request={"multipart/form-data": s.FileSerializer, "application/json": s.FileSerializer},
        responses={201: s.DemandListSerializer, **error_responses(400)},
    )
    def post(self, request, *args, **kwargs):
        form = s.FileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        compound = _compound(request.user, data["compound"])
        common = dict(
            actor=request.user,
            compound=compound,
            description=data["description"],
            place_kind=data["place_kind"],
            room=_of_compound(
                Room, compound, data.get("room"), "room", _("所选房屋不属于该小区。")
            ),
            building=_of_compound(
                Building, compound, data.get("building"), "building", _("所选楼栋不属于该小区。")
            ),
            location_note=data["location_note"],
            # Unsaid: a demand stays private, a micro-wish is public (it is meant to be claimed).
            is_public=(
                data["is_public"]
                if data["is_public"] is not None
                else data["kind"] == Kind.MICRO_WISH
            ),
            photos=data["photos"],
            category=_of_compound(
                Category, compound, data.get("category"), "category", _("该类别不适用于本小区。")
            ),
        )
        reporter = _reporter(request.user, compound, data.get("reporter"))
        channel = data["channel"]
        behalf = reporter is not None or channel in STAFF_CHANNELS
        # Past a rate limit: 429 with Retry-After (core.ratelimit.RateLimited is DRF's).
        with filing_allowance(actor=request.user, address=client_address(request), behalf=behalf):
            if data["kind"] == Kind.MICRO_WISH:
                demand = services.microwish_file(reporter=reporter, channel=channel, **common)
            elif behalf:
                demand = services.demand_file_on_behalf(
                    reporter=reporter, channel=channel, urgency=data["urgency"], **common
                )
            else:
                demand = services.demand_file(channel=channel, urgency=data["urgency"], **common)
        return Response(s.DemandListSerializer(demand).data, status=status.HTTP_201_CREATED)


class DemandInboxView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.DemandListSerializer
    pagination_class = NoCountPagination

    @extend_schema(
        operation_id="demands_inbox_list",
        summary="承办待办",
        description="当前承办组织(在任成员、范围内)或承办人为我的待办诉求:待接单、待报到、处理中、整改中、待反馈。",
        tags=TAGS,
        responses={200: s.DemandListSerializer(many=True), **error_responses()},
    )
    def get(self, request, *args, **kwargs):
        page = self.paginator.paginate_fetch(
            lambda offset, count: selectors.inbox_page(request.user, offset=offset, limit=count),
            request,
        )
        data = s.DemandListSerializer(page, many=True, context={"now": timezone.now()}).data
        return self.get_paginated_response(data)


class DemandBoardView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.DemandListSerializer

    @extend_schema(
        operation_id="demands_board_list",
        summary="派单台",
        description="我可派单范围内的诉求,可按状态、类别、楼栋、小区、类型和是否超时筛选。",
        tags=TAGS,
        parameters=[s.BoardFilterSerializer],
        responses={200: s.DemandListSerializer(many=True), **error_responses(400)},
    )
    def get(self, request, *args, **kwargs):
        filters = s.BoardFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        now = timezone.now()
        qs = selectors.dispatch_board(request.user, now=now, **filters.validated_data)
        page = self.paginate_queryset(qs)
        data = s.DemandListSerializer(page, many=True, context={"now": now}).data
        return self.get_paginated_response(data)


class DemandDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.DemandDetailSerializer

    @extend_schema(
        operation_id="demands_retrieve",
        summary="诉求详情",
        description="诉求、照片、时间线,以及我现在可做的操作。不在可见范围内为404。",
        tags=TAGS,
        responses={200: s.DemandDetailSerializer, **error_responses(404)},
    )
    def get(self, request, *args, **kwargs):
        return _detail(request, selectors.demand_for(request.user, kwargs["pk"]))


class DemandSimilarView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.SimilarSerializer
    pagination_class = None  # a few suggestions (similar_open_demands): a list, not a page

    @extend_schema(
        operation_id="demands_similar_list",
        summary="相似的未办结诉求",
        description="同一楼栋(公共区域则同一小区公共区域)内很相似的未办结诉求,供派单人合并。",
        tags=TAGS,
        responses={200: s.SimilarSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, *args, **kwargs):
        demand = selectors.demand_for(request.user, kwargs["pk"])
        ensure(permissions.can_dispatch(request.user, demand), _("只有派单人可以查看相似诉求。"))
        similar = selectors.similar_open_demands(demand)
        return Response(s.SimilarSerializer(similar, many=True).data)


# One POST endpoint per move: parse, call the service, answer with the demand.
_action = partial(
    action_view,
    operation_prefix="demands",
    view_prefix="Demand",
    fetch=selectors.demand_for,
    render=_detail,
    response=s.DemandDetailSerializer,
    tags=TAGS,
    module=__name__,
)


def _move(name):
    return lambda request, demand, data: moves.perform(name, request.user, demand, data)


# name → (serializer, summary, description); resolve takes photos (multipart).
_MOVE_DOCS = {
    "dispatch": (s.DispatchSerializer, "派单", "派给承办组织和/或承办人;都不填时按本小区派单规则推荐。"),
    "accept": (s.NoteSerializer, "接单", "承办人接单,办结时限开始计算。"),
    "return": (s.ReasonSerializer, "退回", "承办人退回给派单人,须填理由。"),
    "whistle": (s.ReasonSerializer, "吹哨", "诉求人或承办人吹哨,叫来升级链的下一层级,须填理由。"),
    "report-in": (s.NoteSerializer, "报到", "被叫来的层级报到并承办。"),
    "resolve": (s.ResolveSerializer, "办结", "承办人办结,可附办结照片。"),
    "evaluate": (s.EvaluateSerializer, "评价", "诉求人评价1–5分;2分及以下转入整改。"),
    "feedback": (s.TextSerializer, "反馈", "承办人评价后反馈。"),
    "close": (s.SummarySerializer, "总结关闭", "社区写总结并关闭。"),
    "merge": (s.MergeSerializer, "合并", "派单人把重复诉求合并到原诉求。"),
    "withdraw": (s.ReasonSerializer, "撤回", "诉求人撤回未办结的诉求。"),
    "follow": (s.NoteSerializer, "关注", "关注一条可见的诉求(如本小区公开的诉求)。"),
    "unfollow": (s.NoteSerializer, "取消关注", "取消关注。"),
    "comment": (s.TextSerializer, "留言", "在时间线上留言。"),
}  # fmt: skip
ACTIONS = {
    name: _action(name, ser, summary, description, _move(name), multipart=name == "resolve")
    for name, (ser, summary, description) in _MOVE_DOCS.items()
}


class CategoryListView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.CategorySerializer

    @extend_schema(
        operation_id="demand_categories_list",
        summary="诉求类别",
        description="全区通用类别和该小区自己的类别;带 text 时在 suggested 中给出推荐类别。",
        tags=TAGS,
        parameters=[
            OpenApiParameter("compound", api_fields.ID_PARAMETER, description="小区编号"),
            OpenApiParameter("text", OpenApiTypes.STR, description="诉求描述,用于推荐类别"),
            OpenApiParameter(
                "include_inactive",
                OpenApiTypes.BOOL,
                description="连同已停用的类别(须能管理该小区的类别)",
            ),
        ],
        responses={200: s.CategorySuggestionSerializer, **error_responses(404)},
    )
    def get(self, request, *args, **kwargs):
        compound_id = request.query_params.get("compound")
        compound = None
        if compound_id:
            if (pk := ascii_int(compound_id, minimum=1)) is None:
                raise DemandError({"compound": [_("小区编号无效。")]})
            compound = get_compound_for(request.user, pk)
        if request.query_params.get("include_inactive") in ("true", "1"):
            if compound is None:
                raise DemandError({"compound": [_("请选择小区。")]})
            ensure_manage(request.user, compound)
            categories = web_selectors.settings_categories(compound)
        else:
            categories = list(selectors.categories_for(compound))
        text = request.query_params.get("text", "")
        suggested = selectors.suggest_category(compound, text) if text else None
        return Response(
            {
                "results": s.CategorySerializer(categories, many=True).data,
                "suggested": suggested.pk if suggested else None,
            }
        )

    @extend_schema(
        operation_id="demand_categories_create",
        summary="添加诉求类别",
        description=(
            "支部书记或社区工作人员为本小区添加诉求类别,设定接单时限(小时)和办结时限(天);"
            "诉求超过时限自动吹哨升级。compound 为空时为全区通用类别,仅系统管理员可添加。"
            "看不到的小区为404,看得到但无权管理为403;名称为空、时限小于1或同名为400。"
        ),
        tags=TAGS,
        request=s.DemandCategoryCreateSerializer,
        responses={201: s.DemandCategorySerializer, **error_responses(400, 404)},
    )
    def post(self, request, *args, **kwargs):
        where = s.DemandCategoryCompoundSerializer(data=request.data)
        where.is_valid(raise_exception=True)
        compound_id = where.validated_data["compound"]
        compound = get_compound_for(request.user, compound_id) if compound_id is not None else None
        # Refuse before reading the rest of the input (docs/api.md).
        ensure_manage(request.user, compound)
        form = s.DemandCategoryCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {k: v for k, v in form.validated_data.items() if k != "compound"}
        category = services.category_create(actor=request.user, compound=compound, **data)
        return Response(s.DemandCategorySerializer(category).data, status=status.HTTP_201_CREATED)


def _category_for(user, pk: int) -> Category:
    """The category at ``pk`` if the user may see it: a district-wide one, or one of a
    compound the user sees (404 otherwise, as ``get_compound_for``)."""
    category = get_object_or_404(Category, pk=pk)
    if category.compound_id is not None:
        category.compound = get_compound_for(user, category.compound_id)
    return category


class CategoryDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.DemandCategorySerializer

    @extend_schema(
        operation_id="demand_categories_partial_update",
        summary="修改诉求类别",
        description=(
            "改名称、关键词、接单时限、办结时限、排序;is_active=false 停用(不再出现在提交表单里,"
            "已提交的诉求不受影响),true 重新启用。只改给出的字段。新时限只用于之后提交或流转的诉求。"
            "看不到的小区的类别为404,无权管理(含全区通用类别,仅系统管理员)为403。"
        ),
        tags=TAGS,
        request=s.DemandCategoryUpdateSerializer,
        responses={200: s.DemandCategorySerializer, **error_responses(400, 404)},
    )
    def patch(self, request, *args, **kwargs):
        category = _category_for(request.user, kwargs["pk"])
        ensure_manage(request.user, category.compound)  # before reading the input
        form = s.DemandCategoryUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        category = services.category_update(
            actor=request.user, category=category, **form.validated_data
        )
        return Response(s.DemandCategorySerializer(category).data)


def _local_midnight(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class DemandFiguresView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.FiguresSerializer

    @extend_schema(
        operation_id="demand_figures_retrieve",
        summary="诉求统计",
        description="某地点(街道、社区、小区……)某时段收到、办结、超时、升级的诉求数和满意率;一次查询。",
        tags=TAGS,
        parameters=[s.FiguresQuerySerializer],
        responses={200: s.FiguresSerializer, **error_responses(400)},
    )
    def get(self, request, *args, **kwargs):
        query = s.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        place = query.validated_data["place"]
        try:
            place_rules.parse_path(place)
        except ValueError:
            raise DemandError({"place": [_("地点路径无效。")]}) from None
        if not place.endswith("/"):
            place += "/"
        ensure(
            access.allows(request.user, Cap.VIEW_FIGURES, place)
            or access.allows(request.user, DemandCap.DISPATCH, place),
            _("您无权查看该范围的统计。"),
        )
        since = _local_midnight(query.validated_data.get("since"))
        until = _local_midnight(query.validated_data.get("until"))
        figures = selectors.figures(place, since, until)
        return Response(
            s.FiguresSerializer({"place": place, "since": since, "until": until, **figures}).data
        )
