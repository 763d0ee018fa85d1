"""Benchmark-only views (routed by ``bench_urls`` only when ``BENCH_ENDPOINTS=true``).

``floor``: the floor that ``make bench`` compares the real endpoints with — a bare Django
view doing one indexed 20-row query and rendering it as JSON, through the same server,
middleware and database connection settings as the API. No DRF, no authentication, no
serializer: what is left is the cost of Django, gunicorn and one round trip to
PostgreSQL on the primary key index.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from gongzhi.core.inputs import ascii_int
from gongzhi.places.models import Room

FLOOR_ROWS = 20
_FIELDS = ("id", "name", "path", "floor", "exclusive_area", "compound_id")


@require_GET
def floor(request: HttpRequest) -> JsonResponse:
    """``GET /bench/floor?from=<room id>``: the 20 rooms with id ≥ ``from``, by primary key
    (one index range scan, ``LIMIT 20``)."""
    raw = request.GET.get("from", "1")
    start = ascii_int(raw, minimum=1) or 1
    rows = list(
        Room.objects.filter(pk__gte=start).order_by("pk").values_list(*_FIELDS)[:FLOOR_ROWS]
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": pk,
                    "name": name,
                    "path": path,
                    "floor": floor_no,
                    "exclusive_area": str(area),
                    "compound": compound,
                }
                for pk, name, path, floor_no, area, compound in rows
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
