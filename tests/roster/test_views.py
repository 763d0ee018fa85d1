"""Roster pages: upload, error table, downloads, and who gets 403 or 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.audit.models import AuditEvent
from gongzhi.places.models import Room
from gongzhi.roster import rules
from tests.roster import files
from tests.roster.files import owner_row

XLSX = rules.CONTENT_TYPES["xlsx"]


def import_url(compound) -> str:
    return reverse("roster:import", args=[compound.pk])


def export_url(compound, fmt: str) -> str:
    return reverse("roster:export", args=[compound.pk]) + f"?format={fmt}"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def worker(client, cast):
    client.force_login(cast.community_worker)
    return client


def test_import_page_shows_the_form(worker, cast):
    response = worker.get(import_url(cast.b))
    assert response.status_code == 200
    page = response.content.decode()
    assert "乙小区 · 花名册导入" in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert reverse("roster:template") in page
    assert export_url(cast.b, "csv") in page.replace("&amp;", "&")


def test_upload_csv_imports_and_shows_a_summary(worker, cast):
    data = files.csv_bytes([owner_row(i, building="9号楼") for i in range(3)], encoding="gbk")
    response = worker.post(import_url(cast.b), {"file": upload("花名册.csv", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入成功" in page and "共读取 3 行数据" in page
    assert Room.objects.filter(building__compound=cast.b, building__name="9号楼").count() == 3
    assert AuditEvent.objects.filter(action="roster.import", place_path=cast.b.path).count() == 1


def test_upload_xlsx_imports(worker, cast):
    data = files.xlsx_bytes([owner_row(i, building="9号楼") for i in range(2)])
    response = worker.post(import_url(cast.b), {"file": upload("花名册.xlsx", data)})
    assert "导入成功" in response.content.decode()
    assert Room.objects.filter(building__compound=cast.b, building__name="9号楼").count() == 2


def test_bad_file_shows_the_error_table_in_chinese_and_writes_nothing(worker, cast):
    rows = [owner_row(i, building="9号楼") for i in range(5)]
    rows[3]["手机号"] = "1381234"
    response = worker.post(
        import_url(cast.b), {"file": upload("花名册.csv", files.csv_bytes(rows))}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件有错误,未导入任何数据" in page
    assert ">第5行</td>" in page
    assert ">手机号</td>" in page
    assert "「1381234」不是11位中国大陆手机号码。" in page
    assert not Room.objects.filter(building__name="9号楼").exists()
    assert not AuditEvent.objects.filter(action="roster.import").exists()


def test_whole_file_problem_is_shown(worker, cast):
    response = worker.post(import_url(cast.b), {"file": upload("花名册.pdf", b"%PDF-1.4")})
    page = response.content.decode()
    assert "整个文件" in page and "不支持「.pdf」格式的文件" in page


def test_post_without_file_shows_the_form_error(worker, cast):
    response = worker.post(import_url(cast.b), {})
    assert response.status_code == 200
    assert "导入成功" not in response.content.decode()
    assert response.context["form"].errors


def test_compound_outside_scope_is_404(worker, cast):
    assert worker.get(import_url(cast.z)).status_code == 404
    assert worker.get(export_url(cast.z, "csv")).status_code == 404


def test_clerk_who_sees_but_may_not_edit_gets_403(client, cast):
    client.force_login(cast.clerk)
    assert client.get(import_url(cast.a)).status_code == 403
    assert client.get(export_url(cast.a, "xlsx")).status_code == 403
    assert client.get(import_url(cast.b)).status_code == 404  # clerk of A does not see B


@pytest.mark.parametrize("name", ["import", "export", "template"])
def test_login_required(client, cast, name):
    target = reverse(f"roster:{name}", args=[] if name == "template" else [cast.a.pk])
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("xlsx", XLSX), ("csv", "text/csv; charset=utf-8")]
)
def test_export_downloads(worker, cast, fmt, content_type):
    response = worker.get(export_url(cast.a, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = files.read_back(response.content, fmt)
    assert rows[0] == list(rules.COLUMNS)
    assert AuditEvent.objects.filter(action="roster.export", place_path=cast.a.path).count() == 1


def test_export_with_unknown_format_is_400(worker, cast):
    assert worker.get(export_url(cast.a, "pdf")).status_code == 400
    assert not AuditEvent.objects.filter(action="roster.export").exists()


def test_template_download(client, cast):
    client.force_login(cast.clerk)
    response = client.get(reverse("roster:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = files.read_back(response.content, "xlsx")
    assert rows[0] == list(rules.COLUMNS) and len(rows) == 2
