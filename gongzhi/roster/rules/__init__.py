"""The roster table (花名册): its columns, reading .xlsx/.csv, and checking every row.

Pure: no ORM. ``read_table`` turns file bytes into rows with their Excel row numbers;
``validate`` checks every cell and every cross-row rule and returns either a ``Roster``
(rooms and persons, merged across rows, ready for services.roster_import to write) or the
full list of ``RowError``. ``write_table`` is the inverse, for export and the template.

Row numbers are the ones a user sees in Excel: the header is row 1, the first data row 2.

A package because one module passed 1,000 lines (house style: split past ~500):
columns (names, header variants, value tables), cells (one cell), files (reading and
writing), specs (the merged plan), row_checks (header and each row), cross_checks
(the whole table). Import from here.
"""

from gongzhi.places.rules import natural_key  # 2号楼 before 10号楼, as every list of places sorts
from gongzhi.roster.rules.cells import (
    ECHO_CHARS,
    MAX_ERRORS,
    RowError,
    RowErrors,
    cell_text,
    clip,
    gender_of_id,
    guard_formula,
    parse_area,
    parse_choice,
    parse_floor,
    parse_id_number,
    parse_name,
    parse_phone,
    parse_yes_no,
    reported,
)
from gongzhi.roster.rules.columns import (
    ALIASES,
    ALL_COLUMNS,
    AREA,
    AREA_COLUMNS,
    AREA_CONTRACT,
    AREA_REGISTERED,
    AREA_SOURCE,
    AREA_SOURCE_LABELS,
    AREA_SURVEYED,
    BUILDING,
    CO_OWNER,
    COLUMN_HELP,
    COLUMNS,
    DEVELOPER,
    ENTRANCE,
    FAMILY,
    FLOOR,
    GENDER,
    GENDER_LABELS,
    GRID,
    HEAD,
    ID_NUMBER,
    IGNORED_COLUMNS,
    NAME,
    NO,
    OWNER,
    OWNER_ROLES,
    PHONE,
    RANKED_AREA_COLUMNS,
    RELATION,
    RELATION_LABELS,
    REQUIRED_COLUMNS,
    RESIDENT_ROLES,
    ROLE,
    ROLE_LABELS,
    ROOM,
    TEMPLATE_EXAMPLE,
    TENANT,
    USE,
    USE_LABELS,
    VOTER,
    VULNERABLE,
    YES,
    canonical_column,
    column_letter,
)
from gongzhi.roster.rules.cross_checks import validate
from gongzhi.roster.rules.files import (
    CONTENT_TYPES,
    FORMATS,
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    Table,
    decode_csv,
    file_too_big,
    read_table,
    unzip_problem,
    write_table,
    write_template,
    yes_no,
)
from gongzhi.roster.rules.row_checks import map_headers
from gongzhi.roster.rules.specs import (
    BuildingSpec,
    HouseholdSpec,
    MemberSpec,
    OwnerSpec,
    PersonKey,
    PersonSpec,
    RoomKey,
    RoomSpec,
    Roster,
)

__all__ = [
    "ALIASES", "ALL_COLUMNS", "AREA", "AREA_COLUMNS", "AREA_CONTRACT", "AREA_REGISTERED",
    "AREA_SOURCE", "AREA_SOURCE_LABELS", "AREA_SURVEYED", "BUILDING", "CO_OWNER",
    "COLUMN_HELP", "COLUMNS", "CONTENT_TYPES", "DEVELOPER", "ECHO_CHARS", "ENTRANCE",
    "FAMILY", "FLOOR", "FORMATS", "GENDER", "GENDER_LABELS", "GRID", "HEAD", "ID_NUMBER",
    "IGNORED_COLUMNS", "MAX_BYTES", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ERRORS",
    "MAX_ROWS", "MAX_UNPACKED_BYTES", "MAX_ZIP_MEMBERS", "NAME", "NO", "OWNER",
    "OWNER_ROLES", "PHONE",
    "RANKED_AREA_COLUMNS", "RELATION", "RELATION_LABELS", "REQUIRED_COLUMNS",
    "RESIDENT_ROLES", "ROLE", "ROLE_LABELS", "ROOM", "TEMPLATE_EXAMPLE", "TENANT", "USE",
    "USE_LABELS", "VOTER", "VULNERABLE", "YES",
    "BuildingSpec", "HouseholdSpec", "MemberSpec", "OwnerSpec", "PersonKey", "PersonSpec",
    "RoomKey", "RoomSpec", "Roster", "RowError", "RowErrors", "Table",
    "canonical_column", "cell_text", "clip", "column_letter", "decode_csv", "file_too_big",
    "gender_of_id", "guard_formula", "map_headers", "natural_key", "parse_area",
    "parse_choice", "parse_floor", "parse_id_number", "parse_name", "parse_phone",
    "parse_yes_no", "read_table", "reported", "unzip_problem", "validate", "write_table",
    "write_template", "yes_no",
]  # fmt: skip
