"""What every app's API views share: uniform 404s, pagination and the error shapes.

Access itself is decided in each app's ``permissions.py`` (``get_compound_for`` and the
``can_*`` predicates); this module only makes the outcome look the same everywhere:

* Every ``Http404`` becomes a bare "未找到。": ``get_object_or_404`` says
  "No Compound matches the given query." (English, and different from the 404 of an
  existing compound outside the user's scope, which would tell an outsider which ids exist).
* Lists are paged by limit/offset, 20 by default and at most 100 a page
  (``core.pagination``, also REST_FRAMEWORK's default).
* A move on one object (dispatch a demand, publish a list, claim an item) is a POST view
  made by ``action_view``: fetch the object, parse the body, call the service, answer
  with the object's detail.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers

from gongzhi.core.pagination import Pagination


class ApiViewMixin:
    # Mix into every API view, before the DRF base class. (A comment, not a docstring:
    # drf-spectacular would show a docstring as the description of every operation.)

    pagination_class = Pagination

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        return super().handle_exception(exc)


class ErrorSerializer(serializers.Serializer):
    """The body of a 401, 403, 404 or 429 response."""

    detail = serializers.CharField(help_text="错误说明(中文)")


ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="输入有误:字段名 → 错误信息列表(中文);与字段无关的错误在 detail 或 __all__ 下。",
    ),
    401: OpenApiResponse(ErrorSerializer, description="未登录或令牌无效。"),
    403: OpenApiResponse(ErrorSerializer, description="没有权限执行此操作(或未登录)。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在,或不在您可见的范围内。"),
    413: OpenApiResponse(ErrorSerializer, description="提交的内容过大。"),
    429: OpenApiResponse(ErrorSerializer, description="请求过于频繁,请稍后再试。"),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an operation; 401 and 403 always apply (and
    core.api_schema adds those the framework answers by itself: 400, 404, 413, 429)."""
    return {code: ERRORS[code] for code in sorted({401, 403, *codes})}


def action_view(
    slug: str,
    serializer,
    summary: str,
    description: str,
    call,
    *,
    operation_prefix: str,
    view_prefix: str,
    fetch,
    render,
    response,
    tags: list[str],
    status_code: int = 200,
    multipart: bool = False,
    module: str | None = None,
) -> type:
    """The view of one POST move ``slug`` on the object at ``<pk>``: operation
    ``{operation_prefix}_{slug}`` (hyphens as underscores), class ``{view_prefix}{Slug}View``.

    ``fetch(user, pk)`` finds the object (raising Http404 where the user may not see it),
    ``serializer`` parses the body, ``call(request, obj, validated_data)`` makes the move
    through the service, and ``render(request, obj, status_code)`` answers. ``response``
    is the documented ``status_code`` body, next to the 400 and 404 errors; ``multipart``
    also documents a multipart body (for photos). ``module`` is the ``__name__`` of the
    module that makes the view, for its dotted path. An app binds the keyword arguments
    once (``functools.partial``) and lists its moves in a table.
    """
    request_body = (
        {"multipart/form-data": serializer, "application/json": serializer}
        if multipart
        else serializer
    )

    class View(ApiViewMixin, generics.GenericAPIView):
        serializer_class = serializer

        @extend_schema(
            operation_id=f"{operation_prefix}_{slug.replace('-', '_')}",
            summary=summary,
            description=description,
            tags=tags,
            request=request_body,
            responses={status_code: response, **error_responses(400, 404)},
        )
        def post(self, request, *args, **kwargs):
            obj = fetch(request.user, kwargs["pk"])
            form = serializer(data=request.data)
            form.is_valid(raise_exception=True)
            call(request, obj, form.validated_data)
            return render(request, obj, status_code)

    View.__name__ = View.__qualname__ = f"{view_prefix}{slug.title().replace('-', '')}View"
    if module is not None:
        View.__module__ = module
    return View
