"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) over demands, for
interoperability with city 311 / 12345 systems and civic-tech clients.

* ``GET services.{json,xml}``: the categories, as services (``jurisdiction_id`` adds a
  compound's own categories to the shared ones).
* ``GET services/{code}.{json,xml}``: a service definition (no extra attributes).
* ``GET requests.{json,xml}``: public demands only (the reporter allowed it), never the
  reporter's name, never a room number; filters ``service_request_id``, ``service_code``,
  ``start_date``, ``end_date`` (at most 90 days apart; the last 90 days by default),
  ``status`` (open/closed) and ``jurisdiction_id`` (a compound's id or any place path);
  at most 1000, newest first.
* ``GET requests/{id}.{json,xml}``: one public demand.
* ``POST requests.{json,xml}``: file a demand through the filing services, with
  ``api_key`` a REST API token (``/api/v1/auth/token``) of a resident (filed as theirs)
  or of staff of the compound (recorded as a phone call on an anonymous resident's
  behalf). We locate by ``address_string`` (a building name in it is recognised), not
  by lat/long; ``media_url`` is not fetched (the server never downloads from the
  internet).

Errors follow the spec: a list of ``{"code": ..., "description": ...}`` with the same
HTTP status, descriptions in Chinese.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.authtoken.models import Token

from gongzhi.core.inputs import ascii_ids, ascii_int
from gongzhi.core.ratelimit import RateLimited, client_address
from gongzhi.demands import permissions, rules, services, web_selectors
from gongzhi.demands.models import Channel, Demand, Kind, PlaceKind
from gongzhi.demands.services.filing import filing_allowance

MAX_REQUESTS = 1000
MAX_SPAN = dt.timedelta(days=90)
SPEC = "http://wiki.open311.org/GeoReport_v2"
OPEN, CLOSED = "open", "closed"


class Open311Error(Exception):
    def __init__(self, code: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.code = code
        self.descriptions = [str(d) for d in descriptions]


# --- output ---------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the time zone, as the spec asks: 2026-03-02T09:00:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _fill(node: ET.Element, row: dict) -> None:
    for key, value in row.items():
        child = ET.SubElement(node, key)
        if isinstance(value, list):  # the attributes of a service definition
            for entry in value:
                _fill(ET.SubElement(child, "attribute"), entry)
        else:
            child.text = _xml_text(value)


def _xml(root: str, item: str, rows: list[dict] | dict) -> bytes:
    """``<root><item>…</item>…</root>`` for a list; ``<root>…</root>`` for one object."""
    top = ET.Element(root)
    if isinstance(rows, dict):
        _fill(top, rows)
    else:
        for row in rows:
            _fill(ET.SubElement(top, item), row)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def _xml_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _respond(fmt: str, root: str, item: str, rows, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(
            _xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status
        )
    else:
        response = JsonResponse(
            rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(fmt: str, exc: Open311Error) -> HttpResponse:
    rows = [{"code": exc.code, "description": d} for d in exc.descriptions]
    return _respond(fmt, "errors", "error", rows, status=exc.code)


def _handle(view):
    """Turn refusals into Open311 errors in the requested format."""

    def wrapped(request: HttpRequest, *args, fmt: str = "json", **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc)
        except Http404:
            return _error(fmt, Open311Error(404, _("未找到。")))
        except PermissionDenied as exc:
            return _error(fmt, Open311Error(403, str(exc) or _("没有权限。")))
        except ValidationError as exc:
            return _error(fmt, Open311Error(400, *exc.messages))
        except RateLimited as exc:
            response = _error(fmt, Open311Error(429, exc.message))
            response["Retry-After"] = str(exc.wait)
            return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- services -------------------------------------------------------------------------------


def _service(category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": _("接单时限%(hours)s小时,办结时限%(days)s天。")
        % {"hours": category.accept_within_hours, "days": category.resolve_within_days},
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(rules.split_keywords(category.keywords or "")),
        "group": category.compound.name if category.compound_id else _("通用"),
    }


@require_GET
@_handle
def services_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET services: every active category a demand of the jurisdiction may take."""
    categories = web_selectors.open311_categories(request.GET.get("jurisdiction_id"))
    return _respond(
        fmt, "services", "service", [_service(c) for c in categories.select_related("compound")]
    )


@require_GET
@_handle
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    """GET a service definition: our categories take no extra attributes."""
    category = web_selectors.category_by_code(code)
    if category is None:
        raise Open311Error(404, _("没有编号为 %(code)s 的服务。") % {"code": code})
    return _respond(
        fmt,
        "service_definition",
        "service_definition",
        {"service_code": str(category.pk), "attributes": []},
    )


# --- service requests ------------------------------------------------------------------------


def _status(demand: Demand) -> str:
    return OPEN if demand.state in rules.UNRESOLVED else CLOSED


def _status_notes(demand: Demand) -> str:
    """The state in words, and the escalation level; never free text written by people
    (a summary or a comment may name the reporter)."""
    notes = demand.get_state_display()
    if demand.escalation_count and demand.level:
        notes += _(";已升级至%(level)s") % {"level": rules.level_label(demand.level)}
    return notes


def _address(demand: Demand) -> str:
    """The compound and, at most, the building: never the room (it would name the home)."""
    parts = [demand.compound.name]
    if demand.building_id:
        parts.append(demand.building.name)
    if demand.place_kind == PlaceKind.COMMON and demand.location_note:
        parts.append(demand.location_note)
    return " ".join(parts)


def _request_row(request: HttpRequest, demand: Demand) -> dict:
    photos = getattr(demand, "public_photos", [])
    media = (
        request.build_absolute_uri(reverse("demands:open311:media", args=[photos[0].pk]))
        if photos
        else ""
    )
    is_open = _status(demand) == OPEN
    return {
        "service_request_id": str(demand.pk),
        "status": _status(demand),
        "status_notes": _status_notes(demand),
        "service_name": demand.category.name if demand.category_id else Kind(demand.kind).label,
        "service_code": str(demand.category_id or ""),
        "description": demand.description,
        "agency_responsible": demand.handler_body.name if demand.handler_body_id else "",
        "service_notice": "",
        "requested_datetime": _iso(demand.created_at),
        "updated_datetime": _iso(demand.updated_at),
        "expected_datetime": _iso(demand.due_at) if is_open else None,
        "address": _address(demand),
        "media_url": media,
    }


def _ids(value: str, name: str) -> list[int]:
    ids = ascii_ids(value)
    if ids is None:
        raise Open311Error(400, _("%(name)s 须为数字,多个用英文逗号分隔。") % {"name": name})
    return ids


def _date(value: str, name: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(
            400,
            _("%(name)s 格式无效,请使用 ISO 8601,如 2026-03-01T00:00:00+08:00。") % {"name": name},
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _search(request: HttpRequest):
    """The public demands a GET requests asks for (see the module doc)."""
    query = request.GET
    qs = web_selectors.public_demands()
    if query.get("service_request_id"):
        return qs.filter(pk__in=_ids(query["service_request_id"], "service_request_id"))
    if query.get("jurisdiction_id"):
        qs = qs.filter(web_selectors.jurisdiction_q(query["jurisdiction_id"]))
    if query.get("service_code"):
        qs = qs.filter(category_id__in=_ids(query["service_code"], "service_code"))
    start = _date(query["start_date"], "start_date") if query.get("start_date") else None
    end = _date(query["end_date"], "end_date") if query.get("end_date") else None
    if start and end:
        if end < start:
            raise Open311Error(400, _("end_date 不能早于 start_date。"))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("start_date 与 end_date 相隔不能超过90天。"))
    if start is None and end is None:
        start = timezone.now() - MAX_SPAN
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    if query.get("status"):
        wanted = {s.strip().lower() for s in query["status"].split(",") if s.strip()}
        if not wanted or wanted - {OPEN, CLOSED}:
            raise Open311Error(400, _("status 只能是 open 或 closed。"))
        if wanted == {OPEN}:
            qs = qs.filter(state__in=sorted(rules.UNRESOLVED))
        elif wanted == {CLOSED}:
            qs = qs.exclude(state__in=sorted(rules.UNRESOLVED))
    return qs


def _account_for(api_key: str):
    key = (api_key or "").strip()
    token = Token.objects.select_related("user").filter(key=key).first() if key else None
    if token is None or not token.user.is_active:
        raise Open311Error(403, _("api_key 无效:请使用共治平台的接口令牌。"))
    return token.user


def _create(request: HttpRequest) -> Demand:
    """POST requests: file a demand through the filing services."""
    data = request.POST
    user = _account_for(data.get("api_key", ""))
    missing = [name for name in ("service_code", "jurisdiction_id") if not data.get(name)]
    if missing:
        raise Open311Error(
            400, *[_("缺少必填参数 %(name)s。") % {"name": name} for name in missing]
        )
    address = (data.get("address_string") or "").strip()
    if not address:
        raise Open311Error(
            400,
            _(
                "请填写 address_string(如“3号楼”或“东门停车场”);本平台按小区内的地址定位,不使用经纬度。"
            ),
        )
    compound = web_selectors.compound_for_jurisdiction(data["jurisdiction_id"])
    if compound is None:
        raise Open311Error(404, _("jurisdiction_id 须为小区编号或小区路径。"))
    category = web_selectors.category_by_code(data["service_code"])
    if category is None or category.compound_id not in (None, compound.pk):
        # Another compound's category is as unknown here as a missing one (core.refs).
        raise Open311Error(404, _("没有编号为 %(code)s 的服务。") % {"code": data["service_code"]})
    building = web_selectors.building_named_in(compound, address)
    place = {
        "place_kind": PlaceKind.BUILDING if building else PlaceKind.COMMON,
        "building": building,
        "location_note": address[:200],
    }
    common = {
        "actor": user,
        "compound": compound,
        "category": category,
        "description": data.get("description", ""),
        **place,
    }
    address = client_address(request)
    if permissions.can_file(user, compound.path):
        with filing_allowance(actor=user, address=address, behalf=False):
            return services.demand_file(channel=Channel.APP, **common)
    if permissions.can_file_on_behalf(user, compound.path):
        with filing_allowance(actor=user, address=address, behalf=True):
            return services.demand_file_on_behalf(reporter=None, channel=Channel.PHONE, **common)
    raise Open311Error(403, _("只有本小区的居民、业主或工作人员可以提交诉求。"))


@csrf_exempt  # api_key authenticates a POST; no session (and so no CSRF) is involved
@require_http_methods(["GET", "POST"])
@_handle
def requests_view(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        demand = _create(request)
        rows = [{"service_request_id": str(demand.pk), "service_notice": ""}]
        return _respond(fmt, "service_requests", "request", rows, status=201)
    rows = [_request_row(request, d) for d in _search(request)[:MAX_REQUESTS]]
    return _respond(fmt, "service_requests", "request", rows)


@require_GET
@_handle
def request_detail(request: HttpRequest, pk: str, *, fmt: str) -> HttpResponse:
    number = ascii_int(pk, minimum=1)
    demand = web_selectors.public_demands().filter(pk=number).first() if number else None
    if demand is None:
        raise Open311Error(404, _("没有编号为 %(id)s 的公开诉求。") % {"id": pk})
    return _respond(fmt, "service_requests", "request", [_request_row(request, demand)])


@require_GET
def media(request: HttpRequest, photo_pk: int) -> HttpResponse:
    """A report photo of a public demand (re-encoded, EXIF stripped when it was filed)."""
    photo = web_selectors.public_photo(photo_pk)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    """Service discovery: where the GeoReport v2 endpoint is and what it speaks."""
    base = request.build_absolute_uri(reverse("demands:open311:services", args=["json"]))
    base = base.rsplit("services.json", 1)[0]
    return JsonResponse(
        {
            "changeset": "2026-01-01T00:00:00+08:00",
            "contact": _("请联系所在社区或街道。"),
            "key_service": _("接口令牌见 /api/v1/auth/token。"),
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": base,
                    "changeset": "2026-01-01T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
