"""``manage.py tally FILE``: an independent recount from a JSON file, without the database.

The file format is described in ``docs/voting.md``. Everything is validated; any
invalid input ends with a Chinese message on stderr and a non-zero exit status.
The counting itself is :mod:`gongzhi.voting.rules`, the same code the site uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.voting.rules import (
    DecisionResult,
    ElectionResult,
    Matter,
    Policy,
    RuleError,
    Unit,
    build_roll,
    collect_ballots,
    parse_area,
    parse_choice,
    parse_kind,
    parse_matter,
    tally_decision,
    tally_election,
)

TOP_KEYS = {"matter", "policy", "units", "ballots", "seats", "candidates"}
POLICY_KEYS = {"count_parking_area"}
UNIT_KEYS = {"id", "area", "voter", "kind"}
DECISION_BALLOT_KEYS = {"voter", "choice"}
ELECTION_BALLOT_KEYS = {"voter", "choices"}


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise RuleError(_("JSON 对象中字段重复：%(key)s") % {"key": repr(key)})
        data[key] = value
    return data


def parse_json(text: str) -> Any:
    """JSON text → data; malformed JSON and duplicate keys are :class:`RuleError`."""
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise RuleError(
            _("JSON 格式错误：第 %(line)s 行第 %(column)s 列：%(error)s")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from None
    except RecursionError:
        raise RuleError(_("JSON 嵌套过深")) from None


def _names(keys: list[str]) -> str:
    return pgettext("list separator", "、").join(keys)


def _object(value: Any, where: str, required: set[str], allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleError(_("%(where)s 必须是 JSON 对象") % {"where": where})
    missing = sorted(required - value.keys())
    if missing:
        raise RuleError(
            _("%(where)s 缺少字段：%(fields)s") % {"where": where, "fields": _names(missing)}
        )
    unknown = sorted(value.keys() - allowed)
    if unknown:
        raise RuleError(
            _("%(where)s 含未知字段：%(fields)s") % {"where": where, "fields": _names(unknown)}
        )
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise RuleError(_("%(where)s 必须是 JSON 数组") % {"where": where})
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise RuleError(
            _("%(where)s 必须是非空字符串，而不是 %(value)s")
            % {"where": where, "value": json.dumps(value, ensure_ascii=False)}
        )
    return value


def _within(where: str, parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parse(value)
    except RuleError as exc:
        raise RuleError(
            _("%(where)s：%(error)s") % {"where": where, "error": exc.message}
        ) from None


def parse_policy(value: Any) -> Policy:
    policy = _object(value, "policy", set(), POLICY_KEYS)
    count = policy.get("count_parking_area", False)
    if not isinstance(count, bool):
        raise RuleError(_("policy.count_parking_area 必须是 true 或 false"))
    return Policy(count_parking_area=count)


def parse_unit(value: Any, index: int) -> Unit:
    where = f"units[{index}]"
    unit = _object(value, where, UNIT_KEYS, UNIT_KEYS)
    return Unit(
        id=_text(unit["id"], f"{where}.id"),
        area=_within(f"{where}.area", parse_area, unit["area"]),
        voter=_text(unit["voter"], f"{where}.voter"),
        kind=_within(f"{where}.kind", parse_kind, unit["kind"]),
    )


def _ballots(value: Any, keys: set[str], field: str) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for index, item in enumerate(_list(value, "ballots")):
        where = f"ballots[{index}]"
        ballot = _object(item, where, keys, keys)
        entries.append((_text(ballot["voter"], f"{where}.voter"), ballot[field]))
    return entries


def recount(data: Any) -> DecisionResult | ElectionResult:
    """Validate a parsed tally file and count it."""
    data = _object(data, _("文件顶层"), {"matter", "units", "ballots"}, TOP_KEYS)
    matter = _within("matter", parse_matter, data["matter"])
    policy = parse_policy(data.get("policy", {}))
    units = [parse_unit(item, i) for i, item in enumerate(_list(data["units"], "units"))]
    roll = build_roll(units, policy)

    election_keys = {"seats", "candidates"} & data.keys()
    if not election_keys:
        entries = _ballots(data["ballots"], DECISION_BALLOT_KEYS, "choice")
        choices = [
            (voter, _within(f"ballots[{i}].choice", parse_choice, choice))
            for i, (voter, choice) in enumerate(entries)
        ]
        return tally_decision(roll, collect_ballots(choices), matter)

    if matter is not Matter.ELECT_COMMITTEE:
        raise RuleError(
            _(
                "只有选举业主委员会（elect_committee）才能给出 seats/candidates，"
                "而 matter 是 %(matter)s"
            )
            % {"matter": matter.value}
        )
    if election_keys != {"seats", "candidates"}:
        raise RuleError(_("选举须同时给出 seats 和 candidates"))
    seats = data["seats"]
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise RuleError(
            _("seats 必须是正整数，而不是 %(value)s")
            % {"value": json.dumps(seats, ensure_ascii=False)}
        )
    candidates = [
        _text(c, f"candidates[{i}]") for i, c in enumerate(_list(data["candidates"], "candidates"))
    ]
    entries = _ballots(data["ballots"], ELECTION_BALLOT_KEYS, "choices")
    for voter, choices in entries:
        _list(choices, _("表决人 %(voter)s 的 choices") % {"voter": voter})
    return tally_election(roll, collect_ballots(entries), candidates, seats)


class Command(BaseCommand):
    help = (
        "独立复核业主大会表决结果：读取 JSON 文件（- 表示标准输入），按民法典第二百七十八条计票。"
    )

    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="表决数据 JSON 文件路径；- 表示从标准输入读取")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = self._read(options["file"])
            result = recount(parse_json(text))
        except RuleError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))

    def _read(self, name: str) -> str:
        if name == "-":
            if not hasattr(sys.stdin, "buffer"):  # a text stream, e.g. StringIO in tests
                return sys.stdin.read()
            raw = sys.stdin.buffer.read()
        else:
            try:
                raw = Path(name).read_bytes()
            except FileNotFoundError:
                raise RuleError(_("找不到文件：%(name)s") % {"name": name}) from None
            except IsADirectoryError:
                raise RuleError(_("不是文件：%(name)s") % {"name": name}) from None
            except OSError as exc:
                raise RuleError(
                    _("无法读取文件 %(name)s：%(error)s") % {"name": name, "error": exc.strerror}
                ) from None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RuleError(_("文件不是 UTF-8 编码：%(name)s") % {"name": name}) from None
