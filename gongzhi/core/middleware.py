"""Input safety for every request, before any view parses it (docs/api.md, "Input safety").

``InputSafetyMiddleware`` refuses, with a 400 or 413 in the client's shape
(``core.errors.error_response``: JSON for the API, a Chinese page for the web):

* a NUL byte anywhere in the path, the query string (names and values) or the fields and
  file names of a form body. PostgreSQL refuses NUL in text, so a ``?q=%00`` reaching a
  query was a 500 there (SQLite stores it); no view has to remember to check.
* a body whose declared length is above REQUEST_MAX_BYTES (files included: Django limits
  only the non-file part, by DATA_UPLOAD_MAX_MEMORY_SIZE), before reading any of it.

Reading ``request.POST`` here is what the CSRF middleware does for every form anyway; a
body above DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig, answered by
``core.errors.bad_request`` (and by ``core.api.exception_handler`` inside the API).
JSON bodies are checked by ``core.parsers.JSONParser``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongzhi.core.errors import error_response, nul_message, too_large_message
from gongzhi.core.inputs import NUL, has_nul

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _query_has_nul(request: HttpRequest) -> bool:
    return any(NUL in key or has_nul(values) for key, values in request.GET.lists())


def _form_has_nul(request: HttpRequest) -> bool:
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return False
    if any(NUL in key or has_nul(values) for key, values in request.POST.lists()):
        return True
    return any(
        NUL in key or has_nul(f.name or "" for f in files) for key, files in request.FILES.lists()
    )


class InputSafetyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        if _content_length(request) > limit:
            return error_response(request, 413, too_large_message(limit))
        if NUL in request.path_info or _query_has_nul(request) or _form_has_nul(request):
            return error_response(request, 400, nul_message())
        return self.get_response(request)
