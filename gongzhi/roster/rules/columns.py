"""The roster table's columns, their header variants, and the values cells may take.

The header texts are part of the file format (offices fill them in Excel), so they are
never translated. Value keys are the models' choice values (tests/roster/test_rules.py
checks them), so nothing here imports a model.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from gongzhi.places import rules as places_rules

# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------

GRID = "网格"
BUILDING = "楼栋"
ENTRANCE = "单元"
ROOM = "房号"
FLOOR = "楼层"
AREA = "专有面积(㎡)"
AREA_SOURCE = "面积来源"
AREA_REGISTERED = "登记面积"
AREA_SURVEYED = "测绘面积"
AREA_CONTRACT = "合同面积"
USE = "房屋用途"
DEVELOPER = "开发商持有"
NAME = "姓名"
GENDER = "性别"
ID_NUMBER = "身份证号"
PHONE = "手机号"
ROLE = "身份"
RELATION = "与户主关系"
VOTER = "指定表决人"
VULNERABLE = "困难群体"

# The columns export and the template write, in this order.
COLUMNS: tuple[str, ...] = (
    GRID, BUILDING, ENTRANCE, ROOM, FLOOR, AREA, AREA_SOURCE, USE, DEVELOPER,
    NAME, GENDER, ID_NUMBER, PHONE, ROLE, RELATION, VOTER, VULNERABLE,
)  # fmt: skip
# Instead of 专有面积, a file may give the areas by source; 274号 art. 23 ranks them
# (places.rules.best_area picks the best one present).
RANKED_AREA_COLUMNS: dict[str, str] = {
    AREA_REGISTERED: "registered",
    AREA_SURVEYED: "surveyed",
    AREA_CONTRACT: "contract",
}
ALL_COLUMNS: tuple[str, ...] = COLUMNS + tuple(RANKED_AREA_COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = (BUILDING, ROOM)
AREA_COLUMNS: tuple[str, ...] = (AREA, *RANKED_AREA_COLUMNS)
# Columns read and dropped without complaint.
IGNORED_COLUMNS: frozenset[str] = frozenset({"序号", "编号"})

# Header variants that community offices use, by column.
ALIASES: dict[str, tuple[str, ...]] = {
    GRID: ("所属网格", "网格名称", "网格名"),
    BUILDING: ("楼号", "楼栋号", "楼栋名称", "楼幢", "幢号", "幢", "栋号", "栋", "楼"),
    ENTRANCE: ("单元号", "楼道", "单元名称"),
    ROOM: ("房间号", "门牌号", "室号", "户号", "房屋编号"),
    FLOOR: ("所在楼层", "层"),
    AREA: ("专有面积", "专有部分面积", "面积(㎡)", "面积", "房屋面积"),
    AREA_SOURCE: ("面积依据",),
    AREA_REGISTERED: ("登记面积(㎡)", "不动产登记面积", "产权面积", "产权证面积"),
    AREA_SURVEYED: ("测绘面积(㎡)", "实测面积", "实测面积(㎡)"),
    AREA_CONTRACT: ("合同面积(㎡)", "买卖合同面积", "预售面积"),
    USE: ("用途", "房屋类型", "房屋性质"),
    DEVELOPER: ("开发商持有房屋", "是否开发商持有"),
    NAME: ("名字", "人员姓名"),
    GENDER: (),
    ID_NUMBER: ("身份证", "身份证号码", "公民身份号码", "证件号码", "身份证件号码"),
    PHONE: ("手机", "手机号码", "联系电话", "电话", "电话号码", "联系方式"),
    ROLE: ("人员类型", "人员身份", "人员类别"),
    RELATION: ("与户主的关系", "关系"),
    VOTER: ("是否指定表决人", "表决人"),
    VULNERABLE: ("困难/特殊群体", "特殊群体", "是否困难群体", "困难家庭"),
}

# ---------------------------------------------------------------------------------------
# Values. Keys are the models' choice values (tests/roster/test_rules.py checks them).
# ---------------------------------------------------------------------------------------

OWNER, CO_OWNER, HEAD, FAMILY, TENANT = "owner", "co_owner", "head", "family", "tenant"
OWNER_ROLES = frozenset({OWNER, CO_OWNER})
RESIDENT_ROLES = frozenset({HEAD, FAMILY, TENANT})

ROLE_LABELS = {OWNER: "业主", CO_OWNER: "共有人", HEAD: "户主", FAMILY: "家庭成员", TENANT: "租户"}
RELATION_LABELS = {
    "head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母", "tenant": "租户",
    "other": "其他",
}  # fmt: skip
AREA_SOURCE_LABELS = {"registered": "不动产登记", "surveyed": "测绘", "contract": "房屋买卖合同"}
USE_LABELS = {"residential": "住宅", "commercial": "商业", "parking": "车位"}
GENDER_LABELS = {"m": "男", "f": "女"}
YES, NO = "是", "否"

# Accepted spellings beyond the labels themselves.
ROLE_WORDS = {
    **{v: k for k, v in ROLE_LABELS.items()},
    "产权人": OWNER, "房主": OWNER, "业主本人": OWNER,
    "产权共有人": CO_OWNER, "共同共有人": CO_OWNER, "共有权人": CO_OWNER,
    "家属": FAMILY, "成员": FAMILY, "同住人": FAMILY,
    "租客": TENANT, "承租人": TENANT, "租住户": TENANT,
}  # fmt: skip
RELATION_WORDS = {
    **{v: k for k, v in RELATION_LABELS.items()},
    "本人": "head", "妻": "spouse", "妻子": "spouse", "夫": "spouse", "丈夫": "spouse",
    "子": "child", "女": "child", "儿子": "child", "女儿": "child",
    "父": "parent", "母": "parent", "父亲": "parent", "母亲": "parent",
    "租客": "tenant", "承租人": "tenant",
}  # fmt: skip
AREA_SOURCE_WORDS = {
    **{v: k for k, v in AREA_SOURCE_LABELS.items()},
    "登记": "registered", "不动产登记簿": "registered", "产权证": "registered",
    "不动产权证": "registered", "实测": "surveyed", "测绘报告": "surveyed",
    "合同": "contract", "买卖合同": "contract", "购房合同": "contract",
}  # fmt: skip
USE_WORDS = {
    **{v: k for k, v in USE_LABELS.items()},
    "住房": "residential", "住宅用房": "residential", "商铺": "commercial", "商用": "commercial",
    "门面": "commercial", "商业用房": "commercial", "停车位": "parking", "车库": "parking",
}  # fmt: skip
GENDER_WORDS = {"男": "m", "女": "f", "m": "m", "f": "f", "男性": "m", "女性": "f"}
YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "✗"}

# The example row of the template; importing it unchanged is a mistake worth naming.
TEMPLATE_EXAMPLE: dict[str, Any] = {
    GRID: "第一网格", BUILDING: "1号楼", ENTRANCE: "1单元", ROOM: "101", FLOOR: 1,
    AREA: Decimal("89.57"), AREA_SOURCE: "不动产登记", USE: "住宅", DEVELOPER: NO,
    NAME: "张三", GENDER: "男", ID_NUMBER: "110101199003070011", PHONE: "13800138000",
    ROLE: "业主", RELATION: "", VOTER: YES, VULNERABLE: NO,
}  # fmt: skip

NAME_MAX = 50  # Person.name
PLACE_NAME_MAX = 100  # PlaceNode.name
AREA_MAX = places_rules.ROOM_AREA_MAX  # the plausible bound, checked by the database too
FLOOR_RANGE = places_rules.FLOOR_RANGE
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------


def norm_header(text: str) -> str:
    value = unicodedata.normalize("NFKC", text)  # （㎡） → (m2), full-width letters → ASCII
    value = re.sub(r"\s+", "", value).lower()
    value = value.replace("平方米", "m2").replace("平米", "m2").replace("m²", "m2")
    return value.rstrip("*")  # "楼栋*" marks a required column in some templates


_HEADER_INDEX: dict[str, str] = {
    norm_header(spelling): column
    for column in ALL_COLUMNS
    for spelling in (column, *ALIASES.get(column, ()))
}


def canonical_column(header: str) -> str | None:
    """The column a header names, through ALIASES; None when unknown."""
    return _HEADER_INDEX.get(norm_header(header)) if header else None


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# What each column takes: the upload page and the template's second sheet show it.
COLUMN_HELP: tuple[tuple[str, Any, Any], ...] = (
    (GRID, gettext_lazy("选填"), gettext_lazy("网格名称;楼栋所属网格,同一楼栋各行须一致")),
    (BUILDING, gettext_lazy("必填"), gettext_lazy("如「1号楼」;可写作楼号、楼栋号")),
    (ENTRANCE, gettext_lazy("选填"), gettext_lazy("如「1单元」")),
    (ROOM, gettext_lazy("必填"), gettext_lazy("如「101」;同一楼栋内不重复")),
    (FLOOR, gettext_lazy("选填"), gettext_lazy("整数,地下层用负数")),
    (
        AREA,
        gettext_lazy("必填*"),
        gettext_lazy("大于0,最多两位小数;*也可改填登记面积/测绘面积/合同面积"),
    ),
    (AREA_SOURCE, gettext_lazy("选填"), gettext_lazy("不动产登记(默认)、测绘、房屋买卖合同")),
    (USE, gettext_lazy("选填"), gettext_lazy("住宅(默认)、商业、车位")),
    (DEVELOPER, gettext_lazy("选填"), gettext_lazy("是/否:开发商持有(未售出或已售未交付)")),
    (NAME, gettext_lazy("有人员时必填"), gettext_lazy("不填人员信息的行只登记房屋")),
    (GENDER, gettext_lazy("选填"), gettext_lazy("男/女,须与身份证号一致")),
    (ID_NUMBER, gettext_lazy("选填"), gettext_lazy("18位,请设为文本格式")),
    (PHONE, gettext_lazy("选填"), gettext_lazy("11位手机号;身份证号和手机号用于识别同一人员")),
    (ROLE, gettext_lazy("有人员时必填"), gettext_lazy("业主、共有人、户主、家庭成员、租户")),
    (
        RELATION,
        gettext_lazy("选填"),
        gettext_lazy("户主、配偶、子女、父母、租户、其他(仅居住人员)"),
    ),
    (VOTER, gettext_lazy("选填"), gettext_lazy("是/否(仅业主、共有人);每户一位,默认第一位业主")),
    (VULNERABLE, gettext_lazy("选填"), gettext_lazy("是/否:独居老人、困难家庭、留守儿童等")),
)
