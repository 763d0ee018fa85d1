"""Roster API: /api/v1/compounds/<pk>/roster (POST a file, GET the roster file)."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent
from gongzhi.places.models import Room
from gongzhi.roster import rules
from tests.roster import files
from tests.roster.files import owner_row


def url(compound) -> str:
    return reverse("api:compound-roster", kwargs={"version": "v1", "pk": compound.pk})


@pytest.fixture
def api(cast) -> APIClient:
    client = APIClient()
    client.force_authenticate(cast.community_worker)
    return client


def csv_upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("花名册.csv", files.csv_bytes(rows), content_type="text/csv")


def test_url_is_versioned(cast):
    assert url(cast.a) == f"/api/v1/compounds/{cast.a.pk}/roster"


def test_post_imports_and_returns_201_with_counts(api, cast):
    response = api.post(url(cast.b), {"file": csv_upload([owner_row(1, building="9号楼")])})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rows"] == 1 and len(body["sha256"]) == 64
    assert body["counts"]["rooms"] == {"created": 1, "updated": 0}
    assert body["counts"]["persons"] == {"created": 1, "updated": 0}
    assert Room.objects.filter(building__compound=cast.b, building__name="9号楼").exists()


def test_post_xlsx(api, cast):
    upload = SimpleUploadedFile(
        "花名册.xlsx", files.xlsx_bytes([owner_row(1, building="9号楼")]),
        content_type=rules.CONTENT_TYPES["xlsx"],
    )  # fmt: skip
    assert api.post(url(cast.b), {"file": upload}).status_code == 201


def test_post_bad_file_returns_400_with_every_error(api, cast):
    rows = [owner_row(i, building="9号楼") for i in range(4)]
    rows[1]["手机号"] = "1381234"
    rows[3]["身份"] = "访客"
    response = api.post(url(cast.b), {"file": csv_upload(rows)})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"row": 3, "column": "手机号", "message": "「1381234」不是11位中国大陆手机号码。"},
        {"row": 5, "column": "身份", "message": body["errors"][1]["message"]},
    ]
    assert "2 处错误" in body["detail"]
    assert not Room.objects.filter(building__name="9号楼").exists()


def test_post_without_file_is_400_in_the_same_shape(api, cast):
    response = api.post(url(cast.b), {}, format="multipart")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["row"] is None and "file" in error["message"]


def test_post_outside_scope_is_404_and_without_edit_is_403(cast):
    client = APIClient()
    client.force_authenticate(cast.community_worker)
    assert client.post(url(cast.z), {"file": csv_upload([owner_row(1)])}).status_code == 404
    client.force_authenticate(cast.clerk)
    assert client.post(url(cast.a), {"file": csv_upload([owner_row(1)])}).status_code == 403


def test_anonymous_is_refused(cast):
    response = APIClient().get(url(cast.a) + "?format=csv")
    assert response.status_code == 401


@pytest.mark.parametrize("fmt", rules.FORMATS)
def test_get_returns_the_file(api, cast, fmt):
    response = api.get(url(cast.a) + f"?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == rules.CONTENT_TYPES[fmt]
    assert files.read_back(response.content, fmt)[0] == list(rules.COLUMNS)
    assert AuditEvent.objects.filter(action="roster.export").count() == 1


def test_get_defaults_to_xlsx_and_refuses_other_formats(api, cast):
    assert api.get(url(cast.a))["Content-Type"] == rules.CONTENT_TYPES["xlsx"]
    response = api.get(url(cast.a) + "?format=json")
    assert response.status_code == 400 and "xlsx 或 csv" in response.json()["detail"]


def test_schema_describes_both_operations(cast):
    client = APIClient()
    client.force_authenticate(cast.community_worker)
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    operations = schema["paths"]["/api/v1/compounds/{id}/roster"]
    post, get = operations["post"], operations["get"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert set(post["responses"]) >= {"201", "400", "403", "404"}
    assert {p["name"] for p in get["parameters"]} >= {"format"}
    fmt = next(p for p in get["parameters"] if p["name"] == "format")
    assert set(fmt["schema"]["enum"]) == {"xlsx", "csv"}
    assert set(get["responses"]["200"]["content"]) == {rules.CONTENT_TYPES["xlsx"], "text/csv"}
    errors = schema["components"]["schemas"]["RosterImportErrors"]["properties"]["errors"]
    assert errors["items"]["$ref"].endswith("/RosterRowError")
