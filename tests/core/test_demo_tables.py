"""The demo's data tables are TOML files inside the package (gongzhi/core/demo/tables.py),
found through importlib.resources and shipped in the wheel (hatch packages every file
under gongzhi/): each one parses, and the loaders read what the stories need."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongzhi.core.demo import STORIES, tables
from gongzhi.core.demo.context import ROLES

PACKAGE = Path(tables.__file__).resolve().parents[2]  # gongzhi/
FILES = sorted(PACKAGE.glob("**/data/*.toml"))


def package_of(path: Path) -> str:
    return ".".join(path.parent.parent.relative_to(PACKAGE.parent).parts)


def test_the_stories_and_the_apps_have_their_tables():
    names = {f"{package_of(p)}:{p.stem}" for p in FILES}
    assert {
        "gongzhi.core.demo:names",
        "gongzhi.core.demo:accounts",
        "gongzhi.core.demo:generator",
        *(f"gongzhi.core.demo:story_{s.KEY}" for s in STORIES),
        "gongzhi.demands:demo",
        "gongzhi.lists:demo",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_table_file_loads_through_the_package(path):
    assert tables.load(package_of(path), path.stem)


def test_the_loaders_read_the_tables():
    from gongzhi.demands import demo as demands_demo
    from gongzhi.lists import demo as lists_demo

    assert len(ROLES) == 22 and ROLES[0].phone == "13800000000"
    assert [s.PLACE["compound"] for s in STORIES][2] == "太平洋花园"
    assert len(STORIES[2].PLAN.buildings) == 11
    assert len(demands_demo.SUGGESTIONS_004) == 58 and len(demands_demo.WISHES_002) == 21
    assert len(demands_demo.CATEGORIES) == 12
    assert len(lists_demo.FIX_NOW) + len(lists_demo.LONG_TERM) == 67
