"""Shared API pieces: the exception handler turns domain errors into clear JSON."""

from __future__ import annotations

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from gongzhi.core import errors
from gongzhi.core.parsers import RequestTooLarge


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # A body (or a multipart body's fields) above DATA_UPLOAD_MAX_MEMORY_SIZE.
        exc = RequestTooLarge()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError(errors.bad_request_message(exc))
    elif isinstance(exc, Http404):
        # Always the same bare message: a 404 must not tell a missing object from one
        # outside the user's scope.
        exc = exceptions.NotFound()
    elif isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            detail = dict(exc.message_dict)
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
