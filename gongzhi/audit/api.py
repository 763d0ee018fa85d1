"""API v1 of the audit log: read-only, scoped like the pages (404 outside one's scope)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated

from gongzhi.audit import permissions, selectors
from gongzhi.audit.forms import EventFilterForm
from gongzhi.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor", "actor_label", "action", "object_type", "object_id",
            "object_repr", "place_path", "before", "after", "correlation_id",
        ]  # fmt: skip
        read_only_fields = fields


class MayViewAudit(BasePermission):
    """Holds Cap.VIEW_AUDIT somewhere (or is a superuser); which events is the queryset's job."""

    message = gettext_lazy("您没有查看审计日志的权限。")

    def has_permission(self, request, view) -> bool:
        return permissions.may_view_audit(request.user)


FILTER_PARAMETERS = [
    OpenApiParameter("action", str, description="操作,如 person.create;membership.* 表示一类"),
    OpenApiParameter("actor", int, description="操作人账号编号"),
    OpenApiParameter("object_type", str, description="对象类型,如 people.person"),
    OpenApiParameter("object_id", str, description="对象编号"),
    OpenApiParameter("place", str, description="位置路径,含其下各级,如 d1/s2/c3/p4/"),
    OpenApiParameter(
        "since", OpenApiTypes.DATETIME, description="起始:日期(含当天)或日期时间(ISO 8601)"
    ),
    OpenApiParameter(
        "until", OpenApiTypes.DATETIME, description="截止:日期(含当天)或日期时间(ISO 8601)"
    ),
    OpenApiParameter("q", str, description="在对象、操作人、操作中搜索"),
    OpenApiParameter("correlation_id", OpenApiTypes.UUID, description="关联编号:同一次操作"),
]


@extend_schema_view(
    list=extend_schema(
        summary="审计事件列表",
        description="当前用户有权查看的审计事件,最新在前。只读:事件不能修改或删除。",
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="一条审计事件", description="不在查看范围内的事件返回 404。"),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated, MayViewAudit]

    def get_queryset(self):
        if self.action != "list":
            return selectors.events_for(self.request.user)
        form = EventFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return selectors.events_for(self.request.user, **form.filters())
