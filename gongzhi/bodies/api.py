"""Bodies API: the bodies of a compound, one body with its members, appointing and ending,
dissolving a body."""

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
    BodyDissolveSerializer,
    BodySerializer,
    MembershipAppointSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
)
from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, error_responses
from gongzhi.people.serializers import serialize_seen
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
        description="组织及其在任成员;成员的手机号、身份证号各自仅对有权查看的角色完整显示。",
        tags=TAGS,
        responses={200: BodyDetailSerializer, **error_responses(404)},
    )
)
class BodyDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = BodyDetailSerializer

    def get(self, request, *args, **kwargs):
        body = permissions.get_body_for(request.user, kwargs["pk"])
        body = selectors.body_with_members(body.pk)
        # Members' personal data as the reader may see it at the body's place (recorded).
        data = serialize_seen(
            BodyDetailSerializer, body, user=request.user, place_path=body.place_path,
            where="api:bodies:body-detail", label=body.name,
        )  # fmt: skip
        return Response(data)


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
        shown = serialize_seen(
            MembershipSerializer, membership, user=request.user, place_path=body.place_path,
            where="api:bodies:body-memberships", label=body.name,
        )  # fmt: skip
        return Response(
            shown,
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
        data = serialize_seen(
            MembershipSerializer, membership, user=request.user,
            place_path=membership.body.place_path, where="api:bodies:membership-end",
            label=membership.body.name,
        )  # fmt: skip
        return Response(data)


@extend_schema_view(
    post=extend_schema(
        operation_id="bodies_dissolve",
        summary="撤销组织",
        description=(
            "组织自撤销日期(默认今天)起不再存在,其成员不再任职(不再有其职务的权限和待办);"
            "任职记录保留。需要在组织的上一级管理组织的权限(与成立组织相同,否则 403,"
            "在检查输入之前);已撤销的组织不能再次撤销(400)。写入审计日志。"
        ),
        tags=TAGS,
        request=BodyDissolveSerializer,
        responses={200: BodySerializer, **error_responses(400, 404)},
    )
)
class BodyDissolveView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = BodySerializer

    def post(self, request, *args, **kwargs):
        body = permissions.get_body_for(request.user, kwargs["pk"])
        ensure(permissions.can_dissolve(request.user, body))
        data = BodyDissolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = services.body_dissolve(actor=request.user, body=body, **data.validated_data)
        return Response(BodySerializer(selectors.body_with_members(body.pk)).data)
