"""Error responses in the shape each client reads: JSON for the API, the Open311 error list
for Open311, a page in Chinese for the web.

Django answers a request it refuses before any view runs (a body above
DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, an unknown URL) through the handlers
below (``gongzhi.urls`` names them), and ``core.middleware`` answers through
``error_response``: an API client never gets an HTML page, a person never gets a bare
"Bad Request (400)".
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"


def _json(payload, status: int) -> JsonResponse:
    return JsonResponse(
        payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )


def wants_json(request: HttpRequest) -> bool:
    path = request.path_info
    return path.startswith(API_PREFIX) or path.startswith(OPEN311_PREFIX)


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """``message`` (Chinese, already translated) with ``status``, in the client's shape."""
    path = request.path_info
    if path.startswith(API_PREFIX):
        return _json({"detail": message}, status)
    if path.startswith(OPEN311_PREFIX):
        return _json([{"code": status, "description": message}], status)
    html = render_to_string("400.html", {"status": status, "message": message}, request=request)
    return HttpResponse(html, status=status)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}" if size >= 1024 * 1024 else f"{size / 1024 / 1024:.2f}"


def too_large_message(limit: int) -> str:
    return _("提交的内容过大(上限 %(limit)s MB),请减少内容或压缩文件后重试。") % {
        "limit": megabytes(limit)
    }


def nul_message() -> str:
    return _("请求中含有无效字符(NUL,空字符),请删除后重试。")


def bad_request_message(exception) -> str:
    if isinstance(exception, TooManyFieldsSent):
        return _("提交的字段过多。")
    if isinstance(exception, TooManyFilesSent):
        return _("一次提交的文件过多。")
    return _("请求无效,请检查后重试。")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """handler400: a refused request (Django's SuspiciousOperation family)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(request, 413, too_large_message(limit))
    return error_response(request, 400, bad_request_message(exception))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """handler403: the JSON error for the API, 403.html for the web."""
    if wants_json(request):
        return error_response(request, 403, str(exception or "") or _("没有权限执行此操作。"))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404: an unknown API address is a JSON 404 like a missing object."""
    if wants_json(request):
        return error_response(request, 404, _("未找到。"))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON for the API (500.html needs no database, nor does this)."""
    if wants_json(request):
        return error_response(request, 500, _("服务器内部错误,请稍后再试。"))
    return defaults.server_error(request)
