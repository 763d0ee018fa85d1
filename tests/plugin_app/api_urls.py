from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


@extend_schema(
    operation_id="plugin_ping",
    summary="插件",
    tags=["plugin 插件"],
    responses=inline_serializer("PluginPing", {"plugin": serializers.CharField()}),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def ping(request, version=None):
    return Response({"plugin": "pong"})


urlpatterns = [path("plugin/ping", ping, name="plugin-ping")]
