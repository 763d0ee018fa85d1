"""Bodies API: the bodies of a compound, one body with its members, appointing and ending."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from gongzhi.bodies import permissions, selectors, services
from gongzhi.bodies.models import Membership
from gongzhi.bodies.serializers import (
    BodyDetailSerializer,
    BodySerializer,
    MembershipAppointSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
)
from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, error_responses
from gongzhi.people.permissions import can_view_contact
from gongzhi.places.permissions import get_compound_for

TAGS = ["bodies 组织"]


def _get_membership_for(user, pk: int) -> Membership:
    """The membership, if the user may see its body; 404 otherwise (as get_body_for).

    Belongs in bodies.permissions, which is not ours to edit in this change.
    """
    membership = get_object_or_404(Membership.objects.select_related("body", "person"), pk=pk)
    if not permissions.can_view_body(user, membership.body):
        raise Http404
    return membership


@extend_schema_view(
    get=extend_schema(
        operation_id="compound_bodies_list",
        summary="小区的组织",
        description="小区内(含网格、楼栋)及其上级(社区、街道)的组织,已撤销的除外。",
        tags=TAGS,
        responses={200: BodySerializer(many=True), **error_responses(404)},
    )
)
class CompoundBodiesView(ApiViewMixin, generics.ListAPIView):
    serializer_class = BodySerializer

    def get_queryset(self):
        compound = get_compound_for(self.request.user, self.kwargs["pk"])
        return selectors.bodies_of_place(compound.path)


@extend_schema_view(
    get=extend_schema(
        operation_id="bodies_retrieve",
        summary="组织详情",
        description="组织及其在任成员;成员联系方式仅对有权查看的角色完整显示。",
        tags=TAGS,
        responses={200: BodyDetailSerializer, **error_responses(404)},
    )
)
class BodyDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = BodyDetailSerializer

    def get(self, request, *args, **kwargs):
        body = permissions.get_body_for(request.user, kwargs["pk"])
        body = selectors.body_with_members(body.pk)
        reveal = can_view_contact(request.user, body.place_path)
        return Response(BodyDetailSerializer(body, context={"reveal": reveal}).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="body_memberships_create",
        summary="任命成员",
        description=(
            "给人员在组织中任职。需要管理该组织成员的权限(否则 403,在检查输入之前);"
            "负责范围默认为组织所在位置,可用 building 或 scope_path 限定在其内。写入审计日志。"
        ),
        tags=TAGS,
        request=MembershipAppointSerializer,
        responses={201: MembershipSerializer, **error_responses(400, 404)},
    )
)
class BodyMembershipsView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = MembershipSerializer

    def post(self, request, *args, **kwargs):
        body = permissions.get_body_for(request.user, kwargs["pk"])
        # Refuse before reading the input, so a viewer cannot probe which person ids exist.
        ensure(permissions.can_manage_members(request.user, body))
        data = MembershipAppointSerializer(
            data=request.data, context={"request": request, "body": body}
        )
        data.is_valid(raise_exception=True)
        membership = services.membership_appoint(
            actor=request.user, body=body, **data.validated_data
        )
        reveal = can_view_contact(request.user, body.place_path)
        return Response(
            MembershipSerializer(membership, context={"reveal": reveal}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="memberships_end",
        summary="结束任职",
        description="结束任期(默认今天)。需要管理该组织成员的权限;写入审计日志。",
        tags=TAGS,
        request=MembershipEndSerializer,
        responses={200: MembershipSerializer, **error_responses(400, 404)},
    )
)
class MembershipEndView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = MembershipSerializer

    def post(self, request, *args, **kwargs):
        membership = _get_membership_for(request.user, kwargs["pk"])
        data = MembershipEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_end(
            actor=request.user, membership=membership, end=data.validated_data.get("end")
        )
        reveal = can_view_contact(request.user, membership.body.place_path)
        return Response(MembershipSerializer(membership, context={"reveal": reveal}).data)
