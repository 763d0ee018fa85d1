"""The OpenAPI schema and the docs page: complete, valid, warning-free, no CDN."""

import json
import re

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
