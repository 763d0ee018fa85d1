"""Open311 GeoReport v2: services, public requests (no names, no rooms, nothing private),
filing with a token through the filing services, and errors in the spec's format."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from gongzhi.demands import services
from gongzhi.demands.models import Category, Channel, Demand, PlaceKind
from gongzhi.demands.rules import State
from tests.demands.conftest import jpeg_upload

BASE = "/open311/v2"


@pytest.fixture
def public(cast, file_demand):
    """Two public demands and one private, filed now by the resident of room A."""

    def _file(**kw):
        kw.setdefault("now", timezone.now())
        return file_demand(**kw)

    return _file


def token_of(account) -> str:
    return Token.objects.get_or_create(user=account)[0].key


def test_services_list_the_categories(client, cast, repair, environment):
    own = Category.objects.create(compound=cast.a, name="电梯", keywords="电梯 困人")
    rows = client.get(f"{BASE}/services.json").json()
    assert [r["service_name"] for r in rows] == ["维修", "环境卫生"]
    first = rows[0]
    assert first == {
        "service_code": str(repair.pk),
        "service_name": "维修",
        "description": "接单时限24小时,办结时限3天。",
        "metadata": False,
        "type": "realtime",
        "keywords": "漏水,电梯,水管,停电",
        "group": "通用",
    }
    with_own = client.get(f"{BASE}/services.json", {"jurisdiction_id": cast.a.pk}).json()
    assert {"service_code": str(own.pk), "group": "甲小区"}.items() <= with_own[-1].items()


def test_service_definition_and_unknown_service(client, repair):
    assert client.get(f"{BASE}/services/{repair.pk}.json").json() == {
        "service_code": str(repair.pk),
        "attributes": [],
    }
    missing = client.get(f"{BASE}/services/999.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "没有编号为 999 的服务。"}]


def test_requests_list_only_public_demands_without_names_or_rooms(client, cast, public):
    shown = public(is_public=True, description="1号楼电梯坏了", photos=[jpeg_upload()])
    public(is_public=False, description="家里的私事")
    services.demand_dispatch(actor=cast.secretary, demand=shown, handler_body=cast.property_a)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    rows = response.json()
    assert [r["service_request_id"] for r in rows] == [str(shown.pk)]
    row = rows[0]
    assert row["status"] == "open" and row["status_notes"] == "已派单待接单"
    assert row["agency_responsible"] == "甲物业"
    assert row["address"] == "甲小区 1号楼"  # never the room
    assert row["requested_datetime"].endswith("+08:00")
    assert dt.datetime.fromisoformat(row["updated_datetime"]).tzinfo is not None
    assert row["media_url"].startswith("http://testserver/open311/v2/media/")
    body = response.content.decode()
    assert cast.resident.person.name not in body and "101" not in body
    media = client.get(row["media_url"].removeprefix("http://testserver"))
    assert media.status_code == 200 and media["Content-Type"] == "image/jpeg"


def test_private_photo_is_not_served_publicly(client, public):
    private = public(is_public=False, photos=[jpeg_upload()])
    assert client.get(f"{BASE}/media/{private.photos.get().pk}.jpg").status_code == 404


def test_requests_filters(client, cast, repair, environment, public):
    old = public(is_public=True, now=timezone.now() - dt.timedelta(days=100))
    fixed = public(is_public=True, category=environment, description="垃圾清运")
    fresh = public(is_public=True)
    services.demand_withdraw(actor=cast.resident, demand=fixed)

    def ids(**query):
        response = client.get(f"{BASE}/requests.json", query)
        assert response.status_code == 200, response.content
        return [int(r["service_request_id"]) for r in response.json()]

    assert ids() == [fresh.pk, fixed.pk]  # the last 90 days, newest first
    assert ids(status="closed") == [fixed.pk]
    assert ids(status="open") == [fresh.pk]
    assert ids(service_code=str(environment.pk)) == [fixed.pk]
    assert ids(service_request_id=f"{old.pk},{fresh.pk}") == [fresh.pk, old.pk]
    start = (timezone.now() - dt.timedelta(days=101)).isoformat()
    end = (timezone.now() - dt.timedelta(days=99)).isoformat()
    assert ids(start_date=start, end_date=end) == [old.pk]
    assert ids(jurisdiction_id=str(cast.a.pk)) == [fresh.pk, fixed.pk]
    assert ids(jurisdiction_id=cast.community.path) == [fresh.pk, fixed.pk]
    assert ids(jurisdiction_id=str(cast.b.pk)) == []


def test_one_request_and_a_private_one_is_404(client, public):
    shown = public(is_public=True)
    hidden = public(is_public=False)
    rows = client.get(f"{BASE}/requests/{shown.pk}.json").json()
    assert len(rows) == 1 and rows[0]["service_request_id"] == str(shown.pk)
    missing = client.get(f"{BASE}/requests/{hidden.pk}.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": f"没有编号为 {hidden.pk} 的公开诉求。"}]


def test_bad_filters_answer_400_in_the_spec_format(client, public):
    span = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
    )
    assert span.status_code == 400
    assert span.json() == [
        {"code": 400, "description": "start_date 与 end_date 相隔不能超过90天。"}
    ]
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).json() == [
        {"code": 400, "description": "status 只能是 open 或 closed。"}
    ]
    bad = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})
    assert bad.status_code == 400 and "ISO 8601" in bad.json()[0]["description"]
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "x9"}).status_code == 404


def test_resident_files_with_a_token(client, cast, repair):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": token_of(cast.resident),
            "jurisdiction_id": str(cast.a.pk),
            "service_code": str(repair.pk),
            "address_string": "2号楼东侧",
            "description": "2号楼外墙瓷砖脱落",
            "media_url": "http://example.com/never-fetched.jpg",
        },
    )
    assert response.status_code == 201, response.content
    d = Demand.objects.get()
    assert response.json() == [{"service_request_id": str(d.pk), "service_notice": ""}]
    assert (d.reporter, d.channel, d.place_kind, d.building) == (
        cast.resident.person, Channel.APP, PlaceKind.BUILDING, cast.building_a2,
    )  # fmt: skip
    assert d.location_note == "2号楼东侧" and d.state == State.FILED
    assert d.events.get().kind == "filed"  # through the filing service: timeline and audit


def test_staff_file_with_a_token_as_a_phone_call(client, cast, repair):
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": token_of(cast.secretary), "jurisdiction_id": cast.a.path,
         "service_code": str(repair.pk), "address_string": "东门停车场",
         "description": "东门道闸坏了"},
    )  # fmt: skip
    assert response.status_code == 201
    d = Demand.objects.get()
    assert (d.reporter, d.channel, d.place_kind) == (None, Channel.PHONE, PlaceKind.COMMON)


def test_post_errors_in_the_spec_format_with_nothing_written(client, cast, repair):
    url = f"{BASE}/requests.json"
    no_key = client.post(url, {"service_code": str(repair.pk)})
    assert no_key.status_code == 403
    assert no_key.json() == [
        {"code": 403, "description": "api_key 无效:请使用共治平台的接口令牌。"}
    ]
    key = token_of(cast.resident)
    missing = client.post(url, {"api_key": key})
    assert missing.status_code == 400
    assert missing.json() == [
        {"code": 400, "description": "缺少必填参数 service_code。"},
        {"code": 400, "description": "缺少必填参数 jurisdiction_id。"},
    ]
    lat_long = client.post(url, {"api_key": key, "service_code": str(repair.pk),
                                 "jurisdiction_id": str(cast.a.pk), "lat": "24.4", "long": "118.1"})  # fmt: skip
    assert lat_long.status_code == 400 and "address_string" in lat_long.json()[0]["description"]
    empty = client.post(url, {"api_key": key, "service_code": str(repair.pk),
                              "jurisdiction_id": str(cast.a.pk), "address_string": "1号楼",
                              "description": ""})  # fmt: skip
    assert empty.status_code == 400
    assert empty.json() == [{"code": 400, "description": "请填写诉求内容。"}]
    outsider = client.post(url, {"api_key": token_of(cast.outsider), "service_code": str(repair.pk),
                                 "jurisdiction_id": str(cast.a.pk), "address_string": "1号楼",
                                 "description": "电梯坏了"})  # fmt: skip
    assert outsider.status_code == 403
    assert not Demand.objects.exists()


def test_xml_variants(client, cast, repair, public):
    shown = public(is_public=True)
    services_xml = client.get(f"{BASE}/services.xml")
    assert services_xml["Content-Type"].startswith("text/xml")
    root = ET.fromstring(services_xml.content)
    assert root.tag == "services" and root.find("service/service_name").text == "维修"
    assert root.find("service/metadata").text == "false"
    requests_xml = ET.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert requests_xml.tag == "service_requests"
    assert requests_xml.find("request/service_request_id").text == str(shown.pk)
    definition = ET.fromstring(client.get(f"{BASE}/services/{repair.pk}.xml").content)
    assert definition.tag == "service_definition" and definition.find("attributes") is not None
    error = client.get(f"{BASE}/services/999.xml")
    assert error.status_code == 404
    assert ET.fromstring(error.content).find("error/code").text == "404"


def test_discovery_names_the_spec(client):
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2/"


# --- bad input: never a 500 (docs/api.md, "Input safety") ---------------------------------

# "²" is a digit to str.isdigit() but not to int(); "٣" (Arabic-Indic three) is one to
# both; neither is an id. A number past bigint names nothing either.
NOT_IDS = ["²", "٣", "1²", "99999999999999999999999"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_ids_in_other_digits_are_no_ids(client, cast, repair, public, value):
    public(is_public=True)
    for path in (f"{BASE}/requests/{value}.json", f"{BASE}/services/{value}.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()[0]["code"] == 404
    for name in ("service_request_id", "service_code"):
        response = client.get(f"{BASE}/requests.json", {name: value})
        assert response.status_code == 400, name
        assert response.json() == [
            {"code": 400, "description": f"{name} 须为数字,多个用英文逗号分隔。"}
        ]
    for path in (f"{BASE}/requests.json", f"{BASE}/services.json"):
        response = client.get(path, {"jurisdiction_id": value})
        assert response.status_code == 404, path
    filed = client.post(f"{BASE}/requests.json", {
        "api_key": token_of(cast.resident), "service_code": value, "jurisdiction_id": value,
        "address_string": "1号楼", "description": "电梯坏了"})  # fmt: skip
    assert filed.status_code == 404
    assert Demand.objects.count() == 1


@pytest.mark.parametrize("query", ["q=%00", "status=%00", "jurisdiction_id=%00", "%00=1"])
def test_nul_in_the_query_is_an_open311_error(client, cast, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "请求中含有无效字符(NUL,空字符),请删除后重试。"}
    ]


def test_nul_in_a_filed_field_is_refused_and_nothing_is_written(client, cast, repair):
    response = client.post(f"{BASE}/requests.json", {
        "api_key": token_of(cast.resident), "service_code": str(repair.pk),
        "jurisdiction_id": str(cast.a.pk), "address_string": "1号楼\x00",
        "description": "电梯坏了"})  # fmt: skip
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert not Demand.objects.exists()
