"""The API's page (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"], and ApiViewMixin's).

``?limit=&offset=``: 20 a page by default, at most 100. Both are read as ASCII digits
(``core.inputs``; DRF's ``int()`` takes "٣"); a bad one is ignored, as DRF does; an
offset past MAX_OFFSET (a billion) reads as MAX_OFFSET, an empty page, where it was an
integer overflow in the database (a 500); offset + limit still fits a 32-bit integer
(the inbox's SQL function takes ``integer``). Its own module: DRF's generic views import the default paginator
when they are defined.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from gongzhi.core.inputs import ascii_int

MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; the default limit is REST_FRAMEWORK["PAGE_SIZE"] (20)."""

    max_limit = 100
    max_offset = MAX_OFFSET

    def get_limit(self, request):
        limit = ascii_int(request.query_params.get(self.limit_query_param), minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        text = (request.query_params.get(self.offset_query_param) or "").strip()
        if not (text.isascii() and text.isdigit()):
            return 0
        return self.max_offset if len(text) > 10 else min(int(text), self.max_offset)
