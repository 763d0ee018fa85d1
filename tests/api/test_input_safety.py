"""Input safety everywhere, not per view (docs/api.md): NUL bytes, digits that are not
ASCII, offsets past the integer range, JSON nested too deep, bodies too large. Each is
refused with a clear message in Chinese, in the client's shape (JSON for the API, a page
for the web), and never reaches a 500. Run on SQLite and PostgreSQL: PostgreSQL is the
database that cannot store NUL in text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from gongzhi.core import inputs
from gongzhi.core.pagination import MAX_OFFSET, Pagination
from gongzhi.core.parsers import MAX_DEPTH, nesting_depth
from gongzhi.demands.models import Category, Demand

NUL_MESSAGE = "请求中含有无效字符(NUL,空字符),请删除后重试。"
HUGE = "9" * 30
ROOT = Path(__file__).resolve().parents[2]


def staff(cast) -> APIClient:
    client = APIClient()
    client.force_login(cast.community_worker)
    return client


# --- NUL ----------------------------------------------------------------------------------

NUL_QUERIES = [
    "/api/v1/compounds?q=%00",
    "/api/v1/demands/board?state=%00",
    "/api/v1/demands/categories?text=%00",
    "/api/v1/audit-events?q=%00",
    "/api/v1/demands/inbox?%00=1",
    "/api/v1/verify/%00/",
]


@pytest.mark.parametrize("url", NUL_QUERIES)
def test_nul_anywhere_in_an_api_address_is_a_json_400(cast, url):
    for client in (APIClient(), staff(cast)):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": NUL_MESSAGE}


@pytest.mark.parametrize("url", ["/?q=%00", "/demands/?state=%00", "/login/?next=%00"])
def test_nul_in_a_page_address_is_a_page_in_chinese(cast, client, url):
    client.force_login(cast.clerk)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "请求无法处理" in html and NUL_MESSAGE in html


def test_nul_in_a_form_field_is_refused_before_the_view(db, client):
    response = client.post("/login/", {"phone": "13800000000\x00", "password": "x"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_nul_in_a_multipart_api_field_is_refused_and_nothing_is_written(cast):
    category = Category.objects.create(name="维修")
    client = APIClient()
    client.force_login(cast.resident)
    response = client.post(
        "/api/v1/demands",
        {"compound": cast.a.pk, "category": category.pk, "description": "电梯\x00坏了",
         "place_kind": "room", "room": cast.room_a.pk},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}
    assert not Demand.objects.exists()


def test_nul_in_a_json_string_or_key_is_refused(cast):
    client = staff(cast)
    for body in ({"phone": "138\x00", "password": "x"}, {"ph\x00one": "1", "password": "x"}):
        response = client.post("/api/v1/auth/token", body, format="json")
        assert response.status_code == 400
        assert response.json() == {"detail": NUL_MESSAGE}


# --- digits that are not ASCII ------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "1²", "99999999999999999999999"])
def test_ids_in_query_strings_are_ascii_digits_only(cast, value):
    client = staff(cast)
    for url in ("/api/v1/demands/categories", "/api/v1/lists"):
        response = client.get(url, {"compound": value})
        assert response.status_code == 400, url
        assert response.json() == {"compound": ["小区编号无效。"]}


def test_ascii_int():
    assert inputs.ascii_int("42") == 42
    assert inputs.ascii_int(" 7 ") == 7
    assert inputs.ascii_int("-3", minimum=-5) == -3
    for bad in ("²", "٣", "1²", "３", "", " ", "-", "1.0", "0x10", None, True, 1.5, "9" * 21):
        assert inputs.ascii_int(bad) is None, bad
    assert inputs.ascii_int(str(inputs.MAX_BIGINT)) == inputs.MAX_BIGINT
    assert inputs.ascii_int(str(inputs.MAX_BIGINT + 1)) is None
    assert inputs.ascii_int("0", minimum=1) is None
    assert inputs.ascii_ids("3, 5,8") == [3, 5, 8]
    assert inputs.ascii_ids("3,٣") is None and inputs.ascii_ids("") is None


def test_no_isdigit_nor_backslash_d_on_its_own_in_the_code():
    """``str.isdigit()`` takes "²" (then ``int()`` fails: a 500) and ``\\d`` takes "٣":
    numbers are parsed with core.inputs, patterns say [0-9], and an ``isdigit()`` goes with
    ``isascii()`` on its line (or says why any digit will do)."""
    offenders = []
    for path in sorted((ROOT / "gongzhi").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0] if "# any digits" not in line else ""
            if ".isdigit()" in code and "isascii()" not in code:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            if re.search(r"(?<!\\)\\d", code):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def _unbounded_integers(schema: dict, where: str, components: dict, seen=()):
    """Where an integer a request may carry has no maximum (read-only output excluded)."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name not in seen:
            yield from _unbounded_integers(components[name], where, components, (*seen, name))
        return
    if schema.get("type") == "integer" and "maximum" not in schema:
        yield where
    for key, value in schema.get("properties", {}).items():
        if not value.get("readOnly"):
            yield from _unbounded_integers(value, f"{where}.{key}", components, seen)
    if "items" in schema:
        yield from _unbounded_integers(schema["items"], f"{where}[]", components, seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            yield from _unbounded_integers(sub, where, components, seen)


def test_every_integer_a_request_carries_is_bounded(db):
    """An unbounded integer reached SQLite as an OverflowError (``?street=<36 digits>`` was a
    500): every query parameter and body field declares its maximum, and core.api_fields,
    core.refs and core.inputs enforce it."""
    schema = json.loads(APIClient().get("/api/schema", {"format": "json"}).content)
    components = schema["components"]["schemas"]
    unbounded = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] not in ("limit", "offset"):
                    unbounded += _unbounded_integers(
                        parameter["schema"], f"{where} ?{parameter['name']}", components
                    )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _unbounded_integers(content["schema"], f"{where} body", components)
    assert not sorted(set(unbounded)), "\n".join(sorted(set(unbounded)))


def test_huge_ids_in_query_and_body_are_400s(cast):
    client = staff(cast)
    for params in ({"street": HUGE}, {"community": HUGE}):
        response = client.get("/api/v1/compounds", params)
        assert response.status_code == 400, params
    response = client.post("/api/v1/demands", {"compound": HUGE}, format="json")
    assert response.status_code == 400
    assert "compound" in response.json()
    response = client.get("/api/v1/demands/board", {"compound": "٣"})
    assert response.status_code == 400


# --- limits and offsets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/demands/inbox", "/api/v1/demands", "/api/v1/demands/board",
            "/api/v1/compounds", "/api/v1/audit-events", "/api/v1/notifications"],
)  # fmt: skip
def test_an_offset_past_the_integer_range_is_an_empty_page(cast, url):
    # 2196169652 + a limit overflowed the inbox's SQL function (integer) on PostgreSQL.
    for offset in (HUGE, "2196169652", str(2**31 - 1)):
        response = staff(cast).get(url, {"offset": offset, "limit": HUGE})
        assert response.status_code == 200, (offset, response.content)
        assert response.json()["results"] == []


def _paginator_reads(query: str) -> tuple[int, int]:
    request = Request(APIRequestFactory().get(f"/x?{query}"))
    paginator = Pagination()
    return paginator.get_limit(request), paginator.get_offset(request)


def test_limit_and_offset_are_ascii_and_bounded():
    assert _paginator_reads("limit=5&offset=10") == (5, 10)
    assert _paginator_reads("limit=٣&offset=٣") == (20, 0)
    assert _paginator_reads("limit=²&offset=²") == (20, 0)
    assert _paginator_reads("limit=0&offset=-1") == (20, 0)
    assert _paginator_reads(f"limit=1000&offset={HUGE}") == (100, MAX_OFFSET)
    assert _paginator_reads("offset=2196169652") == (20, MAX_OFFSET)  # past int4 with a limit
    assert MAX_OFFSET + 100 + 1 <= inputs.MAX_INT


# --- JSON -----------------------------------------------------------------------------------


def test_json_nested_100000_deep_is_a_400_not_a_recursion_error(cast):
    body = "[" * 100_000 + "]" * 100_000
    calls = [(APIClient(), "/api/v1/auth/token")]  # anonymous: the one body read unlogged
    calls += [(staff(cast), url) for url in ("/api/v1/auth/token", "/api/v1/demands")]
    for client, url in calls:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content[:200])
        assert response.json() == {"detail": f"JSON 嵌套层数过多(最多 {MAX_DEPTH} 层)。"}


def test_nesting_depth_ignores_brackets_in_strings():
    assert nesting_depth('{"a": [1, {"b": "[[[["}]}') == 3
    assert nesting_depth('"\\"[[["') == 0
    assert nesting_depth("[" * 40, stop_above=32) == 33
    deep_but_allowed = json.dumps({"a": [[[[[[1]]]]]]})
    assert nesting_depth(deep_but_allowed) == 7


def test_bad_json_is_a_400_in_chinese(db):
    for body in ('{"phone": ', "[NaN]", '{"a": Infinity}'):
        response = APIClient().post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["detail"].startswith("请求内容不是有效的 JSON"), body


# --- sizes ----------------------------------------------------------------------------------


@pytest.fixture
def small_limits(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    settings.REQUEST_MAX_BYTES = 4096


def _too_large(limit: int) -> str:
    return f"提交的内容过大(上限 {limit / 1024 / 1024:.2f} MB),请减少内容或压缩文件后重试。"


def test_an_oversized_json_body_is_a_json_413(cast, small_limits):
    body = json.dumps({"phone": "1" * 3000, "password": "x"})
    for client in (APIClient(), staff(cast)):
        response = client.post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 413
        assert response.json() == {"detail": _too_large(2048)}


def test_oversized_form_fields_are_a_json_413_from_the_api(cast, small_limits):
    client = APIClient()
    client.force_login(cast.resident)
    response = client.post(
        "/api/v1/demands", {"compound": cast.a.pk, "description": "长" * 800}, format="multipart"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": _too_large(2048)}
    assert not Demand.objects.exists()


def test_an_oversized_upload_is_refused_unread_with_a_json_413(cast, small_limits):
    client = APIClient()
    client.force_login(cast.resident)
    photo = SimpleUploadedFile("big.jpg", b"\xff" * 8000, content_type="image/jpeg")
    response = client.post(
        "/api/v1/demands", {"compound": cast.a.pk, "photos": [photo]}, format="multipart"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": _too_large(4096)}


def test_an_oversized_form_is_a_readable_page_on_the_web(db, small_limits):
    response = Client().post("/login/", {"phone": "1" * 3000, "password": "x"})
    assert response.status_code == 413
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "请求无法处理" in html and _too_large(2048) in html


def test_an_unknown_api_address_is_a_json_404(db):
    response = APIClient().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
