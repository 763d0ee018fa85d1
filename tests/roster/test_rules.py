"""The roster table rules (gongzhi.roster.rules): reading, headers, every error kind.

Pure: no database.
"""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest

from gongzhi.people.models import Gender, Relation
from gongzhi.places.models import AreaSource, RoomUse
from gongzhi.roster import rules
from gongzhi.roster.rules import RowError
from tests.roster import files
from tests.roster.files import owner_row, row


def check(data: bytes, filename: str = "roster.csv"):
    table, errors = rules.read_table(data, filename)
    if errors:
        return None, errors
    return rules.validate(table)


def errors_of(rows, headers=None, **kwargs) -> list[RowError]:
    roster, errors = check(files.csv_bytes(rows, headers, **kwargs))
    assert roster is None and errors, "expected errors"
    return errors


def valid(rows, headers=None, **kwargs) -> rules.Roster:
    roster, errors = check(files.csv_bytes(rows, headers, **kwargs))
    assert not errors, [str(e) for e in errors]
    return roster


def only_error(rows, headers=None) -> RowError:
    errors = errors_of(rows, headers)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# -- the tables agree with the models ----------------------------------------------------


def test_value_keys_are_the_models_choice_values():
    assert set(rules.AREA_SOURCE_LABELS) == set(AreaSource.values)
    assert set(rules.USE_LABELS) == set(RoomUse.values)
    assert set(rules.RELATION_LABELS) == set(Relation.values)
    assert set(rules.GENDER_LABELS) == set(Gender.values) - {""}
    assert {k: str(v) for k, v in AreaSource.choices} == rules.AREA_SOURCE_LABELS
    assert {k: str(v) for k, v in RoomUse.choices} == rules.USE_LABELS


def test_column_list_is_the_documented_one():
    assert rules.COLUMNS == (
        "网格", "楼栋", "单元", "房号", "楼层", "专有面积(㎡)", "面积来源", "房屋用途",
        "开发商持有", "姓名", "性别", "身份证号", "手机号", "身份", "与户主关系", "指定表决人",
        "困难群体",
    )  # fmt: skip
    assert set(rules.RANKED_AREA_COLUMNS) == {"登记面积", "测绘面积", "合同面积"}


def test_row_error_reads_as_in_the_issue():
    error = RowError(5, "手机号", "「1381234」不是11位中国大陆手机号码。")
    assert str(error) == "第5行 手机号: 「1381234」不是11位中国大陆手机号码。"
    assert str(RowError(None, "", "文件为空。")) == "文件: 文件为空。"


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("楼号", "楼栋"),
        ("楼栋号", "楼栋"),
        ("楼栋*", "楼栋"),
        ("房间号", "房号"),
        ("专有面积", "专有面积(㎡)"),
        ("面积(㎡)", "专有面积(㎡)"),
        ("专有面积（㎡）", "专有面积(㎡)"),
        ("专有面积(m²)", "专有面积(㎡)"),
        ("专有面积(平方米)", "专有面积(㎡)"),
        ("联系电话", "手机号"),
        ("电话", "手机号"),
        ("手机号码", "手机号"),
        ("身份证号码", "身份证号"),
        ("公民身份号码", "身份证号"),
        ("与户主的关系", "与户主关系"),
        ("登记面积(㎡)", "登记面积"),
        ("实测面积", "测绘面积"),
        (" 姓 名 ", "姓名"),
    ],
)
def test_header_aliases(header, column):
    assert rules.canonical_column(header) == column


def test_file_with_alias_headers_imports():
    headers = ["楼号", "房间号", "面积(㎡)", "姓名", "联系电话", "身份"]
    roster = valid(
        [{"楼号": "3号楼", "房间号": "201", "面积(㎡)": "90", "姓名": "李四", "联系电话": "138 1234 5678", "身份": "业主"}],
        headers,
    )  # fmt: skip
    assert roster.columns["手机号"] == "联系电话"
    (person,) = roster.persons.values()
    assert person.phone == "13812345678"


def test_unknown_column_is_reported_with_its_header():
    rows = [owner_row(1)]
    headers = [*rules.COLUMNS, "民族"]
    (error,) = errors_of([{**rows[0], "民族": "汉"}], headers)
    assert (error.row, error.column) == (1, "民族")
    assert "无法识别的列「民族」" in error.message


def test_serial_number_column_is_ignored():
    valid([{**owner_row(1), "序号": 1}], ["序号", *rules.COLUMNS])


def test_same_column_twice_is_reported():
    (error,) = errors_of([owner_row(1)], [*rules.COLUMNS, "电话"])
    assert error.column == "电话"
    assert "同一列" in error.message


def test_missing_required_columns_are_reported():
    errors = errors_of([{"姓名": "张三", "专有面积(㎡)": "9"}], ["姓名", "专有面积(㎡)", "房号"])
    assert [(e.row, e.column) for e in errors] == [(None, "楼栋")]
    assert "缺少必需的列「楼栋」" in errors[0].message


def test_missing_area_columns_are_reported():
    errors = errors_of([row(BUILDING="1号楼", ROOM="101")], ["楼栋", "房号"])
    assert [e.column for e in errors] == ["专有面积(㎡)"]
    assert "缺少面积列" in errors[0].message


def test_title_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers():
    body = files.csv_bytes([owner_row(1), row(BUILDING="1号楼", ROOM="102", AREA="x")])
    data = "甲小区花名册\r\n\r\n".encode() + body
    _roster, errors = check(data)
    # title row 1, blank row 2, header row 3, data rows 4 and 5
    assert [(e.row, e.column) for e in errors] == [(5, "专有面积(㎡)")]


def test_blank_lines_do_not_shift_row_numbers():
    body = files.csv_bytes([owner_row(1)]) + b",,\r\n\r\n" + files.csv_bytes([row(BUILDING="1号楼", ROOM="105", AREA="-1")])[
        len(",".join(rules.COLUMNS).encode()) + 2 :
    ]  # fmt: skip
    _roster, errors = check(body)
    assert [e.row for e in errors] == [5]


def test_column_without_header_but_with_data_is_reported():
    headers = [*rules.COLUMNS, ""]
    (error,) = errors_of([{**owner_row(1), "": "随手写的"}], headers)
    assert "第 R 列有数据但没有列名" in error.message


# -- files and encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    roster = valid([owner_row(1, building="东区1号楼")], encoding=encoding)
    assert list(roster.buildings) == ["东区1号楼"]


def test_tab_separated_text_is_read():
    valid([owner_row(1)], delimiter="\t")


def test_xlsx_is_read_with_numbers_as_excel_stores_them():
    data = files.xlsx_bytes(
        [{**owner_row(1), "房号": 101, "专有面积(㎡)": 89.57, "手机号": 13812345678, "楼层": 3.0}]
    )
    roster, errors = check(data, "roster.xlsx")
    assert not errors
    (room,) = roster.rooms.values()
    assert (room.name, room.area, room.floor) == ("101", Decimal("89.57"), 3)
    assert next(iter(roster.persons.values())).phone == "13812345678"


def test_id_number_stored_as_a_number_by_excel_is_rejected():
    data = files.xlsx_bytes([{**owner_row(1), "身份证号": 3.50102196001010e17}])
    _roster, errors = check(data, "roster.xlsx")
    assert [(e.row, e.column) for e in errors] == [(2, "身份证号")]
    assert "文本" in errors[0].message


def test_empty_file():
    _roster, errors = check(b"")
    assert errors == [RowError(None, "", "文件为空。")]


def test_header_only_file_has_no_data_rows():
    _roster, errors = check(",".join(rules.COLUMNS).encode())
    assert "没有数据行" in errors[0].message


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"%PDF-1.4", "roster.pdf", "不支持「.pdf」"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "roster.xls", ".xls"),
        (b"not a zip at all", "roster.xlsx", "不是有效的 .xlsx"),
        (b"PK\x03\x04 broken zip", "roster.xlsx", "无法读取 Excel"),
    ],
)
def test_unsupported_or_broken_files(data, filename, expected):
    _roster, errors = check(data, filename)
    assert len(errors) == 1 and expected in errors[0].message


def test_file_too_big():
    _roster, errors = check(b"x" * (rules.MAX_BYTES + 1))
    assert "文件过大" in errors[0].message


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(rules.files, "MAX_ROWS", 3)
    _roster, errors = check(files.csv_bytes([owner_row(i) for i in range(4)]))
    assert "超过 3 行" in errors[0].message


# -- cells, one error kind each -----------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"PHONE": "1381234"}, "手机号", "「1381234」不是11位中国大陆手机号码。"),
        ({"PHONE": "138****5678"}, "手机号", "打码"),
        ({"ID_NUMBER": "350102196001010013"}, "身份证号", "校验位"),
        ({"ID_NUMBER": "3501**********0012"}, "身份证号", "打码"),
        ({"ID_NUMBER": "3.50102E+17"}, "身份证号", "文本"),
        ({"AREA": "八十"}, "专有面积(㎡)", "不是有效的面积"),
        ({"AREA": "0"}, "专有面积(㎡)", "大于 0"),
        ({"AREA": "-3"}, "专有面积(㎡)", "大于 0"),
        ({"AREA": "89.571"}, "专有面积(㎡)", "两位小数"),
        ({"AREA": "1000000000"}, "专有面积(㎡)", "上限"),
        ({"AREA_SOURCE": "估算"}, "面积来源", "不动产登记、测绘、房屋买卖合同"),
        ({"USE": "工厂"}, "房屋用途", "住宅、商业、车位"),
        ({"DEVELOPER": "也许"}, "开发商持有", "「是」或「否」"),
        ({"FLOOR": "三楼半"}, "楼层", "楼层"),
        ({"GENDER": "女"}, "性别", "身份证号显示为男"),
        ({"GENDER": "未知"}, "性别", "男、女"),
        ({"ROLE": "路人"}, "身份", "业主、共有人、户主、家庭成员、租户"),
        ({"ROLE": ""}, "身份", "请填写身份"),
        ({"NAME": ""}, "姓名", "缺少姓名"),
        ({"NAME": "张*"}, "姓名", "打码"),
        ({"NAME": "长" * 51}, "姓名", "超过 50 个字"),
        ({"RELATION": "配偶"}, "与户主关系", "只适用于户主、家庭成员和租户"),
        ({"VULNERABLE": "有点"}, "困难群体", "「是」或「否」"),
        ({"ID_NUMBER": "110101199003070011", "NAME": "张三"}, "身份证号", "示例行"),
        ({"BUILDING": ""}, "楼栋", "不能为空"),
        ({"ROOM": ""}, "房号", "不能为空"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(cells, column, message):
    good = owner_row(1)
    bad = {**owner_row(2), **row(**cells)}
    error = only_error([good, bad])
    assert (error.row, error.column) == (3, column)
    assert message in error.message


@pytest.mark.parametrize(
    ("role", "relation", "message"),
    [
        ("户主", "配偶", "户主的与户主关系应为「户主」"),
        ("家庭成员", "户主", "家庭成员的与户主关系应为"),
        ("租户", "户主", "租户的与户主关系不能是「户主」"),
    ],
)
def test_relation_must_fit_the_role(role, relation, message):
    head = row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="户主", ROLE="户主")
    other = row(BUILDING="1号楼", ROOM="101", NAME="某人", ROLE=role, RELATION=relation)
    errors = errors_of([head, other])
    assert any(e.row == 3 and e.column == "与户主关系" and message in e.message for e in errors)


def test_designated_voter_must_be_an_owner():
    head = row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="户主", ROLE="户主", VOTER="是")
    error = only_error([head])
    assert (error.row, error.column) == (2, "指定表决人")


def test_masked_export_rows_are_rejected_with_a_clear_message():
    masked = {**owner_row(1), "手机号": "137****0001", "身份证号": "3501**********0012"}
    errors = errors_of([masked])
    assert {e.column for e in errors} == {"手机号", "身份证号"}
    assert all("可查看完整联系方式的账号重新导出" in e.message for e in errors)


def test_every_bad_row_is_reported_not_just_the_first():
    rows = [owner_row(i) for i in range(10)]
    rows[2]["手机号"] = "12"
    rows[5]["专有面积(㎡)"] = "abc"
    rows[8]["身份"] = "访客"
    assert [(e.row, e.column) for e in errors_of(rows)] == [
        (4, "手机号"), (7, "专有面积(㎡)"), (10, "身份"),
    ]  # fmt: skip


# -- areas: 274号 art. 23 -----------------------------------------------------------------

RANKED = ["楼栋", "房号", "登记面积", "测绘面积", "合同面积"]


@pytest.mark.parametrize(
    ("registered", "surveyed", "contract", "area", "source"),
    [
        ("90.10", "90.20", "90.30", "90.10", "registered"),
        ("", "90.20", "90.30", "90.20", "surveyed"),
        ("", "", "90.30", "90.30", "contract"),
    ],
)
def test_area_is_the_best_ranked_source_present(registered, surveyed, contract, area, source):
    roster = valid(
        [{"楼栋": "1号楼", "房号": "101", "登记面积": registered, "测绘面积": surveyed, "合同面积": contract}],
        RANKED,
    )  # fmt: skip
    (room,) = roster.rooms.values()
    assert (room.area, room.area_source) == (Decimal(area), source)


def test_exclusive_area_defaults_to_registered_and_takes_a_named_source():
    roster = valid(
        [
            row(BUILDING="1号楼", ROOM="101", AREA="80"),
            row(BUILDING="1号楼", ROOM="102", AREA="81㎡", AREA_SOURCE="测绘"),
            row(BUILDING="1号楼", ROOM="103", AREA="82", AREA_SOURCE="合同"),
        ]
    )
    assert [(r.area, r.area_source) for r in roster.rooms.values()] == [
        (Decimal("80.00"), "registered"),
        (Decimal("81.00"), "surveyed"),
        (Decimal("82.00"), "contract"),
    ]


def test_exclusive_area_must_agree_with_the_ranked_area():
    headers = ["楼栋", "房号", "专有面积(㎡)", "登记面积", "测绘面积"]
    error = only_error(
        [
            {
                "楼栋": "1号楼",
                "房号": "101",
                "专有面积(㎡)": "91",
                "登记面积": "90",
                "测绘面积": "91",
            }
        ],
        headers,
    )
    assert error.column == "专有面积(㎡)" and "不动产登记面积" in error.message


def test_area_source_must_agree_with_the_ranked_area():
    headers = ["楼栋", "房号", "面积来源", "登记面积"]
    error = only_error(
        [{"楼栋": "1号楼", "房号": "101", "面积来源": "测绘", "登记面积": "90"}], headers
    )
    assert error.column == "面积来源"


def test_area_source_without_area():
    error = only_error([row(BUILDING="1号楼", ROOM="101", AREA="", AREA_SOURCE="测绘")])
    assert error.column == "面积来源"


def test_room_without_any_area():
    error = only_error([row(BUILDING="1号楼", ROOM="101", NAME="张三", ROLE="户主")])
    assert (error.row, error.column) == (2, "专有面积(㎡)")
    assert "没有面积" in error.message


def test_area_given_once_serves_every_row_of_the_room():
    roster = valid(
        [
            row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="张三", ROLE="户主"),
            row(BUILDING="1号楼", ROOM="101", NAME="李四", ROLE="家庭成员", RELATION="配偶"),
        ]
    )
    assert roster.rooms["1号楼", "101"].area == Decimal("80.00")


# -- cross-row conflicts ------------------------------------------------------------------


def test_same_room_with_two_areas():
    first = owner_row(1)
    second = {**owner_row(2, room=first["房号"]), "专有面积(㎡)": "90.00"}
    error = only_error([first, second])
    assert (error.row, error.column) == (3, "专有面积(㎡)")
    assert "与第2行是同一房屋" in error.message and "「89.57」 / 「90.00」" in error.message


def test_same_building_in_two_grids():
    second = {**owner_row(2), "网格": "第二网格"}
    error = only_error([owner_row(1), second])
    assert (error.row, error.column) == (3, "网格")


def test_two_designated_voters_for_one_room():
    a = {**owner_row(1), "指定表决人": "是"}
    b = {**owner_row(2, room=a["房号"]), "身份": "共有人", "指定表决人": "是"}
    error = only_error([a, b])
    assert (error.row, error.column) == (3, "指定表决人")
    assert "只能有一位指定表决人" in error.message


def test_first_owner_is_the_designated_voter_by_default():
    a = owner_row(1)
    b = {**owner_row(2, room=a["房号"]), "身份": "共有人"}
    roster = valid([a, b])
    room = roster.rooms["1号楼", a["房号"]]
    assert [o.designated for o in room.owners] == [True, False]
    assert not room.voter_explicit


def test_named_designated_voter_wins():
    a = {**owner_row(1), "指定表决人": "否"}
    b = {**owner_row(2, room=a["房号"]), "身份": "共有人", "指定表决人": "是"}
    room = valid([a, b]).rooms["1号楼", a["房号"]]
    assert [o.designated for o in room.owners] == [False, True]
    assert room.voter_explicit


def test_owners_all_saying_no_leave_no_voter():
    a = {**owner_row(1), "指定表决人": "否"}
    error = only_error([a])
    assert error.column == "指定表决人"


def test_same_id_number_with_two_names():
    a = owner_row(1)
    b = {**owner_row(2), "身份证号": a["身份证号"], "姓名": "别人", "手机号": a["手机号"]}
    error = only_error([a, b])
    assert (error.row, error.column) == (3, "姓名")
    assert "与第2行是同一人员(身份证号相同)" in error.message


def test_same_id_number_with_two_phones():
    a = owner_row(1)
    b = {**owner_row(2), "身份证号": a["身份证号"], "姓名": a["姓名"]}
    error = only_error([a, b])
    assert (error.row, error.column) == (3, "手机号")


def test_duplicate_person_row():
    a = owner_row(1)
    error = only_error([a, dict(a)])
    assert error.row == 3 and "重复" in error.message


def test_owner_may_also_live_in_the_room():
    a = owner_row(1)
    lives = {**a, "身份": "户主", "指定表决人": ""}
    room = valid([a, lives]).rooms["1号楼", a["房号"]]
    assert len(room.owners) == 1 and room.household.head == room.owners[0].person


def test_two_heads_in_one_room():
    a = row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="甲", ROLE="户主")
    b = row(BUILDING="1号楼", ROOM="101", NAME="乙", ROLE="户主")
    error = only_error([a, b])
    assert (error.row, error.column) == (3, "身份") and "只能有一位户主" in error.message


def test_family_member_needs_a_head_or_tenant():
    a = row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="甲", ROLE="家庭成员")
    error = only_error([a])
    assert error.column == "身份" and "没有户主或租户" in error.message


def test_tenants_without_a_head_form_a_renting_household():
    t = row(
        BUILDING="1号楼", ROOM="101", AREA="80", NAME="租客甲", ROLE="租户", PHONE=files.phone(7)
    )
    s = row(BUILDING="1号楼", ROOM="101", NAME="租客乙", ROLE="家庭成员", RELATION="配偶")
    household = valid([t, s]).rooms["1号楼", "101"].household
    assert household.is_renting
    assert [(m.relation, m.is_tenant) for m in household.members] == [
        ("tenant", True), ("spouse", False),
    ]  # fmt: skip


def test_rows_of_one_person_merge_by_name_and_phone_into_the_id_number():
    a = owner_row(1)
    b = row(BUILDING="2号楼", ROOM="201", AREA="70", NAME=a["姓名"], PHONE=a["手机号"], ROLE="业主")
    roster = valid([a, b])
    assert list(roster.persons) == [("id", a["身份证号"])]


def test_name_and_phone_pointing_at_two_id_numbers_is_ambiguous():
    a = owner_row(1)
    b = {**owner_row(2), "姓名": a["姓名"], "手机号": a["手机号"]}
    c = row(BUILDING="2号楼", ROOM="201", AREA="70", NAME=a["姓名"], PHONE=a["手机号"], ROLE="业主")
    errors = errors_of([a, b, c])
    assert [(e.row, e.column) for e in errors] == [(4, "身份证号")]


def test_people_without_phone_or_id_are_told_apart_by_room():
    a = row(BUILDING="1号楼", ROOM="101", AREA="80", NAME="王芳", ROLE="户主")
    b = row(BUILDING="1号楼", ROOM="102", AREA="80", NAME="王芳", ROLE="户主")
    assert len(valid([a, b]).persons) == 2


def test_room_only_rows():
    roster = valid([row(BUILDING="1号楼", ROOM=str(n), AREA="50", USE="车位") for n in range(3)])
    assert len(roster.rooms) == 3 and not roster.persons
    assert {r.use for r in roster.rooms.values()} == {"parking"}


# -- writing ------------------------------------------------------------------------------


def test_csv_is_written_in_utf8_with_bom_and_reads_back():
    cells = [""] * len(rules.COLUMNS)
    cells[1], cells[3], cells[5], cells[11] = "1号楼", "0101", Decimal("80.00"), files.id_number(3)
    content = rules.write_table([cells], "csv")
    assert content.startswith(codecs.BOM_UTF8)
    back = files.read_back(content, "csv")
    assert back[0] == list(rules.COLUMNS)
    assert back[1][3] == "0101" and back[1][11] == files.id_number(3)


def test_formula_like_text_is_guarded_on_export_and_restored_on_import():
    cells = [""] * len(rules.COLUMNS)
    cells[1], cells[3], cells[9] = "1号楼", "101", '=HYPERLINK("http://x")'
    for fmt in rules.FORMATS:
        content = rules.write_table([cells], fmt)
        assert "'=HYPERLINK" in (content.decode("utf-8-sig") if fmt == "csv" else "'=HYPERLINK")
        assert files.read_back(content, fmt)[1][9] == cells[9]


def test_template_has_the_headers_and_an_example_row():
    back = files.read_back(rules.write_template(), "xlsx")
    assert back[0] == list(rules.COLUMNS)
    assert back[1][:4] == ["第一网格", "1号楼", "1单元", "101"]
    assert len(back) == 2


def test_natural_order_of_names():
    names = ["10号楼", "2号楼", "1号楼", "B座", "A座"]
    assert sorted(names, key=rules.natural_key) == ["1号楼", "2号楼", "10号楼", "A座", "B座"]


def test_every_bad_cell_of_a_row_is_reported_at_once():
    bad = {**owner_row(1), "楼栋": "", "专有面积(㎡)": "abc", "手机号": "12", "身份": "访客"}
    errors = errors_of([bad])
    assert [e.column for e in errors] == ["楼栋", "专有面积(㎡)", "手机号", "身份"]


def test_the_example_in_the_docs_is_valid():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "roster.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    roster = valid_bytes(example.encode())
    room = roster.rooms["1号楼", "101"]
    assert [o.designated for o in room.owners] == [True, False]
    assert [m.relation for m in room.household.members] == ["head", "child"]
    parking = roster.rooms["1号楼", "B1-07"]
    assert (parking.area, parking.area_source, parking.use, parking.floor) == (
        Decimal("12.50"), "surveyed", "parking", -1,
    )  # fmt: skip


def valid_bytes(data: bytes) -> rules.Roster:
    roster, errors = check(data)
    assert not errors, [str(e) for e in errors]
    return roster
