"""REST API v1: a user's own notifications. Parse, call one selector or service, answer."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.notifications import permissions, selectors, services
from gongzhi.notifications.kinds import kind_label
from gongzhi.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    title = serializers.CharField(
        source="shown_title", read_only=True, help_text="标题,按请求的语言给出"
    )
    body = serializers.CharField(
        source="shown_body", read_only=True, help_text="内容,按请求的语言给出"
    )
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "object_type",
            "object_id",
            "place_path",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj: Notification) -> str:
        return kind_label(obj.kind)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")
    unread = serializers.IntegerField(help_text="剩余未读条数")


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="未读条数")


class NotificationListAPI(ListAPIView):
    serializer_class = NotificationSerializer

    @extend_schema(
        operation_id="notifications_list",
        summary="我的通知",
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="true：只列未读", required=False
            )
        ],
        tags=["notifications"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread_only = self.request.query_params.get("unread", "").lower() in {"1", "true"}
        return selectors.notifications_for(user=self.request.user, unread_only=unread_only)


class NotificationReadAPI(APIView):
    @extend_schema(
        operation_id="notifications_read",
        summary="标为已读",
        request=None,
        responses=NotificationSerializer,
        tags=["notifications"],
    )
    def post(self, request: Request, pk: int, version: str | None = None) -> Response:
        notification = permissions.get_notification_for(request.user, pk)
        services.mark_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllAPI(APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        summary="全部标为已读",
        request=None,
        responses=ReadAllSerializer,
        tags=["notifications"],
    )
    def post(self, request: Request, version: str | None = None) -> Response:
        marked = services.mark_all_read(actor=request.user)
        data = {"marked": marked, "unread": selectors.unread_count(user=request.user)}
        return Response(ReadAllSerializer(data).data)


class UnreadCountAPI(APIView):
    @extend_schema(
        operation_id="notifications_unread_count",
        summary="未读条数",
        responses=UnreadCountSerializer,
        tags=["notifications"],
    )
    def get(self, request: Request, version: str | None = None) -> Response:
        data = {"unread": selectors.unread_count(user=request.user)}
        return Response(UnreadCountSerializer(data).data)
