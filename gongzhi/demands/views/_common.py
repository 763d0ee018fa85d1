"""What every demands page shares: page sizes, htmx, refusals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongzhi.core.inputs import ascii_int

PAGE_SIZE = 20
BOARD_PAGE_SIZE = 30
SEARCH_MAX = 30


def _partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "demands/refused.html", {"message": message}, status=status)


def _int(value) -> int | None:
    """An id in a query string: ASCII digits within range (``'²'`` is none), else None."""
    return ascii_int(value, minimum=1) if isinstance(value, str) else None


# A service's error on a field the form spells otherwise.
ALIASES = {"handler_body": "handler", "handler_person": "handler"}
