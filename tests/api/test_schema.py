"""The OpenAPI schema and the docs page: complete, valid, warning-free, no CDN."""

import json
import re
from pathlib import Path

import drf_spectacular
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

OUR_OPERATIONS = {
    ("/api/v1/auth/token", "post"): "auth_token_create",
    ("/api/v1/auth/token", "delete"): "auth_token_destroy",
    ("/api/v1/me", "get"): "me_retrieve",
    ("/api/v1/compounds", "get"): "compounds_list",
    ("/api/v1/compounds/{id}", "get"): "compounds_retrieve",
    ("/api/v1/compounds/{id}/buildings", "get"): "compound_buildings_list",
    ("/api/v1/compounds/{id}/buildings", "post"): "compound_buildings_create",
    ("/api/v1/buildings/{id}/rooms", "get"): "building_rooms_list",
    ("/api/v1/buildings/{id}/rooms", "post"): "building_rooms_create",
    ("/api/v1/compounds/{id}/residents", "get"): "compound_residents_list",
    ("/api/v1/people/{id}", "get"): "people_retrieve",
    ("/api/v1/compounds/{id}/bodies", "get"): "compound_bodies_list",
    ("/api/v1/bodies/{id}", "get"): "bodies_retrieve",
    ("/api/v1/bodies/{id}/memberships", "post"): "body_memberships_create",
    ("/api/v1/memberships/{id}/end", "post"): "memberships_end",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_an_openapi_3_document_with_our_paths(schema):
    assert schema["openapi"].startswith("3.")
    for (path, method), operation_id in OUR_OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert all(CHINESE.search(tag) for tag in operation["tags"]), operation["tags"]
        assert operation["summary"]


def test_schema_validates(schema):
    validate_schema(schema)


def test_list_operations_are_paged(schema):
    for (path, method), operation_id in OUR_OPERATIONS.items():
        if not operation_id.endswith("_list"):
            continue
        operation = schema["paths"][path][method]
        assert {"limit", "offset"} <= {p["name"] for p in operation["parameters"]}
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.split("/")[-1].startswith("Paginated")


def test_inbox_page_has_no_count_and_similar_demands_are_a_list(schema):
    def ok(path):
        return schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]

    ref = ok("/api/v1/demands/inbox")["schema"]["$ref"]
    assert ref == "#/components/schemas/UncountedDemandListPage"
    page = schema["components"]["schemas"]["UncountedDemandListPage"]
    assert "count" not in page["properties"] and page["required"] == ["results"]
    # The counted list of the same serializer keeps its count.
    counted = ok("/api/v1/demands")["schema"]["$ref"].split("/")[-1]
    assert "count" in schema["components"]["schemas"][counted]["required"]
    similar = ok("/api/v1/demands/{id}/similar")["schema"]
    assert similar["type"] == "array"


def test_every_operation_documents_the_errors_the_framework_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"401", "403"}
            if "{" in path:
                expected.add("404")
            if method in ("post", "put", "patch"):
                expected |= {"400", "413"}
            if operation.get("parameters"):
                expected.add("400")
            assert expected <= codes, (method, path, sorted(expected - codes))


def test_schema_generation_raises_no_warning(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn --api-version v1`.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--api-version", "v1",
        "--file", str(tmp_path / "schema.yaml"),
    )  # fmt: skip


def test_docs_page_uses_only_local_assets(db):
    response = APIClient().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page should load its assets"
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url


# Loads a page makes: src/href attributes, CSS url(...) and @import; "//host/..." counts.
LOADS = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s>]+)""",
    re.IGNORECASE,
)


def _loads_from_other_hosts(text: str) -> list[str]:
    return [
        url for url in LOADS.findall(text) if not url.split("//", 1)[1].startswith("testserver")
    ]


@pytest.mark.parametrize("url", ["/api/docs", "/api/redoc"])
def test_api_docs_load_nothing_from_other_hosts(db, url):
    response = APIClient().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _loads_from_other_hosts(html) == []
    assert not re.search(r"fonts\.(googleapis|gstatic)\.com|cdn\.|jsdelivr|unpkg", html)
    stylesheets = re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    for sheet in stylesheets:
        assert sheet.startswith("/static/"), sheet
        css = Path(finders.find(sheet.removeprefix("/static/"))).read_text(encoding="utf-8")
        assert _loads_from_other_hosts(css) == [], sheet
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts and all(s.startswith("/static/") and finders.find(s[8:]) for s in scripts)


def test_loads_scanner_finds_what_drf_spectacular_would_load():
    # drf-spectacular's own ReDoc page loads Google's fonts: the scan must see that.
    stock = Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/redoc.html"
    found = _loads_from_other_hosts(stock.read_text())
    assert found and all("fonts.g" in url for url in found), found
    assert _loads_from_other_hosts("a { background: url('//cdn.example/x.png') }") == [
        "//cdn.example/x.png"
    ]
    assert _loads_from_other_hosts('<script src="/static/x.js">') == []


def test_swagger_ui_shows_no_online_validator_badge(db):
    # Swagger UI fetches a badge image from validator.swagger.io unless validatorUrl is null.
    html = APIClient().get("/api/docs").content.decode()
    assert '"validatorUrl": null' in html
