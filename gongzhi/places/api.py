"""Places API: compounds, their buildings, and the rooms of a building.

Each view parses with a serializer, loads what it acts on through places.permissions
(404 outside the user's scope), calls one selector or service, and serializes.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from gongzhi.core import access
from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, error_responses
from gongzhi.core.capabilities import Cap
from gongzhi.people import permissions as people_permissions
from gongzhi.people.serializers import serialize_seen
from gongzhi.places import permissions, selectors, services
from gongzhi.places.models import Building, Compound
from gongzhi.places.serializers import (
    BuildingCreateSerializer,
    BuildingSerializer,
    CompoundDetailSerializer,
    CompoundListQuerySerializer,
    CompoundSerializer,
    RoomCreateSerializer,
    RoomSerializer,
)

TAGS = ["places 地点"]


# The three helpers below belong in places.permissions / places.selectors (not ours to
# edit in this change): get_building_for, can_view_figures, and compound_list_for's filters.
def _get_building_for(user, pk: int) -> Building:
    """The building, if the user may see its compound; 404 otherwise (as get_compound_for)."""
    building = get_object_or_404(Building.objects.select_related("compound"), pk=pk)
    if not permissions.can_view_place(user, building.compound.path):
        raise Http404
    return building


def _can_view_figures(user, path: str) -> bool:
    return access.allows(user, Cap.VIEW_FIGURES, path)


def _filter_compounds(
    compounds: QuerySet[Compound], *, community: int | None = None, street: int | None = None,
    q: str = "",
) -> QuerySet[Compound]:  # fmt: skip
    if community:
        compounds = compounds.filter(community_id=community)
    if street:
        compounds = compounds.filter(community__street_id=street)
    if q:
        compounds = compounds.filter(Q(name__contains=q) | Q(address__contains=q))
    return compounds


@extend_schema_view(
    get=extend_schema(
        operation_id="compounds_list",
        summary="可见的小区",
        description="当前用户可见的小区,可按社区、街道、名称或地址筛选。",
        tags=TAGS,
        parameters=[CompoundListQuerySerializer],
        responses={200: CompoundSerializer(many=True), **error_responses(400)},
    )
)
class CompoundListView(ApiViewMixin, generics.ListAPIView):
    serializer_class = CompoundSerializer

    def get_queryset(self):
        query = CompoundListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return _filter_compounds(
            selectors.compound_list_for(self.request.user), **query.validated_data
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="compounds_retrieve",
        summary="小区详情",
        description="小区及其名册统计(figures);没有查看统计权限时 figures 为 null。",
        tags=TAGS,
        responses={200: CompoundDetailSerializer, **error_responses(404)},
    )
)
class CompoundDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = CompoundDetailSerializer

    def get(self, request, *args, **kwargs):
        compound = permissions.get_compound_for(request.user, kwargs["pk"])
        figures = (
            selectors.compound_figures(compound)
            if _can_view_figures(request.user, compound.path)
            else None
        )
        return Response(CompoundDetailSerializer(compound, context={"figures": figures}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="compound_buildings_list",
        summary="小区的楼栋",
        tags=TAGS,
        responses={200: BuildingSerializer(many=True), **error_responses(404)},
    ),
    post=extend_schema(
        operation_id="compound_buildings_create",
        summary="新建楼栋",
        description="需要该小区的名册编辑权限(否则 403,在检查输入之前);写入审计日志。",
        tags=TAGS,
        request=BuildingCreateSerializer,
        responses={201: BuildingSerializer, **error_responses(400, 404)},
    ),
)
class CompoundBuildingsView(ApiViewMixin, generics.ListAPIView):
    serializer_class = BuildingSerializer

    def get_queryset(self):
        compound = permissions.get_compound_for(self.request.user, self.kwargs["pk"])
        return selectors.buildings_of(compound)

    def post(self, request, *args, **kwargs):
        compound = permissions.get_compound_for(request.user, kwargs["pk"])
        # Refuse before reading the input (the service checks again), so that a reader
        # cannot probe names through the validation errors.
        ensure(people_permissions.can_edit_roster(request.user, compound.path))
        data = BuildingCreateSerializer(data=request.data, context={"compound": compound})
        data.is_valid(raise_exception=True)
        building = services.building_create(
            actor=request.user, compound=compound, **data.validated_data
        )
        building = selectors.buildings_of(compound).get(pk=building.pk)
        return Response(BuildingSerializer(building).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="building_rooms_list",
        summary="楼栋的房屋",
        description=(
            "房屋及其现业主、现住户。需要名册查看权限;"
            "联系方式仅对有权查看联系方式的角色完整显示,其余隐去(masked)。"
        ),
        tags=TAGS,
        responses={200: RoomSerializer(many=True), **error_responses(404)},
    ),
    post=extend_schema(
        operation_id="building_rooms_create",
        summary="新建房屋",
        description=(
            "需要名册编辑权限(否则 403,在检查输入之前);"
            "专有面积须大于0、最多两位小数。写入审计日志。"
        ),
        tags=TAGS,
        request=RoomCreateSerializer,
        responses={201: RoomSerializer, **error_responses(400, 404)},
    ),
)
class BuildingRoomsView(ApiViewMixin, generics.ListAPIView):
    serializer_class = RoomSerializer

    def list(self, request, *args, **kwargs):
        building = _get_building_for(request.user, kwargs["pk"])
        ensure(people_permissions.can_view_roster(request.user, building.path))
        page = self.paginate_queryset(selectors.rooms_of(building))
        data = serialize_seen(
            RoomSerializer, page, many=True, user=request.user, place_path=building.path,
            where="api:places:building-rooms", label=f"{building.compound.name} {building.name}",
        )  # fmt: skip
        return self.get_paginated_response(data)

    def post(self, request, *args, **kwargs):
        building = _get_building_for(request.user, kwargs["pk"])
        ensure(people_permissions.can_edit_roster(request.user, building.path))
        data = RoomCreateSerializer(data=request.data, context={"building": building})
        data.is_valid(raise_exception=True)
        room = services.room_create(actor=request.user, building=building, **data.validated_data)
        room = selectors.rooms_of(building).get(pk=room.pk)
        data = serialize_seen(
            RoomSerializer, room, user=request.user, place_path=building.path,
            where="api:places:building-rooms", label=f"{building.compound.name} {building.name}",
        )  # fmt: skip
        return Response(data, status=status.HTTP_201_CREATED)
