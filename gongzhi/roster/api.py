"""Roster API: POST a file to import it into a compound, GET the compound's roster file."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.roster import permissions, rules, services
from gongzhi.roster.rules import RowError


class RosterUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="花名册 .xlsx 或 .csv 文件(不超过 5 MB、20000 行)")


class RosterKindCountSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class RosterImportCountsSerializer(serializers.Serializer):
    grids = RosterKindCountSerializer()
    buildings = RosterKindCountSerializer()
    entrances = RosterKindCountSerializer()
    rooms = RosterKindCountSerializer()
    persons = RosterKindCountSerializer()
    ownerships = RosterKindCountSerializer()
    households = RosterKindCountSerializer()
    residencies = RosterKindCountSerializer()


class RosterImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="数据行数")
    sha256 = serializers.CharField(help_text="上传文件的 SHA-256")
    counts = RosterImportCountsSerializer()


class RosterRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Excel 中的行号(表头为第1行);整个文件的问题为 null"
    )
    column = serializers.CharField(allow_blank=True, help_text="列名,如文件中所写")
    message = serializers.CharField(help_text="原因")


class RosterImportErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RosterRowErrorSerializer(
        many=True,
        help_text=f"最多 {rules.MAX_ERRORS} 处;更多时最后一行(row 为 null)说明还有几处未列出",
    )


class _JsonOnly(DefaultContentNegotiation):
    """Errors are JSON; the download itself is a plain HttpResponse. DRF would otherwise
    read ``?format=csv`` as a request for a "csv" renderer and answer 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _invalid(errors: list[RowError], total: int | None = None) -> Response:
    """400 with the first rules.MAX_ERRORS errors, a line counting the rest, and the total."""
    return Response(
        {
            "detail": _("文件有 %(count)d 处错误,未导入任何数据。")
            % {"count": len(errors) if total is None else total},
            "errors": [e.as_dict() for e in errors],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


class CompoundRosterView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _JsonOnly

    @extend_schema(
        operation_id="compound_roster_export",
        tags=["roster 花名册"],
        summary="导出小区花名册",
        description=(
            "与导入相同的表格(相同列名)。手机号、身份证号、困难群体各自只对有权查看的账号完整导出,"
            "其余打码或留空;导出了哪些人的完整身份证号记入审计日志。"
            "每次导出都记入审计日志。"
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(rules.FORMATS),
                default="xlsx",
                description="xlsx,或 csv(UTF-8 带 BOM)",
            )
        ],
        responses={
            (200, rules.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="不支持的格式"),
            403: OpenApiResponse(description="无权导出该小区的花名册"),
            404: OpenApiResponse(description="小区不存在或不在可见范围内"),
        },
    )
    def get(self, request, pk: int, **kwargs):
        compound = permissions.get_compound_for_roster(request.user, pk, export=True)
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in rules.FORMATS:
            return Response(
                {"detail": _("不支持的导出格式,请选择 xlsx 或 csv。")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        file = services.roster_export(actor=request.user, compound=compound, fmt=fmt)
        response = HttpResponse(
            file.content,
            content_type=file.content_type,
            headers={"Content-Disposition": content_disposition_header(True, file.filename)},
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        operation_id="compound_roster_import",
        tags=["roster 花名册"],
        summary="导入小区花名册",
        description=(
            "上传 .xlsx 或 .csv 花名册,导入到该小区。整个文件无误才写入(全部或全不);"
            "有错误时返回 400 和每一处错误的行号、列名和原因。重复导入同一文件不产生变化。"
        ),
        request={"multipart/form-data": RosterUploadSerializer},
        responses={
            201: RosterImportResultSerializer,
            400: RosterImportErrorsSerializer,
            403: OpenApiResponse(description="无权导入该小区的花名册"),
            404: OpenApiResponse(description="小区不存在或不在可见范围内"),
        },
    )
    def post(self, request, pk: int, **kwargs):
        compound = permissions.get_compound_for_roster(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None:
            return _invalid([RowError(None, "", _("请上传花名册文件(字段名 file)。"))])
        try:
            result = services.roster_import(actor=request.user, compound=compound, upload=upload)
        except services.RosterInvalid as exc:
            return _invalid(exc.errors, exc.total)
        return Response(
            RosterImportResultSerializer(
                {"rows": result.rows, "sha256": result.sha256, "counts": result.counts}
            ).data,
            status=status.HTTP_201_CREATED,
        )
