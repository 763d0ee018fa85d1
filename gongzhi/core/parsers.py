"""Request body parsers for the API (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

DRF hands a JSON body to its parser through ``request.body``, so Django's
DATA_UPLOAD_MAX_MEMORY_SIZE applies (RequestDataTooBig, answered 413 by
``core.api.exception_handler``); but ``json.load`` of a body nested 100,000 deep raised
RecursionError (a 500), and NUL reached the database. This parser:

* refuses JSON nested deeper than MAX_DEPTH, found by a scan of the brackets before
  anything is built;
* refuses NUL in any JSON string (keys too): PostgreSQL cannot store it in text or jsonb;
* refuses NaN and Infinity (not JSON), as DRF's strict mode does;
* says what is wrong in Chinese.

Form and multipart bodies go through DRF's parsers (Django's, with its limits); their
fields are checked for NUL by ``core.middleware``.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from gongzhi.core.errors import nul_message, too_large_message
from gongzhi.core.inputs import NUL

MAX_DEPTH = 32

# A JSON string (escapes included) or one bracket; everything else is skipped unread.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"

    def __init__(self, limit: int | None = None):
        super().__init__(too_large_message(limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


def nesting_depth(text: str, *, stop_above: int = MAX_DEPTH) -> int:
    """How deep ``text``'s arrays and objects nest (brackets inside strings do not count);
    stops counting once past ``stop_above``."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def _has_nul(value) -> bool:
    # Recursion is bounded: the depth was checked before parsing.
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(NUL in key or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _refuse_constant(name: str):
    raise ValueError(name)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError:
            raise exceptions.ParseError(
                _("请求内容不是有效的 %(encoding)s 文本。") % {"encoding": encoding}
            ) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise exceptions.ParseError(
                _("JSON 嵌套层数过多(最多 %(max)d 层)。") % {"max": MAX_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                _("请求内容不是有效的 JSON(第 %(line)d 行第 %(column)d 列)。")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        except (ValueError, RecursionError):
            raise exceptions.ParseError(_("请求内容不是有效的 JSON。")) from None
        if _has_nul(data):
            raise exceptions.ParseError(nul_message())
        return data
