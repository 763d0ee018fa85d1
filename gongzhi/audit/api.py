"""API v1 of the audit log: read-only, scoped like the pages (404 outside one's scope)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated

from gongzhi.audit import permissions, selectors
from gongzhi.audit import services as audit
from gongzhi.audit.forms import EventFilterForm
from gongzhi.audit.models import AuditEvent
from gongzhi.core import api_fields


class AuditEventSerializer(serializers.ModelSerializer):
    """An event; phones, ID numbers and care flags in ``before``/``after`` masked unless
    the reader may see them at the event's place (``context["sight"]``: a LogSight)."""

    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor", "actor_label", "action", "object_type", "object_id",
            "object_repr", "place_path", "before", "after", "correlation_id",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        sight = self.context.get("sight")
        if sight is None:  # no reader known: nothing personal shown
            sight = selectors.LogSight(None)
        data["before"], data["after"] = sight.data(instance)
        return data


class MayViewAudit(BasePermission):
    """Holds Cap.VIEW_AUDIT somewhere (or is a superuser); which events is the queryset's job."""

    message = gettext_lazy("您没有查看审计日志的权限。")

    def has_permission(self, request, view) -> bool:
        return permissions.may_view_audit(request.user)


FILTER_PARAMETERS = [
    OpenApiParameter("action", str, description="操作,如 person.create;membership.* 表示一类"),
    OpenApiParameter("actor", api_fields.ID_PARAMETER, description="操作人账号编号"),
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

    def get_serializer_context(self):
        if not hasattr(self, "_sight"):
            self._sight = selectors.LogSight(self.request.user)
        return {**super().get_serializer_context(), "sight": self._sight}

    def finalize_response(self, request, response, *args, **kwargs):
        # Once the page is serialized: one event if it showed full ID numbers.
        sight = getattr(self, "_sight", None)
        if sight is not None and 200 <= response.status_code < 300:
            audit.log_id_numbers_shown(
                actor=request.user, sight=sight, where=f"api:audit:{self.action}"
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self):
        if self.action != "list":
            return selectors.events_for(self.request.user)
        form = EventFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return selectors.events_for(self.request.user, **form.filters())
