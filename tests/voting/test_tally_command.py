"""``manage.py tally FILE``: the independent recount, without a database.

The stories run the real command in a subprocess with an unreachable DATABASE_URL, which
also proves the command never touches the database. The many invalid-input cases run
in-process through call_command (faster; pytest-django would refuse any database access).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]


def run_tally(
    argument: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = env or {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongzhi.settings_test",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/no_database",
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "tally", argument],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "tally.json"
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def tally_in_process(tmp_path: Path, data: Any) -> dict[str, Any]:
    out = StringIO()
    call_command("tally", str(write(tmp_path, data)), stdout=out)
    return json.loads(out.getvalue())


def room(uid: str, area: str, voter: str, kind: str = "residential") -> dict[str, str]:
    return {"id": uid, "area": area, "voter": voter, "kind": kind}


# --------------------------------------------------------------------------- story 002

# Building 1 wants an elevator. Wang owns two flats (one head); the developer still holds
# 1-501 and 1-502 (one head); Sun has a shop; parking spaces do not count by default, so
# Zhou, who owns only a parking space, is not on the roll. 9 heads, 950.00 m².
ELEVATOR_UNITS = [
    room("1-101", "89.57", "wang"),
    room("1-102", "76.43", "wang"),
    room("1-201", "89.57", "li"),
    room("1-202", "76.43", "zhang"),
    room("1-301", "89.57", "liu"),
    room("1-302", "76.43", "chen"),
    room("1-401", "89.57", "yang"),
    room("1-402", "76.43", "zhao"),
    room("1-501", "89.57", "developer"),
    room("1-502", "76.43", "developer"),
    room("S-01", "120.00", "sun", "commercial"),
    room("P-01", "12.50", "li", "parking"),
    room("P-02", "12.50", "zhou", "parking"),
]
ELEVATOR_BALLOTS = [
    {"voter": "wang", "choice": "agree"},
    {"voter": "li", "choice": "agree"},
    {"voter": "zhang", "choice": "agree"},
    {"voter": "liu", "choice": "agree"},
    {"voter": "chen", "choice": "oppose"},
    {"voter": "yang", "choice": "agree"},
    {"voter": "zhao", "choice": "abstain"},
    {"voter": "sun", "choice": "oppose"},
]


def elevator(matter: str) -> dict[str, Any]:
    return {
        "matter": matter,
        "policy": {"count_parking_area": False},
        "units": copy.deepcopy(ELEVATOR_UNITS),
        "ballots": copy.deepcopy(ELEVATOR_BALLOTS),
    }


def test_story_002_elevator_use_of_fund_passes_by_simple_majority(tmp_path: Path) -> None:
    result = run_tally(str(write(tmp_path, elevator("use_maintenance_fund"))))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matter"] == "use_maintenance_fund"
    assert data["total"] == {"area": "950.00", "heads": 9}
    assert data["participating"] == {"area": "784.00", "heads": 8}
    assert data["agree"] == {"area": "511.14", "heads": 5}
    assert data["oppose"] == {"area": "196.43", "heads": 2}
    assert data["abstain"] == {"area": "76.43", "heads": 1}
    assert data["quorum_met"] is True
    assert data["passed"] is True
    assert data["threshold"] == "参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意"


def test_story_002_same_ballots_fail_to_raise_fund_which_needs_three_quarters(
    tmp_path: Path,
) -> None:
    result = run_tally(str(write(tmp_path, elevator("raise_maintenance_fund"))))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["agree"] == {"area": "511.14", "heads": 5}  # 5 of 8 < 6; 511.14 < 588.00
    assert data["quorum_met"] is True
    assert data["passed"] is False
    assert "四分之三以上" in data["threshold"]


def test_reads_stdin_when_file_is_dash() -> None:
    result = run_tally("-", stdin=json.dumps(elevator("use_maintenance_fund")))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["passed"] is True


def test_invalid_input_exits_non_zero_with_chinese_message_and_no_traceback(
    tmp_path: Path,
) -> None:
    data = elevator("use_maintenance_fund")
    data["ballots"].append({"voter": "zhou", "choice": "agree"})  # owns only parking
    result = run_tally(str(write(tmp_path, data)))
    assert result.returncode != 0
    assert "表决人 zhou 不在业主名册上" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_malformed_json_on_stdin_exits_non_zero() -> None:
    result = run_tally("-", stdin='{"matter": ')
    assert result.returncode != 0
    assert "JSON 格式错误" in result.stderr
    assert "Traceback" not in result.stderr


def test_parking_counts_when_the_file_policy_says(tmp_path: Path) -> None:
    data = elevator("use_maintenance_fund")
    data["policy"]["count_parking_area"] = True
    result = tally_in_process(tmp_path, data)
    assert result["total"] == {"area": "975.00", "heads": 10}  # li's space and zhou


def test_spoilt_ballot_is_accepted_and_counts_as_participation(tmp_path: Path) -> None:
    data = elevator("use_maintenance_fund")
    data["ballots"][-1]["choice"] = "spoilt"
    result = tally_in_process(tmp_path, data)
    assert result["spoilt"] == {"area": "120.00", "heads": 1}
    assert result["participating"] == {"area": "784.00", "heads": 8}


# --------------------------------------------------------------------------- 7-seat election

# Ten owners; v10 owns two flats and does not vote; v01's flat is 120.00 m², the rest 100.00.
# Nine take part (920.00 m², 9 heads), v09 with an empty ballot.
ELECTION_BALLOTS = {
    "v01": ["A", "B", "C", "D", "E", "F", "G"],
    "v02": ["A", "B", "C", "D", "E", "F", "H"],
    "v03": ["A", "B", "C", "D", "E", "G", "H"],
    "v04": ["A", "B", "C", "D", "F", "G", "H"],
    "v05": ["A", "B", "C", "E", "F", "G", "H"],
    "v06": ["A", "B", "D", "E", "F", "G", "H"],
    "v07": ["A", "C", "D", "E", "F"],
    "v08": ["A", "B"],
    "v09": [],
}


def committee_election(v01_area: str = "120.00") -> dict[str, Any]:
    units = [room("101", v01_area, "v01")]
    units += [room(f"{n}01", "100.00", f"v0{n}") for n in range(2, 10)]
    units += [room("1001", "100.00", "v10"), room("1002", "100.00", "v10")]
    return {
        "matter": "elect_committee",
        "seats": 7,
        "candidates": ["A", "B", "C", "D", "E", "F", "G", "H", "I"],
        "units": units,
        "ballots": [{"voter": v, "choices": c} for v, c in ELECTION_BALLOTS.items()],
    }


def test_seven_seat_election_fills_seats_by_heads_then_area(tmp_path: Path) -> None:
    result = run_tally(str(write(tmp_path, committee_election())))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == {"area": "1120.00", "heads": 10}
    assert data["participating"] == {"area": "920.00", "heads": 9}
    assert data["quorum_met"] is True
    assert data["candidates"]["A"] == {"area": "820.00", "heads": 8}
    assert data["candidates"]["G"] == {"area": "520.00", "heads": 5}
    assert data["candidates"]["H"] == {"area": "500.00", "heads": 5}
    assert data["candidates"]["I"] == {"area": "0.00", "heads": 0}
    # G and H both have 5 heads; G wins the last seat on area (v01's larger flat).
    assert data["elected"] == ["A", "B", "C", "D", "E", "F", "G"]
    assert data["runoff"] == []
    assert data["unfilled"] == 0


def test_seven_seat_election_exact_tie_for_last_seat_goes_to_runoff(tmp_path: Path) -> None:
    data = tally_in_process(tmp_path, committee_election(v01_area="100.00"))
    assert data["candidates"]["G"] == data["candidates"]["H"] == {"area": "500.00", "heads": 5}
    assert data["elected"] == ["A", "B", "C", "D", "E", "F"]
    assert data["runoff"] == ["G", "H"]
    assert data["unfilled"] == 1


def test_election_without_quorum_elects_nobody(tmp_path: Path) -> None:
    data = committee_election()
    data["ballots"] = data["ballots"][:6]  # 6 of 10 heads < 2/3
    result = tally_in_process(tmp_path, data)
    assert result["quorum_met"] is False
    assert result["elected"] == []
    assert result["unfilled"] == 7


# --------------------------------------------------------------------------- invalid input


def _decision() -> dict[str, Any]:
    return elevator("use_maintenance_fund")


def _with(base: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _without(base: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


def _appended(base: dict[str, Any], key: str, item: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data[key].append(item)
    return data


# fmt: off
INVALID: list[tuple[str, Any, str]] = [
    ("not_on_roll", _appended(_decision(), "ballots", {"voter": "ghost", "choice": "agree"}), "ghost 不在业主名册上"),
    ("two_ballots", _appended(_decision(), "ballots", {"voter": "wang", "choice": "oppose"}), "wang 提交了两张选票"),
    ("unknown_matter", _with(_decision(), ("matter",), "sell_the_lawn"), "未知的表决事项"),
    ("unknown_choice", _with(_decision(), ("ballots", 0, "choice"), "yes"), "ballots[0].choice"),
    ("duplicate_unit", _appended(_decision(), "units", room("1-101", "89.57", "li")), "房屋编号重复：1-101"),
    ("float_area", _with(_decision(), ("units", 0, "area"), 89.57), "units[0].area"),
    ("three_decimals", _with(_decision(), ("units", 0, "area"), "89.567"), "面积格式无效"),
    ("negative_area", _with(_decision(), ("units", 0, "area"), "-89.57"), "面积格式无效"),
    ("unknown_kind", _with(_decision(), ("units", 0, "kind"), "garage"), "未知的房屋类型"),
    ("missing_units", _without(_decision(), ("units",)), "缺少字段：units"),
    ("missing_matter", _without(_decision(), ("matter",)), "缺少字段：matter"),
    ("missing_area", _without(_decision(), ("units", 2, "area")), "units[2] 缺少字段：area"),
    ("missing_choice", _without(_decision(), ("ballots", 1, "choice")), "ballots[1] 缺少字段：choice"),
    ("empty_voter", _with(_decision(), ("units", 0, "voter"), ""), "units[0].voter"),
    ("units_not_list", _with(_decision(), ("units",), {}), "units 必须是 JSON 数组"),
    ("unknown_field", _with(_decision(), ("quorum",), 0.5), "未知字段：quorum"),
    ("policy_typo", _with(_decision(), ("policy",), {"count_parking": True}), "未知字段"),
    ("policy_not_bool", _with(_decision(), ("policy",), {"count_parking_area": "yes"}), "true 或 false"),
    ("top_level_list", [], "文件顶层 必须是 JSON 对象"),
    ("malformed_json", '{"matter": "rebuild", "units": [}', "JSON 格式错误"),
    ("duplicate_json_key", '{"matter": "rebuild", "matter": "other_major"}', "字段重复"),
    ("unknown_candidate", _with(committee_election(), ("ballots", 7, "choices"), ["A", "Z"]), "未知候选人"),
    ("too_many_choices", _with(committee_election(), ("ballots", 0, "choices"), list("ABCDEFGH")), "超过应选席位数 7"),
    ("duplicate_choice", _with(committee_election(), ("ballots", 7, "choices"), ["A", "A"]), "重复选择"),
    ("choices_not_list", _with(committee_election(), ("ballots", 7, "choices"), "A"), "必须是 JSON 数组"),
    ("decision_ballot_in_election", _with(committee_election(), ("ballots", 7), {"voter": "v08", "choice": "agree"}), "缺少字段：choices"),
    ("seats_without_candidates", _without(committee_election(), ("candidates",)), "同时给出 seats 和 candidates"),
    ("seats_not_int", _with(committee_election(), ("seats",), "7"), "seats 必须是正整数"),
    ("seats_for_other_matter", _with(committee_election(), ("matter",), "rebuild"), "elect_committee"),
    ("duplicate_candidate", _with(committee_election(), ("candidates",), ["A", "A"]), "候选人重复"),
]
# fmt: on


@pytest.mark.parametrize(
    ("data", "message"), [(d, m) for _, d, m in INVALID], ids=[name for name, _, _ in INVALID]
)
def test_invalid_input_is_rejected_with_chinese_message(
    tmp_path: Path, data: Any, message: str
) -> None:
    with pytest.raises(CommandError) as excinfo:
        tally_in_process(tmp_path, data)
    assert message in str(excinfo.value)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("tally", str(tmp_path / "nope.json"), stdout=StringIO())


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"matter": "改建"}'.encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("tally", str(path), stdout=StringIO())


def test_runs_on_a_fresh_checkout_with_no_environment_settings(tmp_path: Path) -> None:
    """A recount anyone can run: no SECRET_KEY, no DEBUG, no DATABASE_URL, no settings."""
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    result = run_tally(str(write(tmp_path, elevator("use_maintenance_fund"))), env=bare)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["passed"] is True


@pytest.mark.parametrize("words", [["help", "tally"], ["tally", "--help"]])
def test_its_help_needs_no_environment_settings_either(tmp_path: Path, words) -> None:
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "manage.py", *words], capture_output=True,
                            text=True, env=bare, cwd=ROOT, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "tally" in result.stdout and "SECRET_KEY" not in result.stderr


def test_other_commands_still_need_the_secret_key(tmp_path: Path) -> None:
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "manage.py", "help", "migrate"], capture_output=True,
                            text=True, env=bare, cwd=ROOT, timeout=60)  # fmt: skip
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
