"""Hostile roster files: unpacked size, members, DTDs, rows, cell length, error count and
echo. Each was a memory spike or a huge answer before (issue 8); the files are built here."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gongzhi.roster import rules
from tests.roster import bombs, files
from tests.roster.files import owner_row


def read(data: bytes, filename: str = "roster.xlsx"):
    table, errors = rules.read_table(data, filename)
    if errors:
        return None, errors
    return rules.validate(table)


def peak_mb(fn) -> float:
    """Python memory at its highest while ``fn`` runs, in MB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def unpack_bomb() -> bytes:
    return bombs.unpack_bomb(megabytes=rules.MAX_UNPACKED_BYTES // 1024 // 1024 + 16)


# -- the zip --------------------------------------------------------------------------


def test_unpack_bomb_is_refused_before_openpyxl_reads_it(unpack_bomb):
    assert len(unpack_bomb) < 200 * 1024  # small on disk
    result = {}
    peak = peak_mb(lambda: result.update(answer=read(unpack_bomb)))
    roster, errors = result["answer"]
    assert roster is None and len(errors) == 1
    assert "解压后超过 48 MB" in errors[0].message and errors[0].row is None
    assert peak < 16, f"{peak:.0f} MB held while refusing a bomb"


def test_bomb_that_declares_small_sizes_is_refused_by_what_it_unpacks_to(unpack_bomb):
    lying = bombs.lying_sizes(unpack_bomb, declared=100)
    result = {}
    peak = peak_mb(lambda: result.update(answer=read(lying)))
    roster, errors = result["answer"]
    assert roster is None and len(errors) == 1
    assert peak < 16, f"{peak:.0f} MB held while refusing a bomb"


def test_declared_sizes_over_the_limit_are_refused_without_unpacking(monkeypatch):
    data = bombs.xlsx(bombs.HEADER, [["1号楼", "101", "80"]], [["x" * 2000]])
    monkeypatch.setattr(rules.files, "MAX_UNPACKED_BYTES", 1000)
    _roster, errors = read(data)
    assert "解压后超过" in errors[0].message


def test_unpacked_size_just_under_the_limit_is_read(monkeypatch):
    data = bombs.xlsx(bombs.HEADER, [["1号楼", "101", "80"]])
    import io
    import zipfile

    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setattr(rules.files, "MAX_UNPACKED_BYTES", unpacked)
    assert rules.unzip_problem(data) is None
    monkeypatch.setattr(rules.files, "MAX_UNPACKED_BYTES", unpacked - 1)
    assert "解压后超过" in rules.unzip_problem(data)


def test_too_many_zip_members_are_refused():
    data = bombs.xlsx(bombs.HEADER, [["1号楼", "101", "80"]], extra_members=rules.MAX_ZIP_MEMBERS)
    _roster, errors = read(data)
    assert len(errors) == 1 and "解压后超过" in errors[0].message


def test_a_part_with_a_dtd_is_refused():
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol">]>'
    data = bombs.xlsx(bombs.HEADER, [["1号楼", "101", "80"]], [[laughs]])
    _roster, errors = read(data)
    assert len(errors) == 1 and "不是有效的 .xlsx" in errors[0].message


def test_a_real_roster_passes_the_zip_checks():
    data = files.xlsx_bytes(files.compound_rows(40))
    assert rules.unzip_problem(data) is None
    roster, errors = read(data)
    assert not errors and roster.rows > 40


# -- cells and errors -----------------------------------------------------------------


def test_echo_bomb_answers_in_a_few_kilobytes():
    data = bombs.echo_bomb(rows=2_000, cell_chars=30_000)
    assert len(data) < 100 * 1024
    roster, errors = read(data)
    assert roster is None
    shown, total = rules.reported(errors)
    assert len(shown) == rules.MAX_ERRORS + 1
    assert total >= 2_000
    assert (
        shown[-1].row is None
        and f"另有 {total - rules.MAX_ERRORS} 处错误未列出" in shown[-1].message
    )
    assert sum(len(e.message) + len(e.column) for e in shown) < 40_000
    assert "内容过长(30000 个字符),每格最多 500 个字符" in shown[0].message


def test_long_cell_is_cut_as_read_and_reported_once_by_its_column():
    rows = [owner_row(1), owner_row(2)]
    rows[1][rules.NAME] = "王" * (rules.MAX_CELL_CHARS + 1)
    table, errors = rules.read_table(files.csv_bytes(rows), "roster.csv")
    assert not errors
    assert table.long_cells == [(3, rules.COLUMNS.index(rules.NAME), rules.MAX_CELL_CHARS + 1)]
    assert all(len(c) <= rules.MAX_CELL_CHARS for _n, cells in table.rows for c in cells)
    _roster, errors = rules.validate(table)
    long = [e for e in errors if "内容过长" in e.message]
    assert [(e.row, e.column) for e in long] == [(3, rules.NAME)]


def test_cell_of_exactly_the_limit_is_not_a_long_cell():
    rows = [owner_row(1)]
    rows[0]["备注"] = "x" * rules.MAX_CELL_CHARS
    table, _errors = rules.read_table(files.csv_bytes(rows, [*rules.COLUMNS, "备注"]), "r.csv")
    assert table.long_cells == []


def test_csv_field_over_the_csv_modules_limit_is_told_in_chinese():
    data = ('楼栋,房号,专有面积(㎡)\r\n1号楼,101,"' + "9" * 200_000 + '"\r\n').encode()
    _roster, errors = read(data, "roster.csv")
    assert len(errors) == 1 and "内容过长" in errors[0].message


def test_bad_cell_is_echoed_only_in_part():
    rows = [owner_row(1)]
    rows[0][rules.AREA] = "大" * 200
    _roster, errors = read(files.csv_bytes(rows), "roster.csv")
    (error,) = errors
    assert "「" + "大" * rules.ECHO_CHARS + "…」" in error.message
    assert "大" * (rules.ECHO_CHARS + 1) not in error.message


def test_unknown_long_header_is_echoed_only_in_part():
    header = "列" * 400
    _roster, errors = read(files.csv_bytes([owner_row(1)], [*rules.COLUMNS, header]), "r.csv")
    (error,) = errors
    assert len(error.column) == rules.ECHO_CHARS + 1 and len(error.message) < 100


def test_errors_stop_at_the_limit_with_a_line_counting_the_rest():
    rows = [owner_row(i) for i in range(rules.MAX_ERRORS + 1)]
    for r in rows:
        r[rules.PHONE] = "1381234"
    _roster, errors = read(files.csv_bytes(rows), "roster.csv")
    shown, total = rules.reported(errors)
    assert total == rules.MAX_ERRORS + 1
    assert len(shown) == rules.MAX_ERRORS + 1
    assert "另有 1 处错误未列出" in shown[-1].message


@pytest.mark.parametrize(("more", "words"), [(1, "1 more error is"), (2, "2 more errors are")])
def test_english_counts_the_errors_not_listed_in_the_singular_and_the_plural(more, words):
    errors = [rules.RowError(i + 2, rules.PHONE, "x") for i in range(rules.MAX_ERRORS + more)]
    with translation.override("en"):
        shown, _total = rules.reported(errors)
    assert shown[-1].message.startswith(f"{words} not listed")


def test_errors_at_the_limit_have_no_extra_line():
    rows = [owner_row(i) for i in range(rules.MAX_ERRORS)]
    for r in rows:
        r[rules.PHONE] = "1381234"
    _roster, errors = read(files.csv_bytes(rows), "roster.csv")
    shown, total = rules.reported(errors)
    assert total == len(shown) == rules.MAX_ERRORS
    assert all(e.row for e in shown)


# -- through the API and the page ------------------------------------------------------


def test_api_answers_an_echo_bomb_with_a_short_400_and_the_full_count(cast):
    client = APIClient()
    client.force_authenticate(cast.community_worker)
    upload = SimpleUploadedFile("花名册.xlsx", bombs.echo_bomb(rows=1_000, cell_chars=30_000))
    url = reverse("api:compound-roster", kwargs={"version": "v1", "pk": cast.b.pk})
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert len(response.content) < 60_000
    body = response.json()
    assert len(body["errors"]) == rules.MAX_ERRORS + 1
    count = int(body["detail"].split("有 ")[1].split(" 处")[0])
    assert count >= 1_000 and body["errors"][-1]["row"] is None


def test_page_shows_the_total_and_lists_only_the_first(client, cast):
    client.force_login(cast.community_worker)
    rows = [owner_row(i, building="9号楼") for i in range(rules.MAX_ERRORS + 5)]
    for r in rows:
        r[rules.PHONE] = "1381234"
    upload = SimpleUploadedFile("花名册.csv", files.csv_bytes(rows))
    response = client.post(reverse("roster:import", kwargs={"pk": cast.b.pk}), {"file": upload})
    text = response.content.decode()
    assert f"共 {rules.MAX_ERRORS + 5} 处错误" in text
    assert f"下表只列出前 {rules.MAX_ERRORS} 处" in text
    assert "另有 5 处错误未列出" in text


# -- invisible characters (core.text) -------------------------------------------------


def test_a_name_of_invisible_characters_is_no_name():
    rows = [owner_row(1)]
    rows[0][rules.NAME] = "\u200b\ufeff\u3000"
    _roster, errors = read(files.csv_bytes(rows), "roster.csv")
    (error,) = errors
    assert error.column == rules.NAME and "缺少姓名" in error.message


def test_invisible_edges_of_cells_are_cut():
    rows = [owner_row(1, building="\u200b9号楼\u2060")]
    rows[0][rules.NAME] = "\ufeff王秀英\u200b"
    roster, errors = read(files.csv_bytes(rows), "roster.csv")
    assert not errors
    assert list(roster.buildings) == ["9号楼"]
    assert [p.name for p in roster.persons.values()] == ["王秀英"]
